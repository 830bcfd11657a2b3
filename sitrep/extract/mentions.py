"""Sentence loop: every event report in an article becomes one typed, resolved Mention.

For each sentence the trigger lexicon proposes event types; each trigger then
gets its arguments from the parse (:mod:`.arguments`), its place and date from
the resolvers, its numbers (:mod:`.numbers`), its modality and speaker
(:mod:`.modality`); clauses that are history, habit, tallies or generalities
are dropped (:mod:`.background`).

Narrative state is carried sentence to sentence the way a reader does:

- **date**: a sentence without a date expression inherits the paragraph's last
  explicit date, else the publication date (``basis`` starts with "inherited";
  the mention's confidence is lower);
- **actor**: "they", "the group", "the insurgents" take the previous mention's
  actor1, else the article's main actor (the actor named in the title/lead);
- **place**: "the city", "the area" or no place at all take the previous
  mention's place in the paragraph, else the article's focus place (title/lead).

Offsets: the Doc was parsed from ``article.text``, so Doc char offsets are
article offsets; every Span built here uses them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitrep.extract.arguments import (
    bare_units,
    counted_units,
    event_token,
    failed_to,
    fighting_as_topic,
    find_actors,
    harm_caused_by_event,
    is_caption,
    is_nominal,
    nationwide,
    referred_units,
    trigger_token,
)
from sitrep.extract.background import background_reason, clause_tokens, is_page_chrome
from sitrep.extract.context import ExtractContext, ResolveActor, TriggerLike
from sitrep.extract.location import (
    LOCATION_LABELS,
    WEAK_PLACE_KINDS,
    article_focus,
    listed_provinces,
    names_a_place,
    place_for,
    refers_to_the_city,
    units_named_before,
    units_named_next,
)
from sitrep.extract.modality import attribution_for, is_party_speaker, modality_for
from sitrep.extract.numbers import extract_numbers
from sitrep.extract.temporal import bounded_before, ground, tense_excludes
from sitrep.extract.trigger_lexicon import load_lexicon
from sitrep.extract.wordlists import word_list
from sitrep.lexicon import reporting_verbs
from sitrep.model import (
    NAMED_BEFORE,
    TOWN_KINDS,
    Actor,
    ActorRef,
    Article,
    DateInterval,
    DateRef,
    Mention,
    Place,
    PlaceRef,
    Span,
    stable_id,
    within,
)
from sitrep.nlp import ents_in, span_text, subtree_indices
from sitrep.ontology import (
    FOREIGN_FORCES,
    GAINS_AS_NON_STATE,
    OVERTAKES,
    REGAINS,
    STATE_FORCES,
    TRANSFER,
    load_occurrence,
)
from sitrep.ontology import TERRITORIAL as ALL_TERRITORIAL
from sitrep.profile import active_profile
from sitrep.resolve.dates import ANCHORED_FLAG, is_historical, resolve_date

__all__ = ["TriggerDecision", "explain_mentions", "extract_mentions"]

_REMOTE_VIOLENCE = {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade",
                    "Shelling/artillery/missile attack"}
#: the territorial changes a rebel makes (a regain is the government's)
TERRITORIAL = ALL_TERRITORIAL - {REGAINS}
_CHANGES = ALL_TERRITORIAL
#: the sub-types named by their means, whose casualties are their toll
_MEANS = frozenset(_REMOTE_VIOLENCE | {"Air/drone strike"})
_HARM_VERBS = word_list("harm_verbs")
_TALLY = "a tally of unnamed units"
_SUMMARY_PROVINCES = 3  # a list of this many provinces and no day is a summary, not an event
_NARRATIVE_WINDOW = 4  # sentences a place named by a mention stays the story's place
_MAX_SENTENCE_CHARS = 2000  # longer "sentences" are run-on chrome or tables: parse-split them
_CLAIM_SPEECH = reporting_verbs("party_claim")  # a party saying its own deed makes it claimed
_ACTOR_LABELS = ("ORG", "NORP", "PERSON")
_SINCE_BEFORE = re.compile(r"\bsince\s+$", re.I)
_LOSER_NOUNS = word_list("loser_nouns")
_COUNTRY_NOUNS = word_list("country_nouns")
_ESCAPE_VERBS = word_list("escape_verbs")
_CIVILIAN_NOUNS = word_list("civilian_nouns")
_PEOPLE_COUNTS = word_list("people_counts")
_PERIOD_WORDS = word_list("period_words")
_SERIES_NOUNS = word_list("series_nouns")
_MODALITY_WEIGHT = {"asserted": 0.15, "claimed": 0.08, "denied": 0.05}  # in a mention's confidence


@dataclass(slots=True)
class _State:
    """What a reader remembers from the sentences already read."""

    main_actor: ActorRef | None = None
    actor: ActorRef | None = None
    place: PlaceRef | None = None
    place_age: int = 99
    city: PlaceRef | None = None  # the town 'the city' refers back to
    focus_place: PlaceRef | None = None
    date: DateRef | None = None
    story_day: dt.date | None = None  # the last explicit day told of, across paragraphs
    speaker: str | None = None
    paragraph_start: int = -1
    article_places: tuple[Place, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class TriggerDecision:
    """Why a trigger did or did not become a mention (for evaluation and debugging)."""

    sentence: Span
    trigger: Span
    sub_event_type: str
    kept: bool
    reason: str


def extract_mentions(article: Article, doc: Doc, context: ExtractContext | None = None) -> list[Mention]:
    """The event mentions of one article (background and historical sentences yield none).

    ``doc`` must be the parse of ``article.text``. Empty or non-English articles
    give an empty list; unresolvable places keep their raw span with ``place=None``.
    """
    return _run(article, doc, context, None)


def explain_mentions(article: Article, doc: Doc, context: ExtractContext | None = None) -> list[TriggerDecision]:
    """Every trigger the lexicon proposed in the article and what became of it."""
    trace: list[TriggerDecision] = []
    _run(article, doc, context, trace)
    return trace


def _run(article: Article, doc: Doc, context: ExtractContext | None,
         trace: list[TriggerDecision] | None) -> list[Mention]:
    if not article.text.strip() or len(doc) == 0:
        return []
    if article.language and not article.language.lower().startswith("en"):
        return []
    ctx = (context or ExtractContext.default()).with_abbreviations(article.text, article.published)
    state = _initial_state(article, doc, ctx)
    place_ctx = ctx.make_place_context(state.article_places) if ctx.make_place_context else None
    mentions: list[Mention] = []
    for sent in _sentences(doc):
        if len(sent.text.strip()) < 4:
            continue
        _new_paragraph(sent, state, article)
        chrome = is_page_chrome(sent.text)
        if chrome or is_caption(sent):
            if trace is not None:
                trace.extend(TriggerDecision(
                    Span(sent.start_char, sent.end_char, sent.text),
                    Span(t.start_char, t.end_char, article.text[t.start_char : t.end_char]),
                    t.sub_event_type, False, "page chrome (other stories' headlines)" if chrome
                    else "photo caption") for t in ctx.match_triggers(sent))
            continue
        dates = _sentence_dates(sent, article, ctx, state.story_day)
        produced: list[Mention] = []
        splits: dict[str, list[Mention]] = {}
        reasons: list[str] = []
        for trig in ctx.match_triggers(sent):
            found, reason = _mention_for(article, sent, trig, dates, state, ctx, place_ctx)
            reasons.append(reason)
            if found:
                produced.append(found[0])
                splits[found[0].id] = found[1:]
            if trace is not None:
                trace.append(TriggerDecision(
                    Span(sent.start_char, sent.end_char, sent.text),
                    Span(trig.start_char, trig.end_char, article.text[trig.start_char : trig.end_char]),
                    trig.sub_event_type, bool(found), reason))
        if any(r.startswith(_TALLY) for r in reasons):  # 'retook three districts after days of
            produced = [m for m in produced  # fighting': the fighting is no more specific
                        if m.sub_event_type != "Armed clash" or _own_place(m, sent)]
        kept = _select(produced, sent)
        if trace is not None:
            dropped = {m.id for m in produced} - {m.id for m in kept}
            tolls = {m.id for m in produced if _toll_of_another(m, produced, sent)}
            for i, d in enumerate(trace):
                key = stable_id(article.id, d.trigger.start, d.sub_event_type)
                if d.kept and key in dropped:
                    trace[i] = TriggerDecision(d.sentence, d.trigger, d.sub_event_type, False,
                                               "the toll of another event of the sentence" if key in tolls
                                               else "merged with a stronger trigger in the sentence")
        produced = [x for m in kept for x in (m, *splits.get(m.id, []))]
        mentions.extend(produced)
        _remember(sent, dates, produced, state, ctx, article)
    return mentions


def _sentences(doc: Doc) -> list[SpacySpan]:
    """Sentences, split at blank lines (the parser sometimes runs a heading into the next
    paragraph) and at line breaks or every 200 tokens inside a very long run-on block."""
    out: list[SpacySpan] = []
    for sent in doc.sents:
        long = len(sent.text) > _MAX_SENTENCE_CHARS
        start = sent.start
        for tok in sent:
            if tok.i == start:
                continue
            brk = tok.is_space and tok.text.count("\n") >= 2
            if brk or (long and ("\n" in tok.text or tok.i - start >= 200)):
                out.append(doc[start : tok.i])
                start = tok.i
        out.append(doc[start : sent.end])
    return [_trim(s) for s in out if s.text.strip()]


def _trim(span: SpacySpan) -> SpacySpan:
    """Drop leading/trailing whitespace tokens so the sentence offsets cover text only."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_space:
        start += 1
    while end > start and span.doc[end - 1].is_space:
        end -= 1
    return span.doc[start:end]


