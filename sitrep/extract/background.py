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
from pathlib import Path

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from sitrep.errors import ConfigError
from sitrep.extract.arguments import is_nominal
from sitrep.extract.trigger_lexicon import lemma_of
from sitrep.extract.wordlists import word_list
from sitrep.model import DateRef
from sitrep.nlp import doc_text, subtree_indices
from sitrep.resolve.date_rules import MON
from sitrep.wordfile import read_yaml

__all__ = ["background_reason", "clause_head", "clause_tokens", "is_page_chrome", "load_cues"]

_CLAUSE_DEPS = {"ROOT", "ccomp", "relcl", "advcl", "parataxis"}
_VERBAL_CLAUSE_DEPS = {"conj", "acl"}
_EMBEDDED = {"relcl", "ccomp", "parataxis", "acl", "conj"}
_CUE_FILE = Path(__file__).resolve().parents[1] / "data" / "background_cues.yaml"
_WORD_LISTS = ("tally_quantities", "tally_approximators", "generic_quantifiers", "generic_places",
               "generic_exceptions", "countrywide_nouns", "time_anchors", "evaluative_predicates",
               "reference_prepositions", "campaign_nouns", "state_verbs", "back_reference_determiners",
               "chrome_separators", "example_markers", "topic_verbs", "topic_nouns", "claimed_topic_nouns", "harmed_by_verbs",
               "earlier_adverbs")
_PATTERN_LISTS = ("habitual_patterns", "tally_patterns", "time_anchor_patterns", "short_since_patterns",
                  "duration_patterns")


def load_cues(path: Path = _CUE_FILE) -> dict[str, tuple[str, ...]]:
    """The English cues of this module (``sitrep/data/background_cues.yaml``), checked:
    every list present and non-empty, lower-case words, patterns that compile."""
    data = read_yaml(path, "cue file")
    out: dict[str, tuple[str, ...]] = {}
    for key in (*_WORD_LISTS, *_PATTERN_LISTS):
        items = data.get(key)
        if not isinstance(items, list) or not items or not all(
                isinstance(x, str) and x.strip() and x == x.lower() for x in items):  # ('|' too)
            raise ConfigError(f"{path.name}: {key!r} must be a non-empty list of lower-case strings")
        if key in _PATTERN_LISTS:
            for pattern in items:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ConfigError(f"{path.name}: {key}: bad pattern {pattern!r}: {exc}") from exc
        out[key] = tuple(items)
    return out


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words)


_CUES = load_cues()
_HABITUAL = re.compile(r"\b(" + "|".join(_CUES["habitual_patterns"]) + ")", re.I)
_APPROX = "|".join(re.escape(w) + r"\s+" for w in _CUES["tally_approximators"])
_TALLY = re.compile(
    rf"\b(\d[\d,]*|{_alt(_CUES['tally_quantities'])})\s+of\s+(the\s+)?([a-z’']+\s+)?"
    rf"({_APPROX})?\d[\d,]*\s+\w+",
    re.I,
)
_TALLY_WORDS = re.compile(r"\b(" + "|".join(_CUES["tally_patterns"]) + r")\b", re.I)
_GENERIC_PLURAL = re.compile(
    rf"\b({_alt(_CUES['generic_quantifiers'])})\s+(?:[a-z-]+\s+){{0,2}}"
    rf"({_alt(_CUES['generic_places'])})\b"
    rf"(?!\s+of\s+(the\s+)?({_alt(_CUES['generic_exceptions'])}))"
    rf"|\b({_alt(_CUES['countrywide_nouns'])})\s+(across|throughout)\s+the\s+country\b",
    re.I,
)
_TIME_ANCHOR = re.compile(
    r"\b(" + "|".join([*map(re.escape, _CUES["time_anchors"]), *_CUES["time_anchor_patterns"]]) + r")\b",
    re.I,
)
_EVALUATIVE_PREDICATES = frozenset(_CUES["evaluative_predicates"])
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DURATION = re.compile(r"\b(" + "|".join(_CUES["duration_patterns"]) + ")", re.I)
_STATE_VERBS = frozenset(_CUES["state_verbs"])
_BACK_DETERMINERS = frozenset(_CUES["back_reference_determiners"])
_CHROME_SEPARATORS = _CUES["chrome_separators"]
_CHROME_MIN = 2  # separators on one line that make it a list of headlines
_TRAILING = re.compile(r"^[\s.,;:()\-–—]*(?:[A-Z][\w/]*[\s.)]*)?$")  # nothing, or a credit ('— Reuters')
#: a chronology entry opened by its day and a dash ('Aug. 14 – The Taliban seizes control of
#: Asadabad ..., Saturday afternoon'): its present tense is the timeline's, not a caption's
_CHRONOLOGY = re.compile(rf"\s*(?:{MON}\s+\d{{1,2}}|\d{{1,2}}\s+{MON})(?:,?\s+\d{{4}})?\s*[–—:-]\s", re.I)
_EXAMPLE = re.compile(r"\b(?:" + _alt(_CUES["example_markers"]) + r")\s*$", re.I)


