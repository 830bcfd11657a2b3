"""Actor accuracy on real news: predicted actor1/actor2 against the gold event's.

    .venv/bin/python bench/actors_news.py [SET ...] [--db-dir DIR] [--reuse] [-v]

For each set of ``bench/eval_seeds.py`` (default: news_train, news_extra, news_report)
the pipeline runs into ``DIR/SET.duckdb`` (``--reuse`` scores the databases as they are)
and two things are compared with the gold, by ACLED actor name:

- mentions: every extracted mention whose sentence overlaps a quote of a gold event of
  the same ACLED event type (the alignment ``sitrep eval`` uses for geocoding and dates,
  restricted so that a casualty "Attack" read in a bombing sentence is not charged) is
  compared with the aligned gold event that shares most actors with it. ``actor1`` / ``actor2``: the slot holds
  the gold name (an empty gold slot is right only when ours is empty too); ``set``:
  {actor1, actor2} equal as sets (ACLED's order is a convention the fusion may flip);
  ``P`` / ``R``: predicted names that are gold names / gold names predicted.
- events: every gold event matched (lenient) by a predicted event, the same measures.
- quotes: the resolver alone, without extraction: the actors ``ActorBook.find`` reads in
  each gold event's quotes on the event's date, against its actor1/actor2 (``P``: found
  actors that are the event's, a lower bound as quotes name bystanders; ``R``: gold
  actors found).

``-v`` lists each wrong mention with its sentence and the confusion counts
(gold -> predicted). The report split (news_report) is measure-only: its aggregates are
printed, never its sentences.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval_seeds import SETS, set_store  # noqa: E402

MEASURE_ONLY = frozenset({"news_report"})
_NONE = "-"


def _names(a1: Any, a2: Any) -> tuple[str, str]:
    def name(ref: Any) -> str:
        actor = getattr(ref, "actor", ref)
        return str(getattr(actor, "name", "")) or _NONE if actor is not None else _NONE
    return name(a1), name(a2)


class Tally:
    """Slot and set agreement counts for (predicted, gold) actor pairs."""

    def __init__(self) -> None:
        self.n = self.a1 = self.a2 = self.same_set = 0
        self.pred = self.gold = self.both = 0
        self.confusion: Counter[tuple[str, str]] = Counter()

    def add(self, pred: tuple[str, str], gold: tuple[str, str]) -> bool:
        self.n += 1
        self.a1 += pred[0] == gold[0]
        self.a2 += pred[1] == gold[1]
        p, g = set(pred) - {_NONE}, set(gold) - {_NONE}
        self.same_set += p == g
        self.pred += len(p)
        self.gold += len(g)
        self.both += len(p & g)
        for role in (0, 1):
            if pred[role] != gold[role]:
                self.confusion[(f"a{role + 1} {gold[role]}", pred[role])] += 1
        return p == g

    def row(self) -> dict[str, float | int]:
        def r(k: int, n: int) -> float:
            return round(k / n, 3) if n else 0.0
        return {"n": self.n, "actor1": r(self.a1, self.n), "actor2": r(self.a2, self.n),
                "set": r(self.same_set, self.n), "P": r(self.both, self.pred),
                "R": r(self.both, self.gold)}


def _best_gold(pred: tuple[str, str], golds: Iterable[Mapping[str, Any]]) -> tuple[str, str]:
    """The aligned gold event's actors that agree most with ``pred``."""
    pairs = [(str(g.get("actor1") or _NONE), str(g.get("actor2") or _NONE)) for g in golds]
    return max(pairs, key=lambda g: (len((set(g) - {_NONE}) & set(pred)), g[0] == pred[0]))