def _initial_state(article: Article, doc: Doc, ctx: ExtractContext) -> _State:
    """Main actor from the title and the lead; focus place = the place named most often."""
    state = _State()
    lead = list(doc.sents)[:3]
    actors: Counter[str] = Counter()
    refs: dict[str, ActorRef] = {}
    for sent in lead:
        for ent in ents_in(sent):
            if ent.label_ in _ACTOR_LABELS:
                actor = _resolver(ctx, article.published)(ent.text)
                if actor is not None:
                    actors[actor.id] += 1
                    refs.setdefault(actor.id, ActorRef(Span(ent.start_char, ent.end_char, ent.text), actor))
    if actors:
        state.main_actor = refs[actors.most_common(1)[0][0]]
    state.focus_place, state.article_places = article_focus(doc, ctx.resolve_place)
    if article.published is not None:
        state.date = _published_ref(article)
    return state


def _resolver(ctx: ExtractContext, on: dt.date | None) -> ResolveActor:
    """The actor resolver as of the day ``on`` (the plain one when the context has none)."""
    return ctx.resolve_actor_on(on) if ctx.resolve_actor_on is not None else ctx.resolve_actor


def _published_ref(article: Article) -> DateRef | None:
    if article.published is None:
        return None
    interval = DateInterval(article.published, article.published, "day")
    return DateRef(span=None, interval=interval, basis="inherited: publication date")


def _new_paragraph(sent: SpacySpan, state: _State, article: Article) -> None:
    """A blank line starts a paragraph: the narrative date falls back to the publication date
    (wire paragraphs are often one sentence, so the narrative place is kept)."""
    before = article.text[max(0, sent.start_char - 3) : sent.start_char]
    if "\n\n" in before or "\n \n" in before:
        state.date = _published_ref(article)


def _sentence_dates(sent: SpacySpan, article: Article, ctx: ExtractContext,
                    story_day: dt.date | None) -> list[DateRef]:
    """Resolved date expressions of the sentence, with article-offset spans ('the same day'
    with no other date in its sentence refers back to ``story_day``)."""
    refs: list[DateRef] = []
    sent_text = span_text(sent)
    for start, end in ctx.find_date_expressions(sent_text):
        text = sent_text[start:end]
        since = _SINCE_BEFORE.search(sent_text[max(0, start - 7) : start])
        if since is not None and not text.lower().startswith("since"):
            # 'Since Friday the Taliban have captured A, B, C': a window up to the reference
            # day, not the day itself (the finder leaves 'since' out of a bare weekday)
            start -= len(since.group(0))
            text = sent_text[start:end]
        a, b = sent.start_char + start, sent.start_char + end
        context = sent_text
        if since is None and not text.lower().startswith("since") and _under_since(sent, a):
            # 'Since the beginning of the withdrawal on May 1, ten districts have fallen':
            # the date opens a window up to the reference day (the sentence is left out: its
            # only date is this one, which must not close the window too)
            text, context = f"since {text}", ""
        ref = ctx.resolve_date(text, article.published, sentence=context, story_day=story_day)
        if ref is None:
            continue
        refs.append(DateRef(span=Span(a, b, article.text[a:b]), interval=ref.interval,
                            basis=ref.basis, flags=ref.flags))
    return refs


def _under_since(sent: SpacySpan, char: int) -> bool:
    """The date at ``char`` hangs (within its phrase) from a 'since' that opens the sentence's
    time window ('Since the beginning of the official withdrawal on May 1, ...')."""
    i = _token_at(sent, char)
    if i < 0:
        return False
    for a in sent.doc[i].ancestors:
        if a.lower_ == "since" and a.dep_ in ("prep", "mark"):
            return True
        if a.pos_ in ("VERB", "AUX") and a.dep_ not in ("acl", "pcomp"):
            return False
    return False


def _select(mentions: list[Mention], sent: SpacySpan) -> list[Mention]:
    """One mention per sub-event type per sentence (highest confidence, then earliest);
    fighting reported with a takeover in the same sentence is that takeover (ACLED)."""
    mentions = [_agreed(m, mentions) for m in mentions if not _toll_of_another(m, mentions, sent)]
    taken = [m for m in mentions if m.sub_event_type in TERRITORIAL and m.modality in ("asserted", "claimed")]
    if taken:  # ... unless the fighting is elsewhere: 'captured Imam Sahib ... and are besieging Kunduz'
        held = {_place_id(m) for m in taken}
        mentions = [m for m in mentions if m.sub_event_type != "Armed clash"
                    or (_place_id(m) is not None and _place_id(m) not in held
                        and _fighters_named(m, sent)
                        and not any(_within(m, t) or _subordinate(m, t, sent) for t in taken))]
        # 'the security forces laid down their weapons and the Taliban entered the city',
        # 'fell after elders negotiated the surrender': the deal is how the place changed
        # hands, part of that transfer (talks held elsewhere keep their own place)
        mentions = [m for m in mentions if m.sub_event_type != "Agreement"
                    or not any(_same_occurrence(m, t) for t in taken)]
    by_span: dict[tuple[int, int], Mention] = {}
    for m in mentions:  # one reading per trigger span: the typing's alternatives compete
        key = (m.trigger.start, m.trigger.end)
        if key not in by_span or m.confidence > by_span[key].confidence:
            by_span[key] = m
    mentions = [m for m in mentions if by_span[(m.trigger.start, m.trigger.end)] is m]
    best: dict[tuple[str, str | None], Mention] = {}
    for m in mentions:
        reading = (m.sub_event_type, _own_unit(m, mentions, sent))
        cur = best.get(reading)
        if cur is None or (m.confidence, -m.trigger.start) > (cur.confidence, -cur.trigger.start):
            best[reading] = m
    return sorted(best.values(), key=lambda m: m.trigger.start)


def _toll_of_another(m: Mention, mentions: list[Mention], sent: SpacySpan) -> bool:
    """Casualties told as the toll of another event of the sentence, not an attack or a
    clash of their own (ACLED codes the occurrence once, with its fatalities):

    - a participle clause of a verb whose subject is a blast, a shell or a strike ('a
      powerful blast hit the province on Wednesday, killing at least seven people and
      injuring six');
    - a 'with N killed' phrase on the verb of a clash or a strike ('Taliban forces clashed
      with militia fighters on Monday night, with at least seven killed')."""
    if m.sub_event_type not in ("Attack", "Armed clash"):
        return False
    tok = trigger_token(sent, m.trigger.start, m.trigger.end)
    if tok.lemma_.lower() not in _HARM_VERBS:
        return False
    while tok.dep_ == "conj" and tok.head.lemma_.lower() in _HARM_VERBS:  # 'killing seven and injuring six'
        tok = tok.head

    def tokens(types: frozenset[str]) -> set[int]:
        return {trigger_token(sent, o.trigger.start, o.trigger.end).i for o in mentions
                if o is not m and o.sub_event_type in types}

    if tok.dep_ in ("pcomp", "pobj") and tok.head.lower_ == "with":
        return tok.head.head.i in tokens(_MEANS | {"Armed clash"})
    if tok.dep_ != "advcl" or tok.tag_ != "VBG":
        return False
    means = tokens(_MEANS)
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.i in means for c in tok.head.children)


