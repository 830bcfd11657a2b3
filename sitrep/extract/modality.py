"""Modality (did it happen, per whom?) and attribution (who says so) of one trigger.

Modality is read from the dependency path between the trigger and the sentence
root, because the words that change a report's status govern the trigger:
"have *denied* having burned", "*claimed* having conquered", "*will* launch",
"*plan* to strengthen", "*would* be a success", "did *not* attack", "taken
*without* a fight". Precedence when several apply: negated > denied >
hypothetical > planned > claimed > asserted (a denied claim is a denial; a
hypothetical future is hypothetical).

A negated *count* ("no one was injured") is not a negated event: only a ``neg``
dependent of the trigger (or its light verb) negates it.

Attribution is the reporting speaker: the object of "according to", or the
subject of a speech verb ("X said", "X told AFP", "X confirmed") that governs
the trigger or heads the sentence. A pronoun speaker ("he said") is replaced by
the previous sentence's speaker, which the caller passes in.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from sitrep.lexicon import function_words, modality_cues, reporting_verbs
from sitrep.model import Modality
from sitrep.nlp import subtree_indices

__all__ = ["SPEECH_VERBS", "attribution_for", "modality_for", "is_party_speaker"]

# the word lists live in sitrep/data/ (reporting_verbs.csv, function_words.yaml,
# modality.yaml), loaded and checked by sitrep.lexicon
SPEECH_VERBS = reporting_verbs("attribution")
_CLAIM_WORDS = reporting_verbs("event_claim")
_CUES = modality_cues()
_DENY_WORDS = _CUES.denial_verbs
_PLAN_WORDS = _CUES.plan_verbs
_HYPOTHETICAL_NOUNS = _CUES.hypothetical_nouns
_FACT_PREPS = _CUES.fact_preps
_PLAN_NOUNS = _CUES.plan_nouns
_ALLEGATION_NOUNS = _CUES.allegation_nouns
_REALISED_CONTROLLERS = _CUES.realised_controllers
_OCCURRENCE_VERBS = _CUES.occurrence_verbs
_PARTY_WORDS = _CUES.party_words
_FUNCTION = function_words()
_CONDITIONAL_AUX = _FUNCTION.conditional_modals
_HYPOTHETICAL_AUX = _FUNCTION.conditional_modals | _FUNCTION.possibility_modals
_FUTURE_AUX = _FUNCTION.future_modals
_PRONOUNS = _FUNCTION.personal_pronouns


def _light_verb(trigger: Token) -> Token:
    """For a nominal trigger that is the object of a light verb ('launched an offensive',
    'took control'), the verb carries the tense, auxiliaries and negation."""
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "pobj"):
        head = trigger.head if trigger.dep_ == "dobj" else trigger.head.head
        if head.pos_ in ("VERB", "AUX"):
            return head
    return trigger


def _ancestors_to_root(tok: Token) -> list[Token]:
    return list(tok.ancestors)


def modality_for(trigger: Token) -> Modality:
    """The modality of the event the trigger token names (see the module docstring)."""
    verb = _light_verb(trigger)
    own = {trigger, verb}
    ancestors = _ancestors_to_root(verb)
    if any(c.dep_ == "neg" for t in own | set(_controllers(verb)) for c in t.children):
        return "negated"  # 'have not (yet) attempted to seize', 'did not manage to retake'
    if trigger.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in trigger.children):
        return "negated"  # 'there will be no peace' (a negated count stays a number: numbers.py)
    if any(a.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in a.children)
           for a in _up_to_clause(verb)):
        return "negated"  # 'no sign of fighting', 'made no attempt to capture', 'no power to get him arrested'
    if any(a.lower_ in ("without",) for a in [trigger.head, verb.head] if a.dep_ == "prep"):
        return "negated"
    lemmas = [a.lemma_.lower() for a in ancestors]
    if any(lemma in _DENY_WORDS for lemma in lemmas[:3]):
        return "denied"
    aux_own = {c.lower_ for t in own for c in t.children if c.dep_ in ("aux", "auxpass")}
    if aux_own & _HYPOTHETICAL_AUX or any(c.dep_ == "mark" and c.lower_ in ("if", "unless")
                                         for v in (verb, *_controllers(verb)) for c in v.children):
        return "hypothetical"  # 'if the Taliban try to enter the valley'
    predicate = _predicate_of_subject(trigger)
    if predicate is not None:
        head_aux = {c.lower_ for c in predicate.children if c.dep_ in ("aux", "auxpass")}
        if head_aux & _CONDITIONAL_AUX:
            return "hypothetical"
        if head_aux & _FUTURE_AUX and predicate.lemma_.lower() in _OCCURRENCE_VERBS:
            return "planned"  # 'the final withdrawal will occur by the end of August'

    if any(a.pos_ == "NOUN" and a.lemma_.lower() in _HYPOTHETICAL_NOUNS for a in _within_clause(ancestors)):
        return "hypothetical"
    if any(a.pos_ == "NOUN" and a.lemma_.lower() in _PLAN_NOUNS for a in _within_clause(ancestors)):
        return "planned"  # 'stepped up efforts to get the warring sides talking'
    if any(a.pos_ == "NOUN" and a.lemma_.lower() in _ALLEGATION_NOUNS for a in _within_clause(ancestors)):
        return "claimed"  # 'amid accusations that he had turned the city over'
    if trigger.dep_ in ("attr", "acomp") and trigger.head.lemma_ == "be" and any(
            c.dep_ == "aux" and c.lower_ in _CONDITIONAL_AUX for c in trigger.head.children):
        return "hypothetical"  # these would be targeted attacks
    if aux_own & _FUTURE_AUX:
        return "planned"
    governor = _completed_verb(verb)
    if governor is not None and {c.lower_ for c in governor.children if c.dep_ == "aux"} \
            & (_FUTURE_AUX | _CONDITIONAL_AUX):
        return "planned"  # 'the group would now look to capturing the provincial capital'
    if _is_purpose_infinitive(verb):
        return "planned"
    if any(lemma in _PLAN_WORDS for lemma in lemmas[:2]) \
            or trigger.dep_ == "dobj" and verb.i == trigger.head.i and verb.lemma_.lower() in _PLAN_WORDS:
        return "planned"  # 'vowed to retake'; 'ordered the withdrawal of troops from Kherson'
    if any(lemma in _CLAIM_WORDS for lemma in lemmas[:3]) or trigger.lemma_.lower() in _CLAIM_WORDS:
        return "claimed"
    if any(c.lower_ == "reportedly" for t in own for c in t.children):
        return "claimed"
    return "asserted"


def _up_to_clause(tok: Token) -> list[Token]:
    """The heads above ``tok`` up to the first finite clause's verb: the nouns whose phrase
    holds it ('no sign of fighting', 'no attempt to capture the town')."""
    out: list[Token] = []
    for a in tok.ancestors:
        if a.pos_ in ("VERB", "AUX") and (a.dep_ in ("ROOT", "ccomp", "conj", "advcl", "relcl", "parataxis")
                                          and a.tag_ not in ("VB", "VBG", "VBN")):
            break
        out.append(a)
        if len(out) == 4:
            break
    return out


def _completed_verb(verb: Token) -> Token | None:
    """The verb the trigger completes ('look to capturing', 'will move to take'): the head
    of an open complement, or of the 'to' whose object the trigger is."""
    if verb.dep_ == "xcomp" and verb.head.pos_ in ("VERB", "AUX"):
        return verb.head
    if verb.dep_ in ("pcomp", "pobj") and verb.head.lower_ == "to" and verb.head.dep_ == "prep" \
            and verb.head.head.pos_ == "VERB":
        return verb.head.head
    return None


def _controllers(verb: Token) -> list[Token]:
    """The verbs an infinitive trigger hangs on as an open complement ('attempted to
    seize', 'managed to retake'): their negation is the event's."""
    out: list[Token] = []
    tok = verb
    while tok.dep_ == "xcomp" and tok.head != tok and len(out) < 3:
        tok = tok.head
        out.append(tok)
    return out


def _within_clause(ancestors: list[Token]) -> list[Token]:
    """Ancestors up to (and including) the first clause head, or a preposition whose phrase
    tells what has happened (``modality.yaml fact_preps``: 'on the verge of capturing the
    province since taking the city')."""
    out: list[Token] = []
    for a in ancestors:
        out.append(a)
        if a.pos_ in ("VERB", "AUX") and a.dep_ in ("ROOT", "ccomp", "advcl", "relcl", "conj", "xcomp"):
            break
        if a.dep_ == "prep" and a.lower_ in _FACT_PREPS:
            break
    return out


def _predicate_of_subject(trigger: Token) -> Token | None:
    """For a nominal trigger inside a subject ('the withdrawal of US troops would be
    completed'), the predicate verb whose auxiliaries say whether it happened."""
    tok = trigger
    for _ in range(4):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return tok.head if tok.head.pos_ in ("VERB", "AUX") else None
        if tok.dep_ in ("pobj", "prep", "compound", "amod") and tok.head != tok:
            tok = tok.head
            continue
        return None
    return None


def _is_purpose_infinitive(verb: Token) -> bool:
    """'launched a counteroffensive to retake the city': the retaking has not happened; nor
    has a coordinated one ('an operation to suppress the insurgents and to retake X')."""
    has_to = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    if has_to and verb.dep_ == "conj" and verb.head != verb:
        first = verb.head  # the first conjunct carries the clause's role
        if any(c.dep_ == "aux" and c.tag_ == "TO" for c in first.children):
            return _is_purpose_infinitive(first)
    if not has_to or verb.dep_ not in ("xcomp", "advcl", "acl", "relcl", "ccomp"):
        return False
    if any(c.dep_ == "aux" and c.lower_ == "have" for c in verb.children):
        return False  # perfect infinitive: 'claim to have taken' reports the past
    controller = verb.head.lemma_.lower()
    return controller not in _REALISED_CONTROLLERS | _CLAIM_WORDS | _DENY_WORDS


def _phrase(tok: Token) -> str:
    """The noun phrase headed by ``tok`` (with its 'of' complement and one name apposition),
    without relative clauses or anything after the apposition."""
    doc = tok.doc
    left = tok.left_edge.i
    right = tok.i
    for child in tok.rights:
        if child.dep_ in ("compound", "flat", "nmod"):
            right = max(right, child.i)
        elif child.dep_ == "prep" and child.lower_ == "of":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            right = max(right, objs[0].i if objs else child.i)
        elif child.dep_ == "appos" and child.ent_type_ == "PERSON":
            right = max(right, max(t.i for t in child.subtree if t.ent_type_ == "PERSON" or t == child))
            break
        elif child.dep_ != "punct":
            break
    right = _extend_to_name(tok, right)
    text = doc[left : right + 1].text.strip(" ,\"“”'")
    return text if len(text) <= 80 else doc[left : tok.i + 1].text.strip(" ,\"“”'")


def _extend_to_name(tok: Token, right: int) -> int:
    """'the district governor of Panjwai, Hasti Mohammad': take the name in apposition."""
    doc = tok.doc
    subtree = set(subtree_indices(tok))
    i = right + 1
    if i < len(doc) and doc[i].text == ",":
        i += 1
    if i < len(doc) and i in subtree and doc[i].ent_type_ == "PERSON":
        while i + 1 < len(doc) and doc[i + 1].ent_type_ == "PERSON" and doc[i + 1].ent_iob_ == "I":
            i += 1
        return i
    return right


def attribution_for(trigger: Token, sentence: SpacySpan, previous: str | None = None) -> str | None:
    """Who says so: 'according to X', or the subject of the speech verb over the trigger."""
    for tok in sentence:
        if tok.lower_ == "according":
            for child in tok.children:
                if child.lower_ == "to":
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    if objs:
                        return _phrase(objs[0])
    candidates = [a for a in trigger.ancestors if a.lemma_.lower() in SPEECH_VERBS]
    if sentence.root.lemma_.lower() in SPEECH_VERBS and sentence.root not in candidates:
        candidates.append(sentence.root)
    for verb in candidates:
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            if subj[0].lower_ in _PRONOUNS:
                return previous or subj[0].text
            return _phrase(subj[0])
    return None


def is_party_speaker(attribution: str | None) -> bool:
    """A speaker from a party to the fighting ('a Taliban spokesman'): their word is a claim."""
    if not attribution:
        return False
    low = attribution.lower()
    return any(word in low for word in _PARTY_WORDS)