def is_page_chrome(text: str) -> bool:
    """A line of the page around the article: a list of other stories' headlines
    ('Coronavirus News: Majority of ... | Hogan to ...: get booster shot | ...')."""
    return any(text.count(f" {sep} ") >= _CHROME_MIN for sep in _CHROME_SEPARATORS)


def clause_head(tok: Token) -> Token:
    """The head of the clause the token belongs to (a nominal trigger climbs to its verb)."""
    t = tok
    for _ in range(40):
        if t.dep_ in _CLAUSE_DEPS or t.head == t:
            return t
        if t.dep_ in _VERBAL_CLAUSE_DEPS and t.pos_ in ("VERB", "AUX"):
            return t
        t = t.head
    return t


def clause_tokens(tok: Token, narrow: bool = False) -> list[Token]:
    """The trigger's clause: its head's subtree minus embedded clauses not containing the trigger.

    ``narrow`` also removes subordinate adverbial clauses ('Since Washington began ...',
    'Hours after the US military announced ...') and a trailing participle's clause ('were
    captured, bringing the total to 37 since May 1'): their places and dates are not the event's.
    Remembered per Doc (extraction, the background test and the trigger cues ask for the
    same trigger's clause several times).
    """
    doc = tok.doc
    memo = doc.user_data.get(_CLAUSES_KEY)
    if memo is None:
        memo = doc.user_data[_CLAUSES_KEY] = {}
    key = (tok.i, narrow)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _clause_indices(tok, narrow)
    return [doc[i] for i in found]


_CLAUSES_KEY = "sitrep.clauses"


def _clause_indices(tok: Token, narrow: bool) -> tuple[int, ...]:
    """:func:`clause_tokens` as token indices. An embedded clause contains the trigger when
    it is the trigger or one of the trigger's ancestors."""
    head = clause_head(tok)
    holds_tok = {tok.i, *(a.i for a in tok.ancestors)}
    subtree = subtree_indices(head)
    doc = tok.doc
    excluded: set[int] = set()
    for i in subtree:
        if i in excluded or i == head.i:
            continue
        t = doc[i]
        is_clause = t.dep_ in ("relcl", "ccomp", "parataxis") or (
            t.dep_ in ("conj", "acl") and t.pos_ in ("VERB", "AUX")
        ) or (narrow and t.dep_ == "advcl" and (any(c.dep_ == "mark" for c in t.children)
                                               or (t.tag_ == "VBG" and t.head == head and t.i > head.i)))
        if is_clause and i not in holds_tok:
            excluded.update(subtree_indices(t))
    return tuple(i for i in subtree if i not in excluded)


