"""Ingest: read news inputs into clean, dated, attributed, deduplicated Articles.

    ingest(sources, options) -> IngestResult(articles, failures)
    ingest_into(store, sources, options) -> IngestReport(added, skipped, failures)
    ingest_documents_into(store, raw_documents, options) -> IngestReport (sitrep.watch)

Inputs: .txt (optional ``Key: value`` header), .html, .json/.jsonl, RSS/Atom files,
directories (recursive, sorted) and http(s) URLs. See :mod:`sitrep.ingest.stage` for the
flow and the sibling modules for each step (readers, html, fetch, boilerplate, language,
outlet, pubdate, dedup).
"""

from sitrep.ingest.stage import (
    IngestOptions,
    IngestReport,
    IngestResult,
    build_article,
    ingest,
    ingest_documents_into,
    ingest_into,
)

__all__ = ["IngestOptions", "IngestReport", "IngestResult", "build_article", "ingest",
           "ingest_documents_into", "ingest_into"]
