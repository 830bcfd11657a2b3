"""The one place where the stages are composed (DESIGN.md pipeline).

    ingest ──► nlp ──► extract (+resolve) ──► claims      per article, pure
                                   └──► fuse ──► control   over the corpus, blocked

Per-article work (:func:`analyse`) is a pure function of the article, so the Spark
runner calls the very same code in ``mapPartitions``. Corpus-level work (fusion and
control) only touches the events whose block (place, date window) received new
mentions, so adding N articles costs what the stored events around their mentions cost
(their number follows the events per province and day), not O(corpus); fusion rebuilds
only the events whose mentions changed (``fuse(..., fresh=)``).

Stage interfaces (each stage module documents its own):

- ``sitrep.ingest.ingest(sources, options) -> IngestResult(articles, failures)``
- ``sitrep.nlp.parse(texts) -> Iterator[Doc]``
- ``sitrep.extract.extract_mentions(article, doc) -> list[Mention]``
- ``sitrep.typing_model.retype_mentions(mentions, doc) -> list[Mention]`` (the learned
  typing: a second opinion on the sub-event type where the rules' reading is weak)
- ``sitrep.reportable.keep_reportable(mentions, article, doc) -> list[Mention]`` (the
  learned filter: drops the mentions that only look like a reportable occurrence)
- ``sitrep.claims.extract_claims(article, doc) -> list[Claim]``
- ``sitrep.fuse.fuse(mentions, articles, existing) -> FuseResult(events, removed)``
- ``sitrep.confidence.calibrate(events, mentions) -> list[Event]`` (after fusion: the
  event confidence becomes a calibrated probability, a pure function of the event and
  its mentions, so batch, incremental and Spark runs store the same value)
- ``sitrep.control.derive_control(events) -> list[ControlState]``

Crash safety: each batch of articles is analysed, stored, marked analysed *and* fused
into the events in ONE transaction, so a run killed at any point leaves either the
whole batch or none of it; a rerun picks up the unanalysed articles and converges to
the same events (no duplicates). The control timeline is a pure function of the
events, per unit (a unit's timeline depends only on the events at its place, and at
its district centre for a district): the same transaction records the units of the
events the batch fused as dirty, with the stretch of dates those events cover, and the
end of every run re-derives just the dirty units (one pass, however many batches
touched them), each only over the stretch its change can reach, resumed from its stored
timeline (``sitrep.control.resume_timeline``), so the stored timeline equals a full
re-derivation (``refresh_control(store)``) at a cost that does not grow with the
database, nor with a unit's history where the window around the change shows a precise
change of hands after it (a province, or a unit with none, is derived from all its
events); units left dirty by a killed run are refreshed by the next run.

No poison pill: an article whose analysis raises (parse or extraction) is recorded as
failed with a one-line reason (``Store.record_analysis_failures``), listed once in the
run's failures (``source: analysis failed: ...``), and skipped by later runs, so one
article can never block the rest; it is analysed again when its content changes (a new
content hash, so a new article) or with ``RunOptions(retry_failed=True)``
(``sitrep run --retry-failed``). Over-long texts are parsed in pieces (:mod:`sitrep.nlp`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from typing import Any

from sitrep.model import Article, Claim, ControlState, Event, Failure, Mention
from sitrep.store import Store

__all__ = ["Analysed", "RunOptions", "RunSummary", "analyse", "refresh_control", "run"]

Analysed = tuple[Article, list[Mention], list[Claim]]
#: the least window around new mentions in which stored events are reloaded for fusion
#: (see :func:`_affected_events`)
_WINDOW = dt.timedelta(days=2)


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How :func:`run` works; the defaults suit a laptop."""

    batch_size: int = 32
    #: analysis processes: above 1, a pool of that many worker processes, started once
    #: per run with spaCy loaded once in each, analyses the batches ahead of the main
    #: process, which stores and fuses them in input order (so the events are the same).
    #: Workers are spawned (multiprocessing): a script calling ``run`` with it needs the
    #: usual ``if __name__ == "__main__":`` guard; the CLI and notebooks need nothing.
    n_process: int = 1
    progress: bool = False  # a rich progress bar over batches on stderr
    ingest: Any = None  # sitrep.ingest.IngestOptions
    #: the per-article stage; tests and other runners may inject their own
    analyser: Callable[..., Iterator[Analysed]] | None = None
    #: called after each batch is committed with (batches done, batches in this run):
    #: a log line for long unattended runs, and the point up to which a crash loses nothing
    on_batch: Callable[[int, int], None] | None = None
    #: analyse again the articles whose analysis failed in an earlier run
    retry_failed: bool = False


