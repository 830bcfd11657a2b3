"""Where a mention happened: the place slot, resolved in sentence and article context.

The candidate order comes from the parse (:func:`.arguments.place_candidates`); this
module resolves candidates with the gazetteer and applies what a coder would:

- the **finest** place named for the event wins over its province ("Qala-i-Naw,
  capital of Badghis province, capitulated" → Qala-e-Naw, not Badghis);
- a place inside the **speaker's** phrase ("Badghis Governor Shams said ...") is used
  only when the story has no recent place of its own;
- countries and regions are a last resort (ACLED needs a location);
- with no place in the sentence, the **narrative place** (the previous mention's, within
  three sentences of the paragraph) and then the article's **focus place** (the place
  the article names most often) stand in, with a lower score;
- an unresolvable location entity keeps its raw span with ``place=None`` (no
  coordinates or precision are invented);
- the **dateline** ("KABUL, June 8 (dpa) –") says where the reporter filed, not where
  anything happened: it is no candidate and does not count for the focus place;
- the **article** makes a province finer: the one district or town it names inside the
  province the sentence gives ('a blast hit the province of Kunduz' ... 'the incident
  occurred in the Chahar Dara district'), or in the province of the town an unnamed town
  lies near ('a small coastal town near Odesa');
- a definite unnamed unit ('the valley', 'this settlement') refers back to the story's
  place or the last place named with that noun; a place of the reporting verb's own
  phrase ('said in Kharkiv that ...') is where the news was told.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any, NamedTuple

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitrep.extract.arguments import (
    a_surname,
    coordinated_places,
    coordination_group,
    is_caption,
    is_speaker_place,
    list_kind,
    member_of_unnamed,
    place_candidates,
)
from sitrep.extract.wordlists import word_list
from sitrep.lexicon import reporting_verbs
from sitrep.model import NAMED_BEFORE, NAMED_NEXT, NEAR, Place, PlaceRef, Span
from sitrep.nlp import doc_text, ents_in, span_text, subtree_indices
from sitrep.resolve.gazetteer import newer_district_seat
from sitrep.resolve.names import WORDS

__all__ = ["WEAK_PLACE_KINDS", "PlaceQuery", "article_focus", "is_dateline", "listed_provinces", "names_a_place", "place_for",
           "refers_to_the_city", "units_named_before", "units_named_next"]

WEAK_PLACE_KINDS = ("country", "region")
LOCATION_LABELS = ("GPE", "LOC", "FAC")
_SITE_LABELS = ("FAC", "LOC")
_MAX_CANDIDATES = 8
_CAPITAL_OF = re.compile(r"\bcapital of (the )?(province of )?$", re.I)
Resolve = Callable[..., Place | None]
_TOWN_NOUNS = word_list("town_nouns")
_CAPITAL_NOUNS = word_list("capital_nouns")
_CENTRE_NOUNS = word_list("centre_nouns")
_SUBAREA_NOUNS = word_list("subarea_nouns")
_QUARTER_NOUNS = word_list("quarter_nouns")


def article_focus(doc: Doc, resolve: Resolve) -> tuple[PlaceRef | None, tuple[Place, ...]]:
    """The place the article names most often (ties: the earliest) and all places it names."""
    counts: Counter[str] = Counter()
    first: dict[str, PlaceRef] = {}
    cache: dict[str, Place | None] = {}
    for ent in ents_in(doc):
        if not names_a_place(ent) or is_caption(ent.sent):
            continue
        if ent.text not in cache:
            cache[ent.text] = resolve(ent.text, sentence=span_text(ent.sent))
        place = cache[ent.text]
        if place is None or place.kind in WEAK_PLACE_KINDS:
            continue
        counts[place.id] += 1
        first.setdefault(place.id, PlaceRef(Span(ent.start_char, ent.end_char, ent.text), place, 0.3))
    if not counts:
        return None, ()
    best = max(counts, key=lambda pid: (counts[pid], -first[pid].span.start))
    places = tuple(first[pid].place for pid in first if first[pid].place is not None)
    return first[best], places  # type: ignore[return-value]


class PlaceQuery(NamedTuple):
    """What the place of one trigger is read from: the trigger, its sentence and clause
    (token indices), the article's resolvers and context, and the story's places."""

    tok: Token
    sent: SpacySpan
    clause: set[int]
    resolve: Resolve
    is_actor: Callable[[str], bool]
    place_ctx: Any
    narrative: PlaceRef | None
    focus: PlaceRef | None
    capital_of: Callable[[str], Place | None] | None = None


def place_for(
    tok: Token,
    sent: SpacySpan,
    clause: set[int],
    resolve: Resolve,
    is_actor: Callable[[str], bool],
    place_ctx: Any,
    narrative: PlaceRef | None,
    focus: PlaceRef | None,
    capital_of: Callable[[str], Place | None] | None = None,
) -> tuple[PlaceRef | None, list[PlaceRef]]:
    """The trigger's place and the places coordinated with it (one event each): the rules'
    pick in the sentence, made finer by the article."""
    q = PlaceQuery(tok, sent, clause, resolve, is_actor, place_ctx, narrative, focus, capital_of)
    place, also = _rule_place(q)
    near = _near_an_unnamed_unit(place, sent) if place is not None and place.place is not None else None
    if place is not None and place.place is not None and not also and (
            place.place.kind == "province" or near is not None):
        finer = _finer_in_article(place, sent, resolve, place_ctx)
        # an unnamed provincial capital near a place is a unit of its own, never that place
        # ('captured a strategic provincial capital near Kabul'): with none finer the report
        # has no place, and joins its article's event of that day
        place = finer or (None if near == "capital" else place)
    return place, also


def _rule_place(q: PlaceQuery) -> tuple[PlaceRef | None, list[PlaceRef]]:
    """:func:`place_for`'s rules in the sentence, before the article makes a province (or a
    town an unnamed one lies near) finer."""
    tok, sent, clause, resolve, is_actor, place_ctx, narrative, focus, capital_of = q
    raw: PlaceRef | None = None
    site = False  # the raw span is a facility or landmark, not a settlement
    weak: PlaceRef | None = None
    abroad: PlaceRef | None = None  # a country whose unit the trigger is said to happen in
    resolved: list[tuple[int, SpacySpan, Place]] = []
    for rank, ent in enumerate(c for c in place_candidates(tok, sent, clause)[:_MAX_CANDIDATES]
                               if not is_dateline(c)):
        if _names_a_side(ent) or _names_water(ent):
            continue
        whole = _whole_name(ent, sent)
        place = resolve(whole.text, sentence=span_text(sent), context=place_ctx) if whole is not ent else None
        if place is not None and place.kind not in WEAK_PLACE_KINDS:
            ent = whole  # 'Surkh-o- Parsa District' tagged 'Parsa District'
        else:
            place = resolve(ent.text, sentence=span_text(sent), context=place_ctx)
            if whole is not ent and place is not None and not _in_story(place, place_ctx):
                # 'Myrna Dolyna' tagged 'Dolyna' in a story about Luhansk: the part names
                # another settlement far away (Dolyna of Ivano-Frankivsk); the whole is unknown
                place, ent = None, whole
        span = Span(ent.start_char, ent.end_char, ent.text)
        if place is None:
            if raw is None and ent.label_ in LOCATION_LABELS and not is_actor(ent.text):
                raw = PlaceRef(span=span, place=None, score=0.0)
                site = (ent.label_ in _SITE_LABELS or _quarter_name(ent)) \
                    and not _reference_point(ent) and not _destination(ent)
            continue
        if place.kind in WEAK_PLACE_KINDS:
            if abroad is None and ent.root.dep_ == "poss" and _foreign(place, place_ctx) \
                    and _said_abroad(ent, tok, clause):
                # "in Pakistan's Lower Dir district": a unit abroad the gazetteer does not
                # know ('attacks in the United States' names no place of the war)
                abroad = PlaceRef(span=span, place=place, score=0.3)
            weak = weak or PlaceRef(span=span, place=place, score=0.3)
            continue
        resolved.append((rank, ent, place))
    if resolved and not _foreign_ok(tok):
        # 'a Taliban delegation visiting Moscow claimed it controls 85 percent': fighting and
        # territory are coded where they happen, in the focus country; talks abroad stay
        # abroad, and so does what the trigger's clause says happened there ('soldiers were
        # killed in Chaman')
        home = [r for r in resolved if not _foreign(r[2], place_ctx) or _reviewed_site(r[2])
                or _said_abroad(r[1], tok, clause)]
        if len(home) < len(resolved):
            if not home:
                stand_in = next((p for p in (narrative, focus)
                                 if p is not None and p.place is not None
                                 and not _foreign(p.place, place_ctx)), None)
                if stand_in is None:
                    return None, []
                return PlaceRef(span=stand_in.span, place=stand_in.place, score=0.4), []
            resolved = home
    if resolved and (narrative or focus) is not None:
        # 'officials were leaving the city for Kabul', 'fled to Faizabad': a destination is
        # where people went, not where the event happened
        kept = [r for r in resolved if not _destination(r[1]) and not _reference_point(r[1])
                and not _origin(r[1], tok) and not _quoted_apart(r[1], tok, sent)
                and not _seat_of_a_body(r[1])]
        if not kept:
            stand_in = narrative or focus
            assert stand_in is not None
            bearing = _bearing_apart(resolved, stand_in, clause)
            if bearing is not None:
                return bearing, []
            return PlaceRef(span=stand_in.span, place=stand_in.place, score=0.4), []
        resolved = kept
    if len(resolved) > 1:
        # 'the blast happened in Asadabad ..., targeting the police chief for Shigal district':
        # a place that says whose office a noun is, not where anything happened, yields to
        # the sentence's other places
        resolved = [r for r in resolved if not _names_an_office(r[1].root)] or resolved
    if resolved:
        rank, ent, place = _finest(resolved, clause)
        if _names_campaign(ent, tok):
            # 'retook Vysokopillia ..., raising the flag in honour of its successes in the
            # Kherson counteroffensive': the campaign is named after its region; the story's
            # own place in that region is where it happened
            inside = next((r for r in resolved if r[2].id != place.id and r[2].admin1_id == place.admin1_id
                           and r[2].kind != "province"), None)
            if inside is not None:
                rank, ent, place = inside
            elif narrative is not None and narrative.place is not None and narrative.place.id != place.id \
                    and narrative.place.admin1_id == place.admin1_id:
                return PlaceRef(span=narrative.span, place=narrative.place, score=0.4), []
        if (is_speaker_place(ent, tok, sent) or _told_at(ent, tok)) and (narrative or focus) is not None:
            stand_in = narrative or focus
            assert stand_in is not None
            return PlaceRef(span=stand_in.span, place=stand_in.place, score=0.4), []
        if place.kind == "province" and capital_of is not None and (_CAPITAL_OF.search(
                doc_text(sent.doc)[max(0, ent.start_char - 45) : ent.start_char]) or _names_capital(ent)
                or _office_building(ent.root)):
            capital = capital_of(place.admin1_id or place.id)
            if capital is not None:  # 'the capital of Badghis province' names the town
                place = capital
        quarter = _named_quarter(ent)
        if quarter is not None:
            place, ent = _in_quarter(place, ent, quarter, sent, resolve, place_ctx, capital_of)
        elif place.kind == "city" and _inside_subarea(ent, tok):
            province = resolve(f"{place.admin1} province", sentence=span_text(sent), context=place_ctx)
            if province is not None and province.kind == "province" and province.name == place.name:
                place = province  # 'two districts of Herat were taken': the province, not the city
        score = 0.9 if rank == 0 else 0.7
        chained = _unit_chain(ent, sent, resolve, place_ctx, capital_of, score, tok)
        if chained is not None:
            return chained
        listed = _listed(ent, sent, resolve, place_ctx, capital_of, score)
        if listed is not None:
            return listed
        chosen = PlaceRef(Span(ent.start_char, ent.end_char, ent.text), place, score)
        return chosen, _coordinated(ent, sent, resolve, place_ctx, place)
    if abroad is not None and raw is None:
        # 'a soldier was killed in Pakistan's Lower Dir district': an event across the
        # border is no event of the story's place at home
        return abroad, []
    stand_in = narrative or focus
    if raw is not None and site and stand_in is not None and stand_in.place is not None:
        # 'struck at Abbey Gate', 'killed on Darulaman Road': an unknown gate, road or zone
        # lies in the story's place (a named town, not a new unknown one)
        return PlaceRef(span=stand_in.span, place=stand_in.place, score=0.4), []
    if raw is not None:
        return raw, []
    named = _named_before(sent, resolve, place_ctx, narrative)
    if named is not None:
        return named, []
    if narrative is not None:
        return PlaceRef(span=narrative.span, place=narrative.place, score=0.4), []
    return (focus or weak), []


#: the kinds of settlement an unnamed 'town' or 'village' of the sentence may be named as
_SETTLEMENT_KINDS = ("city", "village")
_UNIT_NOUN_KINDS = {"district": ("district",), "city": _SETTLEMENT_KINDS, "village": _SETTLEMENT_KINDS}
_MENTIONS_KEY = "sitrep.place_mentions"


def _article_mentions(doc: Doc, resolve: Resolve, place_ctx: Any) -> list[PlaceRef]:
    """Every resolved place the article names (datelines, captions and the places that
    only say whose office a noun is aside: 'the police chief for Shigal district'), in text
    order; computed once per document."""
    cached = doc.user_data.get(_MENTIONS_KEY)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    out: list[PlaceRef] = []
    for ent in ents_in(doc):
        if not names_a_place(ent) or is_caption(ent.sent) or _told_at(ent) or _names_an_office(ent.root):
            continue
        place = resolve(ent.text, sentence=span_text(ent.sent), context=place_ctx)
        if place is not None and place.kind not in WEAK_PLACE_KINDS:
            out.append(PlaceRef(Span(ent.start_char, ent.end_char, ent.text), place, 0.4))
    doc.user_data[_MENTIONS_KEY] = out
    return out


_ANAPHORS = {noun: tuple(kinds.split()) for noun, kinds in WORDS.map("anaphor_nouns").items()}
#: how many characters before the sentence an anaphor's place may be named
_ANAPHOR_REACH = 1500


def _named_before(sent: SpacySpan, resolve: Resolve, place_ctx: Any,
                  narrative: PlaceRef | None) -> PlaceRef | None:
    """The place a definite unit noun of the sentence refers back to ('the fighting occurred
    on the western entrance to the valley', 'recaptured this settlement'): the story's place
    when it fits the noun, else the last place named before with that noun ('the Panjshir
    valley') or of its kind; None when the sentence has no such noun or no place fits."""
    nouns = [t for t in sent if t.lemma_.lower() in _ANAPHORS and t.pos_ == "NOUN" and not t.ent_type_
             and _definite(t)
             and not any(c.dep_ in ("compound", "prep", "amod") and (c.pos_ == "PROPN" or c.lower_ == "of")
                         for c in t.children)]
    if not nouns:
        return None
    text = doc_text(sent.doc)

    def fits(m: PlaceRef, word: str, kinds: tuple[str, ...]) -> bool:
        after = text[m.span.end : m.span.end + len(word) + 2].strip().lower()
        return word in m.span.text.lower() or after.startswith(word) or (
            m.place is not None and m.place.kind in kinds)

    for noun in nouns:
        word, kinds = noun.lemma_.lower(), _ANAPHORS[noun.lemma_.lower()]
        if narrative is not None and narrative.place is not None and fits(narrative, word, kinds):
            return PlaceRef(narrative.span, narrative.place, 0.4)
        before = [m for m in _article_mentions(sent.doc, resolve, place_ctx)
                  if sent.start_char - _ANAPHOR_REACH <= m.span.start and m.span.end <= sent.start_char]
        for m in reversed(before):
            if fits(m, word, kinds):
                return PlaceRef(m.span, m.place, 0.4)
    return None


def _unit_noun(sent: SpacySpan) -> tuple[str | None, bool]:
    """The kind of an unnamed unit the sentence speaks of ('a key town in Kandahar
    province', 'an important district ... in Parwan province') and whether it is plural
    ('two districts in Takhar'); (None, False) when it names none."""
    for t in sent:
        kind = list_kind(t)
        if kind not in _UNIT_NOUN_KINDS or t.ent_type_ or t.pos_ != "NOUN":
            continue
        if any(c.dep_ in ("compound", "nmod", "appos") and c.pos_ == "PROPN" for c in t.children) or any(
                c.dep_ == "prep" and c.lower_ == "of" and any(g.pos_ == "PROPN" for g in c.subtree)
                for c in t.children) or (t.i > sent.start and t.doc[t.i - 1].pos_ == "PROPN"):
            continue  # 'Chahar Dara district', 'the district of Khenj', 'the city of Herat province'
        return kind, t.tag_ in ("NNS", "NNPS")
    return None, False


def _root_at(ref: PlaceRef, sent: SpacySpan) -> Token | None:
    """The head token of the entity a place of the sentence was read from."""
    ent = next((e for e in ents_in(sent) if e.start_char <= ref.span.start < e.end_char), None)
    return ent.root if ent is not None else None


def _near_an_unnamed_unit(ref: PlaceRef, sent: SpacySpan) -> str | None:
    """The kind of unnamed town the place only says lies near it ('struck a recreation
    centre in a small coastal town near Odesa': a city, another place of its province;
    'captured a provincial capital near Kabul': a capital), or None."""
    root = _root_at(ref, sent)
    if root is None or root.dep_ != "pobj" or root.head.lower_ not in _VICINITY_PREPS:
        return None
    unit = root.head.head
    kind = list_kind(unit)
    if kind in ("city", "village", "capital") and unit.tag_ == "NN" and not unit.ent_type_ \
            and not any(c.dep_ in ("compound", "appos") and c.pos_ == "PROPN" for c in unit.children):
        return kind
    return None


_OFFICE_NOUNS = WORDS.list("office_nouns")


def _locative(ref: PlaceRef, sent: SpacySpan) -> bool:
    """The place is said as where something is or happens ('in the northern Takhar
    province', 'hit the province of Kunduz', 'the Kunduz mosque blast'), not as what an
    office or an official belongs to ('the secretary to the governor of Kandahar', 'the
    Kandahar governor'): such a province says whose office, the seat being its capital. A
    place standing in from another sentence (the story's) is taken as it stands."""
    tok = _root_at(ref, sent)
    return tok is None or not _names_an_office(tok)


#: the prepositions that say whose an office is ('the governor of Kandahar', 'the police
#: chief for Shigal district')
_OFFICE_PREPS = ("of", "for")


def _names_an_office(tok: Token) -> bool:
    """The place (its head token) says whose office a noun is ('the Kandahar governor', 'the
    secretary to the governor of Kandahar', 'the Taliban police chief for Shigal district'),
    not where anything is."""
    return _owned_by(tok, _OFFICE_NOUNS)


def _owned_by(tok: Token, nouns: frozenset[str]) -> bool:
    """The place (its head token) modifies or owns one of ``nouns`` ('the Kandahar
    governor', 'the office of the Helmand governor'), through compounds, possessives and
    'of' / 'for' phrases."""
    while tok.dep_ in ("compound", "nmod", "poss", "pobj"):
        if tok.dep_ == "pobj":
            if tok.head.lower_ not in _OFFICE_PREPS:
                return False  # 'in Kunduz', 'near Kandahar'
            tok = tok.head
        tok = tok.head
        if tok.lemma_.lower() in nouns or tok.lower_ in nouns:
            return True
    return False


_OFFICE_BUILDINGS = WORDS.list("office_buildings")
#: a determiner before a plural unit noun that points at units named elsewhere ('the districts')
_REFERRING_DETERMINERS = word_list("referring_determiners")


def _office_building(tok: Token) -> bool:
    """The place (its head token) names the office whose building is meant ('near the
    Helmand governor's office', 'the headquarters of the Kunduz police'): a province's
    offices sit in its capital."""
    return _owned_by(tok, _OFFICE_BUILDINGS)


def _owns_a_town(ref: PlaceRef, sent: SpacySpan) -> bool:
    """The province is named as the owner of a town ('the western city of Herat
    province'): its capital, not some other place of it."""
    at = _root_at(ref, sent)
    if at is None:
        return False
    for anc in at.ancestors:
        if anc.dep_ == "prep" and anc.lower_ == "of":
            return list_kind(anc.head) in ("city", "capital")
        if anc.pos_ not in ("PROPN", "NOUN"):
            return False
    return False


def _finer_in_article(ref: PlaceRef, sent: SpacySpan, resolve: Resolve, place_ctx: Any) -> PlaceRef | None:
    """The one finer place the article names inside the province the sentence gives (or
    in the province of the town an unnamed town lies near): 'A blast hit the province of
    Kunduz ...' with 'the incident occurred in the Chahar Dara district' a sentence later,
    'captured a key town in Kandahar province' in a story that names Spin Boldak, 'a small
    coastal town near Odesa' with 'the town of Serhiyivka' next. A coder codes the most
    specific place the article gives for the event. Only when the article names one such
    area (a district and its town are one; the province's same-named capital is the
    province's name read as a town), of the kind the sentence's unnamed unit says, and the
    sentence speaks of no several units."""
    given = ref.place
    assert given is not None
    kind, plural = _unit_noun(sent)
    if plural or _owns_a_town(ref, sent) or not _locative(ref, sent):
        return None
    key = given.name.casefold()
    provinces = {given.admin1_id if given.kind != "province" else (given.admin1_id or given.id)}
    if given.kind != "province":
        # a city that is a province of its own (Kyiv City) lies inside the province of its
        # name: 'a village near Kyiv' is one of the Kyiv oblast's
        around = resolve(f"{given.name} province", context=place_ctx)
        if around is not None and around.kind == "province":
            provinces.add(around.admin1_id or around.id)
    inside = [m for m in _article_mentions(sent.doc, resolve, place_ctx)
              if m.place is not None and m.place.kind != "province" and m.place.admin1_id in provinces
              and m.place.name.casefold() != key and not _foreign(m.place, place_ctx)]
    wanted = _UNIT_NOUN_KINDS.get(kind or "", ())
    inside = [m for m in inside if m.place is not None and m.place.kind in wanted] or inside
    areas = {m.place.id if m.place.kind == "district" else (m.place.admin2_id or m.place.id)
             for m in inside if m.place is not None}
    if len(areas) != 1:
        return None
    best = min(inside, key=lambda m: (kind == "district") == (m.place is not None and m.place.kind != "district"))
    return PlaceRef(best.span, best.place, min(ref.score, 0.7))


_ABROAD_LEMMAS = word_list("abroad_lemmas")
#: what follows the place of a dateline up to the story: capitalised words, digits and
#: brackets (', June 8,', ' [Afghanistan] July 11', ', 9 Oct 2021', '/Mumbai'), then a wire
#: credit ('(dpa/GNA) –', '(EFE).-', '(IANS) Afghan ...') or a dash or colon ('-- The', ' - The')
_DATELINE_TAIL = re.compile(r"(?:[\s,./\[\]\d]|[A-Z][A-Za-z]*){0,12}?\s*(?:\([^()\n]{2,25}\)\s*\.?\s*"
                            r"(?:--|[-–—:]|(?=[A-Z]))|--|[-–—](?=\s)|\.-|:(?=\s|$))")


#: the other filing places a shared dateline names first ('Kabul/Mumbai (Reuters)-')
_DATELINE_HEAD = re.compile(r"\s*(?:[A-Z][A-Za-z]+\s*/\s*)+")


def is_dateline(ent: SpacySpan) -> bool:
    """The entity opens a line as a dateline ('KABUL, Afghanistan -- The Afghan air force
    carried out ...'): the filing place of the report."""
    text = doc_text(ent.doc)
    line_start = text.rfind("\n", 0, ent.start_char) + 1
    before = text[line_start : ent.start_char]
    if before.strip() and not _DATELINE_HEAD.fullmatch(before):
        return False
    return _DATELINE_TAIL.match(text, ent.end_char, ent.end_char + 60) is not None


def _foreign_ok(tok: Token) -> bool:
    """Whether the trigger may keep a place abroad: talks and agreements (in Doha, Tehran,
    Moscow) are coded where they were held; fighting and territory are not."""
    return tok.lemma_.lower() in _ABROAD_LEMMAS or tok.lower_ in _ABROAD_LEMMAS


#: the prepositions that say where a thing happens ('in Pakistan', 'inside Iran'; not a
#: goal: 'crossed the border into Tajikistan')
_AT_PREPS: tuple[str, ...] = ("in", "inside", "at", "near")


def _said_abroad(ent: SpacySpan, tok: Token, clause: set[int]) -> bool:
    """The trigger's own clause says it happened at the foreign place ('killed in Pakistan's
    Bajaur district', 'clashes inside Iran'), not that the place is a goal, a source or a
    venue elsewhere ('a delegation visiting Moscow claimed ...')."""
    root, preps = ent.root, _AT_PREPS
    if root.dep_ == "poss":
        # "in Pakistan's Bajaur district", "an attack into Pakistan's Bajaur district": the
        # unit is where it happened
        root, preps = root.head, (*_AT_PREPS, "into")
    prep = root.head
    return root.dep_ == "pobj" and prep.lower_ in preps and (prep.head.i == tok.i or prep.head.i in clause)


def _reviewed_site(place: Place) -> bool:
    """A curated place of the gazetteer (``site:`` ids): one across the border is there
    because the war's events happen there (Darra Adam Khel, a TTP stronghold in Kohat),
    unlike a capital where talks are held."""
    return place.id.startswith("site:")


def _foreign(place: Place, place_ctx: Any) -> bool:
    """The place lies in another country than the article's focus country."""
    home = getattr(place_ctx, "focus_country", None)
    return bool(home and place.country and place.country != home)


def _destination(ent: SpacySpan) -> bool:
    """The entity is the goal of a movement ('for Kabul' after 'leaving', 'to Herat' after
    'took the road', 'into Tajikistan' after 'crossed')."""
    for anc in ent.root.ancestors:
        if anc.lemma_.lower() in _GATHERING_NOUNS:
            return False  # 'took to the streets of Zaranj': they gathered in Zaranj
        if anc.dep_ == "prep" and anc.lower_ in _GOAL_PREPS:
            head = anc.head
            if head.lemma_.lower() in _ROUTE_NOUNS and head.dep_ == "pobj" and head.head.lower_ == "on":
                return True  # 'entered several settlements on the way to Kherson'
            return head.lemma_.lower() in _MOVE_LEMMAS or (
                head.lemma_.lower() in _ROUTE_NOUNS and head.head.lemma_.lower() in _MOVE_LEMMAS)
        if anc.pos_ in ("VERB", "AUX"):
            return False
    return False


def _origin(ent: SpacySpan, tok: Token) -> bool:
    """The entity is where a projectile or aircraft was sent off from ('was launched from the
    occupied Crimea', 'fired from Belgorod'), said of another verb than the trigger's own
    ('shelling from X' keeps X only when the trigger is that verb's)."""
    prep = ent.root.head
    if ent.root.dep_ != "pobj" or prep.lower_ != "from" or prep.dep_ != "prep":
        return False
    verb = prep.head
    return verb.pos_ == "VERB" and verb.i != tok.i and verb.lemma_.lower() in _ORIGIN_VERBS


def _seat_of_a_body(ent: SpacySpan) -> bool:
    """The entity is where a body the sentence cites sits ('Amaj News based in Kabul also
    quoted local sources', 'the Kabul-based outlet'); not where armed forces are based
    ('attacked US troops based in Bagram' happened at Bagram)."""
    head = ent.root.head
    if ent.root.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "at"):
        head = head.head
    elif ent.root.dep_ not in ("npadvmod", "compound", "nmod", "amod"):
        return False
    if head.lemma_.lower() not in _SEAT_VERBS and head.lower_ not in _SEAT_VERBS:
        return False
    body = head.head if head.dep_ in ("acl", "amod", "compound") else head
    return body.ent_type_ in ("ORG", "PERSON", "NORP") or body.lemma_.lower() in _SEAT_BODIES


_OPEN_QUOTES = "“«"
_CLOSE_QUOTES = "”»"
_QUOTE_MARK = re.compile("[" + re.escape(_OPEN_QUOTES + _CLOSE_QUOTES + '"') + "]")


def _quotations(sent: SpacySpan) -> list[tuple[int, int]]:
    """Character ranges (article offsets) of the sentence's quotations; a quotation left
    open runs to the sentence's end, one closed without opening from its start."""
    text, base = span_text(sent), sent.start_char
    out: list[tuple[int, int]] = []
    start: int | None = None
    for m in _QUOTE_MARK.finditer(text):  # (only the quote marks act)
        i, ch = m.start(), m.group()
        if ch in _OPEN_QUOTES or (ch == '"' and start is None):
            start = i
        elif ch in _CLOSE_QUOTES or ch == '"':
            out.append((base + (start if start is not None else 0), base + i))
            start = None
    if start is not None:
        out.append((base + start, base + len(text)))
    return out


def _quoted_apart(ent: SpacySpan, tok: Token, sent: SpacySpan) -> bool:
    """The trigger is quoted and the place is not: '“... Taliban fighters entered the city”
    a security official in Baghlan told Efe' places the speaker, not the event."""
    quotes = _quotations(sent)
    inside = next(((a, b) for a, b in quotes if a <= tok.idx < b), None)
    return inside is not None and not inside[0] <= ent.start_char < inside[1]


#: the armed forces a capital's possessive stands for ('Kyiv's forces', 'Moscow's troops');
#: not the police or officials of a place ('Kandahar's police chief' is a Kandahar story)
_ARMED_FORCE_LEMMAS = ("force", "troop", "army", "soldier", "military")


#: a state named after a place ('the Lugansk People's Republic', 'the People's Republics of
#: Donetsk & Lugansk'): a party or a whole region, not a place of the event
_STATE_NOUN = "|".join(sorted(map(re.escape, WORDS.list("state_nouns")), key=len, reverse=True))
_STATE_MODIFIER = "|".join(sorted(map(re.escape, WORDS.list("state_modifiers")), key=len, reverse=True))
_STATE_AFTER = re.compile(rf"\s*(?i:(?:(?:{_STATE_MODIFIER})\s+)?(?:{_STATE_NOUN}))\b")
_STATE_BEFORE = re.compile(rf"\b(?i:{_STATE_NOUN})\s+of\s+(?:the\s+)?(?:[A-Z][\w-]*\s*(?:,|&|and)\s*)*$")
_STATE_NOUN_CHARS = max(map(len, WORDS.list("state_nouns")))


_WATER_NOUNS = frozenset(word_list("water_nouns"))


def _names_water(ent: SpacySpan) -> bool:
    """The name is a river's, a lake's or a sea's ('the Dnipro River', 'the Amu river',
    'the Kakhovka Reservoir'): the water body, not the town it shares a name with."""
    last = ent[-1].lower_
    following = ent.doc[ent.end].lower_ if ent.end < len(ent.doc) else ""
    return last in _WATER_NOUNS or following in _WATER_NOUNS


def names_a_place(ent: SpacySpan) -> bool:
    """The entity names a place where the story may happen: a location, not the dateline's
    filing place, not a river or a sea."""
    return ent.label_ in LOCATION_LABELS and not is_dateline(ent) and not _names_water(ent) \
        and not a_surname(ent)


def _names_a_side(ent: SpacySpan) -> bool:
    """The place stands for a government and its forces ('Kherson city, which Kyiv's forces
    recaptured', 'Moscow's troops') or names a self-proclaimed state ('allied troops of the
    People's Republics of Donetsk & Lugansk'): an actor, not where anything happened."""
    root = ent.root
    if root.dep_ == "poss" and root.head.lemma_.lower() in _ARMED_FORCE_LEMMAS:
        return True
    text = doc_text(ent.doc)
    return bool(_STATE_AFTER.match(text, ent.end_char)
                or _STATE_BEFORE.search(text, _state_window(text, ent.start_char), ent.start_char))


def _state_window(text: str, end: int) -> int:
    """Where a :data:`_STATE_BEFORE` match ending at ``end`` can start, at the earliest:
    after its list of names ('of Donetsk & Lugansk') no full stop comes, so it starts within
    the longest state noun before the last full stop (searching the article from its start
    for every place found the same match and cost a scan of the whole text)."""
    return max(0, text.rfind(".", 0, end) + 1 - _STATE_NOUN_CHARS)


_TELLING_LEMMAS = reporting_verbs("speaker_places") - {"claim"}  # claimed the attack in X: its place
_TOLD_AT_PREPS = ("in", "at", "to", "from", "by")


def _told_at(ent: SpacySpan, tok: Token | None = None) -> bool:
    """The place is where news was told, not where anything happened: a place of a
    reporting verb's own phrase after it ('Karimi confirmed the attack to ToloNews in
    Kabul', 'the governor said in Kharkiv that the army had recaptured ...', 'an official
    told reporters by phone from Fayzabad'); with a trigger, only a verb whose report holds
    the trigger."""
    node = ent.root
    for anc in ent.root.ancestors:
        if anc.pos_ in ("VERB", "AUX"):
            # (a passive 'killings were reported in Kahor' places what was reported)
            told = anc.lemma_.lower() in _TELLING_LEMMAS and not any(c.dep_ == "auxpass" for c in anc.children) \
                and (tok is None or (
                anc.i != tok.i and any(a.i == anc.i for a in tok.ancestors)
                and tok.i not in subtree_indices(node)))
            # after the verb: a fronted 'In Lashkar Gah, where fighting had raged, an official
            # said ...' sets the scene of the report
            return told and node.dep_ == "prep" and node.lower_ in _TOLD_AT_PREPS and node.i > anc.i
        node = anc
    return False


def _names_campaign(ent: SpacySpan, tok: Token) -> bool:
    """The place only names the trigger noun's campaign ('the Kherson counteroffensive',
    'the Kharkiv offensive'): a modifier of the trigger itself."""
    return ent.root.head.i == tok.i and ent.root.dep_ in ("compound", "nmod", "amod") and tok.pos_ == "NOUN"


def _bearing_apart(resolved: list[tuple[int, SpacySpan, Place]], stand_in: PlaceRef,
                   clause: set[int]) -> PlaceRef | None:
    """The one place the sentence locates its event from ('raided a hideout north of Kabul')
    when the story's place lies in another province (a Jalalabad story's later paragraph):
    the event happened near the point it names, as a coder codes it (approximately), not in
    the story's town (basis :data:`~sitrep.model.NEAR`: control reads no change of the town
    from it). None when the sentence names other places, the point lies outside the
    trigger's clause, the sentence speaks of the story's place ('the town'), or the story's
    place is in the point's province (the district 'south of Kabul' a Kabul story named
    before)."""
    if len(resolved) != 1 or stand_in.place is None:
        return None
    _rank, ent, place = resolved[0]
    if ent.root.i not in clause:
        return None  # 'fighters who came from a base south of Kandahar attacked a checkpoint'
    if any((t.lemma_.lower() in _ANAPHORS or t.lemma_.lower() in _TOWN_NOUNS) and t.pos_ == "NOUN"
           and _definite(t) for t in ent.sent):
        return None  # 'captured the town, a railway hub west of Sievierodonetsk': the story's town
    if not _reference_point(ent) or place.kind in WEAK_PLACE_KINDS or place.kind == "province" \
            or place.admin1_id is None or place.admin1_id == stand_in.place.admin1_id:
        return None
    near = replace(place, geo_precision=max(place.geo_precision or 1, 2))  # ACLED: 'near' the town
    return PlaceRef(Span(ent.start_char, ent.end_char, ent.text), near, 0.5, NEAR)


def _reference_point(ent: SpacySpan) -> bool:
    """The entity only locates something else ('Ghazni, south of Kabul', '50 km north of
    Kabul', 'the highway between Kabul and the north')."""
    prep = ent.root.head
    if ent.root.dep_ in ("conj", "appos"):  # 'between Kabul and the north' / 'north of X and Y'
        prep = ent.root.head.head  # / 'north of the Afghan capital Kabul'
    elif ent.root.dep_ == "compound" and ent.root.head.dep_ == "pobj":
        prep = ent.root.head.head  # 'north of the capital city Kabul' parsed as a compound
    if prep.dep_ == "prep" and prep.lower_ == "of" and prep.head.lemma_.lower() in _CAPITAL_NOUNS \
            and prep.head.dep_ == "pobj":
        prep = prep.head.head  # '60 km south of the national capital of Kabul'
    if prep.dep_ != "prep":
        return False
    if prep.lower_ == "between" or (prep.lower_ == "to" and prep.head.lemma_.lower() in _NEAR):
        return True  # 'the link between the capital and Kandahar', 'closest to Kabul'
    return prep.lower_ in ("of", "from") and prep.head.lemma_.lower() in _BEARINGS


_BEARINGS = word_list("bearings")
_NEAR = word_list("near_words")
_GOAL_PREPS = word_list("goal_preps")
_MOVE_LEMMAS = word_list("move_verbs")
_ROUTE_NOUNS = word_list("route_nouns")
_GATHERING_NOUNS = WORDS.list("gathering_nouns")
_ORIGIN_VERBS = WORDS.list("origin_verbs")
_SEAT_VERBS = WORDS.list("seat_verbs")
_SEAT_BODIES = WORDS.list("seat_bodies")


def _definite(noun: Token) -> bool:
    """The noun is made definite by 'the', 'this' or 'that' ('the town', 'this settlement')."""
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children)


