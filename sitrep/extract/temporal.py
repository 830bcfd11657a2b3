"""Temporal grounding of a mention: news of the day, or a recap of an earlier occurrence?

News copy retells what happened before the day's news in almost every paragraph:
"Zaranj, which fell on Friday", "the sixth capital to fall this week", "after the fall
of Kunduz", "a district earlier fallen to the Taliban", "Last week the Taliban seized
...". Dated to the day of the report, such a recap becomes a second capture days after
the real one. :func:`ground` decides, for one trigger, whether its sentence recaps
(``Mention.recap``) and which date the recap may carry.

A mention is a **recap** when

- its clause says so grammatically (:func:`recap_cue`): a past perfect outside reported
  speech ("had fallen"; "officials said the Taliban had taken ..." is the reporting
  verb's backshift, not a recap), a past relative clause ("Zaranj, which fell ..."), an
  event noun used as a time reference ("after the fall of Kunduz"), an adverb
  ("earlier fallen", "previously captured") or an ordinal tally ("the sixth capital to
  fall", "the first provincial center to be captured");
- or its date does: it is coarse (a week, a month or a year: "Last week the Taliban
  seized ...", "In July, the Taliban took ...") or a "since" window ("have taken two
  provincial capitals since August 6").

A report dated to the day by its own words ("On July 10, the insurgents attacked ...",
"fell about eight days ago") is not flagged for its age alone: it carries its own date
and stands as a dated report. Fusion lets a recap join the known event of its place and
type whatever its date, which would fold a dated report of another day into it
(measured with the wt-fuse branch: the demo corpus lost a contested-control row).

Its date: an explicit date of its own (or the paragraph's) is kept. A recap whose only
date is the publication day keeps that day as an upper bound, flagged ``undated-recap``
(``DateRef.flags``), its basis (prefix kept: "inherited: publication date; undated
recap ...: the occurrence is no later than this"): fusion and control must read it
as "on or before", never as the day of the occurrence. ``undated_recap_days: N`` in the
data file turns it into the range ``[reference - N days, reference]`` instead (the file
says why it is 0), except for an event noun used as a time reference and an ordinal
tally, which mostly point back at the story's own event ("after the explosion"). An
ordinal tally dated only by its window ("the sixth to fall in the past four days")
reports the fall the sentence is about: it takes the narrative date, and so does a
trigger outside the tally that picked the tally's window up.

The cue words are data: ``sitrep/data/temporal_cues.yaml`` (checked on load).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spacy.tokens import Token

from sitrep.errors import ConfigError
from sitrep.model import DateInterval, DateRef
from sitrep.nlp import doc_text, subtree_indices
from sitrep.wordfile import read_yaml

__all__ = ["Cues", "bounded_before", "cues", "describes_a_noun", "ground", "recap_cue", "tense_excludes"]

_FILE = Path(__file__).resolve().parents[1] / "data" / "temporal_cues.yaml"
_PRECISIONS = {"day", "range", "week", "month", "year"}
_VERBAL = ("VERB", "AUX")
_UP_TO_VERB = {"dobj", "pobj", "prep", "nsubj", "nsubjpass", "attr", "compound", "amod", "npadvmod"}
UNDATED_FLAG = "undated-recap"


@dataclass(frozen=True, slots=True)
class Cues:
    """The checked content of ``temporal_cues.yaml``."""

    recap_adverbs: frozenset[str]
    recap_adjectives: frozenset[str]
    recap_prepositions: frozenset[str]
    earlier_clause_marks: frozenset[str]
    ordinal_words: frozenset[str]
    coarse_precisions: frozenset[str]
    undated_recap_days: int
    perfect_windows: tuple[str, ...]
    before_words: frozenset[str]
    describing_window_days: int


def parse_cues(data: Any, where: str = "temporal_cues.yaml") -> Cues:
    """Check and compile the YAML content; a missing key or a bad value raises ConfigError."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping")

    def words(key: str) -> frozenset[str]:
        value = data.get(key)
        if not isinstance(value, list) or not value or not all(
                isinstance(w, str) and w and w == w.lower().strip() for w in value):
            raise ConfigError(f"{where}: {key!r} must be a non-empty list of lower-case words")
        return frozenset(value)

    def days(key: str, low: int, high: int) -> int:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ConfigError(f"{where}: {key!r} must be a whole number of days in {low}..{high}")
        return value

    coarse = words("coarse_precisions")
    if not coarse <= _PRECISIONS - {"day"}:
        raise ConfigError(f"{where}: coarse_precisions must be among week, month, year, range")
    return Cues(
        recap_adverbs=words("recap_adverbs"),
        recap_adjectives=words("recap_adjectives"),
        recap_prepositions=words("recap_prepositions"),
        earlier_clause_marks=words("earlier_clause_marks"),
        ordinal_words=words("ordinal_words"),
        coarse_precisions=coarse,
        undated_recap_days=days("undated_recap_days", 0, 3660),
        perfect_windows=tuple(sorted(words("perfect_windows"), key=len, reverse=True)),
        before_words=words("before_words"),
        describing_window_days=days("describing_window_days", 1, 3660),
    )


