"""sitrep.nlp: the gazetteer ruler fixes the small model's place entities on real seed text."""

from __future__ import annotations

import re

import pytest
import spacy
from conftest import SEEDS
from spacy.language import Language
from spacy.tokens import Doc

import sitrep.nlp
from sitrep.nlp import MODEL, get_nlp, parse, place_patterns, span_text, subtree_indices

PLACE_LABELS = {"GPE", "LOC", "FAC"}


def _seed_sentence(name: str, needle: str) -> str:
    """The seed line containing ``needle`` (real input, not a paraphrase)."""
    for line in (SEEDS / name).read_text(encoding="utf-8").splitlines():
        if needle in line:
            return line.strip()
    raise AssertionError(f"{needle!r} not in {name}")


def _ents(doc: Doc) -> dict[str, str]:
    return {e.text: e.label_ for e in doc.ents}


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not available")


def test_exported_members() -> None:
    assert sorted(sitrep.nlp.__all__) == ["CHUNK_CHARS", "MODEL", "doc_text", "ents_in", "get_nlp", "parse",
                                          "place_patterns", "span_text", "split_long", "subtree_indices"]


def test_subtrees_and_span_texts_are_spacys(nlp: Language) -> None:
    """subtree_indices and span_text read the Doc's arrays and text, and give what spaCy's
    Token.subtree and Span.text give: the same positions in the same order, the same text."""
    doc = nlp("Taliban fighters, who had surrounded the town for weeks, captured Zaranj on Friday, "
              "officials said.\n\nResidents fled   to the capital of Nimroz province. The district "
              "governor of Kang, who spoke by phone, said three villages near the border fell.")
    for tok in doc:
        assert subtree_indices(tok) == tuple(t.i for t in tok.subtree)
        assert subtree_indices(tok) == tuple(t.i for t in tok.subtree)  # (remembered)
    for span in [*doc.sents, *doc.ents, doc[2:9], doc[0:1], doc[len(doc) - 3 : len(doc)], doc[4:4]]:
        assert span_text(span) == span.text


def test_pipeline_loaded_once_with_ruler_before_ner(nlp: Language) -> None:
    assert get_nlp() is nlp
    names = nlp.pipe_names
    assert names.index("place_ruler") < names.index("ner")


@needs_seeds
@pytest.mark.parametrize(
    ("seed", "needle", "places"),
    [
        ("004_5193f357d6e09261.txt", "cedited Herat", ["Herat"]),
        ("004_5193f357d6e09261.txt", "they had lost Ghazni", ["Ghazni", "Kabul", "Kandahar"]),
        ("004_5193f357d6e09261.txt", "besiege Lashkar Gah", ["Lashkar Gah", "Helmand"]),
        ("004_5193f357d6e09261.txt", "surround the largest city", ["Mazar-i-Sharif"]),
        ("004_5193f357d6e09261.txt", "capital of Badghis", ["Qala-i-Naw", "Badghis province"]),
        ("001_b3cf0af3a121707a.txt", "in the city of Qala-i-Naw", ["Qala-i-Naw"]),
        ("002_c566eba239c42651.txt", "entered Qala-e Naw", ["Qala-e Naw"]),
        ("000_b228aec6dd147c9a.txt", "the key district of Panjwai", ["Panjwai"]),
        ("003_f484baaed8a32eec.txt", "fled to Faizabad", ["Faizabad", "Badakhshan province"]),
    ],
)
def test_seed_places_are_place_entities(nlp: Language, seed: str, needle: str, places: list[str]) -> None:
    doc = nlp(_seed_sentence(seed, needle))
    ents = _ents(doc)
    for place in places:
        assert ents.get(place) in PLACE_LABELS, (place, ents)