def _own_unit(m: Mention, mentions: list[Mention], sent: SpacySpan) -> str | None:
    """The place that sets ``m`` apart from the sentence's other triggers of its type: its own
    place when two triggers of the type name different, unrelated places of the sentence
    ('took Sheberghan on Saturday, a day after Zaranj, which fell on Friday' reports two
    falls), else None (two words for one occurrence: 'seized ... and took control').
    Other events are told apart so only when each trigger holds its place in its own phrase
    ('shelling killed two civilians in Bakhmut, injured six in Sviatohirsk'): a place
    elsewhere in the sentence may be either trigger's."""
    def placed(x: Mention) -> bool:
        return _own_place(x, sent) and (x.sub_event_type in _CHANGES or (
            x.place is not None and _in_trigger_phrase(x.place.span.start, x.trigger.start, sent)))

    if not placed(m):
        return None
    others = [o for o in mentions if o is not m and o.sub_event_type == m.sub_event_type
              and placed(o) and o.trigger.start != m.trigger.start]
    if not others or any(_place_id(o) == _place_id(m) or _within(o, m) for o in others):
        return None
    return _place_id(m)


def _agreed(m: Mention, mentions: list[Mention]) -> Mention:
    """A handover the sentence's deal settles ('had agreed a ceasefire with the insurgents
    and would be evacuated from the city') is reported as firmly as the deal: the agreement
    is how the place changed hands."""
    if m.sub_event_type != TRANSFER or m.modality not in ("planned", "hypothetical"):
        return m
    deal = next((a for a in mentions if a.sub_event_type == "Agreement"
                 and a.modality in ("asserted", "claimed") and _same_occurrence(a, m)), None)
    if deal is None:
        return m
    firmer = _MODALITY_WEIGHT.get(deal.modality, 0.0) - _MODALITY_WEIGHT.get(m.modality, 0.0)
    return replace(m, modality=deal.modality, confidence=round(min(0.99, m.confidence + firmer), 3))


def _unambiguous_town(text: str, town: Place, ctx: ExtractContext) -> bool:
    """A town whose name is also its province's is that province's capital ('Kunduz'), or
    the name means the province ('the southern province of Baghlan', Baghlan town aside)."""
    province = ctx.resolve_place(f"{text} province")
    if province is None or province.kind != "province":
        return True
    return ctx.capital_of is not None and ctx.capital_of(province.admin1_id or province.id) == town


def _own_place(m: Mention, sent: SpacySpan) -> bool:
    """The mention's place is named in its own sentence (not a narrative or focus stand-in)."""
    return m.place is not None and sent.start_char <= m.place.span.start < sent.end_char


def _place_id(m: Mention) -> str | None:
    return m.place.place.id if m.place is not None and m.place.place is not None else None


def _fighters_named(m: Mention, sent: SpacySpan) -> bool:
    """The clash has a subject that fights ('they are besieging Kunduz'), not a place that
    is in a state ('Kabul now encircled')."""
    tok = trigger_token(sent, m.trigger.start, m.trigger.end)
    return any(c.dep_ == "nsubj" and c.ent_type_ not in LOCATION_LABELS for c in tok.children)


def _same_occurrence(deal: Mention, transfer: Mention) -> bool:
    """The deal is how the place changed hands: unplaced or at the same place (or inside it),
    on overlapping days ('whose authorities had signed a truce in July, also capitulated'
    is an earlier deal of its own)."""
    a, b = _place_id(deal), _place_id(transfer)
    if a is not None and a != b and not _within(deal, transfer):
        return False
    if deal.date is None or transfer.date is None:
        return True
    x, y = deal.date.interval, transfer.date.interval
    return x.start <= y.end and y.start <= x.end


def _subordinate(inner: Mention, outer: Mention, sent: SpacySpan) -> bool:
    """The first trigger modifies the second ('captured Nerkh ... after several days of
    fighting'), rather than being coordinated with it ('captured Imam Sahib and are besieging
    Kunduz')."""
    a = trigger_token(sent, inner.trigger.start, inner.trigger.end)
    b = trigger_token(sent, outer.trigger.start, outer.trigger.end)
    tok = a
    while tok.head.i != tok.i:
        if tok.dep_ == "conj":
            return False
        tok = tok.head
        if tok.i == b.i:
            return True
    return False


def _within(inner: Mention, outer: Mention) -> bool:
    """The first mention's place lies inside the second's (a district of its province)."""
    a = inner.place.place if inner.place is not None else None
    b = outer.place.place if outer.place is not None else None
    if a is None or b is None:
        return False
    return b.id in (a.admin1_id, a.admin2_id) or a.id in (b.admin1_id, b.admin2_id)