@functools.cache
def cues() -> Cues:
    """The shipped cues (``sitrep/data/temporal_cues.yaml``), loaded and checked once."""
    return parse_cues(read_yaml(_FILE, "cue file"), "sitrep/data/temporal_cues.yaml")


# ---------------------------------------------------------------- grammar


def _verb(tok: Token) -> Token | None:
    """The trigger if it is a verb, else the verb a nominal trigger hangs from ('took
    control', 'the capture of X was confirmed'), within three steps."""
    t = tok
    for _ in range(4):
        if t.pos_ in _VERBAL:
            return t
        if t.dep_ not in _UP_TO_VERB or t.head == t:
            return None
        t = t.head
    return None


def _aux(verb: Token) -> list[str]:
    return [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]


def _pluperfect(verb: Token) -> bool:
    aux = _aux(verb)
    return ("had" in aux or "'d" in aux) and (verb.tag_ == "VBN" or "been" in aux)


def _present_perfect(verb: Token) -> bool:
    aux = _aux(verb)
    return verb.tag_ == "VBN" and any(a in ("has", "have", "'ve", "'s") for a in aux) and "had" not in aux


def tense_excludes(tok: Token, date: DateRef) -> bool:
    """The trigger's tense cannot take this date of its clause: a present perfect ('they have
    taken control of Panjshir') with a definite past week, month or year ('last month',
    'in July'), which the parser hung on it from another phrase. Windows up to now ('this
    month', 'since June', 'in the past week') fit a present perfect."""
    if date.span is None or date.interval.precision not in cues().coarse_precisions:
        return False
    verb = _verb(tok)
    if verb is None or not _present_perfect(verb):
        return False
    text = date.span.text.lower().lstrip()
    return not any(text.startswith(w) for w in cues().perfect_windows)


def bounded_before(tok: Token, date: DateRef | None, dates: Iterable[DateRef]) -> DateRef | None:
    """The date of a 'before ...' phrase on the trigger's verb that ends before the date the
    trigger inherited ('fought each other even before the Taliban seized control of
    Afghanistan last month', written in September): the occurrence precedes that date, the
    report's day is not its day. None when the trigger has a date of its own."""
    if date is None or not date.basis.startswith("inherited"):
        return None
    verb = _verb(tok)
    if verb is None:
        return None
    for child in verb.children:
        if not (child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in cues().before_words
                                              for m in child.children)) \
                and not (child.dep_ == "prep" and child.lower_ in cues().before_words):
            continue
        inside = set(subtree_indices(child))
        for d in dates:
            if d.span is not None and d.interval.end < date.interval.start and any(
                    t.i in inside for t in tok.sent if d.span.start <= t.idx < d.span.end):
                return d
    return None


def _backshifted(verb: Token) -> bool:
    """A reported clause ('officials said the Taliban had taken ...', '..., adding that the
    forces had withdrawn'): its past perfect is the reporting verb's tense shifted back, not
    an earlier time. Any clausal complement on the way up to the root counts."""
    v = verb
    for _ in range(8):
        if v.dep_ in ("ccomp", "xcomp") or (  # 'accusations that he had turned the city over'
                v.dep_ == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in v.children)):
            return True
        if v.head == v:
            break
        v = v.head
    return False


