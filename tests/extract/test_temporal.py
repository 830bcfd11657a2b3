"""Temporal grounding: news of the day or a recap (``Mention.recap``), and the recap's date.

Sentences are realistic wire phrasings written for these tests, plus real train-split
sentences read from ``../shared/dev/news`` (skipped when that directory is absent).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from sitrep.errors import ConfigError
from sitrep.extract import ExtractContext
from sitrep.extract.temporal import UNDATED_FLAG, cues, parse_cues, recap_cue
from sitrep.model import Mention
from sitrep.store import Store
from tests.extract.reading import mentions_in

ROOT = Path(__file__).resolve().parents[2]
NEWS = ROOT.parent / "shared" / "dev" / "news" / "articles"
TAKEOVER = "Non-state actor overtakes territory"
MONDAY = dt.date(2021, 8, 9)


def _mentions(nlp: Any, ctx: ExtractContext, text: str, published: dt.date | None = MONDAY) -> list[Mention]:
    return mentions_in(nlp, ctx, text, published)


def _one(mentions: list[Mention], sub_type: str = TAKEOVER, word: str = "") -> Mention:
    found = [m for m in mentions if m.sub_event_type == sub_type and word in m.trigger.text]
    assert found, [(m.sub_event_type, m.trigger.text) for m in mentions]
    return found[0]


def _first_token(nlp: Any, sentence: str, word: str) -> Any:
    return next(t for t in nlp(sentence) if t.text == word)


# ---------------------------------------------------------------- news of the day


def test_a_capture_reported_today_is_news(nlp: Any, real: ExtractContext) -> None:
    m = _one(_mentions(nlp, real, "The Taliban captured the city of Aybak in Samangan province on Monday."))
    assert m.recap is False
    assert m.date is not None and m.date.interval.start == MONDAY


def test_reported_speech_past_perfect_is_backshift_not_a_recap(nlp: Any, real: ExtractContext) -> None:
    text = "A provincial lawmaker told Reuters that the militants had captured the city of Kunduz."
    m = _one(_mentions(nlp, real, text))
    assert m.recap is False
    assert m.date is not None and m.date.interval.start == MONDAY and UNDATED_FLAG not in m.date.flags


# ---------------------------------------------------------------- recaps with their own date


def test_which_fell_on_friday_is_a_recap_dated_friday(nlp: Any, real: ExtractContext) -> None:
    text = "Residents fled Zaranj, which fell to the Taliban on Friday, towards the Iranian border."
    m = _one(_mentions(nlp, real, text), word="fell")
    assert m.recap is True
    assert m.date is not None and m.date.interval.start == dt.date(2021, 8, 6)


def test_a_recent_bombing_is_an_undated_recap(nlp: Any, real: ExtractContext) -> None:
    """'killed in a recent bombing' tells an earlier occurrence with no day of its own: the
    report's day is only an upper bound of it; 'a recent attack ... on Monday' keeps Monday."""
    text = "At least two civilians were killed in a recent bombing by the militants in Jalalabad."
    m = _one(_mentions(nlp, real, text), sub_type="Remote explosive/landmine/IED", word="bombing")
    assert m.recap is True and m.date is not None and UNDATED_FLAG in m.date.flags
    dated = "A recent attack on a checkpoint in Kandahar killed three soldiers on Monday."
    m = _one(_mentions(nlp, real, dated, dt.date(2021, 8, 11)), sub_type="Armed clash", word="attack")
    assert m.recap is True and m.date is not None and m.date.interval.start == MONDAY


def test_last_week_is_a_recap_dated_to_that_week(nlp: Any, real: ExtractContext) -> None:
    text = "Last week the Taliban seized the border crossing of Shir Khan Bandar in Kunduz province."
    m = _one(_mentions(nlp, real, text))
    assert m.recap is True
    iv = m.date.interval if m.date else None
    assert iv is not None and iv.precision == "week"
    assert (iv.start, iv.end) == (dt.date(2021, 8, 2), dt.date(2021, 8, 8))


def test_a_month_level_report_is_a_recap(nlp: Any, real: ExtractContext) -> None:
    m = _one(_mentions(nlp, real, "In July, the Taliban captured the district of Malistan in Ghazni province."))
    assert m.recap is True
    assert m.date is not None and m.date.interval.precision == "month"


def test_a_since_window_is_a_recap(nlp: Any, real: ExtractContext) -> None:
    text = "The militants have already captured the city of Sheberghan since Friday."
    m = _one(_mentions(nlp, real, text))
    assert m.recap is True
    assert m.date is not None and m.date.interval.start == dt.date(2021, 8, 6)