def refers_to_the_city(tok: Token, clause: set[int]) -> bool:
    """The trigger's clause speaks of 'the city' / 'the town' without naming it ('left the
    city without any resistance'): the town last named is meant, not the story's province."""
    doc = tok.doc
    for i in clause:
        t = doc[i]
        if t.lemma_.lower() in _TOWN_NOUNS and t.tag_ == "NN" and not t.ent_type_ and _definite(t) \
                and not any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
            return True
    return False


def _names_capital(ent: SpacySpan) -> bool:
    """The province is named as the owner of its capital: 'the provincial center of
    Afghanistan's western province of Nimroz', 'the Jawzjan provincial center', 'the center
    of Helmand province' (Afghan usage: the provincial capital); or a province's name said to
    be a capital by its apposition ('took Maidan Wardak, the capital of Maidan Wardak': the
    town, called by the province's name)."""
    doc = ent.doc
    named_province = "province" in ent.text.lower() or (ent.end < len(doc) and doc[ent.end].lower_ == "province")
    tok = ent.root
    if any(c.dep_ == "appos" and c.i >= ent.end and c.lemma_.lower() in _CAPITAL_NOUNS and _of_a_place(c)
           for c in tok.children):
        return True
    for _ in range(4):
        if tok.dep_ in ("compound", "nmod", "amod") and _is_capital_noun(tok.head, named_province):
            return True
        if tok.dep_ != "pobj" or tok.head.lower_ != "of":
            return False
        noun = tok.head.head
        if _is_capital_noun(noun, named_province):
            return True
        if noun.lemma_.lower() != "province":
            return False
        tok = noun  # 'of the western province of Nimroz': climb to what the province is of
        named_province = True
    return False


