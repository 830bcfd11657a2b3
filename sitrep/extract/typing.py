"""Event typing: which ACLED sub-event type (if any) a sentence reports, and where its trigger is.

    sentence (spaCy Span) ──Matcher/DependencyMatcher over lemmas──► raw pattern hits
        ──vetoes, unless/needs cues──► candidate readings
        ──resolve (agent: territorial; target: civilian vs combatant)──► sub-event type
        ──cue words up/down, outranking between readings──► TriggerMatch list, best first

:func:`match_triggers` is what the extractor calls per sentence; :func:`classify` runs the
very same logic on free text (best reading over its sentences). If the user trained a model
with ``sitrep train`` (see :mod:`sitrep.extract.model_store`), both re-score with it: for a
reading of type *L* on text *t*, ``score = (1 - a) * lexicon_score + a * P_model(L | t)``
with ``a = MODEL_WEIGHT``; ``classify`` also lets the model's top label win when it is more
probable than anything the lexicon found, but never invents an event the lexicon did not
see unless the model is confident (``P >= MODEL_ALONE``), so non-event text stays null.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.attrs import LEMMA, LOWER, POS
from spacy.language import Language
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Span, Token

from sitrep.extract import model_store
from sitrep.extract.background import clause_tokens
from sitrep.extract.modality import modality_for
from sitrep.extract.trigger_lexicon import (
    Lexicon,
    PatternRule,
    Row,
    compiled_matchers,
    event_type_of,
    lemmas,
    load_lexicon,
    token_rows,
)
from sitrep.lexicon import function_words, reporting_verbs
from sitrep.nlp import get_nlp
from sitrep.ontology import (
    FOREIGN_FORCES,
    GAINS_AS_NON_STATE,
    OVERTAKES,
    REGAINS,
    STATE_FORCES,
    TRANSFER,
)

__all__ = ["Classification", "TriggerMatch", "classify", "classify_many", "match_triggers"]

MODEL_WEIGHT = 0.6  # weight of a user-trained model's probability against the lexicon score
MODEL_ALONE = 0.5  # model probability needed to type a text the lexicon found nothing in
_RAW_KEY = "sitrep.trigger_hits"
_TERRITORIAL = (OVERTAKES, REGAINS)  # the two sides a territorial trigger is resolved between
_NON_FACTUAL = ("planned", "hypothetical", "negated", "denied")


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """One reading of a sentence: trigger char offsets in the Doc, the type and its score."""

    start_char: int
    end_char: int
    event_type: str
    sub_event_type: str
    score: float
    pattern: str
    # the sentence tells it happened (not planned, hypothetical, negated or denied): only a
    # factual reading outranks others ('struck the airport with rockets ... to thwart air
    # strikes' is a rocket attack, whatever the air strikes it aimed to stop)
    factual: bool = True


@dataclass(frozen=True, slots=True)
class Classification:
    """The type of a free-text snippet; ``label`` None when it reports no event."""

    label: str | None
    event_type: str | None
    score: float


def _nlp() -> Language:
    """The project's pipeline (``sitrep.nlp.get_nlp``, itself cached)."""
    return get_nlp()


Hit = tuple[str, int, int, int]  # (pattern id, start, end, head token), token offsets in the Doc


@dataclass(slots=True)
class _DocHits:
    """Per Doc, built once: the token attributes the patterns test (the lemma shadow's),
    the dependency hits (matched over the whole Doc), the hits of each span asked for
    so far and the readings of each sentence typed so far (extraction and the learned
    typing both ask for them)."""

    rows: list[Row]
    dep: list[Hit]
    spans: dict[tuple[int, int], list[Hit]]
    #: per token, whether a hit's head may be it (:func:`_head_in`)
    verbs: list[bool]
    #: per token, its lower-case form (a cue word, :func:`_cues`)
    lowers: list[str]
    readings: dict[tuple[int, int], list[TriggerMatch]] = field(default_factory=dict)


def _hits_of(doc: Doc) -> _DocHits:
    state = doc.user_data.get(_RAW_KEY)
    if state is None:
        state = doc.user_data[_RAW_KEY] = _doc_state(doc)
    return state  # type: ignore[no-any-return]


