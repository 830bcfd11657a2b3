"""The claims ledger on real seed sentences: quantities, totals, claimants, disputes, dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitrep.claims import extract_claims
from sitrep.model import Article, Claim, stable_id

SEEDS = (Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds").resolve()


def _claims(nlp, text: str, published: str = "2021-07-04", wire: str = "AFP") -> list[Claim]:  # type: ignore[no-untyped-def]
    art = Article(id=stable_id(text), text=text, source="t.txt", wire=wire,
                  published=dt.date.fromisoformat(published))
    return extract_claims(art, nlp(text))


def _is(claimant: str, raw: str) -> bool:
    """The claimant is the raw speaker or the canonical actor it resolves to."""
    from sitrep.resolve.actors import resolve_actor

    actor = resolve_actor(raw)
    return claimant == raw or (actor is not None and claimant == actor.name)


def _one(claims: list[Claim], needle: str) -> Claim:
    found = [c for c in claims if needle in c.quote.text]
    assert found, f"no claim quoting {needle!r}: {[c.quote.text for c in claims]}"
    return found[0]


def test_taliban_district_claim_disputed_by_authorities(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Fighting has raged in recent weeks in several Afghan provinces and the Taliban claim "
            "to control around 100 of the country's nearly 400 districts.\n\nAfghan authorities "
            "dispute this number, but admit that government forces have withdrawn from some "
            "districts.")
    claims = _claims(nlp, text)
    c = _one(claims, "around 100")
    assert (c.quantity, c.of_total, c.unit, c.approximate) == (100, 400, "districts", True)
    assert _is(c.claimant, "Taliban")
    d = _one(claims, "dispute this number")
    assert _is(d.claimant, "Afghan authorities")
    assert c.disputed_by == (d.claimant,)
    assert c.modality == "claimed"
    assert text[c.quote.start:c.quote.end] == c.quote.text
    assert d.modality == "denied" and d.disputed_by == (c.claimant,)


def test_fraction_of_total_keeps_fraction_in_statement(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The Taliban now control about a third of the 421 districts and district centers."
    c = _one(_claims(nlp, text), "a third")
    assert c.of_total == 421 and c.quantity == pytest.approx(140.3)
    assert c.unit == "districts" and c.approximate
    assert "a third of 421" in c.statement
    assert "narrative" in c.claimant  # unattributed: the outlet's own claim


def test_n_of_m_provincial_capitals_and_percent(nlp) -> None:  # type: ignore[no-untyped-def]
    c = _one(_claims(nlp, "In just one week, the Taliban took control of 12 of the 34 "
                          "provincial capitals and surround Mazar-i-Sharif."), "12 of the 34")
    assert (c.quantity, c.of_total, c.unit) == (12, 34, "provincial_capitals")
    p = _one(_claims(nlp, "Hours after the US military announced it had completed “More than "
                          "90%” of its withdrawal, the Taliban entered the city."), "90%")
    assert (p.quantity, p.unit, p.of_total) == (90, "percent", 100)
    assert _is(p.claimant, "US military")


def test_two_statistics_in_one_sentence_give_two_rows(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("In one month, at least 183 civilians, including children, were killed in Lashkar "
            "Gah, Kandahar, Herat and Kunduz, and about 360,000 people fled from their homes "
            "since early 2021, according to the UN.")
    claims = _claims(nlp, text, "2021-08-13")
    units = {c.unit: c for c in claims}
    assert units["civilians_killed"].quantity == 183
    assert units["people_displaced"].quantity == 360000
    assert all(_is(c.claimant, "UN") for c in claims)


def test_two_speakers_in_one_sentence_quote_their_own_clauses(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("The Pentagon indicated that 3,000 soldiers will be deployed to Kabul in the next "
            "24-48 hours, while the British government announced the temporary dispatch of 600 "
            "soldiers.")
    claims = _claims(nlp, text, "2021-08-13")
    uk = next(c for c in claims if "British" in c.claimant)
    assert uk.quantity == 600 and "Pentagon" not in uk.quote.text
    us = next(c for c in claims if _is(c.claimant, "Pentagon"))
    assert us.quantity == 3000 and "British" not in us.quote.text


def test_as_of_is_the_date_of_the_statement(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("The White House announced on Friday that the full withdrawal of US troops would be "
            "completed by the end of August.")
    c = _one(_claims(nlp, text, "2021-07-04"), "White House")
    assert c.as_of == dt.date(2021, 7, 2)
    assert _is(c.claimant, "White House")


def test_denial_disputes_the_earlier_claim(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("According to Human Rights Watch, these would be targeted attacks against civilians. "
            "The Taliban have denied having burned down and looted the houses.")
    claims = _claims(nlp, text, "2021-07-08")
    denial = _one(claims, "denied")
    assert denial.modality == "denied" and _is(denial.claimant, "Taliban")
    hrw = _one(claims, "According to")
    assert denial.claimant in hrw.disputed_by
    assert hrw.claimant in denial.disputed_by


def test_named_person_keeps_role(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("“The enemy has suffered losses and is defeated”, Badghis Governor Hessamuddin Shams "
            "said in a text message to reporters.")
    c = _one(_claims(nlp, text, "2021-07-07"), "defeated")
    assert c.claimant.startswith("Hessamuddin Shams") and "Governor" in c.claimant


def test_plain_event_narrative_is_not_a_claim(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _claims(nlp, "Afghan forces launched a counteroffensive to retake the city.") == []


def test_seed_article_offsets_and_ids_are_stable(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (SEEDS / "004_5193f357d6e09261.txt").read_text(encoding="utf-8")
    first = _claims(nlp, text, "2021-08-13")
    again = _claims(nlp, text, "2021-08-13")
    assert [c.id for c in first] == [c.id for c in again]
    assert len({c.id for c in first}) == len(first)
    for c in first:
        assert text[c.quote.start:c.quote.end] == c.quote.text
        assert c.modality in {"claimed", "denied", "planned"}
    kandahar = _one(first, "Kandahar is completely conquered")
    assert kandahar.as_of == dt.date(2021, 8, 13)


def test_cli_claims_lists_the_ledger(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from sitrep.cli import app
    from sitrep.store import Store

    text = ("The Taliban now control about a third of the 421 districts. Afghan authorities "
            "dispute this number, officials said.")
    art = Article(id=stable_id(text), text=text, source="t.txt", wire="AFP",
                  published=dt.date(2021, 7, 4))
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        store.add_articles([art])
        store.replace_claims([art.id], extract_claims(art, nlp(text)))
    runner = CliRunner()
    res = runner.invoke(app, ["claims", "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines() if line.strip()]
    third = next(r for r in rows if r["of_total"] == 421)
    assert third["unit"] == "districts" and third["article_id"] == art.id
    assert text[third["start"]:third["end"]] == third["quote"]
    assert third["as_of"] == "2021-07-04"
    res = runner.invoke(app, ["claims", "--db", str(db), "--format", "csv"])
    assert res.exit_code == 0 and res.output.startswith("claimant,statement,quantity")
    res = runner.invoke(app, ["claims", "--db", str(db)])
    assert res.exit_code == 0 and "~140.3 of 421 districts" in res.output
    res = runner.invoke(app, ["claims", "--db", str(db), "--format", "xml"])
    assert res.exit_code == 2


def test_quotation_opened_in_previous_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    """The speaker after a two-sentence quotation is outside the quotation."""
    text = ('"Initial indications are that we killed the target. We know of no civilian '
            'casualties," Navy Captain Bill Urban, a spokesman for US Central Command, said in '
            "a statement.")
    claims = _claims(nlp, text, "2021-08-28")
    c = _one(claims, "civilian casualties")
    assert "Urban" in c.claimant


def test_statement_is_what_is_claimed_quote_keeps_attribution(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("The Taliban claim to control around 100 of the country's nearly 400 districts. "
            "The United States announced the deployment of 3,000 soldiers to evacuate its "
            "diplomatic personnel. A security source told AFP that the city also capitulated.")
    claims = _claims(nlp, text, "2021-08-13")
    taliban = _one(claims, "claim to control")
    assert taliban.statement.startswith("control around 100")
    us = _one(claims, "announced")
    assert us.statement.startswith("the deployment of 3,000 soldiers")
    told = _one(claims, "told AFP")
    assert "AFP" not in told.statement and "capitulated" in told.statement


def test_public_api_is_pinned() -> None:
    import sitrep.claims as claims

    assert sorted(claims.__all__) == ["Lexicon", "extract_claims", "find_statistics", "lexicon"]
    assert all(hasattr(claims, name) for name in claims.__all__)


def test_officials_speak_for_the_government_of_the_articles_day(nlp) -> None:  # type: ignore[no-untyped-def]
    """The claimant is resolved as of the article's day: 'officials' before the fall of
    Kabul are the Republic's, after it the Taliban's (actors.yaml timelines)."""
    text = "Local officials said the Taliban had detained 20 former soldiers in Kandahar city on Monday."
    (before,) = _claims(nlp, text, published="2021-07-04")
    (after,) = _claims(nlp, text, published="2021-10-04")
    assert before.claimant == "Government of Afghanistan (2014-2021)"
    assert after.claimant != before.claimant and "Taliban" in after.claimant