def _mention_for(
    article: Article,
    sent: SpacySpan,
    trig: TriggerLike,
    dates: list[DateRef],
    state: _State,
    ctx: ExtractContext,
    place_ctx: object,
) -> tuple[list[Mention], str]:
    head = trigger_token(sent, trig.start_char, trig.end_char)
    tok = event_token(head)
    if tok is None:
        return [], f"'{head.text}' names a participant or modifies a noun"
    if nationwide(tok):
        return [], "summary: placed across a country or region"
    if any(d.span is not None and d.span.start <= trig.start_char < d.span.end for d in dates):
        # 'two days before the Sept. 11, 2001, attacks': the event dates another one
        return [], "a time reference inside a date expression"
    if trig.sub_event_type in ("Attack", "Armed clash") and harm_caused_by_event(tok):
        return [], "casualties of another event named with them (its fatalities)"
    if fighting_as_topic(tok):
        return [], "the fighting is a topic (an end to it), not an occurrence"
    clause = {t.i for t in clause_tokens(tok, narrow=True)}
    clause_dates = [d for d in dates if d.span is not None and not tense_excludes(tok, d) and (
        (_token_at(sent, d.span.start) in clause and not _modifier_date(d, tok, sent)) or _premodifies(d, tok))]
    narrative = state.place if state.place is not None and state.place_age <= _NARRATIVE_WINDOW else None
    the_city = state.city if state.city is not None and refers_to_the_city(tok, clause) else None
    narrative = the_city or narrative  # 'the Afghan forces left the city': the town last named
    place, also = place_for(tok, sent, clause, ctx.resolve_place,
                            lambda text: ctx.resolve_actor(text) is not None, place_ctx,
                            narrative, state.focus_place, ctx.capital_of)
    if trig.sub_event_type in _CHANGES and _takes_a_country(tok, ctx) and (
            place is None or place.place is None or place.place.kind == "country"
            or not tok.left_edge.idx <= place.span.start < tok.right_edge.idx + len(tok.right_edge)):
        # 'before the Taliban seized control of Afghanistan last month', 'the deadliest attack
        # in Kabul since the Taliban took control of the country': the fall of a state is told
        # at its capital; a whole country is no unit that changes hands, whatever place the
        # sentence or the story is at (a place in the trigger's own phrase may still be the
        # unit: 'took control of the country's second city, Kandahar')
        return [], "a change of a whole country (a summary)"
    if trig.sub_event_type in _CHANGES and _takes_an_unknown_name(tok, ctx):
        # 'the invaders captured Fedorov at the crisis center', 'no clue where the Taliban
        # have taken Hemat': what was taken is a name no gazetteer knows (a person, a
        # group): no place changed hands, whatever place the sentence names
        return [], "what was taken is no known place (a person?)"
    if trig.sub_event_type == TRANSFER and _civilians_flee(tok):
        # 'residents were killed while trying to flee from the town': people escaping, not
        # a side handing a place over
        return [], "civilians fleeing, not a side leaving"
    if trig.sub_event_type == TRANSFER and _vague_origin(tok):
        return [], "a withdrawal from no unit (a region, a river bank)"
    origin = _named_origin(tok)
    if trig.sub_event_type == TRANSFER and origin is not None \
            and (place is None or not origin.left_edge.idx <= place.span.start
                 < origin.right_edge.idx + len(origin.right_edge.text)):
        return [], f"a withdrawal from '{origin.text}', no place of the theatre"
    # (a dateline's place, 'Kabul, June 8 (dpa) - the Taliban captured two more districts',
    # is outside the trigger's clause: no place of the tally's own either)
    # ('liberated four villages near X: they are A, B, C and D' names the units it counts)
    # ('... nine more districts were captured, six in Badakhshan. The districts include A, B
    # and C in Badakhshan ...': the next sentence names the units it counts, one change each)
    named_next = units_named_next(sent, ctx.resolve_place, place_ctx, ctx.capital_of) \
        if trig.sub_event_type in _CHANGES and not also and counted_units(tok) and (
            place is None or place.place is None or place.place.kind in ("province", *WEAK_PLACE_KINDS)
            or _token_at(sent, place.span.start) not in clause) else []
    if named_next:
        place, also = named_next[0], named_next[1:]
    # ('The militias seized A, B and C districts on Friday. The Taliban retook the said
    # districts on Monday.': the units the sentence before listed, whatever other place the
    # sentence names -- 'had cleared the districts and were established in Takhar')
    referred = referred_units(tok) if trig.sub_event_type in _CHANGES and not named_next else None
    named_before = units_named_before(
        sent, sent.doc[referred[0].left_edge.i : referred[0].i + 1], referred[1], referred[2],
        ctx.resolve_place, place_ctx, ctx.capital_of) if referred is not None else []
    if named_before:
        place, also = named_before[0], named_before[1:]
    if (place is None or (_token_at(sent, place.span.start) not in clause and not also)) \
            and counted_units(tok):
        return [], f"{_TALLY} (no place of its own)"
    # 'taking districts and border crossings' in a story told about Kabul: units in general;
    # 'districts were retaken' after the districts were named: the story's units
    bare = bare_units(tok) if trig.sub_event_type in _CHANGES else None
    if bare is not None and (place is None or place.place is None or (
            _token_at(sent, place.span.start) not in clause and not also
            and not _of_unit_kind(place.place, bare))):
        return [], f"{_TALLY} (units in general)"
    # a roll-call of provinces is a summary of the fighting; a roll-call of captures names
    # the capitals ('the Taliban took Kunduz, Ghazni and Herat'), one event each
    # ('dozens of settlements had been liberated in Kharkiv, Donetsk, Luhansk and Kherson
    # oblasts': a count of unnamed units spread over a roll-call of provinces is a summary too)
    counted = trig.sub_event_type in _CHANGES and counted_units(tok) and not named_next \
        and not named_before
    if (trig.sub_event_type not in _CHANGES or counted) \
            and not [d for d in clause_dates if d.interval.precision == "day"]:
        listed = listed_provinces(sent, ctx.resolve_place, place_ctx)
        if listed >= _SUMMARY_PROVINCES:
            return [], f"summary: a roll-call of {listed} provinces with no day"
    at = _token_at(sent, place.span.start) if place is not None else -1
    specific_place = (
        place is not None and place.place is not None and place.place.kind not in WEAK_PLACE_KINDS
        and (at in clause or _antecedent(at, tok))
    )
    if _many_over_a_period(tok, sent) and not [d for d in clause_dates if d.interval.precision == "day"] \
            and (not specific_place or _listed_places(sent, ctx) >= 2):
        # 'women's rights protests have taken place in recent days in Herat and Kabul', 'a
        # chain of explosions have rocked the country over the past few days': several
        # occurrences summed up over a period, none of them told
        return [], "summary: a plural over a period"
    background = background_reason(tok, sent, clause_dates, article.published, specific_place)
    if background is not None:
        return [], f"background: {background}"
    modality = modality_for(tok)
    if modality == "negated" and trig.pattern in _NEGATION_IS_MEANING:
        # 'fell with no fighting', 'captured without resistance': the fall is told, no fight
        # is denied; the verb the phrase hangs on says whether the fall happened
        verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        modality = modality_for(verb) if verb is not None else "asserted"
    if modality == "asserted" and failed_to(tok):
        modality = "negated"
    attribution = attribution_for(tok, sent, state.speaker)
    future = [d for d in clause_dates if article.published and d.interval.start > article.published]
    if modality == "asserted" and future:
        modality = "planned"  # 'will be completed by the end of August'
    if modality == "asserted" and is_party_speaker(attribution) and _speech_lemma(tok, sent) in _CLAIM_SPEECH:
        modality = "claimed"
    carried = state.actor or state.main_actor
    date = _choose_date(tok, sent, clause_dates, dates, state)
    bound = bounded_before(tok, date, dates)
    if bound is not None:
        return [], f"background: an earlier occurrence, before '{bound.span.text if bound.span else ''}'"
    date, recap = ground(tok, date, state.date, article.published,  # news of the day or a recap
                         change=trig.sub_event_type in _CHANGES)
    if trig.sub_event_type in _CHANGES and _told_as_state(tok):
        date = _state_began(date, sent, article.published)  # 'had been occupied since April 2'
    if date is not None and is_historical(date.interval, article.published):
        # ('... Massoud, who was killed just days before the Sept. 11, 2001, attacks')
        return [], f"background: historical date {date.interval.end.isoformat()}"
    date = _within_theatre(date)
    # actors as of the mention's day: after the fall of Kabul "security forces" are the Taliban's
    resolve = _resolver(ctx, date.interval.start if date is not None else article.published)
    slots = find_actors(tok, resolve, carried, trig.event_type)
    if trig.sub_event_type in _CHANGES and (
            slots.actor1 is None or not within(slots.actor1.span, Span(sent.start_char, sent.end_char, ""))):
        owner = _control_owner(sent, trig.start_char, trig.end_char, resolve) \
            or _liberator_named(tok, sent, resolve)
        if owner is not None:  # 'returned to Ukrainian control': the side whose control it is
            slots = replace(slots, actor1=owner)
    trigger_span = Span(trig.start_char, trig.end_char, article.text[trig.start_char : trig.end_char])
    sub_type = _gain_type(trig.sub_event_type, slots.actor1, trig.pattern,
                          date.interval.start if date is not None else article.published)
    actor2 = slots.actor2
    if sub_type == REGAINS and slots.actor1 is None:
        sub_type, actor2 = _cleared_of_the_state(tok, actor2, resolve,
                                                 date.interval.start if date is not None else article.published)
    sub_type, actor1 = _withdrawal(sub_type, slots.actor1, actor2, state, ctx, trigger_span, resolve,
                                   date.interval.start if date is not None else article.published)
    actor1, actor2 = _default_actors(sub_type, tok, actor1, actor2, state, ctx,
                                     trigger_span, resolve)
    if modality == "asserted" and article.published and date is not None \
            and date.interval.start > article.published:
        modality = "planned"  # dated after publication: 'must have left by September 11'
    numbers = extract_numbers(sent)
    confidence = _confidence(trig.score, actor1, place, date, modality)
    mention = Mention(
        id=stable_id(article.id, trig.start_char, sub_type),
        article_id=article.id,
        sentence=Span(sent.start_char, sent.end_char, sent.text),
        trigger=trigger_span,
        event_type=trig.event_type,
        sub_event_type=sub_type,
        actor1=actor1,
        actor2=actor2,
        place=place,
        date=date,
        numbers=numbers,
        modality=modality,
        attribution=attribution,
        confidence=confidence,
        recap=recap,
    )
    # the units a plural points back at share its span ('captured the said districts'):
    # each is told apart by its place
    splits = [replace(mention, id=stable_id(article.id, trig.start_char, sub_type, p.span.start,
                                            *([p.place.id] if p.basis == NAMED_BEFORE and p.place else [])),
                      place=p) for p in also]
    if sub_type in _CHANGES and ctx.capital_of is not None:
        # 'Kandahar, Helmand and Herat provinces fell to the Taliban': a province told as the
        # unit that fell is its seat taken, the provincial capital (as the coders place it)
        mention, *splits = [_at_the_seat(m, tok, sent, ctx.capital_of) for m in (mention, *splits)]
    return [mention, *splits], "kept" if not splits else f"kept (+{len(splits)} coordinated places)"


_TAKING_NOUNS = word_list("taking_nouns")