def _span_hits(doc: Doc, lo: int, hi: int) -> list[Hit]:
    """The pattern hits lying inside tokens ``lo:hi``: sequence hits in the order spaCy's
    Matcher gives them over the span (:class:`SequenceIndex`), then the dependency hits of
    the whole Doc that lie inside the span."""
    state = _hits_of(doc)
    hits = state.spans.get((lo, hi))
    if hits is not None:
        return hits
    seq, _dep = compiled_matchers(doc.vocab)
    hits = [(pid, start, end, _head_in(doc, state.verbs, start, end))
            for pid, start, end in seq(state.rows, lo, hi)]
    hits += [h for h in state.dep if lo <= h[1] and h[2] <= hi]
    state.spans[(lo, hi)] = hits
    return hits


def _doc_state(doc: Doc) -> _DocHits:
    rows = token_rows(doc)
    _seq, dep_index = compiled_matchers(doc.vocab)
    dep = [(pid, min(head, child), max(head, child) + 1, head)
           for pid, head, child in dep_index(rows)] if doc.has_annotation("DEP") else []
    strings = doc.vocab.strings
    verb_pos, light = {VERB, AUX}, {strings.add("be"), strings.add("have")}
    values = doc.to_array([POS, LEMMA, LOWER]).tolist()
    verbs = [pos in verb_pos and lemma not in light for pos, lemma, _low in values]
    return _DocHits(rows, dep, {}, verbs, [strings[low] for _pos, _lemma, low in values])


def _head_in(doc: Doc, verbs: list[bool], start: int, end: int) -> int:
    """The syntactic head of a matched span: its first verb (VERB or AUX, spaCy lemma
    neither 'be' nor 'have': ``verbs``), else its root."""
    for i in range(start, end):
        if verbs[i]:
            return i
    return doc[start:end].root.i


def _cues(tokens: Span | Iterable[Token]) -> tuple[set[str], str]:
    """The cue words of some tokens (lemmas and lower-cased forms) and their lemmas joined
    (for multi-word cues); the tokens in document order (a span's read off the Doc's
    lists)."""
    if isinstance(tokens, Span):
        lo, hi = tokens.start, tokens.end
        lems = lemmas(tokens.doc)[lo:hi]
        if not lems:
            return set(), " "
        return set(lems).union(_hits_of(tokens.doc).lowers[lo:hi]), " " + " ".join(lems) + " "
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return set(), " "
    all_lems = lemmas(toks[0].doc)
    lems = [all_lems[t.i] for t in toks]
    return set(lems) | {t.lower_ for t in toks}, " " + " ".join(lems) + " "


def _has(cue: str, words: set[str], joined: str) -> bool:
    return f" {cue} " in joined if " " in cue else cue in words


def match_triggers(sentence: Span) -> list[TriggerMatch]:
    """Every reading of one sentence, best first (char offsets are into the whole Doc).

    With a user-trained model installed, each reading is re-scored with the model's
    probability of its type for the sentence text (see the module docstring).
    """
    state = _hits_of(sentence.doc)
    key = (sentence.start, sentence.end)
    found = state.readings.get(key)
    if found is None:
        found = state.readings[key] = _scored_triggers(sentence)
    return list(found)


def _scored_triggers(sentence: Span) -> list[TriggerMatch]:
    readings = _lexical_triggers(sentence)
    model = _user_model(sentence.doc)
    if model is None or not readings:
        return readings
    probs = model.predict_proba([sentence.text])[0]
    rescored = [replace(m, score=round((1 - MODEL_WEIGHT) * m.score
                                       + MODEL_WEIGHT * probs.get(m.sub_event_type, 0.0), 3))
                for m in readings]
    return sorted(rescored, key=lambda m: (-m.score, m.start_char))


#: the Doc whose sentences were last typed, and the user's model then (looked up once per Doc)
_MODEL_OF: list[Any] = [None, None]