def measure(name: str, db: Path, *, reuse: bool) -> dict[str, Any]:
    from sitrep.evaluate.events import gold_quote_spans, match, scored_events
    from sitrep.evaluate.gold import load_gold, map_articles
    from sitrep.resolve.actors import ActorBook

    _sources, gold_path = SETS[name]
    with set_store(name, db, reuse) as store:
        gold = map_articles(load_gold(gold_path), store.get_articles(), path=str(gold_path))
        mentions = store.get_mentions()
        events = store.get_events()
        arts = {a.id: a for a in store.get_articles()}
    spans = gold_quote_spans(gold)
    by_mention, by_event = Tally(), Tally()
    wrong: list[str] = []
    for m in mentions:
        s, e = m.sentence.start, m.sentence.end
        aligned: list[Mapping[str, Any]] = []
        for aid, qs, qe, g in spans:
            if aid == m.article_id and qs < e and s < qe and g not in aligned \
                    and g.get("event_type") == m.event_type:
                aligned.append(g)
        if not aligned:
            continue
        pred = _names(m.actor1, m.actor2)
        want = _best_gold(pred, aligned)
        if not by_mention.add(pred, want):
            src = Path(arts[m.article_id].source).name if m.article_id in arts else m.article_id
            ids = ",".join(str(g.get("id")) for g in aligned)
            wrong.append(f"  {src} [{ids}] {m.sub_event_type}: ours {pred[0]} / {pred[1]}"
                         f"  gold {want[0]} / {want[1]}\n      {m.sentence.text[:200]!r}")
    golds = [g for g in gold.section("events") if gold.in_store(g)]
    preds = scored_events(gold, events, {m.id: m.article_id for m in mentions})
    wrong_events: list[str] = []
    for i, j in sorted(match(golds, preds, lenient=True).items()):
        g, p = golds[i], preds[j]
        want = (str(g.get("actor1") or _NONE), str(g.get("actor2") or _NONE))
        if not by_event.add(_names(p.actor1, p.actor2), want):
            pred = _names(p.actor1, p.actor2)
            wrong_events.append(f"  {g.get('id')} {g.get('event_date')} {g.get('sub_event_type')} "
                                f"@ {g.get('location')}: ours {pred[0]} / {pred[1]}  gold "
                                f"{want[0]} / {want[1]}")
    by_quote = Tally()  # the resolver alone: actors found in the gold quotes on the event's date
    book = ActorBook.default()
    for g in golds:
        on = dt.date.fromisoformat(str(g.get("event_date")))
        found: set[str] = set()
        for m in g.get("mentions") or []:
            found |= {a.name for _, _, a in book.find(str(m.get("quote") or ""), on)
                      if book.kind(a.id) == "actor"}
        wanted = {str(g.get(k)) for k in ("actor1", "actor2") if g.get(k)}
        by_quote.n += 1
        by_quote.pred += len(found)
        by_quote.gold += len(wanted)
        by_quote.both += len(found & wanted)
    return {"mentions": by_mention, "events": by_event, "quotes": by_quote, "wrong": wrong,
            "wrong_events": wrong_events}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", metavar="SET",
                    help=f"default: news_train news_extra news_report; one of {sorted(SETS)}")
    ap.add_argument("--db-dir", type=Path, default=Path("/tmp/sitrep-actors-news"))
    ap.add_argument("--reuse", action="store_true", help="score the databases as they are")
    ap.add_argument("-v", "--verbose", action="store_true", help="wrong mentions, confusions")
    args = ap.parse_args(argv)
    args.sets = args.sets or ["news_train", "news_extra", "news_report"]
    if unknown := sorted(set(args.sets) - set(SETS)):
        ap.error(f"unknown set(s) {unknown}; choose from {sorted(SETS)}")
    args.db_dir.mkdir(parents=True, exist_ok=True)
    print(f"{'set':12s} {'unit':8s} {'n':>4s} {'actor1':>7s} {'actor2':>7s} {'set':>6s} "
          f"{'P':>6s} {'R':>6s}")
    details: list[str] = []
    for name in args.sets:
        sources, _gold = SETS[name]
        if not sources:
            print(f"{name:12s} (absent)")
            continue
        res = measure(name, args.db_dir / f"{name}.duckdb", reuse=args.reuse)
        for unit in ("mentions", "events"):
            r = res[unit].row()
            print(f"{name:12s} {unit:8s} {r['n']:>4d} {r['actor1']:>7.3f} {r['actor2']:>7.3f} "
                  f"{r['set']:>6.3f} {r['P']:>6.3f} {r['R']:>6.3f}")
        r = res["quotes"].row()
        print(f"{name:12s} {'quotes':8s} {r['n']:>4d} {'':>7s} {'':>7s} {'':>6s} "
              f"{r['P']:>6.3f} {r['R']:>6.3f}")
        if args.verbose and name not in MEASURE_ONLY:
            details.append(f"== {name}: wrong events")
            details += res["wrong_events"]
            details.append(f"== {name}: wrong mentions")
            details += res["wrong"]
            details.append(f"== {name}: confusions (gold slot -> ours), mentions")
            details += [f"  {k:4d}  {g} -> {p}"
                        for (g, p), k in res["mentions"].confusion.most_common(25)]
    if details:
        print("\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