def _at_the_seat(m: Mention, tok: Token, sent: SpacySpan,
                 capital_of: Callable[[str], Place | None]) -> Mention:
    """A change whose place is a province written as the trigger's subject or object (or a
    conjunct of one), with no count of units: the province's capital, at the province's
    words; else ``m`` as it is."""
    if m.place is None or m.place.place is None or m.place.place.kind != "province" \
            or counted_units(tok) or m.recap or m.date is None \
            or (m.date.interval.end - m.date.interval.start).days > 1:
        return m  # (a recap or a month's summary of a province's fall keeps the province)
    i = _token_at(sent, m.place.span.start)
    if i < 0:
        return m
    word = sent.doc[i]
    for _ in range(12):  # up the list and the 'control of' phrase to the trigger's argument
        if word.head.i == tok.i or word.head.i == word.i:
            break
        if not (word.dep_ in ("conj", "compound", "nmod", "npadvmod", "appos")
                or word.dep_ == "pobj" and word.head.lower_ == "of"
                or word.dep_ == "prep" and word.lower_ == "of" and word.head.lemma_.lower() in _TAKING_NOUNS):
            return m
        word = word.head
    if word.head.i != tok.i or word.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return m
    seat = capital_of(m.place.place.admin1_id or m.place.place.id)
    return m if seat is None else replace(m, place=replace(m.place, place=seat))


def _takes_a_country(tok: Token, ctx: ExtractContext) -> bool:
    """What the trigger takes is a whole theatre country ('seized control of Afghanistan on Aug. 15',
    'focused on taking control of Afghanistan', 'the Taliban's takeover of the country'),
    whatever place the mention fell back to."""
    nodes = [tok, *([tok.head] if tok.dep_ == "dobj" else [])]
    nodes += [c for n in list(nodes) for c in n.children if c.dep_ == "dobj"]
    objects = [c for n in nodes for c in n.children if c.dep_ == "dobj"]
    objects += [o for n in nodes for p in n.children if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children if o.dep_ == "pobj"]
    for obj in objects:  # a bare name ('of Afghanistan'; not 'of Ukraine's second city')
        if _the_country(obj):
            return True
        name = obj.doc[obj.left_edge.i : obj.i + 1]
        if obj.ent_type_ in LOCATION_LABELS and all(t.pos_ == "PROPN" for t in name) \
                and _theatre_country(ctx.resolve_place(name.text)):
            return True
    return False


def _takes_an_unknown_name(tok: Token, ctx: ExtractContext) -> bool:
    """The trigger's object is a bare proper name that resolves to no place and holds no
    place of its own ('captured Fedorov', 'have taken Hemat'): a person or a group, not a
    unit (spaCy's entity label is no help: such names come out as ORG or GPE)."""
    if tok.pos_ != "VERB":
        return False
    for obj in tok.children:
        # a bare name: no list ('entered Sherdagh, Kharzar and Maknak areas'), no phrase of
        # its own ('Hesar in Baghlan province' in a garbled parse)
        if obj.dep_ not in ("dobj", "nsubjpass") or any(c.dep_ != "compound" for c in obj.children):
            continue
        name = obj.doc[obj.left_edge.i : obj.i + 1]
        if all(t.pos_ == "PROPN" for t in name) and ctx.resolve_place(name.text) is None \
                and ctx.resolve_actor(name.text) is None:
            return True
    return False


def _civilians_flee(tok: Token) -> bool:
    """The one fleeing is a civilian ('residents ... while trying to flee from the town',
    'families fled the village'): the subject of the trigger or of the clause it hangs from."""
    if tok.lemma_.lower() not in _ESCAPE_VERBS:
        return False
    node: Token | None = tok
    while node is not None:
        subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            # 'thousands of residents fled': the people the count is of
            of = next((g for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"
                       for g in c.children if g.dep_ == "pobj"), None)
            if of is not None and (subject.like_num or subject.pos_ == "NUM"
                                   or subject.lemma_.lower() in _PEOPLE_COUNTS):
                subject = of
            return subject.lemma_.lower() in _CIVILIAN_NOUNS
        node = node.head if node.dep_ in ("xcomp", "advcl", "conj") and node.head is not node else None
    return False


def _many_over_a_period(tok: Token, sent: SpacySpan) -> bool:
    """A plural event noun ('protests', 'explosions', 'a chain of explosions') in a sentence
    whose date is a period ('in recent days', 'over the past few weeks', 'this year')."""
    plural = tok.tag_ == "NNS" or (tok.dep_ == "pobj" and tok.head.lower_ == "of"
                                   and tok.head.head.lemma_.lower() in _SERIES_NOUNS)
    if not plural or tok.pos_ != "NOUN":
        return False
    return any(e.label_ == "DATE" and any(t.lemma_.lower() in _PERIOD_WORDS for t in e)
               and not any(t.like_num for t in e) for e in sent.ents)


def _listed_places(sent: SpacySpan, ctx: ExtractContext) -> int:
    """How many different places the sentence names (entity text), a region that only
    locates another place of the sentence aside ('near Lyman (Donetsk region)')."""
    names = {e.text: ctx.resolve_place(e.text, sentence=sent.text)
             for e in sent.ents if e.label_ in LOCATION_LABELS}
    places = [p for p in names.values() if p is not None]
    return sum(1 for p in names.values() if p is None or not any(
        q.id != p.id and p.id in (q.admin1_id, q.admin2_id) for q in places))


def _the_country(noun: Token) -> bool:
    """'the country', 'the nation' (no other modifier: not 'a neighbouring country', 'the
    country's north'): in a report on a conflict, its theatre country."""
    return (noun.lemma_.lower() in _COUNTRY_NOUNS and noun.pos_ == "NOUN"
            and [(c.dep_, c.lower_) for c in noun.children] == [("det", "the")])


def _theatre_country(place: Place | None) -> bool:
    """A whole country of the conflict's theatre (the profile's countries), not a foreign
    one that forces enter or flee to ('retreating forces were allowed to enter Tajikistan')."""
    return place is not None and place.kind == "country" and active_profile().country(place.country or place.name) is not None