def test_a_long_window_on_a_noun_describes_the_place_not_the_capture(nlp: Any, ukraine: ExtractContext) -> None:
    """'on the frontline since 2014' describes the town near which the village lies: the
    capture is news of the day, not an event somewhere in 2014-2022; a window on the
    trigger's own verb still dates it."""
    day = dt.date(2022, 12, 1)
    text = ("In another part of the Donetsk region, near the town of Avdiivka on the frontline "
            "since 2014, Russian troops seized the small settlement of Vodiane.")
    m = _one(_mentions(nlp, ukraine, text, day))
    assert m.date is not None and m.date.interval.start == day and m.recap is False
    own = _one(_mentions(nlp, ukraine, "Russian forces have seized the town of Marinka since March.", day))
    assert own.date is not None and own.date.interval.start == dt.date(2022, 3, 1) and own.recap is True


# ---------------------------------------------------------------- undated recaps


def test_an_undated_past_perfect_is_a_flagged_recap(nlp: Any, real: ExtractContext) -> None:
    text = "Government forces retook Spin Boldak in Kandahar province. The Taliban had captured the district."
    m = _one(_mentions(nlp, real, text), word="captured")
    assert m.recap is True
    assert m.date is not None and UNDATED_FLAG in m.date.flags
    assert "no later than" in m.date.basis and m.date.basis.startswith("inherited")


def test_earlier_fallen_is_a_recap(nlp: Any, real: ExtractContext) -> None:
    sentence = "An important district earlier fallen to Taliban militants was retaken by the government forces."
    assert recap_cue(_first_token(nlp, sentence, "fallen")) == "adverb 'earlier'"
    assert recap_cue(_first_token(nlp, sentence.replace("earlier ", ""), "fallen")) is None
    assert recap_cue(_first_token(nlp, "Earlier in the day, the Taliban captured Farah.", "captured")) is None


def test_after_the_fall_of_is_a_time_reference(nlp: Any) -> None:
    cue = recap_cue(_first_token(nlp, "Thousands fled Kunduz after the fall of the city to the Taliban.", "fall"))
    assert cue is not None and "time reference" in cue


# ---------------------------------------------------------------- ordinal tallies


def test_the_sixth_to_fall_does_not_lend_its_window_to_the_news(nlp: Any, real: ExtractContext) -> None:
    text = ("Taliban militants have taken control of Aybak, the capital of Samangan province, "
            "the sixth to fall in the past four days, officials confirmed.")
    for m in _mentions(nlp, real, text):
        assert m.date is not None and m.date.interval.start == MONDAY == m.date.interval.end, m
    tally = recap_cue(_first_token(nlp, text, "fall"))
    assert tally is not None and tally.startswith("ordinal tally")


def test_an_undated_tally_or_time_reference_is_flagged_as_an_upper_bound(nlp: Any, real: ExtractContext) -> None:
    text = ("Aid workers returned to Zaranj, the first provincial capital to fall to the Taliban, "
            "after the fall of Kunduz.")
    recaps = [m for m in _mentions(nlp, real, text) if m.recap]
    assert recaps
    for m in recaps:
        assert m.date is not None and m.date.interval.end == MONDAY and UNDATED_FLAG in m.date.flags


def test_the_first_capital_to_be_captured_is_a_tally(nlp: Any) -> None:
    text = "The spokesman said Zaranj has become the first provincial center to be captured."
    cue = recap_cue(_first_token(nlp, text, "captured"))
    assert cue is not None and cue.startswith("ordinal tally")


# ---------------------------------------------------------------- real train-split sentences


def _news(name: str) -> tuple[str, dt.date]:
    path = NEWS / name
    if not path.exists():
        pytest.skip(f"real-news development set not present at {NEWS}")
    raw = path.read_text(encoding="utf-8")
    header, _, body = raw.partition("\n\n")
    m = re.search(r"^Date:\s*(\d{4}-\d{2}-\d{2})", header, re.M)
    assert m is not None
    return body, dt.date.fromisoformat(m[1])


def test_real_a_week_after_the_gateways_had_fallen(nlp: Any, real: ExtractContext) -> None:
    """A09: 'The militants seized control of the post a week after Afghanistan's main trade
    gateways ... in the western Herat province had fallen to the Taliban.' (Islam Qala, 8 July)"""
    body, published = _news("A09.txt")
    mentions = [m for m in _mentions(nlp, real, body, published) if "had fallen" in m.sentence.text]
    assert mentions
    for m in mentions:
        assert m.recap is True
        assert m.date is not None and m.date.interval.start == dt.date(2021, 7, 8)