def finite_clause_head(tok: Token) -> Token:
    """The nearest *finite* clause head over the trigger: an infinitive or gerund
    ('to take control of ...') shares the tense and adverbs of the clause it depends on."""
    head = clause_head(tok)
    for _ in range(6):
        non_finite = head.tag_ in ("VB", "VBG", "VBN") and not any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") and c.tag_ != "TO" for c in head.children
        )
        if not non_finite or head.dep_ == "ROOT" or head.head == head:
            break
        head = clause_head(head.head)
    return head


_SHORT_SINCE = re.compile(r"\bsince\s+(" + "|".join(_CUES["short_since_patterns"]) + r")\b", re.I)


def _long_since(text: str, clause_dates: list[DateRef], published: dt.date | None) -> bool:
    """'since May', 'since mid-April' (a running tally), but not 'since Friday' / 'since last
    week' (a recent window that reports fresh events)."""
    if not re.search(r"\bsince\b", text, re.I) or _SHORT_SINCE.search(text):
        return False
    if published is not None:
        for ref in clause_dates:
            if ref.span is not None and ref.span.text.lower().startswith("since"):
                return (published - ref.interval.start).days > 10
    return True


def _counted_events(trigger: Token) -> bool:
    """A plural event noun with a number or a vague quantifier ('several attacks', 'three
    bombings', 'numerous airstrikes'): many occurrences, wherever they are placed."""
    return trigger.tag_ == "NNS" and any(
        c.dep_ == "nummod" or (c.dep_ in ("amod", "det") and c.lower_ in _QUANTIFIERS) for c in trigger.children)


def _own_dates(clause_dates: list[DateRef]) -> list[DateRef]:
    """Dates of the clause that are not the 'since ...' window itself."""
    return [d for d in clause_dates if d.span is None or not d.span.text.lower().startswith("since")]


_QUANTIFIERS = word_list("count_quantifiers")
_REFERENCE_PREPS = frozenset(_CUES["reference_prepositions"])
_HARMED_BY = frozenset(_CUES["harmed_by_verbs"])
_CAMPAIGN_NOUNS = frozenset(_CUES["campaign_nouns"])


def _backreference(trigger: Token, has_specific_place: bool) -> str | None:
    """A nominal trigger that only points at fighting told elsewhere: 'fled during the
    fighting', 'displaced by the fighting' (not an indefinite one, which introduces an event:
    'killed during a US-backed airstrike'), or a campaign-level noun ('their offensive',
    'the insurgents' advance') with no place of its own."""
    if not is_nominal(trigger):
        return None
    prep = trigger.head
    # ('killed by a roadside bomb' introduces the bombing; 'followed by a gun battle', 'backed
    # by air strikes', 'detonated by a suicide bomber' tell a part of an event told with them)
    introduced = _introduced(trigger) and (prep.lower_ != "by" or prep.head.lemma_.lower() in _HARMED_BY)
    if trigger.dep_ == "pobj" and prep.lower_ in _REFERENCE_PREPS and not introduced \
            and (prep.lower_ != "by" or prep.dep_ == "agent"):
        # a place in the clause belongs to the main verb ('fled to Herat during the fighting')
        return f"'{prep.text} the {trigger.text}' refers to fighting told elsewhere"
    if has_specific_place:
        return None
    if trigger.lemma_.lower() in _CAMPAIGN_NOUNS:
        return f"campaign-level '{trigger.text}' without a place"
    return None


def _introduced(noun: Token) -> bool:
    """The event noun introduces an occurrence rather than pointing back at one: an
    indefinite article ('killed during a US-backed airstrike', 'damaged by a Russian
    airstrike', 'killed by a roadside bomb': the casualties are that event's, so the event is
    this sentence's news) or a bare plural ('wounded during battles in the city'); 'the
    fighting', 'their attacks' or a bare mass noun ('fled amid fighting') refer to fighting
    told elsewhere or going on."""
    dets = [c for c in noun.children if c.dep_ in ("det", "poss", "predet")]
    if any(c.lower_ in ("a", "an") for c in dets):
        return True
    return not dets and noun.tag_ == "NNS"