@dataclass(slots=True)
class RunSummary:
    """What a run did (the CLI prints it; the API returns it)."""

    articles_added: int = 0
    articles_skipped: int = 0
    articles_failed: int = 0  # inputs that could not be ingested
    articles_analysed: int = 0
    analysis_failed: int = 0  # stored articles whose analysis raised in this run
    #: articles left unanalysed because their analysis failed in an earlier run
    analysis_skipped_failed: int = 0
    mentions: int = 0
    claims: int = 0
    events: int = 0  # events in the store after the run
    events_new: int = 0
    events_updated: int = 0
    events_removed: int = 0
    control_changes: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def articles_seen(self) -> int:
        return self.articles_added + self.articles_skipped + self.articles_failed

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["articles_seen"] = self.articles_seen
        d["failures"] = [{"source": f.source, "reason": f.reason, "stage": f.stage}
                         for f in self.failures]
        return d


def analyse(articles: Iterable[Article], *, failures: list[Failure] | None = None,
            batch_size: int = 16, n_process: int = 1) -> Iterator[Analysed]:
    """Parse each article once; extract its mentions and claims (pure, per article).

    With ``failures`` given, an article whose parse or extraction raises is recorded
    there (one line) and skipped, and the others go on; :func:`run` then stores it as
    failed (skipped by later runs until it changes or is retried); without, it raises.
    """
    from sitrep.claims import extract_claims
    from sitrep.extract import extract_mentions
    from sitrep.nlp import parse
    from sitrep.reportable import keep_reportable
    from sitrep.typing_model import retype_mentions

    arts = list(articles)
    for article, doc in _parsed(arts, parse, batch_size, n_process):
        if isinstance(doc, Exception):  # spaCy refused this text
            if failures is None:
                raise doc
            failures.append(_analysis_failure(article, doc))
            continue
        try:
            # the learned typing re-types what the rules typed weakly; the learned filter
            # drops what only looks like a reportable occurrence
            mentions = retype_mentions(extract_mentions(article, doc), doc)
            mentions = keep_reportable(mentions, article, doc)
            claims = extract_claims(article, doc)
        except Exception as exc:  # one bad article never sinks a batch
            if failures is None:
                raise
            failures.append(_analysis_failure(article, exc))
            continue
        yield article, mentions, claims


def _parsed(arts: list[Article], parse: Callable[..., Iterator[Any]], batch_size: int,
            n_process: int) -> Iterator[tuple[Article, Any]]:
    """(article, its Doc or the exception parsing it raised), in order. ``nlp.pipe`` dies
    with the first text it refuses, so from there on each article is parsed alone."""
    docs = parse((a.text for a in arts), batch_size, n_process)
    done = 0
    for article in arts:
        try:
            doc = next(docs)
        except Exception:  # noqa: BLE001 (which article raised is found below)
            break
        done += 1
        yield article, doc
    for article in arts[done:]:
        try:
            yield article, next(parse([article.text], 1, 1))
        except Exception as exc:  # noqa: BLE001 (recorded as this article's failure)
            yield article, exc