@needs_seeds
def test_bare_model_mistypes_what_the_ruler_fixes() -> None:
    """FACTS.md: without the ruler, Herat / Ghazni / Lashkar Gah are not all places."""
    bare = spacy.load(MODEL)
    text = " ".join(
        _seed_sentence("004_5193f357d6e09261.txt", n) for n in ("cedited Herat", "they had lost Ghazni", "besiege Lashkar Gah")
    )
    bare_labels = _ents(bare(text))
    fixed = _ents(get_nlp()(text))
    wrong = [n for n in ("Herat", "Ghazni", "Lashkar Gah") if bare_labels.get(n) not in PLACE_LABELS]
    assert wrong, bare_labels  # the problem exists...
    assert all(fixed.get(n) in PLACE_LABELS for n in wrong), fixed  # ...and is fixed


@pytest.mark.parametrize("name", ["Qala-i-Naw", "Mazar-i-Sharif", "Qala-e Naw", "Pul-e Khumri", "Qala-e-Naw"])
def test_hyphenated_names_are_one_entity(nlp: Language, name: str) -> None:
    doc = nlp(f"The Taliban entered {name} on Wednesday.")
    assert [(e.text, e.label_) for e in doc.ents if e.label_ in PLACE_LABELS] == [(name, "GPE")]


def test_kind_words_stay_in_the_entity_and_regions_are_loc(nlp: Language) -> None:
    doc = nlp("Fighting spread from Kandahar province across northern Afghanistan and Central Asia.")
    assert _ents(doc) == {"Kandahar province": "GPE", "northern Afghanistan": "LOC", "Central Asia": "LOC"}


def test_sites_are_facilities(nlp: Language) -> None:
    doc = nlp("US forces left Bagram Air Base and the Torkham crossing was closed.")
    ents = _ents(doc)
    assert ents["Bagram Air Base"] == "FAC"
    assert ents["Torkham"] == "FAC"


@needs_seeds
def test_unknown_izafe_village_after_preposition_is_loc(nlp: Language) -> None:
    doc = nlp(_seed_sentence("001_b3cf0af3a121707a.txt", "Bagh-e Sherkat"))
    assert _ents(doc).get("Bagh-e Sherkat") == "LOC"


def test_izafe_party_name_without_preposition_is_not_a_place(nlp: Language) -> None:
    doc = nlp("Jamiat-e-Islami said the talks had failed.")
    assert not any(e.label_ in PLACE_LABELS and "Jamiat" in e.text for e in doc.ents)


def test_stoplisted_and_lowercase_names_are_not_tagged(nlp: Language) -> None:
    doc = nlp("In March the march resumed, Jordan said in Farsi.")
    assert not any(e.label_ in PLACE_LABELS for e in doc.ents), _ents(doc)


def test_patterns_leave_out_villages_and_stoplist() -> None:
    texts = {p["pattern"] for p in place_patterns() if isinstance(p["pattern"], str)}
    assert {"Qala-i-Naw", "Kandahar province", "Panjwai", "Tajikistan", "Bagram Airfield"} <= texts
    assert "March" not in texts and "Farsi" not in texts
    assert "orup" not in texts  # a village name from abubaker47


def test_parse_keeps_order_and_count() -> None:
    texts = ["Kabul is calm.", "", "Herat fell on Friday.", "Doha talks resumed."]
    docs = list(parse(texts, batch_size=2))
    assert [d.text for d in docs] == texts
    assert re.search("Herat", docs[2].ents[0].text)


