"""Modality and attribution of triggers in real seed sentences."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.extract.arguments import trigger_token
from sitrep.extract.modality import attribution_for, is_party_speaker, modality_for


def _at(nlp: Any, text: str, word: str) -> tuple[Any, Any]:
    doc = nlp(text)
    start = text.index(word)
    sent = doc.char_span(start, start + len(word), alignment_mode="expand").sent
    return trigger_token(sent, start, start + len(word)), sent


@pytest.mark.parametrize(
    ("text", "word", "modality"),
    [
        ("The Taliban seized the police headquarters in the district.", "seized", "asserted"),
        ("The Taliban claimed this Friday having conquered Kandahar, the second-largest city.",
         "conquered", "claimed"),
        ("The Taliban claim to have taken Kandahar, Afghanistan's second city.", "taken", "claimed"),
        ("The Taliban have denied having burned down and looted the houses.", "burned", "denied"),
        ("The capture of Qala-e Naw by the Taliban would be a strategic success.", "capture", "hypothetical"),
        ("If the city falls, the road to Kabul will be open.", "falls", "hypothetical"),
        ("New commandos arrived in Badghis last night and will launch a large-scale operation.",
         "launch", "planned"),
        ("A security meeting was held early Sunday to plan to strengthen the perimeter around Faizabad.",
         "strengthen", "planned"),
        ("Afghan forces launched a counteroffensive to retake the city.", "retake", "planned"),
        ("The Pentagon insisted that the soldiers will not attack the Taliban.", "attack", "negated"),
        ("Most districts were taken without a fight.", "fight", "negated"),
        # a noun with 'no' whose phrase holds the trigger denies it
        ("There was no sign of fighting around the airport on Monday.", "fighting", "negated"),
        ("The militants made no attempt to storm the district centre.", "storm", "negated"),
        ("Officials said there was no force able to get the commander arrested.", "arrested", "negated"),
        ("The Taliban reportedly forced around 600 families from their homes.", "forced", "claimed"),
        ("The Taliban had already briefly attempted in June to attack Kunduz.", "attack", "asserted"),
        ("A takeover that prompted dozens of families to flee the area.", "flee", "asserted"),
        # a coordinated purpose infinitive is a purpose too
        ("The army launched an operation to suppress the insurgents and to retake the "
         "districts of Shinwari and Ghorband.", "retake", "planned"),
        # a plan noun over the trigger
        ("Afghan forces clashed with the Taliban as neighbouring capitals stepped up efforts "
         "to get the warring sides talking.", "talking", "planned"),
        # the negation of the verb an infinitive hangs on is the event's
        ("The Taliban have stepped up assaults on rural districts, though the insurgents have "
         "not yet attempted to seize a provincial capital.", "seize", "negated"),
        ("Government forces did not manage to retake the district on Sunday.", "retake", "negated"),
        ("Government forces managed to retake the district on Sunday.", "retake", "asserted"),
        # a condition on the verb the infinitive hangs on is the event's
        ("The commander has vowed to resist if the insurgents try to enter the valley.", "enter",
         "hypothetical"),
        # a warning or a demand that something be done
        ("The Taliban warned the defenders that they must surrender.", "surrender", "planned"),
        # a capture the side is only on the verge of
        ("Moscow's forces have been on the verge of capturing the province since taking the "
         "city last week.", "capturing", "hypothetical"),
        ("Moscow's forces have been on the verge of capturing the province since taking the "
         "city last week.", "taking", "asserted"),
        ("The provincial capital is on the brink of falling to the insurgents.", "falling", "hypothetical"),
        # an order, a demand or a threat whose object is the event: the event is still to come
        ("The defence minister ordered the withdrawal of troops from the city on Wednesday.",
         "withdrawal", "planned"),
        ("The insurgents demanded the surrender of the garrison.", "surrender", "planned"),
        # the verb a phrase only hangs on is no light verb of the trigger
        ("Inside the fight for Herat, as the Taliban threaten the city.", "fight", "asserted"),
        ("The army carried out the withdrawal of troops from the city on Wednesday.",
         "withdrawal", "asserted"),
    ],
)
def test_modality(nlp: Any, text: str, word: str, modality: str) -> None:
    tok, _ = _at(nlp, text, word)
    assert modality_for(tok) == modality


def test_no_one_injured_does_not_negate_the_attack(nlp: Any) -> None:
    tok, _ = _at(nlp, "The Taliban opened fire on our car, but no one was injured.", "opened")
    assert modality_for(tok) == "asserted"


@pytest.mark.parametrize(
    ("text", "word", "speaker"),
    [
        ("According to the district governor of Panjwai, Hasti Mohammad, Taliban and Afghan forces "
         "clashed overnight.", "clashed", "the district governor of Panjwai, Hasti Mohammad"),
        ("The Taliban also captured a key area of its former stronghold in Kandahar, officials said "
         "on Sunday.", "captured", "officials"),
        ("Taliban spokesman Zabihullah Mujahid confirmed the fall of the districts.", "fall",
         "Taliban spokesman Zabihullah Mujahid"),
        ("Herat fell under the control of the Taliban.", "fell", None),
    ],
)
def test_attribution(nlp: Any, text: str, word: str, speaker: str | None) -> None:
    tok, sent = _at(nlp, text, word)
    assert attribution_for(tok, sent) == speaker


def test_pronoun_speaker_is_the_previous_speaker(nlp: Any) -> None:
    tok, sent = _at(nlp, '"The Taliban seized the police headquarters," he told AFP.', "seized")
    assert attribution_for(tok, sent, previous="Hasti Mohammad") == "Hasti Mohammad"


def test_party_speaker() -> None:
    assert is_party_speaker("a Taliban spokesman")
    assert is_party_speaker("An insurgent spokesman")
    assert not is_party_speaker("the Interior Ministry")
    assert not is_party_speaker(None)


def test_a_modal_on_the_verb_the_trigger_completes_makes_it_a_plan(nlp) -> None:  # type: ignore[no-untyped-def]
    """'would now look to capturing the provincial capital', 'will move to take the city':
    what the group would do next, no capture; 'managed to retake' happened."""
    from sitrep.extract.modality import modality_for

    def of(text: str, word: str) -> str:
        return modality_for(next(t for t in nlp(text) if t.text == word))

    assert of("The spokesman said the group would now look to capturing the provincial capital.",
              "capturing") == "planned"
    assert of("The Taliban will move to take Kandahar city.", "take") == "planned"
    assert of("Afghan forces managed to retake the district on Monday.", "retake") == "asserted"