def _origin(tok: Token) -> Token | None:
    """What a withdrawal is from ('withdrew from Kherson', 'the withdrawal of troops from
    the region'), or None."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "from":
            return next((c for c in prep.children if c.dep_ == "pobj"), None)
    return None


def _named_origin(tok: Token) -> Token | None:
    """The proper name a withdrawal is from ('withdrew from Kherson', 'the withdrawal of
    troops from Washington'), or None (no 'from', or a common noun: 'from the district')."""
    obj = _origin(tok) if tok.pos_ in ("VERB", "AUX", "NOUN") else None
    return obj if obj is not None and obj.pos_ == "PROPN" else None


def _vague_origin(tok: Token) -> bool:
    """A withdrawal noun from no named place ('Moscow announced the withdrawal of its forces
    from the right bank', 'the withdrawal of its troops from the region', 'the withdrawal from
    the district'): a move, not a handover one can place (measured: with common nouns allowed,
    news_ukraine strict precision fell below its floor)."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in _LOSER_NOUNS:
        return False
    obj = _origin(tok)
    return obj is None or not (obj.pos_ == "PROPN" or any(
        c.dep_ == "compound" and c.pos_ == "PROPN" for c in obj.lefts))


def _control_owner(sent: SpacySpan, start: int, end: int, resolve: ResolveActor) -> ActorRef | None:
    """The side a change's own 'control' word names ('returned to Ukrainian control', 'back
    under government control'): the actor its modifier resolves to, else None."""
    for tok in sent:
        if not (start <= tok.idx < end and tok.lemma_.lower() == "control"):
            continue
        for mod in tok.children:
            if mod.dep_ in ("amod", "compound", "poss", "nmod") and mod.i < tok.i:
                actor = resolve(mod.text)
                if actor is not None:
                    return ActorRef(Span(mod.idx, mod.idx + len(mod.text), mod.text), actor)
    return None


def _liberator_named(tok: Token, sent: SpacySpan, resolve: ResolveActor) -> ActorRef | None:
    """The one side a sentence names beside a liberation told in the passive with no agent
    ('as a result of successful offensive actions of the Russian troops, the village of
    Mayorsk was completely liberated'; 'Pushilin stated that the settlement had been
    liberated by DPR units' needs none): liberating is what a side says of its own gains,
    so the side the sentence names is the one that liberated it. None when the sentence
    names no side or several, or the verb is no passive liberation."""
    if tok.lemma_.lower() not in _LIBERATION or not any(c.dep_ == "auxpass" for c in tok.children) \
            or any(c.dep_ == "agent" for c in tok.children):
        return None
    named: dict[str, ActorRef] = {}
    for chunk in sent.noun_chunks:
        if chunk.root.dep_ == "pobj" and chunk.root.head.lower_ in _LOSER_PREPS:
            continue  # 'liberated from the invaders': the side it was taken from
        actor = resolve(chunk.text)
        side = active_profile().side_of(actor) if actor is not None else None
        if actor is not None and side is not None:
            named.setdefault(side, ActorRef(Span(chunk.start_char, chunk.end_char, chunk.text), actor))
    return next(iter(named.values())) if len(named) == 1 else None


_LIBERATION = word_list("liberation_verbs")
_LOSER_PREPS = frozenset(load_occurrence().cues["loser"])
#: trigger patterns (triggers.yaml ids) whose own 'no' / 'without' is what they report
_NEGATION_IS_MEANING = frozenset({"nvt.without_fight"})


def _gain_type(sub_type: str, actor1: ActorRef | None, pattern: str = "",
               day: dt.date | None = None) -> str:
    """ACLED's territorial sub-type follows who gained:

    - a place a foreign state's forces take ('Russian forces liberated X') is 'Non-state
      actor overtakes territory' even when the trigger ('liberate', 'regain') reads as the
      government's;
    - a place the state of the day takes back ('Taliban forces have recaptured three
      districts that fell to local militias last week', written after the fall of Kabul)
      is 'Government regains territory', though its actor's words read as an insurgent's:
      the trigger is a recapture (its lexicon pattern is a regain's) and the actor's side
      is the state on the mention's day (the profile's sides, ``Sides.state_on``: the
      Taliban from 15 August 2021).

    A plain capture by that state ('captured Bazarak') is not retyped: the coders type the
    new state's first captures from the resistance as takeovers."""
    if sub_type == REGAINS and actor1 is not None and actor1.actor is not None \
            and actor1.actor.inter == FOREIGN_FORCES:
        return OVERTAKES
    if sub_type == OVERTAKES and day is not None and actor1 is not None \
            and _reads_as_regain(pattern):
        profile = active_profile()
        side = profile.side_of(actor1.actor)
        if side is not None and side == profile.sides.state_on(day):
            return REGAINS
    return sub_type


def _reads_as_regain(pattern: str) -> bool:
    """Whether a trigger pattern of the lexicon is a regain's ('recapture', 'retake',
    'regain control of'), whatever the agent it was resolved by."""
    rule = load_lexicon().rules.get(pattern)
    return rule is not None and rule.sub_event_type == REGAINS


def _cleared_of_the_state(tok: Token, actor2: ActorRef | None, resolve: ResolveActor,
                          day: dt.date | None) -> tuple[str, ActorRef | None]:
    """A place cleared of the state's forces ('Popasna had now been cleared of Ukrainian
    forces', the Russian ministry said) was taken from the state, not regained by it: the
    side named after 'of' lost it (actor2) and the change is a takeover by the other side
    (the story's, filled in by :func:`_default_actors`). Cleared of any other side ('the
    district was cleared of Taliban fighters'), it stays the state's regain."""
    if tok.lemma_.lower() != "clear":
        return REGAINS, actor2
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if obj is None:
        return REGAINS, actor2
    words = tok.doc[obj.left_edge.i : obj.i + 1]
    loser = resolve(words.text)
    profile = active_profile()
    if loser is None or day is None or profile.side_of(loser) != profile.sides.state_on(day):
        return REGAINS, actor2
    return OVERTAKES, ActorRef(span=Span(words.start_char, words.end_char, words.text), actor=loser)


def _withdrawal(sub_type: str, actor1: ActorRef | None, actor2: ActorRef | None, state: _State,
                ctx: ExtractContext, trigger_span: Span, resolve: ResolveActor, day: dt.date | None
                ) -> tuple[str, ActorRef | None]:
    """Who a withdrawal hands the place to when the text names only the side that left
    ('government forces withdrew from X', 'the Taliban's withdrawal from the district',
    'Russian troops had withdrawn from the town of Lyman'): the other side, as actor1 (the
    side that gains; the side that left is actor2). The sides are the profile's
    (:meth:`sitrep.profile.Profile.side_of`, the control timeline's reading):

    - the state of the day leaving hands the place to the story's actor of another side,
      else to ``ctx.default_rebel`` (a non-violent transfer);
    - a foreign force leaving a base it was hosted at hands it to the state
      (``ctx.default_loser``) in a transfer (the control map's rule for foreign forces);
    - any other side leaving hands it back to the state: the state regaining it, as the
      team's Ukraine gold codes Lyman, Izium and Kherson (a site nobody enters, Snake
      Island, stays a transfer there: not told apart here).

    A party of no side (civilians evacuated from a city) hands nothing over."""
    if sub_type != TRANSFER or actor1 is not None or actor2 is None:
        return sub_type, actor1
    profile = active_profile()
    leaver = actor2.actor
    side = profile.side_of(leaver)
    if side is None:
        return sub_type, None
    state_side = profile.sides.state_on(day) if day is not None else None

    def of_side(actor: Actor | None, wanted: Callable[[str | None], bool]) -> Actor | None:
        return actor if actor is not None and actor != leaver and wanted(profile.side_of(actor)) else None

    def held(key: str | None) -> bool:
        return key is not None and key not in ("foreign", side)

    if side == state_side:
        gainer = next((g for a in (state.actor, state.main_actor) if a is not None
                       and (g := of_side(a.actor, held)) is not None), None)
        gainer = gainer or of_side(resolve(ctx.default_rebel) if ctx.default_rebel else None, held)
        return sub_type, (ActorRef(span=trigger_span, actor=gainer) if gainer is not None else None)
    holder = of_side(resolve(ctx.default_loser) if ctx.default_loser else None,
                     lambda key: key is not None and key == state_side)
    if holder is None:
        return sub_type, None
    return (sub_type if side == "foreign" else REGAINS), ActorRef(span=trigger_span, actor=holder)


def _default_actors(sub_type: str, tok: Token, actor1: ActorRef | None, actor2: ActorRef | None,
                    state: _State, ctx: ExtractContext, trigger_span: Span,
                    resolve: ResolveActor | None = None) -> tuple[ActorRef | None, ActorRef | None]:
    """Fill the actor slots the text leaves implicit, ACLED-style (documented defaults):

    - a takeover/transfer or a clash with no named initiator ('the capture of Panjwai',
      'districts were left without a fight') is the story's non-state actor's;
    - a territorial change or clash by a non-state actor with no named other side is
      against ``ctx.default_loser`` (the Afghan state forces), and a clash started by state
      forces is against the story's non-state actor;
    - a place state forces regain with no named other side was regained from the story's
      non-state actor, else from ``ctx.default_rebel`` (before the fall of Kabul);
    - an 'Attack' (violence against civilians) with no resolved target is on civilians;
    - a bombing or an attack on civilians nobody is named for is by ``ctx.default_unidentified``.
    The default actor2 carries the trigger span as its evidence (the event implies it).
    """
    resolve = resolve or ctx.resolve_actor
    carried = state.actor or state.main_actor
    story_rebel = next((a for a in (state.actor, state.main_actor)
                        if a is not None and a.actor is not None and a.actor.inter in GAINS_AS_NON_STATE), None)
    territorial_or_clash = sub_type in TERRITORIAL or sub_type == "Armed clash"
    # the side that lost a change of hands ('cleared of Ukrainian forces') is not its agent
    lost = actor2.actor if actor2 is not None and sub_type in TERRITORIAL else None
    if actor1 is None and territorial_or_clash:
        if sub_type in TERRITORIAL and story_rebel is not None and story_rebel != actor2 \
                and (lost is None or story_rebel.actor != lost):
            actor1 = story_rebel
        elif _agentless(tok) and carried is not None and carried != actor2 \
                and (lost is None or carried.actor != lost):
            actor1 = carried  # 'the capture of Panjwai': the agent is the story's actor
    state_side = actor1 is not None and actor1.actor is not None and actor1.actor.inter == STATE_FORCES
    non_state = actor1 is None or actor1.actor is None or actor1.actor.inter in GAINS_AS_NON_STATE
    if actor2 is None and territorial_or_clash and non_state and ctx.default_loser:
        loser = resolve(ctx.default_loser)
        if loser is not None and (actor1 is None or actor1.actor != loser):
            actor2 = ActorRef(span=trigger_span, actor=loser)
    elif actor2 is None and sub_type == "Armed clash" and state_side and story_rebel is not None:
        actor2 = ActorRef(span=trigger_span, actor=story_rebel.actor)
    if actor2 is None and sub_type == REGAINS and state_side:
        actor2 = _regained_from(actor1, story_rebel, trigger_span, ctx, resolve)
    if actor2 is None and sub_type == "Attack":
        civilians = resolve("civilians")
        if civilians is not None:
            actor2 = ActorRef(span=trigger_span, actor=civilians)
    unclaimed = sub_type == "Attack" or sub_type in _REMOTE_VIOLENCE
    if actor1 is None and unclaimed and ctx.default_unidentified:
        unknown = resolve(ctx.default_unidentified)
        if unknown is not None:
            actor1 = ActorRef(span=trigger_span, actor=unknown)
    if actor1 is not None and actor2 is not None and actor1.actor == actor2.actor:
        actor2 = None
    return actor1, actor2


def _regained_from(actor1: ActorRef | None, story_rebel: ActorRef | None, trigger_span: Span,
                   ctx: ExtractContext, resolve: ResolveActor) -> ActorRef | None:
    """Whom state forces retook a place from when the text does not say: the story's
    non-state actor, else ``ctx.default_rebel`` as the book names it on the day (after the
    fall of Kabul the name is the state itself, so nobody is filled in)."""
    state = actor1.actor if actor1 is not None else None
    if story_rebel is not None and story_rebel.actor != state:
        return ActorRef(span=trigger_span, actor=story_rebel.actor)
    rebel = resolve(ctx.default_rebel) if ctx.default_rebel else None
    if rebel is None or rebel == state or rebel.inter not in GAINS_AS_NON_STATE:
        return None
    return ActorRef(span=trigger_span, actor=rebel)


def _agentless(tok: Token) -> bool:
    """A nominal trigger or an agentless passive names no initiator of its own."""
    if is_nominal(tok):
        return True
    return any(c.dep_ == "nsubjpass" for c in tok.children) and not any(
        c.dep_ == "agent" for c in tok.children
    )


def _within_theatre(date: DateRef | None) -> DateRef | None:
    """A date that begins before the theatre's first day (the profile's ``dates.start``) and
    reaches into it starts on that day: 'occupied since the end of February' (22-28
    February) in a war that began on the 24th began no earlier than the 24th."""
    first = active_profile().date_start
    if date is None or first is None or not date.interval.start < first <= date.interval.end:
        return date
    return replace(date, interval=replace(date.interval, start=first))


def _antecedent(place: int, tok: Token) -> bool:
    """The place (a token index) is what the trigger's relative clause tells of ('Balaklia,
    which had been occupied since the end of February'): as specific as a place inside the
    clause."""
    head = tok if tok.dep_ == "relcl" else next((a for a in tok.ancestors if a.dep_ == "relcl"), None)
    return head is not None and head.head.i == place


def _token_at(sent: SpacySpan, char: int) -> int:
    """Index of the token at ``char`` (-1 when the offset lies outside the sentence): the
    first token of the sentence holding it or starting after it, else the last one."""
    if not sent.start_char <= char < sent.end_char:
        return -1
    i = bisect.bisect_right(_token_ends(sent.doc), char, sent.start, sent.end)
    return i if i < sent.end else sent.end - 1


_ENDS_KEY = "sitrep.token_ends"


def _token_ends(doc: Doc) -> list[int]:
    """Per token, the first offset after it (an empty token: after its start), once per Doc:
    :func:`_token_at` bisects them instead of walking the sentence's tokens."""
    ends: list[int] | None = doc.user_data.get(_ENDS_KEY)
    if ends is None:
        ends = doc.user_data[_ENDS_KEY] = [t.idx + (len(t.text) or 1) for t in doc]
    return ends


def _speech_lemma(tok: Token, sent: SpacySpan) -> str:
    for a in tok.ancestors:
        if a.pos_ == "VERB":
            last = a.lemma_.lower()
            if a.dep_ == "ROOT":
                return last
    return sent.root.lemma_.lower()


#: a date expression that opens a state ("has been occupied since April 2"; occurrence.yaml,
#: as the control timeline reads it)
_SINCE = load_occurrence().cue("state_since")


def _told_as_state(tok: Token) -> bool:
    """Whether a change is told as the state it opened: the perfect of 'be' ('had been
    occupied', 'has been under Russian control'), not the events of a window ('the Taliban
    have captured eight capitals since Friday')."""
    near = [tok, tok.head, tok.head.head]
    return any(c.lower_ == "been" for t in near for c in (t, *t.children))


def _state_began(date: DateRef | None, sent: SpacySpan, published: dt.date | None) -> DateRef | None:
    """A change of hands dated by the state it opened ('Izium had been occupied since April
    2'): the change happened the day the state began, not over the span to the report's day
    (a span the fusion of the day-level reports of the weeks between would absorb). Only a
    day: 'under Russian control since March' stays a span the control timeline dates at
    its start."""
    if date is None or date.span is None:
        return date
    text = date.span.text.strip()
    m = _SINCE.match(text)
    began = resolve_date(text[m.end():].strip(), published, sentence=sent.text) if m else None
    if began is None or began.interval.precision != "day":
        return date
    return DateRef(span=date.span, interval=began.interval, basis=f"the state began: {began.basis}",
                   flags=date.flags)


def _choose_date(tok: Token, sent: SpacySpan, clause_dates: list[DateRef], dates: list[DateRef],
                 state: _State) -> DateRef | None:
    """The clause's date nearest the trigger, else the sentence's, else the narrative date.

    In 'X comes two days after Y', the resolved offset dates Y (basis 'the other event'),
    so X, written before it, does not take it."""
    def usable(d: DateRef) -> bool:
        return not ("other event" in d.basis and d.span is not None and tok.idx < d.span.start)

    pool = [d for d in clause_dates if usable(d)] or _own_dates(tok, sent, dates) \
        or _governing_dates(tok, sent, dates) or [
        d for d in dates if d.interval.precision in ("day", "range") and usable(d)
        and (d.interval.end - d.interval.start).days <= 31 and not _modifier_date(d, tok, sent)
        and not _dates_another_noun(d, tok, sent)]
    if pool:
        return min(pool, key=lambda d: abs((d.span.start if d.span else 0) - tok.idx))
    return state.date


def _of_unit_kind(place: Place, unit: str) -> bool:
    """Whether ``place`` is a unit the noun ``unit`` names ('districts': a district)."""
    return place.kind == unit or unit in _TOWN_UNIT_NOUNS and place.kind in TOWN_KINDS \
        or unit == "crossing" and place.kind == "border_crossing"


#: nouns that name towns as units ('cities', 'capitals', 'settlements')
_TOWN_UNIT_NOUNS = frozenset(word_list("town_nouns") | word_list("capital_nouns")
                             | word_list("settlement_nouns"))


def _own_dates(tok: Token, sent: SpacySpan, dates: list[DateRef]) -> list[DateRef]:
    """Dates inside an event noun's own phrase ('the similar bombing that killed scores of
    Shi'ites in Kunduz a week earlier'): they date that noun."""
    if not is_nominal(tok):
        return []
    inside = set(subtree_indices(tok))
    return [d for d in dates if d.span is not None and "other event" not in d.basis
            and _token_at(sent, d.span.start) in inside]


def _dates_another_noun(date: DateRef, tok: Token, sent: SpacySpan) -> bool:
    """The date is another event noun's possessive ('no claim for Friday's attack in
    Kandahar, but IS claimed the bombing in Kunduz'): it dates that noun only."""
    i = _token_at(sent, date.span.start) if date.span is not None else -1
    if i < 0:
        return False
    t = sent.doc[i]
    while t.dep_ != "poss" and t.head.i != t.i and date.span is not None \
            and t.head.idx < date.span.end:  # up to the date's last word
        t = t.head
    return t.dep_ == "poss" and t.head.i != tok.i


def _premodifies(date: DateRef, tok: Token) -> bool:
    """The date stands right before the event noun ('the Sept. 11, 2001, attacks', 'the
    August 26 bombing'): it dates that noun, whatever the parse attached it to."""
    return is_nominal(tok) and date.span is not None and 0 <= tok.idx - date.span.end <= 2 \
        and tok.doc.text[date.span.end : tok.idx].strip(" ,") == ""


def _modifier_date(date: DateRef, tok: Token, sent: SpacySpan) -> bool:
    """The date belongs to a phrase that describes a participant ('took control of Vovchansk
    -- a town ... seized on the first day of the war'): a clause on a noun or an apposition,
    which does not hold the trigger."""
    i = _token_at(sent, date.span.start) if date.span is not None else -1
    if i < 0:
        return False
    for a in sent.doc[i].ancestors:
        # ('... Panjshir - the last holdout of resistance since the blitz last month': an
        # apposition describes the place)
        if a.pos_ in ("VERB", "AUX") or (a.dep_ == "appos" and a.pos_ == "NOUN"):
            # (a common noun: a name in apposition is as often a misparse of the subject)
            return a.dep_ in ("acl", "relcl", "appos") and a.i != tok.i and tok.i not in subtree_indices(a) \
                and _names_participant(a.head)
    return False


def _names_participant(noun: Token) -> bool:
    """A name, or a noun in apposition to one ('Vovchansk, a town ...'), not an event or a
    time frame ('in an operation that began this morning' dates the trigger)."""
    for _ in range(3):
        if noun.pos_ == "PROPN" or noun.ent_type_ in (*LOCATION_LABELS, *_ACTOR_LABELS) or any(
                c.dep_ == "compound" and c.pos_ == "PROPN" for c in noun.children):
            return True
        if noun.dep_ != "appos":
            return False
        noun = noun.head
    return False


def _governing_dates(tok: Token, sent: SpacySpan, dates: list[DateRef]) -> list[DateRef]:
    """Dates attached to a verb that governs the trigger ('attempted in June to attack
    Kunduz': 'in June' dates the attack), whatever their precision."""
    chain = set()
    for a in tok.ancestors:
        chain.add(a.i)
        if a.pos_ in ("VERB", "AUX") and a.dep_ not in ("xcomp", "ccomp", "advcl", "conj"):
            break
    out = []
    for d in dates:
        if d.span is None or "other event" in d.basis:
            continue
        i = _token_at(sent, d.span.start)
        if i < 0:
            continue
        t = sent.doc[i]
        if t.head.i in chain and t.i not in subtree_indices(tok):
            out.append(d)
    return out


def _confidence(score: float, actor1: ActorRef | None, place: PlaceRef | None, date: DateRef | None,
                modality: str) -> float:
    """Trigger score, weighted by how complete the report is and how firmly it is asserted."""
    value = 0.45 * max(0.0, min(1.0, score))
    value += 0.15 if actor1 is not None and actor1.actor is not None else 0.0
    value += 0.15 * (place.score if place is not None and place.place is not None else 0.0)
    explicit = date is not None and date.span is not None and not date.basis.startswith("inherited")
    value += 0.1 if explicit else (0.04 if date is not None else 0.0)
    value += _MODALITY_WEIGHT.get(modality, 0.0)
    return round(max(0.05, min(0.99, value)), 3)


def _in_trigger_phrase(char: int, trigger_char: int, sent: SpacySpan) -> bool:
    """The token at ``char`` lies in the phrase the trigger heads ('retake the district of X')."""
    at, head = _token_at(sent, char), _token_at(sent, trigger_char)
    return at >= 0 and head >= 0 and at in subtree_indices(sent.doc[head])


def _names_story_place(sent: SpacySpan, state: _State, ctx: ExtractContext) -> bool:
    """The sentence names the narrative place again."""
    if state.place is None or state.place.place is None:
        return False
    story = state.place.place.id
    return any(ent.label_ in LOCATION_LABELS and (p := ctx.resolve_place(ent.text, sentence=sent.text))
               is not None and p.id == story for ent in ents_in(sent))


def _placed_in(m: Mention, sent: SpacySpan) -> bool:
    """The mention's place is a name of this sentence: not a stand-in borrowed from before
    it, nor the article's focus first named further down (a place named later in the story
    is not where the story is yet)."""
    return m.place is not None and sent.start_char <= m.place.span.start < sent.end_char


def _remember(sent: SpacySpan, dates: list[DateRef], produced: list[Mention], state: _State,
              ctx: ExtractContext, article: Article) -> None:
    """Update the narrative state after a sentence."""
    state.place_age += 1
    # 'X comes two days after the departure from Bagram': the complement event is a
    # digression; the story stays where X happened
    main = [m for m in produced if m.date is None or "dates-complement-event" not in m.date.flags]
    # ('it came exactly a week after a suicide bombing in Kunduz': a sentence that only tells
    # the earlier event leaves the story, and 'the town', where they were)
    digression = bool(produced) and not main
    # 'Besides Jalalabad, Kunar and Khost also reported demonstrations': a list of places
    # that names the story's place is a survey around it; the story stays there rather
    # than moving to the list's last place
    listed = len({m.place.place.id for m in main if m.place is not None
                  and m.place.place is not None and _placed_in(m, sent)}) > 1 \
        and _names_story_place(sent, state, ctx)
    # 'preparing to retake the adjacent district of Seyah Gerd': a place named as the goal
    # of a plan is not where the story is, even when another event of the sentence borrows it
    planned = {m.place.span for m in produced if m.place is not None and m.modality == "planned"
               and _in_trigger_phrase(m.place.span.start, m.trigger.start, sent)}
    # 'recaptured Bucha, Hostomel and Irpin': one trigger's list of places (its split
    # mentions) leaves the story at the trigger's own place, not at the list's last member
    told: set[tuple[int, str]] = set()
    for m in main:
        if (m.trigger.start, m.sub_event_type) in told:
            continue
        told.add((m.trigger.start, m.sub_event_type))
        if m.actor1 is not None and m.actor1.actor is not None:
            state.actor = m.actor1
        named_here = m.place is not None and _placed_in(m, sent) and not listed \
            and m.place.span not in planned
        # 'the Afghan forces left the city': the town 'the city' stands for is the story's place now
        by_the_city = m.place is not None and state.city is not None and m.place.span == state.city.span
        if m.place is not None and m.place.place is not None and (named_here or by_the_city):
            state.place, state.place_age = m.place, 0
        elif state.place is not None and m.place is not None and m.place.span == state.place.span:
            state.place_age = 0  # the story is still there
    towns = [(m.place.span.start, m.place) for m in main if m.place is not None
             and m.place.place is not None and m.place.place.kind == "city"
             and _placed_in(m, sent)]
    # 'seized Shibirghan ..., a day after taking Zaranj': 'the city' is the town an event of
    # the sentence happened in, not one its digression names
    # ('a trader in Chaman told reporters': a town across the border from the story's is
    # where a witness is, not what 'the town' will mean)
    story_country = state.place.place.country if state.place is not None and state.place.place is not None else None
    for ent in ents_in(sent) if not towns and not digression else ():
        if names_a_place(ent):  # not 'Kabul:' (filed there), not 'the Dnipro River'
            place = ctx.resolve_place(ent.text, sentence=sent.text)
            if place is not None and place.kind == "city" and _unambiguous_town(ent.text, place, ctx) \
                    and (story_country is None or place.country in (None, story_country)):
                towns.append((ent.start_char, PlaceRef(Span(ent.start_char, ent.end_char, ent.text), place, 0.4)))
    if towns:
        state.city = max(towns, key=lambda t: t[0])[1]
    explicit = [d for d in dates if d.interval.precision == "day" and ANCHORED_FLAG not in d.flags
                and (article.published is None or d.interval.end <= article.published)
                and (article.published is None or d.interval.end.year == article.published.year)]
    # ('a day after taking Zaranj' dates the digression: the story stays on the main event's day)
    explicit = [d for d in explicit if "dates-complement-event" not in d.flags] or explicit
    if explicit:
        last = explicit[-1]
        state.story_day = last.interval.start
        state.date = DateRef(span=last.span, interval=last.interval,
                             basis=f"inherited: '{last.span.text if last.span else ''}' earlier in the paragraph")
    speaker = attribution_for(sent.root, sent, state.speaker)
    if speaker:
        state.speaker = speaker
