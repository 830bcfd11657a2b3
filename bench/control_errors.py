"""Read a data set's control timeline against its gold, change by change.

    .venv/bin/python bench/control_errors.py news_extra [--db FILE] [--reuse] [--all]
        [--holdout REGEX]

Runs the pipeline on one of ``bench/eval_seeds.py``'s sets (or scores ``--db`` as it is
with ``--reuse``) and prints, per gold control change that the timeline misses (every
one with ``--all``), the rows the timeline holds for that unit with the sentences they
rest on, then every row that agrees with no gold change of its unit (a change the gold
does not code: spurious, or a contested state). Pages whose file name matches
``--holdout`` (say ``'X(9\\d|1\\d\\d)\\.txt'``) are counted apart and never printed: the
transfer check of rules written while reading the rest. Never point it at the report
split to tune.

``--causes`` tags every gold change the timeline misses with its cause and prints the
tally (held-out pages tallied apart, not listed): ``controller`` (a row of the unit on
the day hands it to another side), ``date`` (the right side, another day), else, read
from the stored mentions whose sentence overlaps a gold quote: ``no mention`` (nothing
extracted: extraction), ``typed other`` (none typed a change of hands), ``place`` (none
placed at the unit: gazetteer / geocoding; ``unit level`` when at the same name's other
level, the district for its town; ``homonym`` when at a namesake of the unit's level in
another province), ``not in an event`` (the filter dropped them),
``event <type>`` (fused into an event that changes no control), ``declined: <rule>``
(the control derivation's reason, :func:`sitrep.control.trace_changes`), ``absorbed``
(proposed, but the unit's state machine made no row of it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

from eval_seeds import HOLDOUTS, SETS, set_store

from sitrep.ontology import CLASH, TERRITORIAL


def main(argv: list[str] | None = None) -> int:
    from sitrep.evaluate.gold import load_gold, map_articles
    from sitrep.evaluate.ledger import score_control, unit_states

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("set", nargs="?", default="news_train", choices=sorted(set(SETS) - set(HOLDOUTS)))  # holdouts: aggregates only
    ap.add_argument("--db", type=Path, help="keep the database here")
    ap.add_argument("--reuse", action="store_true", help="score --db as it is")
    ap.add_argument("--all", action="store_true", help="print the changes found too")
    ap.add_argument("--holdout", default=None, help="file names (regex) counted apart, not shown")
    ap.add_argument("--causes", action="store_true", help="tag each missed change with its cause")
    args = ap.parse_args(argv)
    hold = re.compile(rf"^(?:{args.holdout})$") if args.holdout else None
    db = args.db or Path(tempfile.mkdtemp()) / "control.duckdb"
    with set_store(args.set, db, args.reuse) as store:
        gold = map_articles(load_gold(SETS[args.set][1]), store.get_articles(),
                            path=str(SETS[args.set][1]))
        states = store.get_control()
        files = {a.id: Path(a.source).name for a in store.get_articles()}
        reading = _Reading(gold, store) if args.causes else None
        # scored inside the set's profile: its gazetteer names the gold units ('Zmiinyi Island')
        result = score_control(gold, states)
        events = {g.get("id"): g for g in gold.section("events")}

        def held(names: list[str]) -> bool:
            return hold is not None and bool(names) and all(hold.match(Path(n).name) for n in names)

        counts = {"shown": [0, 0], "holdout": [0, 0]}  # [right, n]
        causes: dict[str, dict[str, int]] = {"shown": {}, "holdout": {}}
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
            cause = reading.cause(g, found) if reading is not None and row["status"] != "ok" else ""
            if cause:
                causes[part][cause.split(":")[0]] = causes[part].get(cause.split(":")[0], 0) + 1
            if part == "holdout" or (row["status"] == "ok" and not args.all):
                continue
            print(f"{row['status'].upper():8} {row['gold']} {row['date']} {g.get('date_precision')} "
                  f"{g.get('sub_event_type')}: {row['unit']} -> {row['expected']}"
                  + (f"  [{cause}]" if cause else ""))
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
        for part, tally in causes.items():
            if tally:
                print(f"== causes {part}: " + ", ".join(
                    f"{k} {v}" for k, v in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))))
    return 0


class _Reading:
    """What the pipeline made of a gold change's quotes (``--causes``)."""

    def __init__(self, gold: Any, store: Any) -> None:
        from sitrep.control import trace_changes
        from sitrep.evaluate.events import gold_quote_spans

        self.mentions = {m.id: m for m in store.get_mentions()}
        events = store.get_events()
        self.event_of = {mid: e for e in events for mid in e.mention_ids}
        changing = [e for e in events if e.sub_event_type in (*TERRITORIAL, CLASH)]
        self.trace: dict[str, list[tuple[str, str]]] = {}
        for eid, unit, verdict in trace_changes(changing, self.mentions):
            self.trace.setdefault(eid, []).append((unit, verdict))
        self.spans = gold_quote_spans(gold)

    def aligned(self, g: Any) -> list[Any]:
        quotes = [(aid, qs, qe) for aid, qs, qe, entry in self.spans if entry is g]
        return [m for m in self.mentions.values() if any(
            aid == m.article_id and qs < m.sentence.end and m.sentence.start < qe
            for aid, qs, qe in quotes)]

    def cause(self, g: Any, found: list[Any]) -> str:
        from sitrep.evaluate.agreement import controller_key, date_agrees, gold_interval

        want = controller_key(g["control_change"].get("new_controller"))
        interval = gold_interval(g)
        if any(date_agrees(interval, _day(s)) for s in found):
            return "controller"
        if any(controller_key(s.controller) == want for s in found):
            return "date"
        aligned = self.aligned(g)
        if not aligned:
            return "no mention"
        changes = [m for m in aligned if m.sub_event_type in TERRITORIAL]
        if not changes:
            return "typed other: " + ",".join(sorted({m.sub_event_type for m in aligned}))
        at = [m for m in changes if _at_unit(g, m)]
        if not at:
            where = sorted({m.place.place.name if m.place and m.place.place else "-" for m in changes})
            same = [m.place.place for m in changes
                    if m.place and m.place.place and _same_name(g, m.place.place)]
            if any(_same_level(g, p) for p in same):
                return "homonym: " + ",".join(f"{p.name}/{p.admin1}" for p in same)
            return ("unit level: " if same else "place: ") + ",".join(where)
        events = [self.event_of[m.id] for m in at if m.id in self.event_of]
        if not events:
            return "not in an event"
        kinds = {e.sub_event_type for e in events}
        if not kinds & {*TERRITORIAL, CLASH}:
            return "event " + ",".join(sorted(kinds))
        verdicts = [v for e in events for v in self.trace.get(e.id, [])]
        declined = sorted({v for unit, v in verdicts if not unit})
        if declined and not any(unit for unit, _v in verdicts):
            return "declined: " + "; ".join(declined)
        return "absorbed: " + "; ".join(sorted({v for unit, v in verdicts if unit}))