def _analysis_failure(article: Article, exc: Exception) -> Failure:
    from sitrep.ingest.readers import one_line, shown_name

    return Failure(shown_name(article.source),
                   one_line(f"analysis failed: {type(exc).__name__}: {exc}"), stage="analyse")


def run(sources: Sequence[str], store: Store, options: RunOptions | None = None) -> RunSummary:
    """The main job: ingest ``sources``, analyse new articles, fuse, derive control."""
    opts = options or RunOptions()
    started = time.perf_counter()
    summary = RunSummary()
    # the analysis workers start first, so they load spaCy while the main process ingests
    with _analysis_pool(opts) as pool:
        if sources:
            from sitrep.ingest import ingest_into

            report = ingest_into(store, list(sources), opts.ingest)
            summary.articles_added = len(report.added)
            summary.articles_skipped = report.skipped
            summary.articles_failed = len(report.failures)
            summary.failures.extend(report.failures)

        todo = store.unanalysed_article_ids(skip_failed=not opts.retry_failed)
        if not opts.retry_failed:
            summary.analysis_skipped_failed = len(store.analysis_failures())
        size = max(1, opts.batch_size)
        batches = [todo[i:i + size] for i in range(0, len(todo), size)]
        with _progress(opts.progress, len(batches)) as advance:
            for done, (articles, results, failures) in enumerate(
                    _analysed_batches(store, batches, opts, pool), 1):
                _store_batch(store, articles, results, failures, summary)
                advance()
                if opts.on_batch is not None:
                    opts.on_batch(done, len(batches))
    refresh_control(store, units=store.dirty_control_units())
    summary.control_changes = store.count("control")
    summary.events = store.count("events")
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def _progress(enabled: bool, total: int) -> Any:
    if not enabled or total == 0:
        return nullcontext(lambda: None)
    from rich.console import Console
    from rich.progress import Progress

    @contextmanager
    def bar() -> Iterator[Callable[[], None]]:
        with Progress(console=Console(stderr=True), transient=True) as p:
            task = p.add_task("analysing batches", total=total)
            yield lambda: p.advance(task)

    return bar()


_Batch = tuple[list[Article], list[Analysed], list[Failure]]


def _analyse_batch(articles: list[Article]) -> tuple[list[Analysed], list[Failure]]:
    """One batch analysed in a pool worker (spaCy is loaded once per worker process)."""
    failures: list[Failure] = []
    return list(analyse(articles, failures=failures)), failures


def _warm_worker(profile_folder: str) -> None:
    """Pool initializer: the parent's conflict profile made active, spaCy and the
    extraction context loaded before the first batch."""
    import importlib

    from sitrep.nlp import get_nlp
    from sitrep.profile import use_profile

    use_profile(profile_folder)
    for module in ("sitrep.claims", "sitrep.extract"):
        importlib.import_module(module)
    get_nlp()


@contextmanager
def _analysis_pool(opts: RunOptions) -> Iterator[Any]:
    """With ``n_process`` > 1 (and no injected analyser), a persistent pool of worker
    processes, each with spaCy and the extraction context loaded once (not once per batch
    as with ``nlp.pipe(n_process=...)``); else None. The workers are started at once.

    spawn, not fork: the parent holds DuckDB's threads and locks. A worker that dies
    (killed, out of memory) fails the run with BrokenProcessPool instead of hanging; the
    batches stored before it are kept, and a rerun picks up the rest.
    """
    if opts.n_process <= 1 or opts.analyser is not None:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from sitrep.profile import active_profile

    with ProcessPoolExecutor(opts.n_process, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_warm_worker,
                             initargs=(str(active_profile().folder),)) as pool:
        for _ in range(opts.n_process):  # workers are spawned on demand: one task each
            pool.submit(int)
        yield pool


