"""Event extraction: sentence triggers -> typed, resolved event mentions.

Trigger typing (ACLED sub-event types from the lexicon) lives in :mod:`sitrep.extract.typing`;
the per-sentence mention assembly in :mod:`sitrep.extract.mentions` with its helpers
(:mod:`.arguments` actors and place slot, :mod:`.numbers` quantities, :mod:`.modality`
modality and attribution, :mod:`.background` the history/habit/tally filter) and the
injectable resolvers in :mod:`.context`.
"""

from sitrep.extract.context import ExtractContext
from sitrep.extract.mentions import extract_mentions

__all__ = ["ExtractContext", "extract_mentions"]
