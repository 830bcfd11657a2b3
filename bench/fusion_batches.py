"""Does batched fusion (``sitrep run``, 32 articles per batch) give the events of one-shot fusion?

    .venv/bin/python bench/fusion_batches.py SOURCE.duckdb CORPUS.jsonl

Re-runs ``sitrep.pipeline.run`` on CORPUS twice — batch size 32 and one batch — with an
injected analyser that replays the mentions stored in SOURCE.duckdb (no NLP, seconds),
then compares the events: clusters (sets of mention ids), ids, and fused mentions that
end up in no event. The Spark runner fuses in one batch, so this is also the gap between
``sitrep spark run`` and a default ``sitrep run``.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sitrep.model import Article, Mention
from sitrep.pipeline import RunOptions, run
from sitrep.store import Store


def main(src_db: str, corpus: str) -> int:
    with Store(src_db, read_only=True) as s:
        by: dict[str, list[Mention]] = {}
        for m in s.get_mentions():
            by.setdefault(m.article_id, []).append(m)

    def replay(articles: Iterable[Article], **_kw: Any) -> Iterator[tuple[Article, list[Mention], list[Any]]]:
        for a in articles:
            yield a, by.get(a.id, []), []

    events = {}
    with tempfile.TemporaryDirectory() as tmp:
        for bs in (32, 1_000_000):
            with Store(Path(tmp) / f"b{bs}.duckdb") as st:
                run([corpus], st, RunOptions(batch_size=bs, analyser=replay))
                events[bs] = st.get_events()
    batched, one = events[32], events[1_000_000]
    cb = {frozenset(e.mention_ids) for e in batched}
    co = {frozenset(e.mention_ids) for e in one}
    mb = {m for e in batched for m in e.mention_ids}
    mo = {m for e in one for m in e.mention_ids}
    print(f"events: batched {len(batched)}, one batch {len(one)}")
    print(f"clusters only batched {len(cb - co)}, only one batch {len(co - cb)}")
    print(f"ids differing {len({e.id for e in batched} ^ {e.id for e in one})}")
    print(f"fused mentions in no batched event {len(mo - mb)}: {sorted(mo - mb)[:10]}")
    print(f"fused mentions in no one-batch event {len(mb - mo)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
