"""Who did it to whom, and where: event arguments read off the dependency parse.

ACLED codes ``actor1`` as the initiator and ``actor2`` as the target. Syntax gives
them for most wire sentences:

- active verb: subject → actor1, object → actor2 ("the Taliban seized X");
- passive: the ``by`` agent → actor1, the subject → actor2 ("was killed by X");
- "Y fell to X" / "fell into the hands of X" / "under the control of X" → actor1 X;
- "X lost Y (to Z)": X is the loser → actor2 (Z → actor1);
- "X surrendered/ceded ... to Y": Y → actor1, X → actor2 (and so for the nouns: "the
  withdrawal of X from Z", "X's retreat");
- "X and Y clashed", "X clashed with Y", "fighting between X and Y" → both;
- nominal triggers: "the capture of Panjwai by the Taliban", "the entry of the
  Taliban into Qala-e Naw" (``by``/``of`` actor), "fighting opposed X to Y".

Pronouns and anaphors ("they", "the group", "the insurgents") that the actor
book does not resolve are replaced by the actor carried from the previous
sentence or the article's main actor. Places found in subject/object slots are
not actors. The place slot prefers the trigger's own objects ("seized
Panjwai", "entered Qala-i-Naw", "in the city of Qala-i-Naw"), then the
nearest location entity in the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitrep.extract.numbers import parse_number_words
from sitrep.extract.wordlists import word_list, word_map
from sitrep.lexicon import reporting_verbs
from sitrep.model import Actor, ActorRef, Span
from sitrep.nlp import ents_in, subtree_indices
from sitrep.ontology import CIVILIANS_INTER

__all__ = ["ActorSlots", "a_surname", "bare_units", "coordinated_places", "coordination_group", "counted_units", "event_token",
           "failed_to", "find_actors", "fighting_as_topic", "harm_caused_by_event", "is_caption", "member_of_unnamed",
           "nationwide", "list_kind", "place_candidates", "referred_units", "trigger_token"]

ActorResolver = Callable[[str], Actor | None]

_ANAPHORS = word_list("anaphors")
_PLACE_LABELS = ("GPE", "LOC", "FAC")
_NON_ACTOR_LABELS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT")
_LOSER_VERBS = word_list("loser_verbs")
_LOSER_NOUNS = word_list("loser_nouns")
_FALL_VERBS = word_list("fall_verbs")
_OUSTING_VERBS = word_list("ousting_verbs")
_FIGHT_VERBS = word_list("fight_verbs")
_OWNED_NOUNS = word_list("owned_nouns")
_FLAG_NOUNS = word_list("flag_nouns")
_DEMONSTRATIONS = ("Protests", "Riots")
# reporting verbs: their subject is the speaker, not a participant (also: a present-simple
# 'X says' is no photo caption); defined once in data/reporting_verbs.csv
_SPEECH_LEMMAS = reporting_verbs("speaker_places")
_LIST_PREPS = word_list("list_preps")
_MEMBER_PREPS = word_list("list_member_preps")
_CAPTION_VERBS = word_list("caption_verbs")
_SCOPE_PREPS = word_list("scope_preps")
_SCOPE_NOUNS = word_list("scope_nouns")
_ENDING_WORDS = word_list("ending_words")
_HARM_VERBS = word_list("harm_verbs")
_FAILURE_VERBS = word_list("failure_verbs")
_CAUSE_PREPS = word_list("cause_preps")
_CAUSE_NOUNS = word_list("cause_nouns")
_CAUSE_MARKS = word_list("cause_marks")
_COUNT_UNITS = word_list("count_units")
_QUANTIFIERS = word_list("count_quantifiers")
_SERIES_AFTER = word_list("series_after")
_REFERRING_DETERMINERS = word_list("referring_determiners")
_CREDIT = re.compile(r"\(\s*[A-Z][\w/.&' -]{1,40}\)\s*$")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_CAPITAL_MODIFIERS = word_list("capital_modifiers")
_SEAT_NOUNS = word_list("seat_nouns")
_LIST_KINDS = word_map("list_kinds")
_PLACE_PREPS = word_list("place_preps")


@dataclass(frozen=True, slots=True)
class ActorSlots:
    """The two ACLED actor slots for one trigger (either may be None)."""

    actor1: ActorRef | None
    actor2: ActorRef | None


def trigger_token(sentence: SpacySpan, start_char: int, end_char: int) -> Token:
    """The syntactic head of the trigger's characters (the sentence root if they are off-token);
    a place named with its verb is what the verb happened to ('Zaranj, which fell'): the verb."""
    span = sentence.doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None or len(span) == 0:
        return sentence.root
    if span.root.ent_type_ in _PLACE_LABELS:
        return next((t for t in span if t.pos_ == "VERB"), span.root)
    return span.root


# Nouns that name participants or states, not occurrences ('troops', 'peace'): a trigger whose
# head is one of them describes who is there, not what happened.
_NON_EVENT_NOUNS = word_list("non_event_nouns")


_ARTEFACT_NOUNS = word_list("artefact_nouns")
_OTHER_SENSES = word_list("other_sense_compounds")


def event_token(trig: Token) -> Token | None:
    """The token that carries the event's syntax, or None when the trigger is no event.

    A compound modifier hands over to its head ('bomb attack' -> attack) unless the head is
    an artefact ('assault rifle'); a participial adjective ('besieged forces', 'the
    assassinated president', 'the occupied and illegally seized region') is no event; a
    participant noun ('troops', 'peace') hands over to what it does ('troops have left' -> left) or to the event it belongs to ('the
    withdrawal of troops' -> withdrawal), else it is no event.
    """
    if trig.lemma_.lower() == "go" and any(c.dep_ == "xcomp" for c in trig.children):
        return None  # 'is going to be difficult': a periphrastic future, not a movement
    if any(c.dep_ in ("compound", "amod") and f"{c.lemma_.lower()} {trig.lemma_.lower()}" in _OTHER_SENSES
           for c in trig.lefts):
        return None  # 'the US think tank', 'a fuel tank': no weapon
    if trig.dep_ == "compound" and trig.head.pos_ in ("NOUN", "PROPN"):
        return None if trig.head.lemma_.lower() in _ARTEFACT_NOUNS else event_token(trig.head)
    if trig.dep_ == "amod" and trig.head.pos_ in ("NOUN", "PROPN"):
        return None
    if trig.dep_ == "conj" and trig.tag_ in ("VBN", "VBD") and _participle_in_a_noun_phrase(trig.head):
        return None  # 'in the occupied and illegally seized southern Kherson region'
    if trig.pos_ in ("NOUN", "PROPN") and (trig.lower_ in _NON_EVENT_NOUNS or trig.lemma_.lower() in _NON_EVENT_NOUNS):
        if trig.dep_ == "nsubj" and trig.head.pos_ in ("VERB", "AUX"):
            return trig.head
        if trig.dep_ == "pobj" and trig.head.lower_ == "of" and trig.head.head.pos_ == "NOUN":
            owner = trig.head.head
            return None if owner.lemma_.lower() in _NON_EVENT_NOUNS else owner
        return None
    return trig


def _participle_in_a_noun_phrase(tok: Token) -> bool:
    """A participle that stands in a noun's place with its determiner ('the occupied and
    illegally seized region', parsed as a phrase headed by 'occupied'): an adjective."""
    return tok.tag_ == "VBN" and tok.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass", "amod") \
        and any(c.dep_ == "det" for c in tok.children)


def _noun_phrase(tok: Token) -> SpacySpan:
    """The phrase a token heads, minus relative clauses, appositions and trailing clauses."""
    doc = tok.doc
    left = tok.i
    for child in tok.lefts:
        if child.dep_ in ("det", "predet", "poss", "case"):
            continue
        left = min(left, child.left_edge.i)
    right = tok.i
    for child in tok.rights:
        if child.dep_ in ("compound", "flat", "nmod", "nummod") or (
            child.dep_ == "prep" and child.lower_ == "of" and tok.lemma_.lower() in ("force", "member", "spokesman")
        ):
            right = max(right, child.right_edge.i)
    while left < right and not doc[left].is_alpha:
        left += 1
    return doc[left : right + 1]


def _with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _prep_objects(tok: Token, *preps: str) -> list[Token]:
    out: list[Token] = []
    for prep in tok.children:
        if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in preps:
            out.extend(_children(prep, "pobj"))
    return out


def is_nominal(tok: Token) -> bool:
    """A noun, or a gerund used as one ('fighting opposed the Taliban to the army')."""
    return tok.pos_ in ("NOUN", "PROPN") or (
        tok.tag_ == "VBG" and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
    )


def _subject(verb: Token) -> Token | None:
    """The verb's subject, inherited through conjunction and control ('took X and released Y').

    A conjoined verb whose only candidate is the previous clause's subject, while a noun in
    apposition sits right before it ('after the US military announced ..., the Taliban, who
    ..., entered Qala-i-Naw' -- the small model hangs 'the Taliban' as an apposition), takes
    that apposition.
    """
    tok = verb
    if not _children(verb, "nsubj", "nsubjpass") and verb.dep_ == "conj":
        appos = [t for t in verb.doc[verb.head.i + 1 : verb.i] if t.dep_ == "appos"
                 and not any(a.dep_ == "relcl" for a in t.ancestors if a.i > verb.head.i)]
        if appos:
            return appos[-1]
    for _ in range(4):
        subj = _children(tok, "nsubj")
        if subj:
            return subj[0]
        if tok.dep_ == "xcomp" and _children(tok.head, "dobj"):
            return _children(tok.head, "dobj")[0]  # object control: 'forcing the troops to leave'
        if tok.dep_ == "relcl" or (tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("NOUN", "PROPN")):
            return tok.head  # 'troops who raised the flag', 'videos of troops raising the flag'
        if tok.dep_ in ("conj", "xcomp", "advcl") and tok.head != tok:
            tok = tok.head
            continue
        break
    return None


def _roles(trig: Token) -> tuple[list[Token], list[Token]]:
    """Candidate tokens for actor1 and actor2, from the trigger's syntactic frame."""
    lemma = trig.lemma_.lower()
    a1: list[Token] = []
    a2: list[Token] = []
    verb = trig
    if is_nominal(trig):
        a1 += _prep_objects(trig, "by")
        a1 += _children(trig, "poss")
        # a country modifier names the doer's forces: 'US airstrikes', 'Pakistani shelling'
        a1 += [c for c in trig.children if c.dep_ in ("compound", "amod", "nmod")
               and c.ent_type_ in (*_PLACE_LABELS, "NORP")]
        between = _prep_objects(trig, "between")
        if between:
            a1 += between[:1]
            a2 += [c for c in between[0].conjuncts]
        a2 += _prep_objects(trig, "against", "with")
        a1 += [t for t in _prep_objects(trig, "of") if t.ent_type_ not in _PLACE_LABELS]
        head = trig.head
        if trig.dep_ in ("nsubj",) and head.lemma_.lower() in _FIGHT_VERBS | {"oppose", "pit"}:
            a1 += _children(head, "dobj")
            a2 += _prep_objects(head, "to", "with", "against")
        if trig.dep_ in ("dobj",) and head.pos_ in ("VERB", "AUX"):
            verb = head  # 'launched an offensive', 'took control'
        elif lemma in _LOSER_NOUNS:  # 'the Taliban's withdrawal from X': the side that left
            return _prep_objects(trig, "to"), a1 + a2
        else:
            return a1, a2
    lemma = verb.lemma_.lower() if verb is not trig else lemma
    subj = _subject(verb)
    passive_subj = _children(verb, "nsubjpass")
    agents = _prep_objects(verb, "by")
    if lemma in _OUSTING_VERBS:  # 'cleared of the Taliban': who was driven out
        a2 += _prep_objects(verb, "of")
    flags = [c for c in _children(verb, "dobj", "nsubjpass") if c.lemma_.lower() in _FLAG_NOUNS]
    owners = [m for f in flags for m in f.children if m.dep_ in ("amod", "compound", "poss")
              and m.ent_type_ in (*_PLACE_LABELS, "NORP")]
    if owners:  # 'the Ukrainian flag was raised by residents': the side whose flag it is gains
        return owners, []
    if passive_subj:
        a1 += agents
        a1 += _prep_objects(verb, "to") if lemma in ("leave", "hand", "surrender", "give", "cede") else []
        a2 += passive_subj
        return a1, a2
    if lemma in _FALL_VERBS:
        a1 += _prep_objects(verb, "to", "under")
        for into in _prep_objects(verb, "into", "under"):
            a1 += _prep_objects(into, "of")
        return a1, a2
    if lemma in _LOSER_VERBS:
        if subj is not None:
            a2.append(subj)
        a1 += _prep_objects(verb, "to")
        return a1, a2
    if lemma in _FIGHT_VERBS and subj is not None:
        conj = [c for c in subj.conjuncts]
        if conj:
            return [subj], conj
        mods = [c for c in subj.children if c.dep_ in ("amod", "compound", "nmod") and c.conjuncts]
        if mods:  # 'Afghan and Taliban forces clashed'
            return [mods[0]], list(mods[0].conjuncts)
        return [subj], _prep_objects(verb, "with", "against", "to") + _children(verb, "dobj")
    if subj is not None:
        a1.append(subj)
    a2 += _children(verb, "dobj")
    a2 += _prep_objects(verb, "against", "on")
    return a1, a2


def _is_anaphor(tok: Token) -> bool:
    return tok.lower_ in _ANAPHORS or tok.pos_ == "PRON"


def _resolve(tok: Token, resolve_actor: ActorResolver, carried: ActorRef | None) -> ActorRef | None:
    """An ActorRef for a candidate token: the phrase, an entity in it, the owner of a held
    thing, the antecedent of a pronoun in the same sentence, or the carried actor."""
    return _named(tok, resolve_actor) or _owner_of(tok, resolve_actor) or (
        (_antecedent(tok, resolve_actor) or carried) if _is_anaphor(tok) else None)


def _owner_of(tok: Token, resolve_actor: ActorResolver) -> ActorRef | None:
    """The party a held thing belongs to: 'a hideout of the Islamic State group' -> IS."""
    if tok.lemma_.lower() not in _OWNED_NOUNS:
        return None
    owners = _prep_objects(tok, "of")
    if len(owners) > 1:  # 'of IS militants': the parser may split a name from its noun
        whole = tok.doc[min(o.left_edge.i for o in owners) : max(o.i for o in owners) + 1]
        actor = resolve_actor(whole.text)
        if actor is not None:
            return ActorRef(span=Span(whole.start_char, whole.end_char, whole.text), actor=actor)
    return next((r for r in (_named(o, resolve_actor) for o in owners) if r), None)


def _named(tok: Token, resolve_actor: ActorResolver) -> ActorRef | None:
    """The actor a noun phrase names by itself (its text, an entity in it, its head word)."""
    if tok.ent_type_ in _NON_ACTOR_LABELS:
        return None
    owned = _the_country_s(tok, resolve_actor)
    if owned is not None:
        return owned
    if tok.ent_type_ in _PLACE_LABELS:
        return _place_modified_force(tok, resolve_actor) or _country_as_agent(tok, resolve_actor)
    phrase = _noun_phrase(tok)
    tries: list[SpacySpan] = [phrase]
    if tok.dep_ in ("amod", "compound", "nmod", "conj") and tok.head.pos_ in ("NOUN", "PROPN"):
        # a coordinated modifier: 'Afghan' / 'Taliban' in 'Afghan and Taliban forces'
        noun = tok.head if tok.dep_ != "conj" else next(
            (a for a in tok.ancestors if a.pos_ in ("NOUN", "PROPN")
             and a.dep_ not in ("amod", "compound", "nmod")), tok)
        tries.insert(0, tok.doc[tok.i : tok.i + 1])
        text = f"{tok.text} {noun.text}"
        actor = resolve_actor(text)
        if actor is not None:
            return ActorRef(span=Span(tok.idx, tok.idx + len(tok.text), tok.text), actor=actor)
    tries += [e for e in ents_in(phrase) if e.label_ not in _NON_ACTOR_LABELS and e.label_ not in _PLACE_LABELS]
    tries.append(phrase.doc[tok.i : tok.i + 1])
    for cand in tries:
        text = cand.text.strip(" ,\"“”'’")
        if not text:
            continue
        actor = resolve_actor(text)
        if actor is not None:
            return ActorRef(span=Span(cand.start_char, cand.end_char, cand.text), actor=actor)
    return None


def _the_country_s(tok: Token, resolve_actor: ActorResolver) -> ActorRef | None:
    """'the country's armed forces' after 'Russian Defence Ministry spokesman', 'his
    country's troops' after 'the president of Ukraine': the forces of the nearest country
    (or nationality) the sentence named before, when the actor book knows them as such."""
    poss = next((c for c in tok.children if c.dep_ == "poss" and c.lemma_.lower() in _COUNTRY_NOUNS), None)
    if poss is None:
        return None
    start = poss.i + 1
    if start < tok.i and tok.doc[start].tag_ == "POS":
        start += 1  # past the possessive "'s"
    phrase = tok.doc[start : tok.i + 1]
    for ent in reversed([e for e in ents_in(tok.sent) if e.end <= poss.i and e.label_ in ("GPE", "NORP")]):
        actor = resolve_actor(f"{ent.text} {phrase.text}") or (
            resolve_actor(f"{ent.text} forces") if tok.lemma_.lower() in _FORCE_NOUNS else None)
        if actor is not None:  # (a town's name names no force: the nearest country's)
            return ActorRef(span=Span(poss.idx, phrase.end_char, tok.doc.text[poss.idx : phrase.end_char]), actor=actor)
    return None


_COUNTRY_NOUNS = word_list("country_nouns")
_FORCE_NOUNS = word_list("force_nouns")


def _place_modified_force(tok: Token, resolve_actor: ActorResolver) -> ActorRef | None:
    """A country modifying a force or strike noun names that country's force ('US airstrikes',
    'Pakistani troops'); a country owning an event noun names its forces ('Ukraine's
    capture of Lyman', 'Russia's withdrawal'); a place alone names no actor."""
    head = tok.head
    if tok.dep_ not in ("compound", "amod", "nmod", "poss") or head.pos_ not in ("NOUN", "PROPN") \
            or head.ent_type_ in _PLACE_LABELS:
        return None
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    start = ent.start if ent is not None else tok.i
    if head.i <= start:
        return None
    words = tok.doc[start : tok.i + 1]
    actor = resolve_actor(f"{words.text} {head.text}")
    if actor is None and tok.dep_ == "poss" and head.lemma_.lower() not in _NON_EVENT_NOUNS:
        actor = resolve_actor(f"{words.text} forces")
        if actor is None:
            return None
        return ActorRef(span=Span(words.start_char, words.end_char, words.text), actor=actor)
    if actor is None:
        return None
    end = head.idx + len(head.text)
    return ActorRef(span=Span(words.start_char, end, tok.doc.text[words.start_char : end]), actor=actor)


def _country_as_agent(tok: Token, resolve_actor: ActorResolver) -> ActorRef | None:
    """A country that does the deed names its forces ('Ukraine repels another Russian
    attempt', 'was shelled by Russia'): the subject or the passive agent of the trigger's
    verb, when its name + 'forces' is a force of the actor book (a town's name is not)."""
    if tok.dep_ not in ("nsubj", "pobj") or (tok.dep_ == "pobj" and tok.head.lower_ != "by"):
        return None
    ent = next((e for e in ents_in(tok.sent) if e.start <= tok.i < e.end), None)
    if ent is None or ent.label_ != "GPE" or ent.end - 1 != tok.i:
        return None
    actor = resolve_actor(f"{ent.text} forces")
    return ActorRef(span=Span(ent.start_char, ent.end_char, ent.text), actor=actor) if actor else None


def _antecedent(pron: Token, resolve_actor: ActorResolver) -> ActorRef | None:
    """The nearest actor entity before a pronoun in its sentence ('the Taliban claimed they');
    'the former' of two is the one before the nearest ('Taliban and Afghan forces clashed
    before the former left'). An adjective entity is read with the noun after it
    ('Afghan' + 'forces')."""
    found: list[ActorRef] = []
    for ent in reversed([e for e in ents_in(pron.sent) if e.end <= pron.i]):
        if ent.label_ not in ("ORG", "NORP", "PERSON"):
            continue
        span = ent
        actor = resolve_actor(ent.text)
        noun = pron.doc[ent.end] if ent.end < pron.i else None
        if actor is None and noun is not None and noun.pos_ == "NOUN":
            span = pron.doc[ent.start:ent.end + 1]  # 'Afghan forces'
            actor = resolve_actor(span.text)
        if actor is not None and all(f.actor != actor for f in found):
            found.append(ActorRef(span=Span(span.start_char, span.end_char, span.text), actor=actor))
        if len(found) == (2 if pron.lower_ == "former" else 1):
            return found[-1]
    return None


def find_actors(trig: Token, resolve_actor: ActorResolver, carried: ActorRef | None = None,
                event_type: str | None = None) -> ActorSlots:
    """actor1/actor2 for the trigger token; unresolvable candidates are left empty.

    Civilians do not act in political violence: 'a woman and a man carried out suicide
    bombings' names no party for actor1 (the extractor's defaults decide); people who
    protest ('demonstrations by people opposing the Taliban') do act."""
    a1_toks, a2_toks = _roles(trig)
    # civilians (ACLED inter 7) are victims in political violence, never the side that acts;
    # in demonstrations they are the people who protest or riot
    acting = event_type in _DEMONSTRATIONS
    a1 = next((r for r in (_resolve(t, resolve_actor, carried) for t in a1_toks)
               if r and (acting or r.actor is None or r.actor.inter != CIVILIANS_INTER)), None)
    a2 = next((r for r in (_resolve(t, resolve_actor, None) for t in a2_toks) if r), None)
    if a1 is not None and a2 is not None and a1.actor == a2.actor:
        a2 = None
    return ActorSlots(a1, a2)


#: dependents of a speech verb that describe the speaking, not the reported event
_SPEAKER_DEPS = frozenset({"nsubj", "dobj", "dative", "agent"})
#: '... told AFP by phone from Fayzabad' (a fronted 'In Kandahar, X claimed ...' is the news)
_SPEAKER_PREPS = word_list("speaker_preps")
_ADDRESSEE_VERBS = word_list("addressee_verbs")
_BESIDES = word_list("besides_words")  # 'Besides Jalalabad, Kunar and Khost cities'


def _places_report(subject: Token) -> bool:
    """The reporting subject is a list of places ('Kunar and Khost cities also reported
    demonstrations', 'several districts reported clashes'): where it happened, not who spoke."""
    if subject.dep_ != "nsubj":
        return False
    doc = subject.doc
    nouns = [t for t in map(doc.__getitem__, subtree_indices(subject))
             if t.pos_ in ("NOUN", "PROPN") and t.lower_ not in _BESIDES]
    places = [t for t in nouns if t.ent_type_ in _PLACE_LABELS]
    units = [t for t in nouns if t.lemma_.lower() in _COUNT_UNITS and t.tag_ == "NNS"]
    return bool(nouns) and len(places) + len(units) == len(nouns) and (len(places) > 1 or bool(units))


def _speaker_tokens(trig: Token, sentence: SpacySpan) -> frozenset[int]:
    """Tokens of the reporting speaker ('Badghis Governor Shams said', 'according to the
    Kandahar council'): a place there says who speaks, not where it happened. Remembered
    per trigger and sentence of a Doc (each place candidate of the trigger asks again)."""
    memo = sentence.doc.user_data.get(_SPEAKERS_KEY)
    if memo is None:
        memo = sentence.doc.user_data[_SPEAKERS_KEY] = {}
    key = (trig.i, sentence.start, sentence.end)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _speaker_indices(trig, sentence)
    return found


_SPEAKERS_KEY = "sitrep.speakers"


def _speaker_indices(trig: Token, sentence: SpacySpan) -> frozenset[int]:
    out: set[int] = set()
    verbs = [a for a in trig.ancestors if a.lemma_.lower() in _SPEECH_LEMMAS]
    if sentence.root.lemma_.lower() in _SPEECH_LEMMAS:
        verbs.append(sentence.root)
    for verb in verbs:
        if verb.i == trig.i:  # Token objects are rebuilt on access: compare positions
            continue
        for child in verb.children:  # 'an official told reporters by phone from Fayzabad'
            prep = child.dep_ == "prep" and child.i > verb.i and child.lower_ in _SPEAKER_PREPS
            addressee = child.dep_ != "dobj" or verb.lemma_.lower() in _ADDRESSEE_VERBS
            if (child.dep_ in _SPEAKER_DEPS and addressee or prep) and trig.i not in subtree_indices(child) \
                    and not _places_report(child):
                out.update(subtree_indices(child))
    for tok in sentence:
        if tok.lower_ == "according":
            out.update(subtree_indices(tok))
    return frozenset(out)


def a_surname(ent: SpacySpan) -> bool:
    """The place's name is the last word of a person's ('Governor Mohammad Omar Sherzad':
    the gazetteer tags 'Sherzad', a district, before the model reads the person): one word
    right after a person's name, with only a space between; or, alone, the last word of a
    person the article named before ('In the video, Sherzad said ...': the governor, not
    the district)."""
    if len(ent) != 1:
        return False
    if _after_a_name(ent):
        return True
    if _placed(ent):
        return False  # 'attacked a checkpoint in Wardak' after 'Ghulam Farooq Wardak'
    return any(ent.text == name and i < ent.start for i, name in _surnames(ent.doc))


def _after_a_name(ent: SpacySpan) -> bool:
    """A one-word place read right after a person's name ('Mohammad Omar' + 'Sherzad')."""
    if ent.start == 0 or ent.label_ != "GPE":
        return False
    before = ent.doc[ent.start - 1]
    return before.ent_type_ == "PERSON" and before.whitespace_ == " "


def _placed(ent: SpacySpan) -> bool:
    """The name is the object of a place preposition ('in Wardak', 'the settlement of
    Krasnyi Lyman'): a place, whoever bears the name."""
    root = ent.root
    if root.dep_ != "pobj":
        return False
    prep = root.head.lower_
    if prep == "of":  # 'the settlement of X', not 'the son of X'
        return list_kind(root.head.head) is not None
    return prep in _PLACE_PREPS


_SURNAMES_KEY = "sitrep.surnames"


def _surnames(doc: Doc) -> tuple[tuple[int, str], ...]:
    """(token index, word) of the last word of each person the article names in full: two
    words or more (not a span written as a place, 'the settlement of Krasnyi Lyman', which
    the small model may tag as a person), or a one-word place read right after a person's
    name ('Mohammad Omar' + 'Sherzad')."""
    found = doc.user_data.get(_SURNAMES_KEY)
    if found is None:
        people = [(e.end - 1, e[-1].text) for e in doc.ents if e.label_ == "PERSON" and len(e) > 1
                  and e[-1].text[:1].isupper() and not _placed(e)]
        found = doc.user_data[_SURNAMES_KEY] = (
            *people, *((e.start, e.text) for e in doc.ents if len(e) == 1 and _after_a_name(e)))
    return found


def place_candidates(trig: Token, sentence: SpacySpan, clause: set[int] | None = None) -> list[SpacySpan]:
    """Entity spans that could be the event's place, best first.

    Entities of the trigger's own clause (``clause``: token indices) come first, objects
    of the trigger (and of its light verb, and the subject of an intransitive 'X fell') before
    others, then by token distance; places inside the reporting speaker's phrase come last.
    Non-location labels are included because the small model mistypes Afghan places (Ghazni
    as PERSON, Herat as ORG); the caller keeps them only if the gazetteer resolves them.
    """
    ents = [e for e in ents_in(sentence) if e.label_ not in _NON_ACTOR_LABELS and (
        e.label_ != "NORP" or _names_a_unit(e)) and not a_surname(e)]
    if not ents:
        return []
    heads = {trig}
    if trig.dep_ == "dobj" and trig.pos_ in ("NOUN", "PROPN"):
        heads.add(trig.head)
    object_tokens: set[int] = set()
    for head in heads:
        for child in head.children:
            if child.dep_ in ("dobj", "nsubjpass", "poss", "attr", "npadvmod") or (
                child.dep_ == "prep" and child.lower_ in _PLACE_PREPS
            ):
                object_tokens.update(subtree_indices(child))
        for child in _children(head, "nsubj"):
            if head.lemma_.lower() in _FALL_VERBS | _LOSER_VERBS or child.ent_type_ in _PLACE_LABELS:
                object_tokens.update(subtree_indices(child))
    speaker = _speaker_tokens(trig, sentence)

    def key(ent: SpacySpan) -> tuple[int, int, int, int, int]:
        at = range(ent.start, ent.end)  # (token positions: no Token objects built)
        in_speaker = 1 if all(i in speaker for i in at) else 0
        in_obj = 0 if any(i in object_tokens for i in at) else 1
        in_clause = 0 if clause is None or any(i in clause for i in at) else 1
        is_loc = 0 if ent.label_ in _PLACE_LABELS else 1
        dist = min(abs(i - trig.i) for i in at)
        return (in_speaker, in_clause, in_obj, is_loc, dist)

    return sorted(ents, key=key)


def is_speaker_place(ent: SpacySpan, trig: Token, sentence: SpacySpan) -> bool:
    """True when the entity sits inside the reporting speaker's phrase."""
    speaker = _speaker_tokens(trig, sentence)
    return bool(speaker) and all(i in speaker for i in range(ent.start, ent.end))


def coordinated_places(ent: SpacySpan) -> list[SpacySpan]:
    """Places coordinated with ``ent`` as objects of one trigger ('captured Zaranj,
    Sheberghan and Kunduz'; 'two capitals, Farah in the west and Pul-e-Khumri'): each is
    its own event in ACLED's one-place-per-event coding. Only the members after ``ent``."""
    members, _kind = coordination_group(ent)
    return [m for m in members if m.start > ent.start]


def _unit_roll_call(ent: SpacySpan) -> list[SpacySpan]:
    """The names after ``ent`` in a roll-call written item by item with its unit word and
    province ('Alasai district in Kapisa, Kaldar district in Balkh, Feroz Nakhchir district in
    Samangan and Gilan district in Ghazni'), read off the words: the parser hangs such
    lists anywhere. Empty unless ``ent`` itself is written so."""
    doc, out = ent.doc, []
    unit = ent[-1] if ent[-1].lemma_.lower() in _ROLL_UNITS else doc[ent.end] if ent.end < len(doc) else None
    if unit is None or unit.lemma_.lower() not in _ROLL_UNITS:
        return []  # not written '<name> district in <Province>' (most entities: no index built)
    names = {e.start: e for e in ents_in(doc) if e.label_ not in _NON_ACTOR_LABELS}

    def item_end(name: SpacySpan) -> int | None:
        """The token after '<name> <unit> in|of <Province> [province]', None if not so written."""
        i = name.end
        if name[-1].lemma_.lower() not in _ROLL_UNITS:  # the unit word may be in the entity
            if i >= len(doc) or doc[i].lemma_.lower() not in _ROLL_UNITS:
                return None
            i += 1
        if i >= len(doc) or doc[i].lower_ not in ("in", "of"):
            return None
        province = names.get(i + 1)
        if province is None:
            return None
        i = province.end
        if i < len(doc) and doc[i].lemma_.lower() == "province":
            i += 1
        return i

    i = item_end(ent)
    while i is not None and i + 1 < len(doc):
        j = _after_separator(doc, i, len(doc))
        if j is None or j not in names:
            break
        out.append(names[j])
        i = item_end(names[j])
    return out


def _after_separator(doc: Doc, i: int, stop: int) -> int | None:
    """The position after a list separator at ``i`` (',', 'and', ', and'), None if none."""
    j = i
    if j < stop and doc[j].text == ",":
        j += 1
    if j < stop and doc[j].lower_ == "and":
        j += 1
    return j if j > i else None


_ROLL_UNITS = frozenset(word_list("roll_call_units"))
#: the fewest items of a '<town> of <province>' roll call (a pair is left to the parser's
#: own coordination)
_TOWN_ROLL_MIN = 3


def _town_roll_call(ent: SpacySpan) -> tuple[list[SpacySpan], list[SpacySpan]]:
    """The towns and provinces of the roll call of ``ent``'s sentence that ``ent`` is a
    town or a province of (:func:`_town_roll_calls`), both empty when there is none."""
    for towns, provinces in _town_roll_calls(ent.sent):
        if ent in towns or ent in provinces:
            return [t for t in towns if t is not None], provinces
    return [], []


_ROLL_CALLS_KEY = "sitrep.town_roll_calls"


def _town_roll_calls(sent: SpacySpan) -> list[tuple[list[SpacySpan | None], list[SpacySpan]]]:
    """The roll-calls of a sentence written '<town> of <province>' item by item ('seven
    provincial capitals, Mazar-e-Sharif of Balkh, Maymana of Faryab, ..., Nili of Daykundi
    and Gardez of Paktia, fell'), three items or more, read off the words: the parser hangs
    such lists anywhere. Only place entities count ('Atta Mohammad Noor of Balkh, Ismail
    Khan of Herat' are people); a town the tagger missed ('Nili', untagged) keeps its slot
    in the list as None. Read once per sentence of a Doc (every place entity asks)."""
    doc = sent.doc
    memo = doc.user_data.get(_ROLL_CALLS_KEY)
    if memo is None:
        memo = doc.user_data[_ROLL_CALLS_KEY] = {}
    if sent.start in memo:
        return memo[sent.start]  # type: ignore[no-any-return]
    names = {e.start: e for e in ents_in(sent) if e.label_ in _PLACE_LABELS}

    def item(i: int) -> tuple[SpacySpan | None, SpacySpan] | None:
        """(the town's entity or None, the province's entity) of an item at ``i``."""
        town = names.get(i)
        j = town.end if town is not None else i
        while town is None and j < sent.end and doc[j].pos_ == "PROPN" and doc[j].is_title \
                and not doc[j].ent_type_:
            j += 1  # an untagged name
        if j == i or j >= sent.end or doc[j].lower_ != "of" or (j + 1) not in names:
            return None
        return town, names[j + 1]

    calls: list[tuple[list[SpacySpan | None], list[SpacySpan]]] = []
    start = sent.start
    while start < sent.end:
        towns: list[SpacySpan | None] = []
        provinces: list[SpacySpan] = []
        i: int | None = start
        while i is not None and (found := item(i)) is not None:
            towns.append(found[0])
            provinces.append(found[1])
            i = _after_separator(doc, found[1].end, sent.end)
        if len(towns) >= _TOWN_ROLL_MIN:
            calls.append((towns, provinces))
            start = provinces[-1].end
        else:
            start += 1
    memo[sent.start] = calls
    return calls


def coordination_group(ent: SpacySpan) -> tuple[list[SpacySpan], str | None]:
    """Every place entity of ``ent``'s coordination, in text order (``ent`` included), and
    the kind of unit the list names, read from the noun that governs it or closes it:
    'the TakhtaPul, Mianshen and Zherai districts', 'Eight districts ..., including Chal,
    Baharak and Ishkamish', 'the capital cities of Herat, Helmand and Kandahar provinces'
    -> ``district`` / ``province`` / ``capital`` (None when nothing says)."""
    doc = ent.doc
    head = ent.root
    while head.dep_ == "conj" and head.head.i != head.i and head.head.i < head.i:
        head = head.head
    tokens = sorted([head, *[c for c in head.conjuncts if c.i > head.i]], key=lambda t: t.i)
    if head.dep_ == "dobj" and head.head.pos_ == "VERB":
        # the small parser hangs a second object on the verb: 'captured Kandahar, the
        # second-largest city, and Lashkar Gah' (a name conjoined to the verb is no clause)
        tokens += [c for c in head.head.children if c.dep_ == "conj" and c.i > head.i
                   and c.pos_ == "PROPN" and not any(g.dep_ in ("nsubj", "nsubjpass", "dobj") for g in c.children)]
    # ('the cities of A, ...; B, ...; and Kandahar, ..., fell': the parser may make the last
    # member a second subject beside the kind noun)
    tokens += [k for k in head.head.children if k.dep_ == head.dep_ and k.i < head.i
               and head.dep_ in ("nsubj", "nsubjpass", "dobj") and _kind_members(k)]
    # ('this time in Kyiv, Dnipro, and Zhytomyr': the small parser makes the second name an
    # apposition of the first and hangs the rest on it; a lone apposition, 'Lashkar Gah,
    # Helmand', is the place's province, not a second place)
    tokens += [m for a in head.children if a.dep_ == "appos" and a.i > head.i and a.pos_ == "PROPN"
               and any(c.dep_ == "conj" for c in a.children) for m in (a, *a.conjuncts)
               if m not in tokens]
    tokens += [m for t in list(tokens) for m in _kind_members(t) if m not in tokens]
    tokens += [m for m in _conjoined_prep_places(head) if m not in tokens]
    tokens += [e.root for e in _unit_roll_call(ent) if e.root not in tokens]
    towns, provinces = _town_roll_call(ent)
    if ent in provinces and towns:
        return towns, "city"  # 'Farah of Farah': the item's province only places its town
    tokens += [e.root for e in towns if e.root not in tokens]
    named, placed = _unnamed_members_named(head)
    tokens += [m for m in (*named, *placed) if m not in tokens]
    tokens.sort(key=lambda t: t.i)
    out: list[SpacySpan] = []
    kinds: list[str] = []
    for tok in tokens:
        span = next((e for e in ents_in(doc) if e.start <= tok.i < e.end), None)
        if span is None:  # 'Kandahar provinces': the conjunct is the kind noun itself
            kind = list_kind(tok)
            if kind is not None:
                kinds.append(kind)
                span = next((e for e in ents_in(doc) if e.end == tok.i and tok.i - e.start <= 4), None)
        if span is not None and span.label_ not in _NON_ACTOR_LABELS and span not in out:
            out.append(span)
    if ent not in out:
        return [ent], None
    governor = head.head
    if governor.dep_ == "prep" and governor.lower_ in _LIST_PREPS and governor.i < head.i:
        governor = governor.head
    if governor.i != head.i and governor.pos_ in ("NOUN", "PROPN"):
        kind = list_kind(governor)
        if kind is not None:
            kinds.insert(0, kind)
    if not kinds:
        after = doc[out[-1].end] if out[-1].end < len(doc) else None
        kind = list_kind(after) if after is not None else None
        if kind is not None:
            kinds.append(kind)
    if kinds[:1] in ([], ["province"]) and _seat_of_list(head):
        kinds.insert(0, "capital")  # 'the centers of Logar, Kunar and Paktia provinces'
    if placed:
        return out, None  # 'Jalalabad and a district in Paktia': not every member is of one kind
    if towns and not kinds:
        kinds.append("city")  # each member a town named with its province
    return out, (kinds[0] if kinds else None)


def _kind_members(tok: Token) -> list[Token]:
    """The names a plural kind noun of a list holds beside its conjuncts: the object of its
    'of' and the names set off after it ('the cities of Lashkar Gah, the capital of Helmand;
    Qala-i-Naw, the capital of Badghis; and Kandahar': the parser hangs each further member,
    its apposition cut off by a semicolon, on 'cities'), with their own conjuncts."""
    if tok.tag_ != "NNS" or tok.ent_type_ or list_kind(tok) in (None, "province"):
        return []  # (a roll-call of provinces is a summary: its conjuncts alone are read)
    names = [o for p in tok.children if p.dep_ == "prep" and p.lower_ in _MEMBER_PREPS
             for o in p.children if o.dep_ == "pobj" and o.pos_ == "PROPN"]
    names += [c for c in tok.children if c.dep_ in ("appos", "conj") and c.pos_ == "PROPN" and c.i > tok.i]
    return [m for n in names for m in (n, *[c for c in n.conjuncts if c.i > n.i and c.pos_ == "PROPN"])]


def _unnamed_members_named(head: Token) -> tuple[list[Token], list[Token]]:
    """The names that unnamed members of ``head``'s list are given: a unit noun conjoined
    with the name (or with the unit noun whose 'of' holds it) named by an apposition
    ('Asadabad and another eastern city, Khost' -> Khost), and those placed by 'in' / 'of'
    ('the eastern city of Jalalabad and a district in Paktia province' -> Paktia province,
    the member's place at its province's level)."""
    anchor = head
    if head.dep_ == "pobj" and head.head.lower_ == "of" and list_kind(head.head.head) is not None:
        anchor = head.head.head  # 'the eastern city of Jalalabad and ...'
    named: list[Token] = []
    placed: list[Token] = []
    for member in anchor.conjuncts:
        if member.i < anchor.i or member.pos_ != "NOUN" or list_kind(member) is None:
            continue
        for c in member.children:
            if c.dep_ == "appos" and c.pos_ == "PROPN":
                named.append(c)
            elif c.dep_ == "prep" and c.lower_ in ("in", "of"):
                placed += [o for o in c.children if o.dep_ == "pobj" and o.ent_type_]
    return named, placed


def member_of_unnamed(ent: SpacySpan) -> bool:
    """``ent`` places an unnamed list member ('... and a district in Paktia province'):
    the member's own place, not the province of the list's towns."""
    prep = ent.root.head
    return ent.root.dep_ == "pobj" and prep.lower_ in ("in", "of") \
        and prep.head.dep_ == "conj" and list_kind(prep.head) is not None


def _conjoined_prep_places(head: Token) -> list[Token]:
    """The names of place phrases conjoined with the one ``head`` is the object of ('in
    Bilohorivka, Toshkivka and on the outskirts of Sievierodonetsk', 'in Kherson and near
    Mykolaiv'): the object of each conjoined preposition, or the name its 'of' holds."""
    prep = head.head
    if head.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in _PLACE_PREPS:
        return []
    out: list[Token] = []
    for other in prep.conjuncts:
        if other.i < prep.i or other.pos_ != "ADP" or other.lower_ not in _PLACE_PREPS:
            continue
        for obj in (c for c in other.children if c.dep_ == "pobj"):
            names = [obj] if obj.pos_ == "PROPN" else [
                o for p in obj.children if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children if o.dep_ == "pobj" and o.pos_ == "PROPN"]
            out += [m for n in names for m in (n, *[c for c in n.conjuncts if c.pos_ == "PROPN"])]
    return out


def _seat_of_list(head: Token) -> bool:
    """The list hangs, through 'of', from the seat of a unit ('the centers of Logar,
    Paktika, Kunar and Paktia provinces', 'the capitals of Kunar and Paktia provinces'),
    not a district's ('the district centres of ...'): read up to the clause's verb."""
    for anc in head.ancestors:
        if anc.pos_ in ("VERB", "AUX"):
            return False
        if anc.lemma_.lower() in _SEAT_NOUNS and any(c.dep_ == "prep" and c.lower_ == "of" for c in anc.children):
            return not any(list_kind(c) == "district" for c in anc.children if c.dep_ in ("compound", "amod"))
    return False


def _names_a_unit(ent: SpacySpan) -> bool:
    """A name the model calls a nationality but a kind noun follows: 'the Banu district'."""
    doc = ent.doc
    return ent.end < len(doc) and list_kind(doc[ent.end]) == "district" and doc[ent.end].tag_ == "NN"


def list_kind(tok: Token) -> str | None:
    """The unit kind a noun names ('districts' -> district; 'capital cities' / 'provincial
    capitals' -> capital), from ``list_kinds`` in ``extract_words.yaml``."""
    lemma = tok.lemma_.lower()
    if lemma not in _LIST_KINDS and tok.lower_ not in _LIST_KINDS:
        return None
    kind = _LIST_KINDS.get(lemma) or _LIST_KINDS[tok.lower_]
    if any(c.lemma_.lower() in _CAPITAL_MODIFIERS for c in tok.children
           if c.dep_ in ("compound", "amod")):
        return "capital"
    return kind


def is_caption(sent: SpacySpan) -> bool:
    """A photo caption describes a picture, it reports no event: 'Afghan soldiers keep watch
    at a checkpoint in the Guzara district ... on July 9, 2021. (Reuters)', 'A convoy of
    Afghan Special Forces is seen during a rescue mission in Kandahar province (Reuters)'.

    Read from the main verb: a present passive of a seeing verb ('is seen', 'are pictured'),
    or a present simple (no auxiliary, not a reporting verb) that depicts ('holds', 'keep
    watch') or sits beside a photo credit or a full date with its year -- news prose
    reports a dated past in the past or perfect tense.
    A headline glued to the caption by the parser leaves the caption's verb hanging off a
    word outside the sentence ('... fighting against Taliban stand guard in Enjil district'):
    every verb attached outside is read as a root.
    Remembered per sentence of a Doc (the article's focus, its place mentions and the
    extraction loop ask about the same sentences).
    """
    memo = sent.doc.user_data.get(_CAPTIONS_KEY)
    if memo is None:
        memo = sent.doc.user_data[_CAPTIONS_KEY] = {}
    key = (sent.start, sent.end)
    found = memo.get(key)
    if found is None:
        roots = [sent.root, *(t for t in sent if t.pos_ == "VERB" and t.i != sent.root.i
                              and not sent.start <= t.head.i < sent.end)]
        found = memo[key] = any(_caption_root(root, sent) for root in roots)
    return found


_CAPTIONS_KEY = "sitrep.captions"


def _caption_root(root: Token, sent: SpacySpan) -> bool:
    lemma = root.lemma_.lower()
    auxes = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
    if root.tag_ == "VBN" and lemma in _CAPTION_VERBS and any(
            a.dep_ == "auxpass" and a.lower_ in ("is", "are") for a in auxes):
        return True
    if root.tag_ not in ("VBZ", "VBP") or root.pos_ != "VERB" or auxes or lemma in _SPEECH_LEMMAS:
        return False
    if lemma in _CAPTION_VERBS:
        return True
    credit = bool(_CREDIT.search(sent.text))
    dated = any(e.label_ == "DATE" and _YEAR.search(e.text) for e in ents_in(sent))
    return credit or dated


def bare_units(trig: Token) -> str | None:
    """The unit noun of a trigger whose object is units in general, a bare plural ('launch
    offensives, taking districts and border crossings'; 'districts were retaken' after the
    districts were named): its lemma, or None."""
    heads = [trig, *([trig.head] if trig.dep_ == "dobj" and trig.head.pos_ in ("VERB", "AUX") else [])]
    objects = [o for h in heads for o in (*_children(h, "dobj", "nsubjpass"), *_prep_objects(h, "of"))]
    for obj in objects:
        if obj.tag_ == "NNS" and obj.lemma_.lower() in _COUNT_UNITS and not any(
                c.dep_ in ("det", "poss", "nummod") or c.dep_ in ("compound", "amod", "nmod")
                and c.pos_ != "NOUN" for c in obj.children):
            return str(obj.lemma_.lower())
    return None


def referred_units(trig: Token) -> tuple[Token, str, int | None] | None:
    """The noun, unit kind and count (None when unwritten) of a trigger's object that points
    back at units named before: a definite plural unit noun with no name of its own ('the
    Taliban captured the said districts', 'had cleared the districts', 'the three towns
    were retaken'), or a bare plural made the passive's subject ('districts were retaken in
    a short time'). None for units in general ('taking districts'), an indefinite tally
    ('three districts in the north') or a noun with a place in its phrase ('the districts
    of Kunduz', 'the villages around Izium')."""
    heads = [trig, *([trig.head] if trig.dep_ == "dobj" and trig.head.pos_ in ("VERB", "AUX") else [])]
    objects = [o for h in heads for o in (*_children(h, "dobj", "nsubjpass"), *_prep_objects(h, "of"))]
    for obj in objects:
        kind = list_kind(obj)
        if obj.tag_ != "NNS" or kind is None or obj.lemma_.lower() not in _COUNT_UNITS \
                or any(t.pos_ == "PROPN" or t.ent_type_ in _PLACE_LABELS for t in obj.subtree):
            continue
        mods = [c for c in obj.children if c.i < obj.i]
        # ('districts were retaken in a short time': a bare plural the passive makes the topic)
        definite = any(c.dep_ == "det" and c.lower_ in _REFERRING_DETERMINERS for c in mods) \
            or (obj.dep_ == "nsubjpass" and not mods)
        if not definite or any(c.dep_ == "prep" for c in obj.children) \
                or any(c.lower_ in _QUANTIFIERS for c in mods):
            continue  # 'the districts of Kunduz', 'the many districts'
        numbers = [c for c in mods if c.dep_ == "nummod"]
        count = parse_number_words(numbers[0].text) if numbers else None
        if numbers and count is None:
            continue
        return obj, kind, count
    return None


def counted_units(trig: Token) -> bool:
    """The trigger's object is a tally of unnamed units ('have retaken control of three
    districts in the north', 'overran several district centres') or one unit named only by
    its rank ('ten days after the insurgents took their first provincial capital', 'the
    sixth capital'): the sentence counts, the units it counts are named elsewhere or not
    at all."""
    heads = [trig]
    if trig.dep_ == "dobj" and trig.head.pos_ in ("VERB", "AUX"):
        heads.append(trig.head)
    objects: list[Token] = []
    if trig.dep_ in ("acl", "relcl"):  # 'all the districts overrun by the Taliban'
        objects.append(trig.head)
    if trig.dep_ in ("pobj", "prep") and trig.head.dep_ == "prep":  # 'surrendered without a fight'
        heads.append(trig.head.head)
    elif trig.dep_ == "prep":
        heads.append(trig.head)
    for head in heads:
        objects += _children(head, "dobj", "nsubjpass")
        objects += _prep_objects(head, "of", "over")
        # 'most of its districts having surrendered', 'at least 10 districts have fallen':
        # a quantified or counted subject counts too
        objects += [c for c in _children(head, "nsubj") if c.lower_ in _QUANTIFIERS
                    or any(n.dep_ == "nummod" for n in c.children)]
    objects += [h.head for h in heads[1:] if h.dep_ in ("acl", "relcl")]
    for obj in list(objects):  # 'control of three districts'
        objects += _prep_objects(obj, "of")
    units = {o.lemma_.lower() for o in objects if o.lemma_.lower() in _COUNT_UNITS}
    if units and any(o.lower_ in _SERIES_AFTER or o.lemma_.lower() in units
                     for head in heads for o in _prep_objects(head, "after")):
        return True  # a series: 'took one Afghan city after another', 'city after city'
    for obj in objects:
        if obj.lemma_.lower() in _COUNT_UNITS and obj.tag_ == "NN" \
                and any(c.dep_ == "amod" and c.ent_type_ == "ORDINAL" for c in obj.children) \
                and not any(t.pos_ == "PROPN" and t.ent_type_ in _PLACE_LABELS for t in obj.subtree):
            return True  # a rank, not a name: 'their first provincial capital'
        if obj.tag_ != "NNS" or obj.lemma_.lower() not in _COUNT_UNITS:
            continue
        if any(c.dep_ == "nummod" or (c.dep_ in ("amod", "det", "predet") and c.lower_ in _QUANTIFIERS)
               for c in obj.children):
            return True
        if obj.dep_ == "pobj" and obj.head.lower_ == "of" and obj.head.head.lower_ in _QUANTIFIERS:
            return True  # 'most of its districts'
    return False


def nationwide(trig: Token) -> bool:
    """The event is placed over a whole country or region ('fighting raged across the
    country', 'clashes throughout the north'): a summary of many occurrences, not one."""
    heads = [trig, trig.head] if trig.dep_ in ("nsubj", "nsubjpass", "dobj") else [trig]
    for head in heads:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in _SCOPE_PREPS:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj" or any(c.dep_ == "prep" and c.lower_ == "of" for c in obj.children):
                    continue  # 'across the city of Lashkar Gah' is one place
                lemma = obj.lemma_.lower()
                if lemma in _SCOPE_NOUNS or obj.lower_ in _SCOPE_NOUNS or (
                        obj.tag_ == "NNS" and lemma in _COUNT_UNITS):
                    return True
    return False


def fighting_as_topic(trig: Token) -> bool:
    """The fighting is what someone would end ('talks on an end to the fighting', 'did not
    agree to stop fighting Afghan forces'), not an occurrence."""
    tok = trig
    for _ in range(3):
        if tok.head.i == tok.i:
            return False
        tok = tok.head if tok.dep_ != "conj" else tok.head
        if tok.lemma_.lower() in _ENDING_WORDS:
            return True
        if tok.dep_ in ("ROOT", "ccomp") or (tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() not in _ENDING_WORDS
                                            and tok.dep_ not in ("xcomp", "pcomp")):
            return False
    return False


def harm_caused_by_event(trig: Token) -> bool:
    """A harm verb whose cause is another event named with it ('many of the civilians killed
    were caught in the fighting', 'were killed in rocket attacks and airstrikes'): the
    casualties belong to that event, they are no attack of their own."""
    if trig.lemma_.lower() not in _HARM_VERBS:
        return False
    verbs = [trig, *[a for a in trig.ancestors if a.lemma_.lower() in _HARM_VERBS][:1]]
    # 'one civilian was killed and 12 were wounded in fighting': coordinated harm verbs
    # share the cause, whichever of them the parser hangs it from
    verbs += [c for v in verbs for c in v.children
              if c.dep_ == "conj" and c.lemma_.lower() in _HARM_VERBS]
    for verb in verbs:
        if verb.pos_ == "VERB" and any(c.dep_ == "nsubj" and _names_cause(c) for c in verb.children):
            return True  # 'The blast killed 169 Afghans': the toll of the blast named as subject
        for prep in verb.children:
            if prep.dep_ in ("prep", "agent") and prep.lower_ in _CAUSE_PREPS and any(
                    obj.dep_ == "pobj" and _names_cause(obj) for obj in prep.children):
                return True
            # 'three people were killed when three blasts struck the city'
            if prep.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") and c.lower_ in _CAUSE_MARKS
                                            for c in prep.children) and any(
                    c.dep_ in ("nsubj", "nsubjpass") and _names_cause(c) for c in prep.children):
                return True
    return False


def _names_cause(noun: Token) -> bool:
    """The noun (or its modifier: 'rocket attacks') is fighting, bombardment or a blast."""
    return bool({noun.lemma_.lower(), noun.lower_} & _CAUSE_NOUNS) or any(
        c.dep_ in ("compound", "amod") and c.lemma_.lower() in _CAUSE_NOUNS for c in noun.children)


def failed_to(trig: Token) -> bool:
    """The trigger is what someone failed or refused to do ('the central government failed to
    send reinforcements and carry out airstrikes'): it did not happen."""
    tok = trig
    for _ in range(3):
        if tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
            tok = tok.head  # 'failed to send X and carry out Y'
            continue
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in _FAILURE_VERBS:
            return True
        if tok.dep_ == "dobj" and tok.head.dep_ in ("xcomp", "conj"):
            tok = tok.head  # a nominal trigger: 'failed to carry out airstrikes'
            continue
        return False
    return False
