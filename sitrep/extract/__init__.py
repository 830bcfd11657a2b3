"""Event extraction: sentence triggers -> typed, resolved event mentions.

Trigger typing (ACLED sub-event types from the lexicon) lives in :mod:`sitrep.extract.typing`;
the per-sentence mention assembly in :mod:`sitrep.extract.mentions` with its helpers
(:mod:`.arguments` actors and place slot, :mod:`.location` place resolution in context,
:mod:`.numbers` quantities, :mod:`.modality` modality and attribution, :mod:`.background`
the history/habit/tally filter) and the injectable resolvers in :mod:`.context`.
:func:`explain_mentions` says, per proposed trigger, why it did or did not become a mention.
"""

from sitrep.extract.context import ExtractContext
from sitrep.extract.mentions import TriggerDecision, explain_mentions, extract_mentions

__all__ = ["ExtractContext", "TriggerDecision", "explain_mentions", "extract_mentions"]