def _generic_present(trigger: Token, clause_dates: list[DateRef]) -> bool:
    """News reports events in the past or perfect; a simple-present event verb ('the Taliban
    attack civilians they accuse', 'they besiege Lashkar Gah') states a habit or a
    situation. Headlines (the first line) use the present for past events and are exempt."""
    if trigger.tag_ not in ("VBP", "VBZ") or clause_dates:
        return False
    if trigger.lemma_.lower() == trigger.lower_ and lemma_of(trigger) != trigger.lower_:
        return False  # a form the tagger does not know ('retook', 'overran'): no tense to read
    if any(c.dep_ in ("aux", "auxpass") for c in trigger.children):
        return False
    doc = trigger.doc
    first_line_end = doc_text(doc).find("\n")
    return not (first_line_end < 0 or trigger.idx < first_line_end)


def _evaluative_reference(trigger: Token, has_specific_place: bool, clause_dates: list[DateRef]) -> bool:
    """'The fighting has caused significant displacement', 'the offensive also affected
    neighboring provinces': a definite event noun as the subject of a predicate that
    evaluates it refers back to an event, it does not report one (unless a place or date
    in the clause makes it a report)."""
    if not is_nominal(trigger) or has_specific_place or clause_dates:
        return False
    tok = trigger
    for _ in range(3):
        if tok.dep_ == "nsubj":
            break
        if tok.dep_ in ("pobj", "prep") and tok.head != tok:
            tok = tok.head
            continue
        return False
    else:
        return False
    definite = any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "these", "their",
                                                              "its", "his", "her", "our")
                   for c in tok.children)
    return definite and tok.head.lemma_.lower() in _EVALUATIVE_PREDICATES


def _state_reason(trigger: Token) -> str | None:
    """A situation rather than an occurrence: 'remains under a three-month Taliban attack'
    (an event noun after 'under' with a verb of staying in a state; a verb of entering it,
    'came under attack', reports one), or an event lasting months ('had been under siege for
    three years', 'a three-month siege', 'have been fighting for months')."""
    if is_nominal(trigger):
        before = trigger.doc[trigger.left_edge.i : trigger.i].text
        if _DURATION.search(before):
            return f"a campaign lasting months ('{before.strip()} {trigger.text}')"
        prep = trigger.head
        if trigger.dep_ == "pobj" and prep.lower_ == "under" and prep.head.lemma_.lower() in _STATE_VERBS:
            return f"a state ('{prep.head.text} under {trigger.text}'), not an occurrence"
    for verb in {trigger, clause_head(trigger)}:  # 'had been under siege for three years'
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ == "for":
                phrase = " ".join(t.text for t in prep.subtree)
                if _DURATION.search(phrase):
                    return f"a state or campaign lasting '{phrase}'"
    return None


def _back_reference(trigger: Token) -> str | None:
    """'Amnesty International has deemed these killings war crimes', 'such cold-blooded
    executions underline ...', 'Jalalabad has become the centre of this fight': an event
    noun with a demonstrative points back at events told elsewhere; with no place or date
    of its own (in its phrase: 'these attacks in Kunduz on Monday') it reports nothing new."""
    if not is_nominal(trigger):
        return None
    det = next((c for c in trigger.children if c.dep_ in ("det", "predet", "amod")
                and c.lower_ in _BACK_DETERMINERS), None)
    if det is None or _anchored(trigger):  # (the determiner first: it is rare, the phrase long)
        return None
    return f"'{det.text} {trigger.text}' points back at events told elsewhere"


_TOPIC_VERBS = frozenset(_CUES["topic_verbs"])
_TOPIC_NOUNS = frozenset(_CUES["topic_nouns"])
_EARLIER = frozenset(_CUES["earlier_adverbs"])
_CLAIMED_NOUNS = frozenset(_CUES["claimed_topic_nouns"])
_OWN_ANCHORS = ("GPE", "LOC", "FAC", "DATE", "TIME")


