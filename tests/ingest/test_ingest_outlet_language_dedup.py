"""Outlet / wire attribution, language identification and duplicate grouping."""

from __future__ import annotations

import pytest

from sitrep.errors import ConfigError
from sitrep.ingest.dedup import DuplicateIndex, assign_duplicates, content_id, normalise_text
from sitrep.ingest.language import detect_language
from sitrep.ingest.outlet import credit_wire, identify_outlet
from sitrep.model import Article


@pytest.mark.parametrize("line,wire", [
    ("With AFP", "AFP"), ("The World with AFP", "AFP"), ("Source: AFP", "AFP"), ("© AFP", "AFP"),
    ("With AFP and Reuters", "AFP"), ("Sources: Reuters", "Reuters"),
])
def test_credit_lines(line: str, wire: str) -> None:
    got = credit_wire(line)
    assert got is not None and got[0] == wire


@pytest.mark.parametrize("line", ["he told AFP", "A resident confirmed the capture to AFP.",
                                  "Text by: RFI Follow", "With the taking of Ghazni, the army is cut off"])
def test_not_credit_lines(line: str) -> None:
    assert credit_wire(line) is None


def test_identify_outlet_sources_in_order() -> None:
    text = "KABUL, July 4 (AFP) - The Taliban seized Panjwai, a resident told Reuters."
    g = identify_outlet(url="https://www.france24.com/en/x", declared=None, sitename="F24",
                        text=text, boilerplate=())
    assert (g.outlet, g.wire, g.basis) == ("France 24", "AFP", "url domain")
    g = identify_outlet(url=None, declared=None, sitename=None, text="He told AFP so.",
                        boilerplate=("The World with AFP",))
    assert (g.outlet, g.wire) == ("Le Monde", "AFP")
    g = identify_outlet(url=None, declared=None, sitename=None, text="x",
                        boilerplate=("© AFP", "Text by: RFI Follow"))
    assert (g.outlet, g.wire, g.basis) == ("RFI", "AFP", "byline")
    g = identify_outlet(url=None, declared=None, sitename=None, text="x",
                        boilerplate=("Download the France 24 application",))
    assert g.outlet == "France 24" and g.wire is None
    g = identify_outlet(url="https://unknown.example/a", declared=None, sitename=None,
                        text="The governor told AFP that the city fell.", boilerplate=())
    assert (g.outlet, g.wire) == (None, None)
    g = identify_outlet(url="https://www.reuters.com/x", declared=None, sitename=None, text="x", boilerplate=())
    assert (g.outlet, g.wire) == ("Reuters", "Reuters")


EN = ("The Taliban captured the district of Panjwai on Sunday after a night of heavy fighting with "
      "government forces, the district governor said on Monday.")
FR = ("Les talibans ont pris dimanche le district de Panjwai après une nuit de violents combats avec "
      "les forces gouvernementales, a déclaré lundi le gouverneur du district.")
ES = ("Los talibanes tomaron el domingo el distrito de Panjwai tras una noche de intensos combates con "
      "las fuerzas del gobierno, dijo el lunes el gobernador del distrito.")
PS = ("طالبانو د کندهار ولایت د پنجوايي ولسوالۍ ونیوله، د ولسوالۍ والي وویل چې د شپې له جګړې وروسته "
      "حکومتي ځواکونه له سیمې ووتل او طالبانو د پولیسو مرکز او د ولسوالۍ ودانۍ ونیولې")


def test_language_detection() -> None:
    assert detect_language(EN)[0] == "en"
    assert detect_language(FR)[0] == "fr"
    assert detect_language(ES)[0] == "es"
    assert detect_language(PS)[0] == "ps"
    assert detect_language("Taliban seize Panjwai district") == (None, 0.0)  # too short to tell
    assert detect_language(FR, ["en", "es"])[0] != "fr"
    with pytest.raises(ConfigError):
        detect_language(EN, ["en", "xx"])


WIRE = ("The Taliban captured the key district of Panjwai in southern Kandahar province on Sunday after "
        "a night of fighting with Afghan forces, the district governor told reporters. The insurgents "
        "seized the police headquarters and the governor's office, he said. Dozens of families fled the "
        "area, residents said, as the militants pressed their offensive across the south of the country "
        "two days after US and NATO troops left Bagram air base.")


def _art(i: str, text: str, dup: str | None = None) -> Article:
    return Article(id=i, text=text, source=i, duplicate_of=dup)


def test_content_id_ignores_case_spacing_and_punctuation() -> None:
    assert content_id("The Taliban  seized\nPanjwai.") == content_id("the taliban seized panjwai")
    assert normalise_text("Qala-i-Naw, «today»") == "qala i naw today"


def test_syndicated_copies_are_grouped_first_seen_wins() -> None:
    copy = WIRE.replace("told reporters", "told AFP").replace("Dozens of", "Many") + " With AFP."
    other = ("Herat fell to the Taliban on Thursday after weeks of siege, officials said, as the "
             "government lost its grip on the west of the country and the insurgents advanced on Kabul.")
    out = assign_duplicates([_art("b", copy), _art("c", other)], existing=[_art("a", WIRE)])
    assert [a.duplicate_of for a in out] == ["a", None]


def test_groups_do_not_chain() -> None:
    index = DuplicateIndex()
    index.add("root", WIRE)
    index.add("copy", WIRE + " Extra line.", root="root")
    assert index.match(WIRE + " Another extra line.") == "root"