def _past_relative(verb: Token) -> bool:
    """'Zaranj, which fell on Friday', 'the city, which was captured ...': a relative clause
    (with its relative word, on a head in the same paragraph) in the simple past or past
    perfect; a present perfect ('a clinic that has been destroyed') is news."""
    if verb.dep_ != "relcl" or "\n\n" in doc_text(verb.doc)[min(verb.idx, verb.head.idx):max(verb.idx, verb.head.idx)]:
        return False
    if not any(t.tag_ in ("WDT", "WP", "WP$", "WRB") or t.lower_ == "that" for t in verb.children):
        return False
    aux = _aux(verb)
    return (verb.tag_ == "VBD" and not aux) or any(a in ("was", "were", "had") for a in aux)


def ordinal_tally(tok: Token) -> Token | None:
    """The verb of 'the sixth (capital) to fall' / 'the first center to be captured' when
    the trigger is it (or hangs from it, or is the ranked noun: 'capital to fall'): an
    infinitive on a noun ranked by an ordinal."""
    verb = next((c for c in tok.children if c.dep_ in ("acl", "relcl") and c.pos_ in _VERBAL),
                None) if tok.pos_ in ("NOUN", "PROPN") else None
    verb = verb or _verb(tok)
    if verb is None or verb.dep_ not in ("acl", "relcl", "xcomp"):
        return None
    if not any(c.dep_ in ("aux", "auxpass") and c.tag_ == "TO" for c in verb.children):
        return None
    head = verb.head
    words = cues().ordinal_words
    ranked = [head, *(c for c in head.children if c.dep_ in ("amod", "nummod", "compound"))]
    if any(t.ent_type_ == "ORDINAL" or t.lower_ in words for t in ranked):
        return verb
    return None


def earlier_clause(tok: Token) -> Token | None:
    """The conjunction of an 'after' clause in the past that the trigger's verb heads
    ('retook the district after it fell to the Taliban'), or None."""
    verb = _verb(tok)
    if verb is None or verb.dep_ != "advcl" or verb.tag_ not in ("VBD", "VBN"):
        return None
    return next((m for m in verb.children if m.dep_ == "mark"
                 and m.lower_ in cues().earlier_clause_marks), None)


def recap_cue(tok: Token, change: bool = False) -> str | None:
    """Why the trigger's clause recaps an earlier occurrence (a short reason), or None;
    ``change``: the trigger reports a change of control (an 'after' clause then tells an
    earlier one, see :func:`earlier_clause`)."""
    c = cues()
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "pobj" and tok.head.lower_ in c.recap_prepositions:
        return f"'{tok.head.text} the {tok.text}': an event used as a time reference"
    if tok.pos_ == "NOUN":
        adjective = next((a for a in tok.children if a.dep_ == "amod" and a.lower_ in c.recap_adjectives), None)
        if adjective is not None:  # 'in a recent bombing in Jalalabad'
            return f"adjective '{adjective.text}'"
    if ordinal_tally(tok) is not None:
        return "ordinal tally ('the sixth to fall')"
    verb = _verb(tok)
    if verb is None:
        return None
    adverb = next((a for a in verb.children if a.dep_ == "advmod" and a.lower_ in c.recap_adverbs
                   and not list(a.children)), None)  # not 'earlier in the day', 'earlier today'
    if adverb is not None:
        return f"adverb '{adverb.text}'"
    if _pluperfect(verb) and not _backshifted(verb):
        return "past perfect"
    if verb == tok and _past_relative(verb):  # not 'X, where residents reported clashes'
        return "past relative clause ('which fell ...')"
    mark = earlier_clause(tok) if change else None
    if mark is not None:
        return f"'{mark.lower_}' clause: an earlier change of hands"
    return None


# ---------------------------------------------------------------- dates


def _date_recap(date: DateRef | None, published: dt.date | None) -> bool:
    """A coarse date (week, month, year) or a 'since' window: a summary, not news of the day."""
    if date is None or published is None:
        return False
    iv = date.interval
    if iv.precision in cues().coarse_precisions and iv.start <= published:
        return True
    return date.basis.startswith("since ")  # 'have taken two capitals since August 6': a tally