def _anchored(noun: Token) -> bool:
    """The event noun's own phrase names a place or a time ('the attack in Kunduz on Friday')."""
    doc = noun.doc
    return any(doc[i].ent_type_ in _OWN_ANCHORS for i in subtree_indices(noun))


def _talked_about(trigger: Token) -> str | None:
    """'Taliban spokesman confirmed the attack', 'no one has claimed responsibility for the
    killings', 'has not issued a statement on the firing incident in Jalalabad': a definite
    event noun that a verb of confirming, claiming or condemning takes as its topic
    (directly, or through 'responsibility for') points back at an event told elsewhere
    unless the noun carries a place or a date of its own ('claimed responsibility for the
    attack in Kunduz on Friday'); one that is the topic of a statement, a comment or an
    investigation ('a statement on the incident in X') always does."""
    noun = trigger.head if trigger.dep_ == "compound" else trigger  # 'the firing incident'
    if not is_nominal(trigger) or not any(
            (c.dep_ == "det" and c.lower_ == "the") or c.dep_ == "poss" for c in noun.children):
        return None
    anchored = _anchored(noun)
    tok = noun
    for _ in range(3):
        head = tok.head
        if tok.dep_ in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
            return f"'{head.text} the {trigger.text}' talks about an event told elsewhere" \
                if head.lemma_.lower() in _TOPIC_VERBS and not anchored else None
        if tok.dep_ != "pobj" or head.dep_ != "prep":
            return None
        owner = head.head
        topic_noun = owner.pos_ == "NOUN" and owner.lemma_.lower() in _TOPIC_NOUNS
        if (topic_noun and not (anchored and owner.lemma_.lower() in _CLAIMED_NOUNS)) or (
                owner.pos_ in ("VERB", "AUX") and owner.lemma_.lower() in _TOPIC_VERBS and not anchored):
            return f"'{owner.text} {head.text} the {trigger.text}' talks about an event told elsewhere"
        if topic_noun:
            return None
        tok = owner
    return None


def _told_as_earlier(trigger: Token, clause_dates: list[DateRef]) -> str | None:
    """'former Northern Alliance fighters who previously battled the Taliban', 'Previously,
    officials said several hideouts were destroyed': an adverb placing the clause (or the
    statement that reports it) before the story's time, with no day of its own, tells an
    undated earlier occurrence."""
    if any(d.interval.precision == "day" for d in _own_dates(clause_dates)):
        return None
    heads = [trigger, clause_head(trigger)]
    while heads[-1].dep_ in ("ccomp", "xcomp") and heads[-1].head != heads[-1]:
        heads.append(clause_head(heads[-1].head))  # 'Previously, officials said that ...'
    for head in heads:
        adverb = next((c for c in head.children if c.dep_ == "advmod" and c.lower_ in _EARLIER), None)
        if adverb is not None:
            return f"an undated earlier occurrence ('{adverb.text}')"
    return None


def _kind_named(trigger: Token) -> bool:
    """'tactics such as roadside bombings and assassinations': a bare plural event noun given
    as an example (no determiner, number or place of its own) names a kind of event."""
    if trigger.tag_ != "NNS" or any(c.dep_ in ("det", "poss", "nummod") for c in trigger.children):
        return False
    first = trigger
    while first.dep_ == "conj" and first.head != first:  # '... and assassinations'
        first = first.head
    return bool(_EXAMPLE.search(doc_text(trigger.doc)[max(0, first.left_edge.idx - 20) : first.left_edge.idx]))