def _analysed_batches(store: Store, batches: list[list[str]], opts: RunOptions,
                      pool: Any) -> Iterator[_Batch]:
    """(articles, analysed, failures) per batch, in order.

    In-process without a pool (or with an injected ``analyser``). With the pool of
    :func:`_analysis_pool`, the workers run :func:`analyse` (a pure function of the
    articles) on the batches ahead of the caller, which stores and fuses each batch in
    order while the workers parse the next ones, so both cores stay busy. Articles are
    read from the store before their batch is sent (analysis never writes them, so
    reading ahead sees what an in-order read would).
    """
    if pool is None:
        analyser = opts.analyser or analyse
        for ids in batches:
            articles = store.get_articles(ids)
            failures: list[Failure] = []
            results = list(analyser(articles, failures=failures, n_process=opts.n_process))
            yield articles, results, failures
        return
    from concurrent.futures import Future

    pending: deque[tuple[list[Article], Future[tuple[list[Analysed], list[Failure]]]]] = deque()
    queue = iter(batches)

    def submit() -> None:
        ids = next(queue, None)
        if ids is not None:
            articles = store.get_articles(ids)
            pending.append((articles, pool.submit(_analyse_batch, articles)))

    for _ in range(2 * opts.n_process):  # one batch running and one queued per worker
        submit()
    while pending:
        articles, future = pending.popleft()
        results, failures = future.result()
        submit()
        yield articles, results, failures


def _store_batch(store: Store, articles: list[Article], results: list[Analysed],
                 failures: list[Failure], summary: RunSummary) -> None:
    summary.failures.extend(failures)
    summary.analysis_failed += len(failures)
    done = [a.id for a, _m, _c in results]
    failed = _failure_reasons(articles, set(done), failures)
    mentions = [m for _a, ms, _c in results for m in ms]
    claims = [c for _a, _m, cs in results for c in cs]
    with store.transaction():
        stale = {m.id for m in store.get_mentions(article_ids=done)} - {m.id for m in mentions}
        store.replace_mentions(done, mentions)
        store.replace_claims(done, claims)
        store.mark_analysed(done)
        store.record_analysis_failures(failed)
        _fuse_into(store, articles, mentions, stale, summary)
    summary.articles_analysed += len(done)
    summary.mentions += len(mentions)
    summary.claims += len(claims)


def _failure_reasons(articles: list[Article], done: set[str],
                     failures: list[Failure]) -> dict[str, str]:
    """Article id -> reason for every article of the batch the analyser did not return."""
    from sitrep.ingest.readers import shown_name

    reasons = {f.source: f.reason for f in failures}
    return {a.id: reasons.get(shown_name(a.source), reasons.get(a.source, "analysis failed"))
            for a in articles if a.id not in done}