def _of_a_place(noun: Token) -> bool:
    """The noun is said of a named place or of a province ('the capital of Maidan Wardak',
    'the provincial capital'; not 'the capital of opium production')."""
    return any(c.lower_ == "provincial" for c in noun.children) or any(
        c.dep_ == "prep" and c.lower_ == "of" and any(
            g.dep_ == "pobj" and (g.ent_type_ in LOCATION_LABELS or g.lemma_.lower() == "province")
            for g in c.children) for c in noun.children)


def _is_capital_noun(tok: Token, named_province: bool) -> bool:
    lemma = tok.lemma_.lower()
    if lemma in _CAPITAL_NOUNS:
        return True
    return lemma in _CENTRE_NOUNS and (named_province or any(
        c.lemma_.lower() == "provincial" for c in tok.children))


def _inside_subarea(ent: SpacySpan, tok: Token) -> bool:
    """The place names where a *part* was taken ('two districts of Herat', 'a key area of
    its stronghold in Kandahar') or names a province ('neighbouring provinces, including
    that of Herat'): a name shared by a province and its capital then means the province —
    the city itself did not change hands."""
    prep = ""
    for anc in ent.root.ancestors:
        if prep in _CONTAINER_PREPS and anc.lemma_.lower() in _QUARTER_NOUNS:
            return False  # 'the Shia majority area of Kabul': a quarter of the city itself
        if anc.pos_ in ("NOUN", "PROPN") and any(c.like_num and (c.dep_ != "nummod" or c.i > anc.i) for c in anc.children):
            return False  # "Kabul's 17th district", 'District 9 of Kabul': a numbered city district
        if anc.pos_ in ("NOUN", "PROPN") and (anc.lemma_.lower() in _SUBAREA_NOUNS or (
                prep == "in" and anc.lemma_.lower() in _TOWN_NOUNS)):
            return True  # 'a key town in Kandahar' is some town of the province
        if anc.i == tok.i:
            return False
        prep = anc.lower_ if anc.dep_ == "prep" else prep
    return False