def _user_model(doc: Doc) -> model_store.TypingModel | None:
    """:func:`model_store.load_default` for the sentences of one Doc: it checks the model file
    on disk, once per Doc rather than once per sentence."""
    if _MODEL_OF[0] is not doc:
        _MODEL_OF[:] = [doc, model_store.load_default()]
    model: model_store.TypingModel | None = _MODEL_OF[1]
    return model


def _lexical_triggers(sentence: Span) -> list[TriggerMatch]:
    """The lexicon's readings of one sentence, best first."""
    lex = load_lexicon()
    doc = sentence.doc
    lo, hi = sentence.start, sentence.end
    hits = _span_hits(doc, lo, hi)
    if not hits:
        return []
    vetoed = [(s, e) for pid, s, e, _ in hits if pid in lex.veto_ids]
    words, joined = _cues(sentence)
    doc_cues: tuple[set[str], str] | None = None
    best: dict[tuple[int, str], TriggerMatch] = {}
    for pid, start, end, head in hits:
        rule = lex.rules.get(pid)
        if rule is None or any(s <= head < e for s, e in vetoed):
            continue
        if rule.context == "doc":
            doc_cues = doc_cues or _cues(doc[:])
            match = _reading(rule, doc, start, end, head, lex, *doc_cues)
        elif rule.context == "window":
            before = doc[lo - 1].sent.start if lo > 0 else lo
            match = _reading(rule, doc, start, end, head, lex, *_cues(doc[before:hi]))
        elif rule.context == "clause":
            match = _reading(rule, doc, start, end, head, lex, *_cues(clause_tokens(doc[head], narrow=True)))
        else:
            match = _reading(rule, doc, start, end, head, lex, words, joined)
        if match is None:
            continue
        key = (head, match.sub_event_type)
        if key not in best or match.score > best[key].score:
            best[key] = match
    return rank(_one_reading_per_words(list(best.values()), lex), lex)


def _one_reading_per_words(matches: list[TriggerMatch], lex: Lexicon) -> list[TriggerMatch]:
    """The same words are one event: 'ANDSF has re-captured the district' is a regain
    ('re-captured') and not also a takeover read from 'captured the district'; 'dropped a
    bomb' is an air strike and not also a bomb planted ('bomb'), 'four explosions' heard
    with shelling not also a blast. A reading inside a stronger one's words of a type that
    outranks it (or of the other territorial side) is dropped."""
    def overlaps(a: TriggerMatch, b: TriggerMatch) -> bool:
        return a.start_char < b.end_char and b.start_char < a.end_char

    def beats(o: TriggerMatch, m: TriggerMatch) -> bool:
        if o.sub_event_type == m.sub_event_type or o.score <= m.score or not overlaps(o, m):
            return False
        if m.sub_event_type in _TERRITORIAL:
            return o.sub_event_type in _TERRITORIAL
        return o.factual and o.score >= lex.threshold and _direct(o, lex) \
            and m.sub_event_type in lex.types[o.sub_event_type].outranks

    return [m for m in matches if not any(beats(o, m) for o in matches)]


def _reading(rule: PatternRule, doc: Doc, start: int, end: int, head: int, lex: Lexicon,
             words: set[str], joined: str) -> TriggerMatch | None:
    """Score one hit in its sentence, or None when a cue cancels it."""
    if any(_has(c, words, joined) for c in rule.unless):
        return None
    if rule.needs and not any(_has(c, words, joined) for c in rule.needs):
        return None
    label = _resolve(rule, doc[head], lex)
    trule = lex.types[label]
    if any(_has(c, words, joined) for c in trule.veto):
        return None
    trigger_words = set(lemmas(doc)[start:end])
    n_up = sum(1 for c in trule.up if c not in trigger_words and _has(c, words, joined))
    n_down = sum(1 for c in trule.down if _has(c, words, joined))
    score = rule.score + lex.cue_up * min(n_up, 2) - lex.cue_down * min(n_down, 2)
    span = doc[start:end]
    score = round(max(0.0, min(1.0, score)), 3)
    # (a reading below the threshold outranks nothing: its modality is not needed)
    factual = score < lex.threshold or modality_for(doc[head]) not in _NON_FACTUAL
    return TriggerMatch(span.start_char, span.end_char, event_type_of(label), label, score,
                        rule.id, factual)


