"""sitrep: news reports about an armed conflict -> geocoded, deduplicated events,
a territorial-control timeline, a claims ledger and situation reports, with provenance."""

__version__ = "0.1.0"
