"""Read a data set's control timeline against its gold, change by change.

    .venv/bin/python bench/control_errors.py news_extra [--db FILE] [--reuse] [--all]
        [--holdout REGEX]

Runs the pipeline on one of ``bench/eval_seeds.py``'s sets (or scores ``--db`` as it is
with ``--reuse``) and prints, per gold control change that the timeline misses (every
one with ``--all``), the rows the timeline holds for that unit with the sentences they
rest on, then every row that agrees with no gold change of its unit (a change the gold
does not code: spurious, or a contested state). Pages whose file name matches
``--holdout`` (say ``'X(9\\d|1\\d\\d)'``) are counted apart and never printed: the
transfer check of rules written while reading the rest. Never point it at the report
split to tune.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from eval_seeds import HOLDOUTS, SETS, set_store


def main(argv: list[str] | None = None) -> int:
    from sitrep.evaluate.gold import load_gold, map_articles
    from sitrep.evaluate.ledger import score_control, unit_states

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("set", nargs="?", default="news_train", choices=sorted(set(SETS) - set(HOLDOUTS)))  # holdouts: aggregates only
    ap.add_argument("--db", type=Path, help="keep the database here")
    ap.add_argument("--reuse", action="store_true", help="score --db as it is")
    ap.add_argument("--all", action="store_true", help="print the changes found too")
    ap.add_argument("--holdout", default=None, help="file names (regex) counted apart, not shown")
    args = ap.parse_args(argv)
    hold = re.compile(rf"^(?:{args.holdout})$") if args.holdout else None
    db = args.db or Path(tempfile.mkdtemp()) / "control.duckdb"
    with set_store(args.set, db, args.reuse) as store:
        gold = map_articles(load_gold(SETS[args.set][1]), store.get_articles(),
                            path=str(SETS[args.set][1]))
        states = store.get_control()
        files = {a.id: Path(a.source).name for a in store.get_articles()}
    result = score_control(gold, states)
    events = {g.get("id"): g for g in gold.section("events")}

    def held(names: list[str]) -> bool:
        return hold is not None and bool(names) and all(hold.match(Path(n).name) for n in names)

    counts = {"shown": [0, 0], "holdout": [0, 0]}  # [right, n]
    seen: set[tuple[str, str, str]] = set()
    for row in result["rows"]:
        g = events[row["gold"]]
        found = unit_states(g, states)
        seen.update((s.unit_id, s.date.isoformat(), s.controller) for s in found)
        if row["status"].startswith("not scorable"):
            continue
        part = "holdout" if held([str(m.get("file", "")) for m in g.get("mentions") or []]) \
            else "shown"
        counts[part][0] += row["status"] == "ok"
        counts[part][1] += 1
        if part == "holdout" or (row["status"] == "ok" and not args.all):
            continue
        print(f"{row['status'].upper():8} {row['gold']} {row['date']} {g.get('date_precision')} "
              f"{g.get('sub_event_type')}: {row['unit']} -> {row['expected']}")
        quote = (g.get("mentions") or [{}])[0].get("quote", "")
        print(f"    gold: {quote[:200]!r}")
        for s in sorted(found, key=lambda s: s.date):
            print(f"    row {s.date} {s.controller}{'' if s.confirmed else ' (claimed)'} "
                  f"{s.unit_name}/{s.unit_level}")
            for ev in s.evidence[:4]:
                name = files.get(ev.article_id, ev.article_id)
                if not held([name]):
                    print(f"        {name}: {ev.quote[:200]!r}")
        if not found:
            print("    (no row for this unit)")
    print("== rows that agree with no gold change of their unit")
    other = {"shown": 0, "holdout": 0}
    for s in sorted(states, key=lambda s: (s.unit_name, s.date)):
        if (s.unit_id, s.date.isoformat(), s.controller) in seen:
            continue
        names = [files.get(ev.article_id, ev.article_id) for ev in s.evidence]
        part = "holdout" if held(names) else "shown"
        other[part] += 1
        if part == "holdout":
            continue
        print(f"    {s.date} {s.controller}{'' if s.confirmed else ' (claimed)'} "
              f"{s.unit_name}/{s.unit_level}/{s.admin1}")
        for name, ev in zip(names, s.evidence[:3], strict=False):
            if not held([name]):
                print(f"        {name}: {ev.quote[:200]!r}")
    early = [e["gold"] for e in result["early"]]
    for part, (right, n) in counts.items():
        if n or other[part]:
            print(f"== {args.set} {part}: control {right}/{n}, {other[part]} rows agreeing with "
                  f"no gold change")
    print(f"== early (new controller shown > 1 day ahead): {early}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
