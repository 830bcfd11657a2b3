"""Event extraction: sentence triggers -> typed, resolved event mentions.

Trigger typing (ACLED sub-event types from the lexicon) lives in :mod:`sitrep.extract.typing`.
"""