def _inside(date: DateRef | None, tokens: set[int], sent_tokens: Iterable[Token]) -> bool:
    if date is None or date.span is None:
        return False
    return any(t.i in tokens for t in sent_tokens if date.span.start <= t.idx < date.span.end)


def describes_a_noun(tok: Token, date: DateRef | None) -> bool:
    """The date is a long window or an old date that hangs from a noun, not from the trigger
    nor from a noun on its way up to its verb: it describes a participant or a setting
    ('near the city of Avdiivka on the frontline since 2014, Russians seized ...'), it does
    not date the trigger. Short dates stay (the parser hangs many a day on the nearest
    noun: 'took the district of X on Monday')."""
    if date is None or date.span is None:
        return False
    iv = date.interval
    if (iv.end - iv.start).days < cues().describing_window_days:
        return False
    inside = [t for t in tok.sent if date.span.start <= t.idx < date.span.end]
    heads = [t.head for t in inside if not date.span.start <= t.head.idx < date.span.end]
    if len(heads) != 1:
        return False
    head = heads[0]
    if head.dep_ == "prep" and any(c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")
                                   for c in head.children):
        return True  # on a phrase that places something ('near the town ... | since 2014')
    path = {tok.i, *(a.i for a in tok.ancestors)}
    return head.pos_ in ("NOUN", "PROPN") and head.i not in path


def ground(tok: Token, date: DateRef | None, narrative: DateRef | None,
           published: dt.date | None, change: bool = False) -> tuple[DateRef | None, bool]:
    """(the mention's date, recap) for the trigger ``tok`` whose date was chosen as ``date``;
    ``narrative`` is the date the sentence would inherit (the paragraph's or publication's);
    ``change``: the trigger reports a change of control. A long window or an old date that
    describes a noun of the sentence (:func:`describes_a_noun`) gives way to ``narrative``.
    """
    sent = tok.sent
    if narrative is not None and describes_a_noun(tok, date):
        date = narrative
    tally = ordinal_tally(tok)
    if tally is None:  # a window picked up from another trigger's tally is not this one's date
        for other in sent:
            verb = ordinal_tally(other) if other.pos_ in _VERBAL else None
            if verb is not None and tok.i not in subtree_indices(verb) \
                    and _inside(date, set(subtree_indices(verb)), sent):
                date = narrative
                break
    cue = recap_cue(tok, change)
    clause = earlier_clause(tok) if change and cue is not None and cue.endswith("change of hands") else None
    if clause is not None and date is not None and date.span is not None \
            and not _inside(date, set(subtree_indices(clause.head)), sent):
        # the main clause's day ('reclaimed X after it fell to the Taliban, the ministry
        # said on July 17') bounds the earlier change, it does not date it
        date = replace(date, span=None, basis=f"{date.basis}; an earlier change than the main clause's")
    if tally is not None:
        if date is not None and narrative is not None and date.interval.precision == "range" \
                and date.interval.start <= narrative.interval.start <= date.interval.end:
            date = narrative  # 'the sixth to fall in the past four days': the news is the fall
    elif cue is None:
        return date, _date_recap(date, published)
    if date is None or date.span is not None or published is None:
        return date, True  # dated by its own words (or the paragraph's): keep that date
    c = cues()
    if c.undated_recap_days == 0 or tally is not None or (cue or "").startswith("'"):
        # the day it would inherit is an upper bound, flagged so that fusion and control read
        # it so ('Zaranj, the first capital to fall', 'after the fall of Kunduz': the story's
        # own event or an earlier one, on or before that day)
        # (the basis keeps its prefix: 'inherited: ...' is read by event_values and confidence)
        return replace(date, basis=f"{date.basis}; undated recap ({cue or 'ordinal tally'}): "
                                   "the occurrence is no later than this", flags=(*date.flags, UNDATED_FLAG)), True
    ref = date.interval.end
    end = ref - dt.timedelta(days=1) if cue == "past perfect" else ref
    start = ref - dt.timedelta(days=c.undated_recap_days)
    return DateRef(span=None, interval=DateInterval(start, end, "range"),
                   basis=f"undated recap ({cue}): some time before the report",
                   flags=(UNDATED_FLAG,)), True