def _affected_events(store: Store, mentions: list[Mention], stale: set[str],
                     published: dict[str, dt.date | None]) -> tuple[list[Event], list[Mention]]:
    """The stored events a batch's fusion re-fuses with the batch's mentions (those full
    fusion of all mentions could link with one of them), and the stored mentions that rest
    on no event it re-fuses with them too, so that an incremental run stores what a full
    run of the same articles stores.

    Per province of the batch's mentions (``Place.admin1``, any letter case): the events
    whose dates overlap a window around each mention's date, widened on each side by
    ``max(_WINDOW, SAME_CHANGE_DAYS + 1)`` = 8 days (linking needs overlapping dates, a
    day of slack at most; the occurrence pass joins a recap, or two reports of one change
    of hands in one article, up to :data:`sitrep.clusters.SAME_CHANGE_DAYS` apart). A mention
    with no date is dated as fusion dates it (the day before its publication to that
    day); one with no publication day either reads nothing. A province's windows are
    merged only where they overlap (one window from the batch's first date to its last
    read every event of the months between, a cost that grew with the database on the
    20,000-article run), and all provinces are read in one query
    (:meth:`Store.events_near_provinces`). Mentions with no place read, in their windows,
    the events with no province and every event resting on an article of the batch (a
    re-analysed article's own events). On re-analysis (``stale``: stored mention ids the
    batch no longer gives), also every stored event resting on one of them (a scan of all
    stored events).

    A change of hands is joined to a recalled change of its unit at any distance
    (``collapse._pairs``): a batch's change of hands also reads the stored changes of
    hands at its place, whatever their dates (a unit changes hands a few times, so this
    reads a few events).

    A full run also weighs the stored mentions that rest on no event (a thin cluster's,
    an undated report's: a report with no date of its own that a later article's dated
    report makes an event): those of the articles of the events read, and of the articles
    published in the batch's windows (a report dated by its publication or its paragraph
    lies near its publication day: 'the 10th province to fall in a week', stored alone as
    a thin cluster, is an event once a later article's report of the fall joins it), come
    back as the second value. Which of those articles' other mentions rest on an event is read off
    the events resting on the articles near each mention's dates (an event is dated
    within a week of each of its reports; a change of hands at its unit at any date), so
    the cost stays that of the neighbourhood, not of the database; the place-less ones
    among those events are re-fused too (a mention with no place joins an event of its
    own article: ``fuse._attach_placeless``). Not read, so
    not re-fused: events of other provinces, and the loose mentions of articles published
    outside the windows none of whose events is read (news_extra, 188 pages, in two batches
    or in batches of 32: no event differs from a full run; in two batches 2 did when only
    the articles of the events read were)."""
    from sitrep.clusters import SAME_CHANGE_DAYS
    from sitrep.ontology import TERRITORIAL

    reach = max(_WINDOW, dt.timedelta(days=SAME_CHANGE_DAYS + 1))
    articles = {m.article_id for m in mentions}
    spans: dict[str | None, list[tuple[dt.date, dt.date]]] = {}
    dated = [(m, d) for m in mentions if (d := _fused_days(m, published)) is not None]
    for m, (start, end) in dated:
        p = m.place.place if m.place else None
        spans.setdefault(p.admin1 if p is not None else None, []).append((start - reach, end + reach))
    units = _change_places(m for m, _days in dated)
    near = store.events_near_provinces({k: _merged(w) for k, w in spans.items() if k is not None})
    events = [e for es in near.values() for e in es]
    if None in spans:
        events += store.events_near(None, _merged(spans[None]), articles)
    if units:
        events += store.get_events_of_types(TERRITORIAL, place_ids=sorted(units))
    if stale:  # re-analysis: events that rest on mentions that no longer exist
        events += [e for e in store.get_events() if stale & set(e.mention_ids)]
    found = {e.id: e for e in events}
    # the articles published near the batch's days: their reports that rest on no event
    # (dated by the publication or the paragraph: a thin cluster's, an undated one's) can
    # become an event with a report of the batch, in an article none of whose events is read
    nearby = store.articles_published_near(
        _merged([(lo, hi + reach) for ws in spans.values() for lo, hi in ws]))
    others = ({a for e in found.values() for a in e.article_ids} | set(nearby)) - articles
    read = {mid for e in found.values() for mid in e.mention_ids}
    rest = [m for m in store.get_mentions(article_ids=others) if m.id not in read] if others else []
    if not rest:
        return list(found.values()), []
    # the events that may hold them: near their dates (an event is dated within a week of
    # each of its reports), or a change of hands of their unit at any date
    pub = {a.id: a.published for a in store.get_articles({m.article_id for m in rest})}
    windows = [(d[0] - reach, d[1] + reach) for m in rest if (d := _fused_days(m, pub)) is not None]
    resting = store.events_near(None, _merged(windows), others)
    changes = _change_places(rest)
    if changes:
        resting += store.get_events_of_types(TERRITORIAL, place_ids=sorted(changes))
    found.update((e.id, e) for e in resting if e.place is None and others & set(e.article_ids))
    held = {mid for e in resting for mid in e.mention_ids}
    loose = [m for m in rest if m.id not in held]
    return list(found.values()), loose