def _caption_present(trigger: Token, clause_dates: list[DateRef], published: dt.date | None) -> bool:
    """'Afghan Commando forces armoured convoy leaves toward the front line, at the Ghorband
    District ... June 29': a present-tense clause ending on a past day (a photo credit may
    follow) is a photo caption (news prose tells a dated past in the past tense; a headline
    is the first line; 'X comes two days after Y' dates Y, not a picture)."""
    head = finite_clause_head(trigger)
    if head.tag_ not in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") for c in head.children):
        return False
    text = doc_text(head.doc)
    first_line_end = text.find("\n")
    if first_line_end < 0 or head.idx < first_line_end \
            or _CHRONOLOGY.match(text, max(text.rfind("\n", 0, head.idx) + 1, trigger.sent.start_char)):
        return False
    end = trigger.sent.end_char
    return any(d.interval.precision == "day" and d.span is not None and d.span.start > head.idx
               and "dates-complement-event" not in d.flags and _TRAILING.match(text[d.span.end : end])
               and (published is None or d.interval.end < published) for d in clause_dates)


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
    clause_text = " ".join(t.text for t in toks)
    finite = finite_clause_head(trigger)
    wide = clause_tokens(finite) if finite is not clause_head(trigger) else toks
    wide_text = " ".join(t.text for t in wide)
    head = clause_head(trigger)
    if head.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since" for c in head.children) \
            and not (head == trigger and any(d.interval.precision == "day" for d in _own_dates(clause_dates))):
        # (the clause's own verb with a day of its own is a dated recap: 'since the Ukrainians
        # retook it on Saturday'; not a trigger inside it: 'since the pullout began on May 1')
        return "'since' clause (a time reference, not the news)"
    if published is not None:
        for ref in clause_dates:
            if ref.interval.end.year < published.year:
                return f"historical date {ref.interval.end.isoformat()}"
        for m in _YEAR.finditer(clause_text):
            year = int(m.group(1))
            before = clause_text[max(0, m.start() - 12) : m.start()].lower()
            if year < published.year and "since" not in before and "early" not in before:
                return f"historical year {year}"
    if head.dep_ == "conj" and head.head != head:
        # adverbials of the first conjunct distribute: 'In one month, X were killed ... and Y fled'
        wide_text += " " + " ".join(t.text for t in clause_tokens(head.head))
    habit = _HABITUAL.search(wide_text)
    if habit:
        return f"habitual/cumulative '{habit.group(0)}'"
    state = _state_reason(trigger)
    if state:
        return state
    if _caption_present(trigger, clause_dates, published):
        return "present tense with a past day after it (a photo caption)"
    if (not has_specific_place or _counted_events(trigger)) and _long_since(
            wide_text, clause_dates, published) and not _own_dates(clause_dates):
        return "cumulative 'since ...'"  # 'since the withdrawal, it has claimed several attacks in Kabul'
    sent_start = sentence[0] if len(sentence) else trigger
    if head.dep_ == "advcl" and sent_start.lower_ == "since" and head.i < head.head.i:
        return "clause dating another time ('Since May, when ... began, ...')"
    if head.dep_ == "relcl" and head.head.head.lower_ == "since":
        return "clause dating another time ('Since May, when ... began')"
    if _generic_present(trigger, clause_dates):
        return "simple present outside the headline (a habit or a state, not a report)"
    backref = _backreference(trigger, has_specific_place)
    if backref:
        return backref
    if _evaluative_reference(trigger, has_specific_place, clause_dates):
        return "evaluative reference to an event reported elsewhere"
    pointer = _back_reference(trigger) or _talked_about(trigger) \
        or _told_as_earlier(trigger, clause_dates)
    if pointer:
        return pointer
    if not has_specific_place and _kind_named(trigger):
        return f"a kind of event given as an example ('{trigger.text}')"
    tally_text = clause_text
    if head.dep_ == "acl":  # 'the number of provincial capitals captured by the Taliban'
        tally_text += " " + " ".join(t.text for t in clause_tokens(head.head))
    tally = _TALLY.search(clause_text) or _TALLY_WORDS.search(tally_text)
    if tally:
        return f"statistic '{tally.group(0)}'"
    generic = _GENERIC_PLURAL.search(clause_text)
    if generic and not has_specific_place and not _TIME_ANCHOR.search(clause_text):
        return f"generic '{generic.group(0)}'"
    return None
