"""Is this clause news, or background? Background must not become an event.

Wire stories pad every report with history ("seized power in 1996", "was killed
by a suicide bomber in 2011"), habits ("Over the years, Taliban and Afghan forces
have regularly clashed"), running tallies ("the Taliban claim to control around
100 of the country's nearly 400 districts", "in just one week have taken a third
of the 34 provincial capitals") and sweeping generalities ("Fighting has raged
in recent weeks in several Afghan provinces"). GDELT's worst reputation comes
from coding exactly these as events.

Each test looks at the trigger's own clause (relative clauses that merely
describe a participant are excluded), so "the Taliban, who since May have seized
large rural portions ..., entered Qala-i-Naw" still yields the entry:

- **historical**: a date in the clause ending before the publication year, or
  an explicit year before it;
- **habitual / cumulative**: "over the years", "for years", "regularly", "used
  to", "in recent weeks", "in (just) one week", or "since X" with a present
  perfect ("have stepped up ... since");
- **statistic**: "N of the M <units>" tallies (left to the claims extractor);
- **generic**: an indefinite plural target ("many rural areas", "several
  provinces") with no specific place and no time anchor in the clause.

A month-old but specific report ("had already briefly attempted in June to
attack Kunduz") is *not* background: it names a place and a month.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from sitrep.model import DateRef

__all__ = ["background_reason", "clause_head", "clause_tokens"]

_CLAUSE_DEPS = {"ROOT", "ccomp", "relcl", "advcl", "parataxis"}
_VERBAL_CLAUSE_DEPS = {"conj", "acl"}
_EMBEDDED = {"relcl", "ccomp", "parataxis", "acl", "conj"}

_HABITUAL = re.compile(
    r"\b(over the (past |last )?years|for (many )?years|for decades|regularly|routinely|used to|"
    r"for a long time|ha(?:ve|s|d) long|traditionally|often|usually|every year|"
    r"in recent (weeks|months|years)|in the (last|past) (weeks|months|years)|"
    r"in (just |only )?(one|a|the last|the past) (week|month)\b(?! ago)|"
    r"in previous|throughout the)",
    re.I,
)
_TALLY = re.compile(
    r"\b(\d[\d,]*|a third|a quarter|half|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve)\s+of\s+(the\s+)?([a-z’']+\s+)?(nearly\s+|about\s+|around\s+|some\s+)?\d[\d,]*\s+\w+",
    re.I,
)
_GENERIC_PLURAL = re.compile(
    r"\b(many|several|some|numerous|various|large|most|other)\s+(?:[a-z-]+\s+){0,2}"
    r"(areas|provinces|districts|cities|towns|regions|parts|portions|places|villages|territories)\b",
    re.I,
)
_TIME_ANCHOR = re.compile(
    r"\b(overnight|yesterday|today|tonight|last night|this morning|this afternoon|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"past (two|three|four|five|\d+) days)\b",
    re.I,
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def clause_head(tok: Token) -> Token:
    """The head of the clause the token belongs to (a nominal trigger climbs to its verb)."""
    t = tok
    for _ in range(40):
        if t.dep_ in _CLAUSE_DEPS or t.head is t:
            return t
        if t.dep_ in _VERBAL_CLAUSE_DEPS and t.pos_ in ("VERB", "AUX"):
            return t
        t = t.head
    return t


def clause_tokens(tok: Token) -> list[Token]:
    """The trigger's clause: its head's subtree minus embedded clauses not containing the trigger."""
    head = clause_head(tok)
    excluded: set[int] = set()
    for t in head.subtree:
        if t is head or t.i in excluded:
            continue
        is_clause = t.dep_ in ("relcl", "ccomp", "parataxis") or (
            t.dep_ in ("conj", "acl") and t.pos_ in ("VERB", "AUX")
        )
        if is_clause and not any(x.i == tok.i for x in t.subtree):
            excluded.update(x.i for x in t.subtree)
    return [t for t in head.subtree if t.i not in excluded]


def _present_perfect(tok: Token) -> bool:
    verb = tok if tok.pos_ in ("VERB", "AUX") else clause_head(tok)
    return any(c.dep_ == "aux" and c.lower_ in ("have", "has", "'ve") for c in verb.children)


def background_reason(
    trigger: Token,
    sentence: SpacySpan,
    clause_dates: list[DateRef],
    published: dt.date | None,
    has_specific_place: bool,
) -> str | None:
    """Why the trigger's clause is background (a short reason), or None if it is news."""
    toks = clause_tokens(trigger)
    if not toks:
        return None
    doc = sentence.doc
    text = doc[toks[0].i : toks[-1].i + 1].text
    clause_text = " ".join(t.text for t in toks)
    if published is not None:
        for ref in clause_dates:
            if ref.interval.end.year < published.year:
                return f"historical date {ref.interval.end.isoformat()}"
        for m in _YEAR.finditer(clause_text):
            year = int(m.group(1))
            before = clause_text[max(0, m.start() - 12) : m.start()].lower()
            if year < published.year and "since" not in before and "early" not in before:
                return f"historical year {year}"
    habit = _HABITUAL.search(clause_text)
    if habit:
        return f"habitual/cumulative '{habit.group(0)}'"
    if re.search(r"\bsince\b", clause_text, re.I) and _present_perfect(trigger):
        return "cumulative 'since' + present perfect"
    tally = _TALLY.search(text)
    if tally:
        return f"statistic '{tally.group(0)}'"
    generic = _GENERIC_PLURAL.search(clause_text)
    if generic and not has_specific_place and not _TIME_ANCHOR.search(clause_text):
        return f"generic '{generic.group(0)}'"
    return None
