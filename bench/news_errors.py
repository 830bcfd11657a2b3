"""Read a data set's events against its gold, event by event (what an ACLED coder checks).

    .venv/bin/python bench/news_errors.py news_train [--db FILE] [--reuse]

Runs the pipeline on one of ``bench/eval_seeds.py``'s sets (``news_train`` by default)
and prints, per gold event, whether a predicted event matches it (strict ✓, lenient ~,
missed ✗) with the nearest predicted event, then every predicted event that matches no
gold event (false or over-split events) with its first sentence. ``--reuse`` scores an
existing ``--db`` without re-running. Never point it at the report split to tune.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from eval_seeds import HOLDOUTS, SETS, set_store


def _n(actor: object) -> str:
    return str(getattr(actor, "name", "-")) if actor is not None else "-"


def main(argv: list[str] | None = None) -> int:
    from sitrep.evaluate.agreement import place_agrees
    from sitrep.evaluate.events import match, scored_events
    from sitrep.evaluate.gold import load_gold, map_articles
    from sitrep.model import Event

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("set", nargs="?", default="news_train", choices=sorted(set(SETS) - set(HOLDOUTS)))  # holdouts: aggregates only
    ap.add_argument("--db", type=Path, help="keep the database here")
    ap.add_argument("--reuse", action="store_true", help="score --db as it is")
    args = ap.parse_args(argv)
    _sources, gold_path = SETS[args.set]
    db = args.db or Path(tempfile.mkdtemp()) / "errors.duckdb"
    with set_store(args.set, db, args.reuse) as store:  # with the set's conflict profile
        gold = map_articles(load_gold(gold_path), store.get_articles(), path=str(gold_path))
        mentions = store.get_mentions()
        by_mention = {m.id: m for m in mentions}
        arts = {a.id: a for a in store.get_articles()}
        golds = [g for g in gold.section("events") if gold.in_store(g)]
        preds = scored_events(gold, store.get_events(), {m.id: m.article_id for m in mentions})
    strict = match(golds, preds, lenient=False)
    lenient = match(golds, preds, lenient=True)

    def show(e: Event) -> str:
        p, d = e.place, e.date
        where = f"{p.name}/{p.admin2}/{p.admin1}" if p else "-"
        return (f"{e.id} {d.start}..{d.end} {e.sub_event_type} @ {where} "
                f"[{_n(e.actor1)} / {_n(e.actor2)}] conf={e.confidence:.2f}")

    def sentence(e: Event) -> str:
        out = []
        for mid in e.mention_ids[:3]:
            m = by_mention.get(mid)
            if m is not None:
                a = arts.get(m.article_id)
                name = Path(a.source).name if a else m.article_id
                out.append(f"      {name}: {m.sentence.text[:160]!r}")
        return "\n".join(out)

    print(f"== {args.set}: {len(golds)} gold, {len(preds)} predicted, strict {len(strict)}, "
          f"lenient {len(lenient)}")
    for i, g in enumerate(golds):
        mark = "✓" if i in strict else ("~" if i in lenient else "✗")
        print(f"{mark} {g.get('id')} {g.get('event_date')} {g.get('sub_event_type')} @ "
              f"{g.get('location')}/{g.get('admin2')}/{g.get('admin1')}")
        if i not in strict:
            j = lenient.get(i)
            cands = [preds[j]] if j is not None else [
                p for p in preds if place_agrees(g, p.place)][:2]
            for p in cands:
                print(f"    near: {show(p)}")
            q = (g.get("mentions") or [{}])[0].get("quote", "")
            print(f"    gold quote: {q[:160]!r}")
    used = set(lenient.values())
    print("== predicted events matching no gold event")
    for j, p in enumerate(preds):
        if j not in used:
            print(f"✗ {show(p)}\n{sentence(p)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