def _token_rows(doc: Doc) -> list[tuple[object, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def test_rule_tables_replace_the_attribute_ruler_and_lemmatizer(nlp: Language) -> None:
    stock = spacy.load(MODEL)
    assert type(stock.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
    assert isinstance(nlp.get_pipe("attribute_ruler"), sitrep.nlp.AttributeTable)
    assert isinstance(nlp.get_pipe("lemmatizer"), sitrep.nlp.LemmaTable)
    assert nlp.pipe_names[:5] == stock.pipe_names[:5]  # same names, same order


@pytest.mark.parametrize("text", [
    # the ruler's longer rules ("gon na", "let 's", "ai n't", "there is"), its space rules
    # (a space token gets tag _SP; one with a dependency gets dep), pronoun lemmas
    "They said: \"We're gonna take Kunduz, let's go\" — there is no retreat, it ain't over.\n\n"
    "Y'all c'mon, I'd gotta say   she got them to herself.",
    "Taliban fighters have been attacking Lashkar Gah since Friday; ANA forces were being "
    "reinforced and the governor's spokesman did not comment.",
])
def test_rule_tables_give_the_stock_components_doc(nlp: Language, text: str) -> None:
    """Token for token, what spaCy's own attribute_ruler and lemmatizer give (the tables
    only change how the same rules are looked up)."""
    stock = spacy.load(MODEL)
    with nlp.select_pipes(disable=["place_ruler", "sitrep_izafe_places"]):
        assert _token_rows(nlp(text)) == _token_rows(stock(text))


@needs_seeds
def test_rule_tables_give_the_stock_components_doc_on_the_seeds(nlp: Language) -> None:
    stock = spacy.load(MODEL)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    with nlp.select_pipes(disable=["place_ruler", "sitrep_izafe_places"]):
        for ours, theirs in zip(nlp.pipe(texts), stock.pipe(texts), strict=True):
            assert _token_rows(ours) == _token_rows(theirs)


def test_a_gazetteer_name_written_without_its_izafe_is_still_a_place() -> None:
    """News writes 'Hazrat Sultan' and 'Dara-e-Suf Bala' for the gazetteer's
    'Hazrat-e-Sultan' and 'Dara-e-Suf-e-Bala': the ruler tags every izafe written or dropped."""
    from sitrep.nlp import get_nlp, izafe_variants

    assert izafe_variants("Hazrat-e-Sultan") == ["Hazrat-e-Sultan", "Hazrat Sultan"]
    assert "Dara-e-Suf Bala" in izafe_variants("Dara-e-Suf-e-Bala")
    assert izafe_variants("Kabul") == ["Kabul"]
    doc = get_nlp()("Fighting was reported in parts of Hazrat Sultan district in Samangan province.")
    assert "Hazrat Sultan district" in [e.text for e in doc.ents if e.label_ == "GPE"]


def test_a_known_name_where_a_place_stands_is_a_place(ukraine: None) -> None:
    """A name the model mislabels or leaves bare is a GPE when the sentence puts it where a
    place stands and the gazetteer (villages included) knows it: 'Sukhyi Stavok' whole,
    though the model tagged 'Stavok'. Nowhere else, and not a name the gazetteer lacks."""
    from sitrep.nlp import get_nlp

    doc = get_nlp()("The settlements of Vysokopillia, Novovoznesenske, Bilohirka, Sukhyi Stavok and "
                    "Myroliubivka have been liberated, the army said.")
    places = {e.text for e in doc.ents if e.label_ == "GPE"}
    assert {"Novovoznesenske", "Sukhyi Stavok", "Myroliubivka"} <= places
    doc = get_nlp()("Fighting raged near Bakhmut and at Kurdiumivka, Klitschschiyevka and Mayorsk, "
                    "Ukraine's army said; Mayorsk was quoted by Reuters.")
    labels = [(e.text, e.label_) for e in doc.ents]
    assert ("Mayorsk", "GPE") in labels  # the list's member
    # the subject of 'was quoted' stands nowhere a place does: whatever the model made of
    # it, it is no place
    subject = doc.text.index("Mayorsk was quoted")
    assert all(e.label_ != "GPE" for e in doc.ents if e.start_char == subject)
    assert ("Reuters", "GPE") not in labels


def test_a_place_compound_keeps_its_tagged_name(nlp: Language) -> None:
    """'Panjshir Valley': the valley word is no second place (Panjshir is the entity)."""
    doc = nlp("At least 20 civilians have been killed in Afghanistan's Panjshir Valley this week.")
    assert "Valley" not in {e.text for e in doc.ents}