def _resolve(rule: PatternRule, verb: Token, lex: Lexicon) -> str:
    """Refine the pattern's type from who acts (territory) or who is hit (attacks)."""
    if rule.resolve == "territorial" and rule.sub_event_type in _TERRITORIAL:
        if _attempted(verb, lex):
            return "Armed clash"  # 'tried to storm the district but were repelled'
        if _unopposed(verb, lex):
            return TRANSFER  # 'took over the city without any retaliation'
        side = _head_side(verb, lex) or _side(_agents(verb), lex)
        if side == "state":
            return "Government regains territory"
        if side == "nonstate":
            return "Non-state actor overtakes territory"
    elif rule.resolve == "episode":
        if _amid_fighting(verb, lex):
            return "Armed clash"
    elif rule.resolve == "target":
        verbs = [verb, *(c for c in verb.children if c.dep_ == "conj")]
        if verb.dep_ == "conj":
            verbs.append(verb.head)
        direct = [t for v in verbs for t in _targets(v)]
        target = _side(direct, lex, civilian=True)
        named = {lemmas(verb.doc)[t.i] for t in direct} | {t.lower_ for t in direct}
        if target != "combatant" and named & set(lex.lists.get("armed_men", ())) \
                and not named & set(lex.lists.get("former", ())):
            target = "combatant"  # 'four Takfiri terrorists were killed', 'ISIS operatives'
        if target is None and _held_place_hit(direct, verbs, lex):
            target = "combatant"  # 'an attack on the center of Helmand province'
        captors = set(lex.lists.get("captive", ()))
        if any(lemmas(v.doc)[v.i] in captors for v in verbs if v.i < verb.i):
            target = "civilian"  # 'captured and beheaded a Taliban fighter': a captive
        if target is None:  # no syntactic target: who is named in the sentence at all?
            agents = {t.i for t in _agents(verb)}
            target = _side([t for t in verb.sent if t.i not in agents], lex, civilian=True,
                           exclusive=True)
        if target == "civilian":
            return "Attack"
        if target == "combatant":
            return "Armed clash"
    return rule.sub_event_type


def _attempted(verb: Token, lex: Lexicon) -> bool:
    """The capture is what an attack aimed at ('attempted to seize the city', 'in an attempt
    to take Kandahar', 'tried to recapture it'): the fighting happened, the change did not."""
    tries = set(lex.lists.get("attempt", ()))
    lems = lemmas(verb.doc)
    tok = verb
    for _ in range(3):
        if tok.dep_ == "conj":  # 'tried to enter and seize the town'
            tok = tok.head
            continue
        if tok.dep_ not in ("xcomp", "acl") or tok.head.i == tok.i:
            return False
        if lems[tok.head.i] in tries:
            return True
        tok = tok.head
    return False


def _unopposed(verb: Token, lex: Lexicon) -> bool:
    """The verb (or a verb coordinated with it) happened 'without' a fight ('took over the
    city without any retaliation', 'abandoned the centre and fled without engaging')."""
    quiet = set(lex.lists.get("unopposed", ()))
    lems = lemmas(verb.doc)
    verbs = [verb, *verb.conjuncts]
    for v in verbs:
        for prep in v.children:
            if prep.dep_ == "prep" and prep.lower_ == "without" and any(
                    c.dep_ in ("pobj", "pcomp") and lems[c.i] in quiet for c in prep.children):
                return True
    return False


def _amid_fighting(trigger: Token, lex: Lexicon) -> bool:
    """A blast set off in the course of a fight ('during the conflict, a woman and a man
    carried out suicide bombings in the house'): the trigger or the verb it depends on is
    placed 'during' a fight noun."""
    fights = set(lex.lists.get("fight_episode", ()))
    preps = set(lex.lists.get("episode_preps", ()))
    lems = lemmas(trigger.doc)
    tok = trigger
    for _ in range(3):
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in preps and any(
                    c.dep_ == "pobj" and lems[c.i] in fights for c in prep.children):
                return True
        if tok.head.i == tok.i or tok.dep_ in ("ccomp", "ROOT"):
            return False
        tok = tok.head
    return False