def _change_places(mentions: Iterable[Mention]) -> set[str]:
    """The places of the mentions that report a change of hands (their units)."""
    from sitrep.ontology import TERRITORIAL

    return {m.place.place.id for m in mentions
            if m.place is not None and m.place.place is not None and m.sub_event_type in TERRITORIAL}


def _fused_days(m: Mention, published: Mapping[str, dt.date | None]) -> tuple[dt.date, dt.date] | None:
    """A mention's first and last day as fusion dates it: its own date, else the day before
    its publication to that day; None with neither."""
    if m.date is not None:
        return m.date.interval.start, m.date.interval.end
    day = published.get(m.article_id)
    return None if day is None else (day - dt.timedelta(days=1), day)


def _merged(windows: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """The windows with the overlapping ones joined, in date order."""
    out: list[tuple[dt.date, dt.date]] = []
    for lo, hi in sorted(windows):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _fuse_into(store: Store, batch: list[Article], mentions: list[Mention], stale: set[str],
               summary: RunSummary) -> None:
    """Fuse a batch's ``mentions`` (of the ``batch``'s articles, as stored) into the stored
    events around them."""
    from sitrep.confidence import calibrate
    from sitrep.fuse import fuse

    ids = {m.article_id for m in mentions}
    new_articles = {a.id: a.published for a in batch if a.id in ids}
    existing, loose = _affected_events(store, mentions, stale, new_articles)
    seen = list(existing)
    old_ids = {mid for e in existing for mid in e.mention_ids}
    stored = {m.id: m for m in store.get_mentions(ids=old_ids)} if old_ids else {}
    # an event none of whose mentions survives re-analysis is gone, not kept whole
    orphans = [e.id for e in existing if not set(e.mention_ids) & stored.keys()]
    existing = [e for e in existing if e.id not in orphans]
    pool = {**{m.id: m for m in loose}, **stored, **{m.id: m for m in mentions}}
    article_ids = {m.article_id for m in pool.values()}
    articles = {a.id: a for a in store.get_articles(article_ids)}
    # fusion leaves out the stored events it makes again from the same mentions (``fresh``)
    result = fuse(list(pool.values()), articles, existing, fresh={m.id for m in mentions})
    events = calibrate(result.events, pool)
    before = {e.id: e for e in existing}
    removed = sorted(set(result.removed) | set(orphans))
    store.delete_events(removed)
    # an event rebuilt equal to its stored self is not rewritten (one row write each)
    changed = [e for e in events if before.get(e.id) != e]
    store.upsert_events(changed)
    summary.events_removed += len(removed)
    summary.events_new += sum(e.id not in before for e in events)
    summary.events_updated += sum(e.id in before and before[e.id] != e for e in events)
    store.mark_control_dirty(_changed_units(seen, changed, set(removed), {m.id for m in mentions}))


def _changed_units(seen: list[Event], changed: list[Event], removed: set[str],
                   rewritten: set[str]) -> dict[str, tuple[dt.date, dt.date]]:
    """The control units whose timeline a batch can change, each with the stretch of
    dates the changed events cover (first start, last end). A unit's timeline is a
    function of the events that can change it and their mentions only (control.py
    groups by unit), so: the places of the changed events (new and old versions), of the
    removed ones, and of the events resting on a mention the batch rewrote under the
    same id (re-analysis); and the districts those places lie in (a district centre's
    events change its district)."""
    ids = {e.id for e in changed} | removed
    touched = [*changed, *(e for e in seen if e.id in ids or not rewritten.isdisjoint(e.mention_ids))]
    units: dict[str, tuple[dt.date, dt.date]] = {}
    for e in touched:
        if e.place is None:
            continue
        for unit in filter(None, (e.place.id, e.place.admin2_id)):
            first, last = units.get(unit, (e.date.start, e.date.end))
            units[unit] = (min(first, e.date.start), max(last, e.date.end))
    return units


#: how far around a unit's changed stretch its refresh first reads events, then reads
#: again when the stretch's ends are not in that window; past the last, the unit is
#: derived from all its events
_REACH = (dt.timedelta(days=30), dt.timedelta(days=120), dt.timedelta(days=480))


def refresh_control(store: Store, units: Iterable[str] | None = None) -> int:
    """Re-derive the control timeline from the stored events; returns the number of
    control rows written. With ``units`` (place ids), only those units' timelines, each
    re-derived over the stretch its changed events can reach (the stretch the store
    remembers for a dirty unit; a unit it has none for, from all its events): what a full
    refresh would give for them, at a cost that does not grow with the database."""
    from sitrep.control import derive_control
    from sitrep.ontology import CLASH, TERRITORIAL

    relevant = {*TERRITORIAL, CLASH}  # other types never change control
    if units is None:
        events = store.get_events_of_types(relevant)
        states = derive_control(events, _control_mentions(store, events))
        with store.transaction():
            store.replace_control(states)
            store.clear_control_dirty(store.dirty_control_units())
        return len(states)
    units = sorted(set(units))
    if not units:
        return 0
    stretches = store.dirty_control_stretches()
    timelines = _unit_timelines(store, {u: stretches.get(u) for u in units}, relevant)
    states = [s for u in units for s in timelines[u]]
    with store.transaction():
        store.replace_control(states, unit_ids=units)
        store.clear_control_dirty(units)
    return len(states)


def _control_mentions(store: Store, events: Iterable[Event]) -> Mapping[str, Mention]:
    """The mentions of these events, decoded as read: the control derivation reads only
    the mentions of the events that can change a unit's controller."""
    ids = {mid for e in events for mid in e.mention_ids}
    return store.mention_records(ids) if ids else {}


def _unit_timelines(store: Store, stretches: dict[str, tuple[dt.date, dt.date] | None],
                    relevant: set[str]) -> dict[str, list[ControlState]]:
    """Unit -> its timeline after the change: resumed from the stored one over a window
    around the changed stretch (:func:`sitrep.control.resume_timeline`, widened while
    the stretch's ends are not in it), else derived from all the unit's events."""
    from sitrep.control import derive_control, resume_timeline

    stored = store.control_of_units(stretches)
    span = store.event_span_of_units(relevant, stretches)

    def read(ids: list[str]) -> tuple[list[Event], Mapping[str, Mention]]:
        events = store.events_by_id(ids)
        return events, _control_mentions(store, events)

    out: dict[str, list[ControlState]] = {}
    todo = {u: s for u, s in stretches.items() if s is not None}
    for reach in _REACH:
        if not todo:
            break
        windows: dict[str, tuple[dt.date | None, dt.date | None]] = {}
        for u, (first, last) in todo.items():
            lo, hi = first - reach, last + reach
            earliest_end, latest_start = span.get(u, (lo, hi))
            # a window reaching past the unit's first or last event is open on that side
            windows[u] = (lo if earliest_end < lo else None, hi if latest_start > hi else None)
        found = store.events_of_units(relevant, windows)
        mentions = _control_mentions(store, (e for es in found.values() for e in es))
        for u, stretch in list(todo.items()):
            rows = resume_timeline(u, found.get(u, []), mentions, stored.get(u, []),
                                   changed=stretch, window=windows[u], read=read)
            if rows is not None:
                out[u] = rows
                del todo[u]
    rest = [u for u in stretches if u not in out]
    if rest:
        found = store.events_of_units(relevant, dict.fromkeys(rest, (None, None)))
        events = list({e.id: e for es in found.values() for e in es}.values())
        derived = derive_control(events, _control_mentions(store, events))
        for u in rest:
            out[u] = [s for s in derived if s.unit_id == u]
    return out
