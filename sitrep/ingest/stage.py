"""The ingest stage: inputs -> clean, dated, attributed, deduplicated Articles.

    sources ─expand─► file / URL ─readers─► RawDocument ─build_article─► Article
                                                         clean_text       (boilerplate.py)
                                                         detect_language  (language.py)
                                                         identify_outlet  (outlet.py)
                                                         infer_published  (pubdate.py)
                                                         content_id       (dedup.py)
    then dates from related articles for copy that cannot date itself (context.py),
    duplicate_of against the batch and the store (dedup.py), written per batch inside
    ``store.transaction()``.

Bad inputs become :class:`~sitrep.model.Failure` entries; nothing raises out of a batch.
Each failure is one line: its source is shown quoted when the name holds a newline or
another control character (``readers.shown_name``), its reason flattened to one line.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from itertools import repeat
from typing import TYPE_CHECKING

from sitrep.errors import InputError
from sitrep.ingest.boilerplate import clean_text
from sitrep.ingest.context import refine_dates
from sitrep.ingest.dedup import DuplicateIndex, content_id
from sitrep.ingest.language import DEFAULT_LANGUAGES, detect_language
from sitrep.ingest.outlet import identify_outlet
from sitrep.ingest.pubdate import infer_published
from sitrep.ingest.readers import (
    RawDocument,
    decode_bytes,
    expand_sources,
    one_line,
    parse_text,
    read_source,
    shown_name,
)
from sitrep.model import Article, Failure

if TYPE_CHECKING:
    from sitrep.store import Store

__all__ = ["IngestOptions", "IngestReport", "IngestResult", "build_article", "ingest",
           "ingest_documents_into", "ingest_into"]

_PROGRESS_MIN_INPUTS = 20


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How inputs are read. ``reference_date`` bounds date inference (default: today)."""

    max_bytes: int = 5_000_000
    allow_private: bool = False
    timeout: float = 15.0  # seconds without progress (connect, each read) for a URL
    deadline: float = 60.0  # seconds in all for a URL, redirects included
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    min_words: int = 30  # fewer words after cleaning: not an article
    reference_date: dt.date | None = None
    batch_size: int = 200
    progress: bool = True  # a progress bar on stderr for > 20 inputs when it is a TTY
    #: (path prefix, name) pairs: a source under a prefix is stored and shown under the
    #: name instead (the API's uploads: the client's file name, never a server temp path)
    source_names: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


@dataclass(slots=True)
class IngestReport:
    added: list[str] = field(default_factory=list)
    skipped: int = 0  # already stored (or the same content twice in the batch)
    failures: list[Failure] = field(default_factory=list)


def _stored_source(source: str, options: IngestOptions) -> str:
    """The source as stored: renamed when it lies under one of ``options.source_names``."""
    for prefix, name in options.source_names:
        if source.startswith(prefix):
            return name + source[len(prefix):]
    return source


def _clean_language(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) in (2, 3) and code.isalpha() else None


def _guess_title(text: str) -> str | None:
    """The first paragraph when it is a headline (short, one line), else None."""
    first = text.split("\n\n", 1)[0].strip()
    return first if first and len(first.split()) <= 20 and "\n" not in first else None


def build_article(raw: RawDocument, options: IngestOptions) -> Article:
    """Clean one raw document and infer everything the Article contract holds."""
    cleaned = clean_text(raw.text)
    words = len(cleaned.text.split())
    if words < options.min_words:
        raise InputError(raw.source, f"too short after cleaning ({words} words, need {options.min_words}): "
                                     "not an article")
    language = _clean_language(raw.language)
    if language is None:
        language, _ = detect_language(cleaned.text, options.languages)
    who = identify_outlet(url=raw.url, declared=raw.outlet, sitename=raw.sitename,
                          text=cleaned.text, boilerplate=cleaned.removed, author=raw.author)
    pub = infer_published(cleaned.text, declared=raw.date, declared_basis=raw.date_basis,
                          chrome=cleaned.removed, reference=options.reference_date)
    return Article(
        id=content_id(cleaned.text), text=cleaned.text, source=_stored_source(raw.source, options),
        url=raw.url,
        outlet=who.outlet, wire=who.wire, title=(raw.title or "").strip() or _guess_title(cleaned.text),
        language=language, published=pub.date, published_basis=pub.basis,
        published_confidence=pub.confidence, boilerplate=cleaned.removed,
    )


def _documents(source: str, options: IngestOptions) -> Iterator[RawDocument | Failure]:
    if source.lower().startswith(("http://", "https://")):
        from sitrep.ingest.fetch import fetch_url

        try:
            got = fetch_url(source, max_bytes=options.max_bytes, timeout=options.timeout,
                            deadline=options.deadline, allow_private=options.allow_private)
            text = decode_bytes(source, got.data, got.charset)
        except InputError as exc:
            yield Failure(exc.source, exc.reason)
            return
        for doc in parse_text(source, text, got.kind, url=got.url):
            yield replace(doc, url=doc.url or got.url) if isinstance(doc, RawDocument) else doc
    else:
        yield from read_source(source, options.max_bytes)