def test_real_eight_days_ago_takes_its_own_day(nlp: Any, real: ExtractContext) -> None:
    """A11: 'The Surkh-o-Parsa District fell to Taliban forces about eight days ago.' A report
    dated to the day by its own words stands as a dated report (not flagged for its age)."""
    body, published = _news("A11.txt")
    (m,) = [m for m in _mentions(nlp, real, body, published) if "eight days ago" in m.sentence.text]
    assert m.recap is False
    assert m.date is not None and m.date.interval.start == published - dt.timedelta(days=8)
    assert m.date.interval.precision == "day"


# ---------------------------------------------------------------- storage and data


def test_recap_is_stored_and_reloaded(nlp: Any, real: ExtractContext, tmp_path: Path) -> None:
    text = "Residents fled Zaranj, which fell to the Taliban on Friday, towards the Iranian border."
    mentions = _mentions(nlp, real, text)
    assert any(m.recap for m in mentions)
    with Store(tmp_path / "t.duckdb") as store:
        store.replace_mentions({m.article_id for m in mentions}, mentions)
        back = {m.id: m for m in store.get_mentions()}
    for m in mentions:
        assert back[m.id].recap is m.recap
        assert back[m.id] == m


def test_the_cue_file_is_checked_on_load() -> None:
    c = cues()
    assert "earlier" in c.recap_adverbs and "after" in c.recap_prepositions
    good = {"recap_adverbs": ["earlier"], "recap_adjectives": ["recent"], "recap_prepositions": ["after"],
            "ordinal_words": ["latest"],
            "earlier_clause_marks": ["after"],
            "coarse_precisions": ["month"], "undated_recap_days": 0, "perfect_windows": ["this"],
            "before_words": ["before"], "describing_window_days": 60}
    assert parse_cues(good).undated_recap_days == 0
    for key, bad in (("recap_adverbs", []), ("recap_adverbs", ["Earlier"]), ("coarse_precisions", ["day"]),
                     ("perfect_windows", []), ("before_words", ["Before"]),
                     ("undated_recap_days", -1), ("undated_recap_days", "ninety"),
                     ("describing_window_days", 0)):
        with pytest.raises(ConfigError, match=key):
            parse_cues({**good, key: bad})
    with pytest.raises(ConfigError):
        parse_cues({k: v for k, v in good.items() if k != "ordinal_words"})


def test_a_past_relative_clause_recaps(nlp) -> None:  # type: ignore[no-untyped-def]
    """'Zaranj, which fell to the Taliban': the trigger is the relative clause's own verb (the
    check compared tokens by identity, which spaCy never gives, so it never fired)."""
    doc = nlp("Residents fled Zaranj, which fell to the Taliban, for the Iranian border.")
    fell = next(t for t in doc if t.text == "fell")
    assert recap_cue(fell) == "past relative clause ('which fell ...')"


def test_a_fall_told_in_an_after_clause_is_a_recap_bounded_by_the_report(
        nlp: Any, real: ExtractContext) -> None:
    """'reclaimed the district after it briefly fell to the Taliban, ... said today': the
    fall is the earlier change; 'today' dates the ministry's statement, so it only bounds
    the fall from above. The reclaiming is the news."""
    text = ("Afghan forces have reclaimed Sheikh Ali district of Parwan province after it briefly "
            "fell to the Taliban, the Ministry of Defense said today.")
    found = _mentions(nlp, real, text)
    fell = _one(found, word="fell")
    assert fell.recap is True
    assert fell.date is not None and UNDATED_FLAG in fell.date.flags
    back = _one(found, "Government regains territory")
    assert back.recap is False
    # a date inside the clause is the fall's own: kept, no upper-bound flag
    own = _one(_mentions(nlp, real, "Afghan forces have reclaimed Sheikh Ali district after it "
                                    "fell to the Taliban on Friday."), word="fell")
    assert own.recap is True and own.date is not None
    assert own.date.interval.start == dt.date(2021, 8, 6) and UNDATED_FLAG not in own.date.flags


def test_an_event_nouns_own_phrase_dates_it_not_another_nouns_possessive_day(
        nlp: Any, afghanistan: ExtractContext) -> None:
    """'no claim for Friday's attack in Kandahar, but IS claimed the similar bombing that
    killed scores in Kunduz a week earlier': Friday dates the Kandahar attack only; the
    Kunduz bombing is dated by its own 'a week earlier'."""
    from tests.extract.reading import mentions_in

    text = ("There was no claim of responsibility for Friday's attack in Kandahar, but Islamic State "
            "claimed the similar bombing that killed scores of worshippers in Kunduz a week earlier.")
    ms = mentions_in(nlp, afghanistan, text, dt.date(2021, 10, 16))
    kunduz = [m for m in ms if m.place and m.place.place and m.place.place.admin1 == "Kunduz"
              and "bombing" in m.trigger.text]
    assert kunduz and kunduz[0].date is not None
    assert kunduz[0].date.interval.start == dt.date(2021, 10, 8)