def _held_place_hit(targets: list[Token], verbs: list[Token], lex: Lexicon) -> bool:
    """The thing hit itself (not what it is 'the head of') is a town or seat of power."""
    held = set(lex.lists.get("held_place", ()))
    ids = {v.i for v in verbs}
    lems = lemmas(targets[0].doc) if targets else []
    return any(lems[t.i] in held and (t.head.i in ids or (t.head.dep_ == "prep" and t.head.head.i in ids))
               for t in targets)


def _agents(verb: Token) -> list[Token]:
    """Tokens naming who did it: subject, passive agent, or the X of 'fell to/into the hands of X'."""
    out: list[Token] = []
    head = _subject_head(verb)
    subject = () if _theme_subject(verb) else ("nsubj",)
    for child in list(head.children) + list(verb.children):
        if child.dep_ in (*subject, "agent") or (
                child.dep_ == "prep" and child.lower_ in ("by", "to", "into", "under")):
            out.extend(child.subtree)
    return out


def _theme_subject(verb: Token) -> bool:
    """Whether the verb's subject is what was taken, not who took it ('the district center
    had fallen', 'the government-held town fell to the Taliban')."""
    return lemmas(verb.doc)[verb.i] in load_lexicon().lists.get("theme_subject", ())


def _subject_head(verb: Token) -> Token:
    """The verb whose subject is the trigger's agent: a coordinated or controlled verb
    shares its head's subject ('attacked and captured the town', 'managed to retake it'),
    unless it is passive ('tried to take the town but were pushed back': the subject of
    'tried' is who was pushed, not who pushed)."""
    head = verb
    while head.dep_ in ("conj", "xcomp") and not any(
            c.dep_ in ("nsubj", "nsubjpass", "auxpass") for c in head.children):
        head = head.head
        if head == head.head:
            break
    return head


def _head_side(verb: Token, lex: Lexicon) -> str | None:
    """The side of the first named agent, read from its head noun and that noun's modifiers.

    'pro-government forces and allied fighters took control' is the government's gain:
    the first agent decides, and a modifier ('rebel forces') beats the head noun.
    """
    head = _subject_head(verb)
    # the verb's own passive agent comes first: 'a district fallen to the Taliban, was
    # retaken by the government forces' is the government's, whatever the first conjunct says
    own = [c for c in verb.children if c.dep_ == "agent"]
    theme = _theme_subject(verb)
    for child in own + list(head.children) + list(verb.children):
        noun = None
        if child.dep_ == "nsubj" and not theme:
            noun = child
        elif child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ in ("by", "to", "into")):
            noun = next((c for c in child.children if c.dep_ == "pobj"), None)
        if noun is None:
            continue
        if _foreign_force(noun):
            return "nonstate"
        speaker = _speaker_of_pronoun(noun, verb)
        if speaker is not None:  # 'Shoigu said his forces had captured Lysychansk'
            # (a speaker the actor book knows gives its side by the actor's inter code)
            return _speaker_side(speaker) or _side(list(speaker.subtree), lex)
        lems = lemmas(noun.doc)
        mods = {lems[c.i] for c in noun.children if c.dep_ in ("amod", "compound", "nmod", "poss")}
        mods |= {w for c in noun.children if c.dep_ in ("amod", "compound")
                 for w in lems[c.left_edge.i:c.right_edge.i + 1]}
        if mods & set(lex.lists.get("nonstate", ())):
            return "nonstate"
        if lems[noun.i] in lex.lists.get("nonstate", ()):
            return "nonstate"
        if lems[noun.i] in lex.lists.get("state", ()):
            return "state"
        return None
    return None


_OWN_PRONOUNS = function_words().possessive_pronouns
_SAYING = reporting_verbs("attribution")