def _quarter_name(ent: SpacySpan) -> bool:
    """The entity names a quarter ('Mahtab Qala locality', 'the Sherpur area')."""
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else ent.root.head
    return ent.root.head.lemma_.lower() in _QUARTER_NOUNS or after.lemma_.lower() in _QUARTER_NOUNS


def _named_quarter(ent: SpacySpan) -> SpacySpan | None:
    """The name of the city quarter ``ent`` is the city of: 'the Dasht-e Barchi area of
    western Kabul', 'the northern Kabul neighborhood of Khair Khana', 'Dashti Barchi, an
    area in Kabul' (None otherwise)."""
    root = ent.root
    if root.dep_ == "compound":
        noun = root.head
    elif root.dep_ == "pobj" and root.head.lower_ in _CONTAINER_PREPS and root.head.dep_ == "prep":
        noun = root.head.head
    else:
        return None
    if noun.lemma_.lower() not in _QUARTER_NOUNS:
        return None
    inside = set(range(ent.start, ent.end))
    if noun.dep_ == "appos" and noun.head.pos_ == "PROPN" and noun.head.i not in inside:
        return ent.doc[noun.head.left_edge.i : noun.head.i + 1]  # 'Dashti Barchi, an area in Kabul'
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i not in inside:
            names = [t for t in child.children if t.dep_ == "pobj" and t.pos_ == "PROPN" and t.i not in inside]
            if names:
                sub = list(names[0].subtree)
                return ent.doc[sub[0].i : sub[-1].i + 1]
    named = [c for c in noun.lefts if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN" and c.i not in inside]
    if not named:
        return None
    start = min(t.i for c in named for t in c.subtree)
    end = max(t.i for c in named for t in c.subtree) + 1
    if all(t.text[:1].isupper() or t.text in _NAME_LINKS or t.is_punct for t in ent.doc[end : noun.i]):
        end = noun.i  # 'the Dasht-e-Barchi area': the parser splits the hyphenated name
    return ent.doc[start:end]


def _in_quarter(place: Place, ent: SpacySpan, quarter: SpacySpan, sent: SpacySpan, resolve: Resolve,
                place_ctx: Any, capital_of: Callable[[str], Place | None] | None) -> tuple[Place, SpacySpan]:
    """A named quarter places the event in its city (a province standing for its same-named
    capital), at the quarter itself when the gazetteer knows it inside that city's district;
    an area of a province is the district or town of that name there ('the Andarob area of
    Baghlan province' is Andarab district)."""
    if place.kind == "province":  # (an area named after its district: 'Andarob' of Andarab)
        known = resolve(quarter.text, sentence=span_text(sent), context=place_ctx) or resolve(
            f"{quarter.text} district", sentence=span_text(sent), context=place_ctx)
        if known is not None and known.kind in ("district", "city", "village") \
                and known.admin1_id == (place.admin1_id or place.id) and known.name != place.name:
            return known, quarter
    if place.kind == "province" and capital_of is not None:
        capital = capital_of(place.admin1_id or place.id)
        if capital is not None and capital.name == place.name:
            place = capital
    if place.kind != "city":
        return place, ent
    known = resolve(quarter.text, sentence=span_text(sent), context=place_ctx)
    if known is not None and known.kind in ("village", "city") and known.id != place.id and (
            known.admin2_id == place.admin2_id and known.admin1_id == place.admin1_id):
        return known, quarter
    return place, ent


#: what a town does not yield to when it locates it: a wider unit, and a site inside it
#: ('the Azot plant in Sievierodonetsk' is coded at the town, as ACLED does)
_NOT_FINER = ("province", "country", "region", "site", "base", "prison", "border_crossing")


def _finest(resolved: list[tuple[int, SpacySpan, Place]], clause: set[int]) -> tuple[int, SpacySpan, Place]:
    """The best-ranked place, refined to a town/district of the same province named in the
    clause, or to the place the best-ranked one only locates ('Khan Abad district in
    Kunduz', 'the city of Trostianets in the Sumy region': the bare 'Kunduz' or 'Sumy' reads
    as the provincial capital, yet it only says where the finer place lies)."""
    rank, ent, place = resolved[0]
    if place.kind != "province":
        located = next(((r2, e2, p2) for r2, e2, p2 in resolved[1:]
                        if p2.kind not in _NOT_FINER and p2.id != place.id
                        and (p2.admin1_id == place.admin1_id or _vicinity(ent))
                        and "conj" not in (ent.root.dep_, e2.root.dep_)
                        and _locates(ent, e2)), None)  # 'Kunduz and Imam Sahib' are two places
        return located or (rank, ent, place)
    finer = [(r2, e2, p2) for r2, e2, p2 in resolved[1:] if p2.kind != "province"
             and (p2.admin1 == place.admin1 or p2.admin1_id == place.admin1_id)]
    for r2, e2, p2 in finer:
        if any(t.i in clause for t in e2) or _locates(ent, e2):
            return r2, e2, p2
    # 'said that Bangi and Khwaja Ghar districts in the northern Takhar province ... were
    # retaken': the parser hangs the trigger off 'said', but the districts are still the
    # places of the province the trigger names
    listed = [f for f in finer if len(coordination_group(f[1])[0]) > 1
              or f[1].root.dep_ in ("nsubj", "nsubjpass")]
    return listed[0] if listed else (rank, ent, place)


_CONTAINER_PREPS = ("in", "of")
#: 'Irpin and Bucha, commuter towns outside Kyiv', 'Hostomel, near Kyiv': the city only
#: says where the towns lie
_VICINITY_PREPS = ("near", "outside", "around")
#: the words between a place and the province it lies in: ', in the southern ', ' of '
_LOCATED_IN = re.compile(r"\s*(?:district|town|city|village)?\s*,?\s*(?:in|of)\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}")


def _vicinity(ent: SpacySpan) -> bool:
    """The place is what another lies near or outside ('Hostomel, near Kyiv'): a town of
    another province may lie there (Kyiv City is a province of its own), unlike a town
    said to lie *in* it, which then is a homonym read in the wrong province."""
    return ent.root.dep_ == "pobj" and ent.root.head.lower_ in _VICINITY_PREPS


def _locates(outer: SpacySpan, inner: SpacySpan) -> bool:
    """``outer`` only says where ``inner`` lies: 'Islam Qala in Herat province', 'the border
    town of Spin Buldak, in Kandahar province', 'the Nijrab district of Kapisa province',
    "Kandahar province's Spin Boldak district" (the province hangs off the finer place),
    'Hostomel, near Kyiv'."""
    between = doc_text(inner.doc)[inner.end_char : outer.start_char]
    if inner.end_char <= outer.start_char and _LOCATED_IN.fullmatch(between):
        return True  # the parser may hang ', in Kandahar province' off the verb
    head = inner.root.head if inner.root.dep_ == "compound" else inner.root
    inside = range(inner.start, inner.end)
    for steps, anc in enumerate(outer.root.ancestors):
        if anc.i in inside or anc.i == head.i:
            return True
        if steps >= 3 or anc.pos_ in ("VERB", "AUX") or (
                anc.pos_ == "ADP" and anc.lower_ not in _CONTAINER_PREPS + _VICINITY_PREPS):
            return False
    return False


def _listed(ent: SpacySpan, sent: SpacySpan, resolve: Resolve, place_ctx: Any,
            capital_of: Callable[[str], Place | None] | None,
            score: float) -> tuple[PlaceRef, list[PlaceRef]] | None:
    """The places of a list whose kind the text names ('the TakhtaPul, Mianshen and Zherai
    districts', 'Eight districts ..., including Chal, Baharak and Ishkamish', 'the capital
    cities of Herat, Helmand and Kandahar provinces'): every member is resolved as that
    kind and becomes its own event, the chosen entity first. None when ``ent`` is in no such
    list (the caller then keeps its own reading)."""
    members, kind = coordination_group(ent)
    if len(members) < 2 or kind is None:
        return None
    refs: list[PlaceRef] = []
    seen: set[str] = set()
    exact: set[str | None] = set()
    loose: list[PlaceRef] = []
    for member in members:
        place, as_kind = _as_kind(member.text, kind, span_text(sent), resolve, place_ctx, capital_of)
        if place is None or place.id in seen or _foreign(place, place_ctx):
            continue
        seen.add(place.id)
        ref = PlaceRef(Span(member.start_char, member.end_char, member.text), place,
                       score if member == ent else 0.8)
        refs.append(ref)
        if as_kind:
            exact.add(place.admin1_id)
        else:
            loose.append(ref)
    if exact:  # a finer reading must lie in the province of the list's other members
        refs = [r for r in refs if r not in loose or (r.place is not None and r.place.admin1_id in exact)]
    if not refs:
        return None
    first = next((r for r in refs if r.span.start == ent.start_char), refs[0])
    return first, [r for r in refs if r is not first]


_JOINERS = word_list("list_joiners")
_PROVINCE_PREPS = word_list("list_province_preps")
_MEMBER_PREPS = word_list("list_member_preps")
_INTRODUCERS = [tuple(phrase.split()) for phrase in word_list("list_introducers")]
_EXCLUSIONS = word_list("list_exclusions")
_ROLL_CALL_VERBS = word_list("roll_call_verbs")
#: the kinds of unit a list of named members is read for, one event each (the kind noun:
#: 'districts', 'towns', 'villages'); provinces are summaries, capitals go through _listed
_UNIT_KINDS = ("district", "city", "village")
#: how far after its kind noun a list introducer may stand ('villages near Izium: ...')
_REFERENCE_SPAN = 6
_NAME_LINKS = word_list("name_links")


def _in_story(place: Place, place_ctx: Any) -> bool:
    """A settlement lies in a province the article's other places lie in (or the article
    names none: the article's reading of the same name does not vouch for itself); any other
    kind of place counts as in the story."""
    if place.kind not in ("city", "village"):
        return True
    provinces = set(getattr(place_ctx, "admin1_hints", ())) | {
        p.admin1_id for p in getattr(place_ctx, "article_places", ())
        if isinstance(p, Place) and p.admin1_id and p.id != place.id}
    return not provinces or place.admin1_id in provinces


def _whole_name(ent: SpacySpan, sent: SpacySpan) -> SpacySpan:
    """The place's name with the words the tagger cut off its start ('Surkh-o- Parsa
    District' tagged 'Parsa District', 'Myrna Dolyna' tagged 'Dolyna'): capitalised words
    and name links right before it that hang inside the name, no compass word ('North
    Aybak City'); the part alone may be another place (Dolyna of Ivano-Frankivsk)."""
    doc = ent.doc
    start = ent.start
    inside = set(range(ent.start, ent.end))
    for i in range(ent.start - 1, sent.start - 1, -1):
        tok = doc[i]
        link = tok.text == "-" or (tok.text != tok.text.strip("-") and tok.text.strip("-") in _NAME_LINKS)
        name = _is_name(tok) and tok.pos_ == "PROPN" and not tok.ent_type_ and tok.lower_ not in _BEARINGS
        if not (link or name) or tok.head.i not in inside:
            break
        inside.add(i)
        if name:
            start = i  # a name may not start with a link
    return ent if start == ent.start else SpacySpan(doc, start, ent.end, label=ent.label_)


def _is_name(tok: Token) -> bool:
    """A word of a unit's name: capitalised, alphabetic, no kind noun, no date."""
    return (tok.text[:1].isupper() and tok.text.replace("-", "").isalpha() and list_kind(tok) is None
            and not tok.is_stop and tok.pos_ not in ("DET", "PRON")
            and tok.ent_type_ not in ("DATE", "TIME", "NORP"))


class _UnitList(NamedTuple):
    members: list[tuple[int, int]]  # first/last token of each member, in text order
    province: Place | None  # the province the text puts the list in
    start: int  # first token of the list's phrase
    end: int  # last token
    kind: str  # the unit kind its noun names


def _introduced(doc: Doc, i: int, stop: int) -> int | None:
    """The index after a list introducer starting at token ``i`` (', namely', ': ',
    ', including', ', such as'), None when there is none."""
    if i < stop and doc[i].text == ",":
        i += 1
    start, matched = i, True
    while matched:  # ': they are A, B and C'
        matched = False
        for words in _INTRODUCERS:
            end = i + len(words)
            if end <= stop and tuple(t.lower_ for t in doc[i:end]) == words:
                i, matched = end, True
                break
    return i if i > start else None


def _introduced_after(doc: Doc, kind_i: int, stop: int) -> int | None:
    """The index after a list introducer that follows a kind noun and the short phrase
    placing it ('three villages near Izium: A, B and C', 'several towns north of the
    capital, namely A and B'); None when a verb comes first or nothing introduces a list."""
    kind = doc[kind_i]
    for j in range(kind_i + 1, min(stop, kind_i + 1 + _REFERENCE_SPAN)):
        opened = _introduced(doc, j, stop)
        if opened is not None:
            return opened
        if doc[j].pos_ in ("VERB", "AUX") and not _predicate_of(kind, doc[j]):
            return None
    return None


def _predicate_of(subject: Token, tok: Token) -> bool:
    """``tok`` is a word of the verb group whose subject is ``subject`` ('seven settlements
    have been liberated, including A and B': the list still names the settlements)."""
    if subject.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = subject.head
    return tok.i == verb.i or tok.head.i == verb.i and tok.dep_ in ("aux", "auxpass", "neg", "advmod")


def _names(doc: Doc, i: int, stop: int, step: int, used: set[int]) -> tuple[list[tuple[int, int]], int]:
    """Names joined by list joiners from token ``i`` walking by ``step`` (first/last token of
    each, in text order) and the index where the walk stopped."""
    members: list[tuple[int, int]] = []
    run: list[int] = []
    while (i >= stop if step < 0 else i < stop) and i not in used:
        tok = doc[i]
        if _is_name(tok):
            run.append(i)
        elif run and tok.lower_ in _NAME_LINKS and not (tok.whitespace_ and doc[i - 1].whitespace_):
            pass  # 'Koh-e Safi', 'Qala-i-Naw', 'Dasht-e Archi': a linking particle inside one name
        elif tok.lower_ in _JOINERS and (run or members):
            if run:
                members.append((min(run), max(run)))
                run = []
        else:
            break
        i += step
    if run:
        members.append((min(run), max(run)))
    return sorted(members), i


def _unit_lists(sent: SpacySpan, resolve: Resolve, place_ctx: Any) -> list[_UnitList]:
    """The lists of named districts, towns or villages of a sentence with the province each
    lies in: 'Saighan and Kahmard districts in Bamiyan', "Parwan's Sorkh Parsa and Sheikh Ali
    districts", 'the districts of Seyah Gerd and Shinwari of Parwan province', 'three
    districts of Badakhshan, namely Yamgan, Jurm and Warduj', 'villages near Izium: Kamianka
    and Husarivka' (the place they lie near belongs to the list's phrase), in text order.
    Remembered per sentence of a Doc for the same resolver and context (each place of each
    trigger of the sentence asks)."""
    memo = sent.doc.user_data.get(_UNIT_LISTS_KEY)
    if memo is None:
        memo = sent.doc.user_data[_UNIT_LISTS_KEY] = {}
    hit = memo.get((sent.start, sent.end))
    if hit is not None and hit[0] is resolve and hit[1] is place_ctx:
        return hit[2]  # type: ignore[no-any-return]
    found = _read_unit_lists(sent, resolve, place_ctx)
    memo[(sent.start, sent.end)] = (resolve, place_ctx, found)
    return found


_UNIT_LISTS_KEY = "sitrep.unit_lists"


def _read_unit_lists(sent: SpacySpan, resolve: Resolve, place_ctx: Any) -> list[_UnitList]:
    doc = sent.doc
    used: set[int] = set()
    out: list[_UnitList] = []
    for kind_tok in sent:
        kind = list_kind(kind_tok)
        if kind_tok.i in used or kind not in _UNIT_KINDS:
            continue
        assert kind is not None
        members, stop = _names(doc, kind_tok.i - 1, sent.start, -1, used)
        if members and stop >= sent.start and doc[stop].lower_ in _EXCLUSIONS:
            members = members[1:]  # 'Besides Jalalabad, Kunar and Khost cities'
        province: Place | None = None
        end = kind_tok.i
        if members and stop > sent.start and doc[stop].lower_ in ("'s", "’s"):
            owner, _ = _names(doc, stop - 1, sent.start, -1, used)
            if owner:
                province = _province(doc[owner[-1][0] : owner[-1][1] + 1].text, resolve, place_ctx)
        if not members and end + 1 < sent.end and doc[end + 1].lower_ in _MEMBER_PREPS:
            members, stop = _names(doc, end + 2, sent.end, 1, used)
            end = members[-1][1] if members else end
            opened = _introduced(doc, end + 1, sent.end) if len(members) == 1 else None
            if opened is not None:  # 'three districts of Badakhshan, namely Yamgan and Jurm'
                within = _province(doc[members[0][0] : members[0][1] + 1].text, resolve, place_ctx)
                listed, _ = _names(doc, opened, sent.end, 1, used)
                if within is not None and len(listed) >= 2:
                    province, members, end = within, listed, listed[-1][1]
        first = None
        if not members:
            opened = _introduced_after(doc, kind_tok.i, sent.end)
            if opened is not None:  # 'three districts, namely Yamgan, Jurm and Warduj'
                members, _ = _names(doc, opened, sent.end, 1, used)
                end = members[-1][1] if members else end
                first = kind_tok.i
        if len(members) > 1 and end > kind_tok.i and kind_tok.tag_ not in ("NNS", "NNPS"):
            # 'the city of Lashkargah, Helmand's capital': a singular noun names one unit
            members = members[:1]
            end = members[0][1]
        if not members:
            continue
        if province is None and end + 1 < sent.end and doc[end + 1].lower_ in _PROVINCE_PREPS:
            found, after = _province_after(doc, end + 1, sent.end, resolve, place_ctx)
            if found is not None:
                province, end = found, after - 1
        start = min(m[0] for m in members) if first is None else first
        used.update(range(start, end + 1))
        out.append(_UnitList(members, province, start, end, kind))
    return out


def units_named_next(sent: SpacySpan, resolve: Resolve, place_ctx: Any,
                     capital_of: Callable[[str], Place | None] | None) -> list[PlaceRef]:
    """The units the sentence after ``sent`` names as the ones ``sent`` counted, each in the
    province written after its group ('Sources said nine more districts were captured in the
    last 24 hours. The districts include Kofab, Argo and Baharak in Badakhshan, Panjwai in
    Kandahar and Worsaj in Takhar.'): the next sentence opens with the plural kind noun and
    a verb of listing (``roll_call_verbs``); empty otherwise."""
    doc = sent.doc
    first = sent.end
    while first < len(doc) and doc[first].is_space:
        first += 1
    if first >= len(doc):
        return []
    end = next((t.i for t in doc[first : doc[first].sent.end] if t.is_space and "\n" in t.text),
               doc[first].sent.end)
    nxt = doc[first:end]  # the next sentence, up to a line break
    i = first + (doc[first].lower_ in _REFERRING_DETERMINERS)
    kind = list_kind(doc[i]) if i < nxt.end else None
    if kind not in _UNIT_KINDS or doc[i].tag_ not in ("NNS", "NNPS") \
            or i + 1 >= nxt.end or doc[i + 1].lemma_.lower() not in _ROLL_CALL_VERBS:
        return []
    assert kind is not None
    i += 2
    refs: list[PlaceRef] = []
    seen: set[str] = set()
    used: set[int] = set()
    while i < nxt.end:
        members, j = _names(doc, i, nxt.end, 1, used)
        if not members:
            break
        province = None
        if j < nxt.end and doc[j].lower_ in _PROVINCE_PREPS:  # '... and Baharak in Badakhshan'
            province, j = _province_after(doc, j, nxt.end, resolve, place_ctx)
        for a, b in members:
            span = doc[a : b + 1]
            place = _member_place(span.text, kind, province, nxt, resolve, place_ctx, capital_of)
            if place is not None and place.id not in seen and not _foreign(place, place_ctx):
                seen.add(place.id)
                refs.append(PlaceRef(Span(span.start_char, span.end_char, span.text), place, 0.8,
                                     NAMED_NEXT))
        while j < nxt.end and doc[j].lower_ in _JOINERS:
            j += 1
        if j <= i:
            break
        i = j
    return refs if len(refs) >= 2 else []


def units_named_before(sent: SpacySpan, written: SpacySpan, kind: str, count: int | None,
                       resolve: Resolve, place_ctx: Any,
                       capital_of: Callable[[str], Place | None] | None) -> list[PlaceRef]:
    """The units the sentence before ``sent`` listed, when ``sent`` points back at them with
    a definite plural (``written``, 'the said districts': arguments.referred_units) of their
    kind ('The militias seized Pul-e-Hisar, Deh Salah and Banu districts on Friday. The
    Taliban retook the districts on Monday.'): one reference each, written where ``sent``
    names them; empty unless that sentence lists two or more units of the kind (as many as
    ``count`` says when written)."""
    doc = sent.doc
    last = sent.start - 1
    while last >= 0 and doc[last].is_space:
        last -= 1
    if last < 0 or kind not in _UNIT_KINDS:
        return []
    before = doc[last].sent
    lists = [u for u in _unit_lists(before, resolve, place_ctx)
             if u.kind == kind and len(u.members) >= 2]
    if len(lists) != 1 or count is not None and len(lists[0].members) != count:
        return []  # two lists of the kind: which one the sentence means is not written
    listed = lists[0]
    span = Span(written.start_char, written.end_char, written.text)
    refs: list[PlaceRef] = []
    for a, b in listed.members:
        place = _member_place(doc[a : b + 1].text, kind, listed.province, before, resolve,
                              place_ctx, capital_of)
        if place is not None and all(r.place is not None and r.place.id != place.id for r in refs) \
                and not _foreign(place, place_ctx):
            refs.append(PlaceRef(span, place, 0.8, NAMED_BEFORE))
    return refs if len(refs) >= 2 else []


def _province_after(doc: Doc, prep: int, stop: int, resolve: Resolve, place_ctx: Any
                    ) -> tuple[Place | None, int]:
    """The province a list puts its members in after the preposition at ``prep`` ('in
    Bamyan', 'in the central Bamyan province'; a joiner after its name starts the next list),
    and the index after its words (its kind noun included when written)."""
    j = prep + 1
    while j < stop and j - prep <= 3 and doc[j].is_lower and doc[j].is_alpha \
            and doc[j].lower_ not in _JOINERS:
        j += 1  # 'in the central Bamyan province'
    k = j
    while k < stop and _is_name(doc[k]):
        k += 1
    province = _province(doc[j:k].text, resolve, place_ctx) if k > j else None
    return province, k + (k < stop and list_kind(doc[k]) == "province")


def _province(name: str, resolve: Resolve, place_ctx: Any) -> Place | None:
    place = resolve(f"{name} province", context=place_ctx)
    return place if place is not None and place.kind == "province" else None


def _unit_chain(ent: SpacySpan, sent: SpacySpan, resolve: Resolve, place_ctx: Any,
                capital_of: Callable[[str], Place | None] | None,
                score: float, trigger: Token | None = None) -> tuple[PlaceRef, list[PlaceRef]] | None:
    """The units of a chain of lists, each list in its own province ('retook Saighan and
    Kahmard districts in Bamiyan and Chakhansur district in Nimroz', 'the towns of A and B',
    'three villages near X: A, B and C'): one place each, resolved as its list's kind inside
    the province its list names; None when ``ent`` is in no such chain of two or more units,
    nor in a chain whose kind noun is the ``trigger``'s subject or object ('in addition to
    Davydiv Brid, seven other settlements have been liberated, including A, B and C': the
    settlements the trigger tells of are the list's, whichever place the sentence names first)."""
    lists = _unit_lists(sent, resolve, place_ctx)
    if not lists:
        return None
    doc = sent.doc
    chains: list[list[_UnitList]] = [[lists[0]]]
    for item in lists[1:]:
        gap = doc[chains[-1][-1].end + 1 : item.start]
        if all(t.lower_ in _JOINERS for t in gap):
            chains[-1].append(item)
        else:
            chains.append([item])
    for chain in chains:
        if not any(unit.start <= ent.root.i <= unit.end for unit in chain) \
                and not (trigger is not None and any(_counts_for(unit, trigger) for unit in chain)):
            continue
        refs: list[PlaceRef] = []
        seen: set[str] = set()
        for members, province, _, _, kind in chain:
            for a, b in members:
                span = doc[a : b + 1]
                place = _member_place(span.text, kind, province, sent, resolve, place_ctx, capital_of)
                if place is None or place.id in seen or _foreign(place, place_ctx):
                    continue
                seen.add(place.id)
                refs.append(PlaceRef(Span(span.start_char, span.end_char, span.text), place,
                                     score if a <= ent.root.i <= b else 0.8))
        if len(refs) < 2:
            return None
        if all(unit.province is None for unit in chain):
            refs = _together(refs, _near(chain, sent, resolve, place_ctx), resolve, place_ctx)
        first = next((r for r in refs if r.span.start <= ent.start_char < r.span.end), refs[0])
        return first, [r for r in refs if r is not first]
    return None


def _counts_for(unit: _UnitList, trigger: Token) -> bool:
    """The list's kind noun (a list introduced after it: 'seven settlements ..., including A
    and B') is the trigger's subject or object."""
    noun = trigger.doc[unit.start]
    return list_kind(noun) is not None and noun.head.i == trigger.i \
        and noun.dep_ in ("nsubj", "nsubjpass", "dobj")


def _near(chain: list[_UnitList], sent: SpacySpan, resolve: Resolve, place_ctx: Any) -> Place | None:
    """The place a list's phrase puts its members near ('villages near Kupiansk: A, B'),
    None when the phrase names none."""
    members = {i for unit in chain for a, b in unit.members for i in range(a, b + 1)}
    for unit in chain:
        for ent in ents_in(sent.doc[unit.start : unit.end + 1]):
            if ent.label_ in LOCATION_LABELS and ent.start not in members:
                place = resolve(ent.text, sentence=span_text(sent), context=place_ctx)
                if place is not None and place.kind not in WEAK_PLACE_KINDS and place.admin1_id:
                    return place
    return None


def _together(refs: list[PlaceRef], near: Place | None, resolve: Resolve, place_ctx: Any) -> list[PlaceRef]:
    """The members of one list lie together: a member whose name also fits the province of
    the place the list lies near, else the province most of the others lie in (two or
    more, more than any other), is read there ('five settlements near X: A, B, C ...' with
    a village name common to several regions)."""
    counts = Counter(r.place.admin1_id for r in refs if r.place is not None)
    ranked = counts.most_common(2)
    top, n = (near.admin1_id, 2) if near is not None else ranked[0]
    if top is None or n < 2 or (near is None and len(ranked) > 1 and ranked[1][1] == n):
        return refs
    where = near.admin1 if near is not None else next(
        r.place.admin1 for r in refs if r.place is not None and r.place.admin1_id == top)
    out: list[PlaceRef] = []
    for r in refs:
        if r.place is not None and r.place.admin1_id != top:
            there = resolve(r.span.text, sentence=f"{r.span.text}, {where}", context=place_ctx)
            if there is not None and there.admin1_id == top and there.kind == r.place.kind:
                r = PlaceRef(r.span, there, r.score)
        out.append(r)
    return out


def _member_place(name: str, kind: str, province: Place | None, sent: SpacySpan, resolve: Resolve,
                  place_ctx: Any, capital_of: Callable[[str], Place | None] | None) -> Place | None:
    """A member of a list of ``kind`` units, inside the list's province when it names one
    (a member of 'the districts of ... Deh Saleh in Baghlan' that is no district keeps its
    town reading there)."""
    if kind == "district":
        where = f"{name} district in {province.name} province" if province else span_text(sent)
        place = resolve(f"{name} district", sentence=where, context=place_ctx)
        if place is None or place.kind != kind and not newer_district_seat(place):
            place = _as_kind(name, kind, span_text(sent), resolve, place_ctx, None)[0] if province else None
    else:  # 'Jalalabad, Kunar and Khost cities': a member that names no town keeps its own reading
        place = _as_kind(name, kind, span_text(sent), resolve, place_ctx, capital_of)[0] or resolve(
            name, sentence=span_text(sent), context=place_ctx)
    if place is None or place.kind in WEAK_PLACE_KINDS or (
            province is not None and place.admin1_id != province.admin1_id):
        return None
    return place


def _as_kind(text: str, kind: str, sentence: str, resolve: Resolve, place_ctx: Any,
             capital_of: Callable[[str], Place | None] | None) -> tuple[Place | None, bool]:
    """A list member resolved as the list's kind ('Mianshen' of 'the ... districts'), and
    whether it is a unit of that kind.

    A province named in a list of capitals or cities ('the cities of Kandahar and
    neighbouring Helmand province') stands for its capital; a member that is no unit of the
    kind but a finer place ('the districts of Seyah Gerd and Shinwari', Seyah Gerd being a
    town) keeps that finer reading (False: the caller checks its province)."""
    name = text.strip(" ,;:.\"“”'’")
    if kind in ("capital", "city"):
        town = resolve(f"{name} city", sentence=sentence, context=place_ctx)
        if town is not None and town.kind == "city":
            return town, True
        province = resolve(f"{name} province", sentence=sentence, context=place_ctx)
        capital = capital_of(province.admin1_id or province.id) if province is not None \
            and province.kind == "province" and capital_of is not None else None
        if capital is not None:
            return capital, True
        # 'Kiev': 'Kyiv city' names the city-state unit, 'Kiev province' the oblast around it
        bare = resolve(name, sentence=sentence, context=place_ctx)
        return (bare, True) if bare is not None and bare.kind == "city" else (None, False)
    place = resolve(f"{name} {kind}", sentence=sentence, context=place_ctx)
    if place is not None and (place.kind == kind or kind == "village" and place.id.startswith("vil:")):
        return place, True  # (a theatre's village list may hold its villages as towns)
    bare = resolve(name, sentence=sentence, context=place_ctx)
    finer = {"district": ("city", "village", "base", "border_crossing", "prison"),
             "village": ("city",)}.get(kind, ())
    return (bare if bare is not None and bare.kind in finer else None), False


def listed_provinces(sent: SpacySpan, resolve: Resolve, place_ctx: Any) -> int:
    """The length of the longest list of the sentence whose places all name provinces and
    whose kind the text does not make finer ('fighting has been under way in Baghlan,
    Kunduz, Balkh, Takhar and Faryab [provinces]'): a province roll-call summarises the war, it does not
    report one occurrence (0 when the sentence has no such list)."""
    best = 0
    seen: set[int] = set()
    for ent in ents_in(sent):
        if ent.start in seen or ent.label_ not in LOCATION_LABELS:
            continue
        members, kind = coordination_group(ent)
        seen.update(m.start for m in members)
        if kind not in (None, "province") or len(members) < 3 or len(members) <= best:
            continue
        if all(_names_province(m.text, resolve, place_ctx) for m in members):
            best = len(members)
    return best


def _names_province(text: str, resolve: Resolve, place_ctx: Any) -> bool:
    place = resolve(f"{text.strip(' ,;:.')} province", context=place_ctx)
    return place is not None and place.kind == "province"


def _coordinated(ent: SpacySpan, sent: SpacySpan, resolve: Resolve, place_ctx: Any,
                 chosen: Place) -> list[PlaceRef]:
    out: list[PlaceRef] = []
    seen = {chosen.id}
    for other in coordinated_places(ent):
        place = resolve(other.text, sentence=span_text(sent), context=place_ctx)
        if place is None or place.kind in WEAK_PLACE_KINDS or place.id in seen:
            continue
        if place.kind == "province" and chosen.kind != "province" and not member_of_unnamed(other):
            continue  # 'Farah in the west and Helmand' — a province after towns is context
        seen.add(place.id)
        out.append(PlaceRef(Span(other.start_char, other.end_char, other.text), place, 0.8))
    return out