def _day(state: Any) -> Any:
    from sitrep.model import DateInterval

    return DateInterval(state.date, state.date, "day")


def _stand_in(place: Any) -> Any:
    from sitrep.control import unit_level
    from sitrep.model import ControlState

    return ControlState(unit_id=place.id, unit_name=place.name,
                        unit_level=unit_level(place) or place.kind, admin1=place.admin1,
                        date=dt.date.min, controller="contested", confirmed=True)


def _at_unit(g: Any, m: Any) -> bool:
    """The mention is placed at the gold change's unit (or the unit's district centre)."""
    from sitrep.evaluate.ledger import unit_states
    from sitrep.resolve.gazetteer import Gazetteer

    place = m.place.place if m.place is not None else None
    if place is None:
        return False
    district = Gazetteer.default().entry(place.admin2_id) if place.admin2_id else None
    options = [place, *([district.place] if district is not None else [])]
    return bool(unit_states(g, [_stand_in(p) for p in options]))


def _same_level(g: Any, place: Any) -> bool:
    """The place is of the gold unit's level (so a namesake in another province)."""
    from sitrep.control import unit_level
    from sitrep.evaluate.agreement import level_family

    return level_family(unit_level(place) or place.kind) == level_family(
        g["control_change"].get("unit_level"))


def _same_name(g: Any, place: Any) -> bool:
    from sitrep.evaluate.agreement import place_key

    unit = str(g["control_change"].get("unit") or "")
    return place_key(place.name) == place_key(unit.split("(")[0])


if __name__ == "__main__":
    raise SystemExit(main())