def _speaker_of_pronoun(noun: Token, verb: Token) -> Token | None:
    """The speaker an agent's possessive pronoun stands for: 'Russia's Defence Minister
    Sergei Shoigu said his forces had captured Lysychansk' -> the subject of 'said' (their
    forces are the speaker's side, not the state a bare 'forces' would default to)."""
    if not any(c.dep_ == "poss" and c.lower_ in _OWN_PRONOUNS for c in noun.children):
        return None
    for a in verb.ancestors:
        if a.pos_ in ("VERB", "AUX") and a.lemma_.lower() in _SAYING:
            return next((c for c in a.children if c.dep_ == "nsubj"), None)
    return None


def _speaker_side(speaker: Token) -> str | None:
    """State or non-state by the ACLED inter code of the actor the speaker's whole phrase
    names in the active profile's actor book ('Ukrainian President Volodymyr Zelensky' is
    the government's, inter 1; 'Russia's defence minister Sergei Shoigu' a foreign force's,
    inter 8, whose gains ACLED codes as a non-state actor's); None when the book does not
    know the speaker."""
    from sitrep.resolve.actors import ActorBook

    actor = ActorBook.default().resolve(speaker.doc[speaker.left_edge.i:speaker.right_edge.i + 1].text)
    if actor is None:
        return None
    return "state" if actor.inter == STATE_FORCES else "nonstate" if actor.inter in GAINS_AS_NON_STATE else None


def _foreign_force(noun: Token) -> bool:
    """Whether the agent noun phrase names a foreign state's forces (ACLED inter 8) in the
    active profile's actor book ('the Russian military'): ACLED codes their territorial
    gains as 'Non-state actor overtakes territory', whatever the noun ('military')."""
    from sitrep.resolve.actors import ActorBook

    phrase = noun.doc[noun.left_edge.i:noun.i + 1].text
    actor = ActorBook.default().resolve(phrase)
    return actor is not None and actor.inter == FOREIGN_FORCES


def _targets(verb: Token) -> list[Token]:
    """Tokens naming who was hit: object, passive subject, or the X of 'attack on X'.

    Only the target nouns and their close modifiers count ('a civilian vehicle passing near
    the base' is a civilian target, whatever the rest of its subtree mentions).
    """
    nouns: list[Token] = []
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr") and child.lemma_ != "fire":
            nouns.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("on", "at", "against", "upon"):
            nouns.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "dobj":  # 'opened fire on X': X hangs off 'fire' or the verb
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ in ("on", "at"):
                    nouns.extend(c for c in prep.children if c.dep_ == "pobj")
    out: list[Token] = []
    for noun in nouns:
        # 'Fawad Andarabi, an Afghan folk singer, was shot dead': the apposition says who
        group = [noun, *(c for c in noun.children if c.dep_ in ("conj", "appos"))]
        for n in group:
            out.append(n)
            out.extend(c for c in n.children if c.dep_ in ("amod", "compound", "nmod", "poss"))
            for prep in n.children:  # 'members of the army', 'a group of villagers'
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    out.extend(c for c in prep.children if c.dep_ == "pobj")
    return out


def _side(tokens: Sequence[Token], lex: Lexicon, civilian: bool = False,
          exclusive: bool = False) -> str | None:
    """Which side the tokens name: state/nonstate (agents) or combatant/civilian (targets).

    ``exclusive``: only answer when one side is named and the other is not.
    """
    if not tokens:
        return None
    lems = lemmas(tokens[0].doc)
    words = {lems[t.i] for t in tokens} | {t.lower_ for t in tokens}
    if civilian and not exclusive and words & set(lex.lists.get("former", ())) \
            and words & set(lex.lists.get("combatant", ())):
        return "civilian"  # the target itself, 'a former army officer': no longer a combatant
    if civilian and exclusive:
        fighters = bool(words & set(lex.lists.get("combatant", ())))
        civilians = bool(words & set(lex.lists.get("civilian", ())))
        if fighters != civilians:
            return "combatant" if fighters else "civilian"
        return None
    if civilian:
        if words & set(lex.lists.get("combatant", ())):
            return "combatant"
        if words & set(lex.lists.get("civilian", ())):
            return "civilian"
        return None
    if words & set(lex.lists.get("nonstate", ())):
        return "nonstate"
    if words & set(lex.lists.get("state", ())):
        return "state"
    return None