def _built(doc: RawDocument | Failure, options: IngestOptions) -> Article | Failure:
    """The article of one raw document, or the failure that stops it."""
    if isinstance(doc, Failure):
        return doc
    try:
        return build_article(doc, options)
    except InputError as exc:
        return Failure(exc.source, exc.reason)
    except Exception as exc:  # a reader bug must not kill the batch
        return Failure(doc.source, f"internal error while ingesting: {exc!r}")


def _shown(failure: Failure) -> Failure:
    return Failure(shown_name(failure.source), one_line(failure.reason), failure.stage)


def _articles(sources: Sequence[str], options: IngestOptions) -> Iterator[Article | Failure]:
    for item in _raw_articles(sources, options):
        yield _shown(item) if isinstance(item, Failure) else item


def _raw_articles(sources: Sequence[str], options: IngestOptions) -> Iterator[Article | Failure]:
    inputs = list(expand_sources(list(sources)))
    show = options.progress and len(inputs) > _PROGRESS_MIN_INPUTS and sys.stderr.isatty()
    if show:
        from rich.console import Console
        from rich.progress import Progress

        bar: Progress | None = Progress(console=Console(stderr=True), transient=True)
    else:
        bar = None
    with bar if bar is not None else nullcontext():
        task = bar.add_task("ingest", total=len(inputs)) if bar is not None else None
        for item in inputs:
            if isinstance(item, Failure):
                yield item
            else:
                yield from map(_built, _documents(item, options), repeat(options))
            if bar is not None and task is not None:
                bar.advance(task)


def ingest(sources: Sequence[str], options: IngestOptions | None = None) -> IngestResult:
    """Read ``sources`` into Articles (exact copies dropped, near-copies grouped)."""
    options = options or IngestOptions()
    result = IngestResult()
    index = DuplicateIndex()
    seen: set[str] = set()
    for item in _articles(sources, options):
        if isinstance(item, Failure):
            result.failures.append(item)
        elif item.id not in seen:
            seen.add(item.id)
            root = index.match(item.text)
            index.add(item.id, item.text, root=root)
            result.articles.append(replace(item, duplicate_of=root))
    result.articles = refine_dates(result.articles, (), options.reference_date)
    return result


def ingest_into(store: Store, sources: Sequence[str], options: IngestOptions | None = None) -> IngestReport:
    """Ingest ``sources`` and store the new articles, batch by batch, each in a transaction."""
    options = options or IngestOptions()
    return _store_articles(store, _articles(sources, options), options)


def ingest_documents_into(store: Store, documents: Iterable[RawDocument | Failure],
                          options: IngestOptions | None = None) -> IngestReport:
    """Like :func:`ingest_into` for documents already read (a watched feed's new items,
    :mod:`sitrep.watch`): the same cleaning, dating, dedup and batched storing."""
    options = options or IngestOptions()
    built = (_built(doc, options) for doc in documents)
    return _store_articles(store, (_shown(x) if isinstance(x, Failure) else x for x in built),
                           options)


def _store_articles(store: Store, items: Iterable[Article | Failure],
                    options: IngestOptions) -> IngestReport:
    report = IngestReport()
    known = store.article_ids()
    # stored articles are near-duplicate candidates through their stored band keys:
    # only those sharing a band with a new text are read and shingled
    index = DuplicateIndex(stored=lambda keys: store.get_articles(store.articles_in_bands(keys)))
    batch: list[Article] = []

    dated_pool = store.get_articles(min_published_confidence=0.8)

    def flush() -> None:
        if batch:
            refined = refine_dates(batch, dated_pool, options.reference_date)
            with store.transaction():
                report.added.extend(store.add_articles(refined))
            dated_pool.extend(a for a in refined if a.published_confidence >= 0.8)
            batch.clear()

    def dedup(items: list[Article | Failure]) -> None:
        index.preload(a.text for a in items if isinstance(a, Article) and a.id not in known)
        for item in items:
            if isinstance(item, Failure):
                report.failures.append(item)
                continue
            if item.id in known:
                report.skipped += 1
                continue
            known.add(item.id)
            root = index.match(item.text)
            index.add(item.id, item.text, root=root)
            batch.append(replace(item, duplicate_of=root))
            if len(batch) >= options.batch_size:
                flush()

    read: list[Article | Failure] = []
    for item in items:
        read.append(item)
        if len(read) >= options.batch_size:
            dedup(read)
            read.clear()
    dedup(read)
    flush()
    return report