def rank(matches: list[TriggerMatch], lex: Lexicon | None = None) -> list[TriggerMatch]:
    """Lower readings outranked by a co-occurring stronger type, then sort best first.

    'clashed ... before the latter left' + 'seized' is a takeover, not a clash; a protest
    with police dispersing it is a protest with intervention.
    """
    lex = lex or load_lexicon()
    # Only a direct reading outranks: 'killed' resolved to a clash from its victims is a
    # consequence, not evidence against the artillery fire that killed them.
    present = {m.sub_event_type for m in matches if m.score >= lex.threshold
               and m.factual and _direct(m, lex)}
    out = []
    for m in matches:
        beaten = any(m.sub_event_type in lex.types[o].outranks for o in present
                     if o != m.sub_event_type)
        out.append(replace(m, score=round(m.score * lex.outrank_factor, 3)) if beaten else m)
    return sorted(out, key=lambda m: (-m.score, m.start_char))


def _direct(m: TriggerMatch, lex: Lexicon) -> bool:
    """Whether the reading is its pattern's own type (not re-typed by :func:`_resolve`)."""
    rule = lex.rules.get(m.pattern)
    return rule is None or rule.sub_event_type == m.sub_event_type or rule.resolve == "territorial"


#: A later sentence of a text is less likely to carry its main event ("Police seized a
#: pistol" after the shoot-out it followed): its readings lose this much per sentence.
SENTENCE_DECAY, MAX_DECAY = 0.04, 0.12


def _doc_readings(doc: Doc) -> list[TriggerMatch]:
    matches: list[TriggerMatch] = []
    for k, sent in enumerate(doc.sents):
        decay = 1.0 - min(MAX_DECAY, SENTENCE_DECAY * k)
        matches.extend(replace(m, score=round(m.score * decay, 3)) for m in _lexical_triggers(sent))
    return rank(matches)


def _classify_doc(doc: Doc, model: model_store.TypingModel | None) -> Classification:
    lex = load_lexicon()
    readings = _doc_readings(doc)
    lexical: dict[str, float] = {}
    for m in readings:
        lexical[m.sub_event_type] = max(lexical.get(m.sub_event_type, 0.0), m.score)
    if model is None:
        if not readings or readings[0].score < lex.threshold:
            return Classification(None, None, round(readings[0].score if readings else 0.0, 3))
        best = readings[0]
        return Classification(best.sub_event_type, best.event_type, best.score)
    probs = model.predict_proba([doc.text])[0]
    labels = set(probs) | set(lexical)
    combined = {lab: (1 - MODEL_WEIGHT) * lexical.get(lab, 0.0) + MODEL_WEIGHT * probs.get(lab, 0.0)
                for lab in labels}
    label = max(combined, key=lambda k: combined[k])
    seen = bool(lexical) and max(lexical.values()) >= lex.threshold
    if not seen and probs.get(label, 0.0) < MODEL_ALONE:
        return Classification(None, None, round(combined[label], 3))
    return Classification(label, event_type_of(label), round(min(1.0, combined[label]), 3))


def classify_many(texts: Iterable[str], batch_size: int = 64) -> Iterator[Classification]:
    """Classify texts in order (batched through nlp.pipe); empty text -> null label."""
    nlp = _nlp()
    model = model_store.load_default()
    items = list(texts)
    non_empty = [(i, t) for i, t in enumerate(items) if t.strip()]
    results: dict[int, Classification] = {}
    docs = nlp.pipe((t for _, t in non_empty), batch_size=batch_size)
    for (i, _), doc in zip(non_empty, docs, strict=True):
        results[i] = _classify_doc(doc, model)
    for i in range(len(items)):
        yield results.get(i, Classification(None, None, 0.0))


def classify(text: str) -> Classification:
    """The sub-event type a free-text snippet reports (null label when none)."""
    return next(classify_many([text]))
