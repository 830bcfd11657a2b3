"""Actor-dictionary measurements.

1. Gold events (seeds_gold schema): for each event, the actors that
   ``ActorBook.find`` recognises in its mention quotes. Reported:
   - actor1 / actor2 recall: share of events whose gold actor is among the actors
     found in at least one of its quotes;
   - found-actor precision: share of actors found in quotes that are the event's
     actor1/actor2 (organisations and claimants excluded; a quote may name
     bystanders, so this is a lower bound);
   - unknown gold names: gold actor names the book does not have (by_name).
2. ACLED sanity check of ``inter`` codes for the generic actor classes against
   ../shared/dev/acled_2020_nonafg.csv (other countries, 2020): for each class, the
   inter code ACLED gives to actors of that class, compared with ours. Rows are
   only counted, never copied.

    .venv/bin/python bench/actors_eval.py [GOLD.json ...]
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.resolve.actors import ActorBook  # noqa: E402

SHARED = (ROOT / ".." / "shared").resolve()
ACLED_DEV = SHARED / "dev" / "acled_2020_nonafg.csv"

# our generic class (ACLED name prefix) -> the actor id whose inter we assign
CLASSES = {
    "Civilians (": "afg-civilians",
    "Protesters (": "afg-protesters",
    "Rioters (": "afg-rioters",
    "Unidentified Armed Group (": "afg-unidentified",
    "Militia (": "afg-militia-progov",
    "Islamic State (": "islamic-state-afg",
    "Police Forces of ": "afg-police",
    "Government of ": "afg-government",
    "Private Security Forces": "private-security",
}


def gold_recall(book: ActorBook, gold_path: Path) -> dict[str, float]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    events = gold.get("events", [])
    hit = {"actor1": 0, "actor2": 0}
    total = {"actor1": 0, "actor2": 0}
    found_ok = found_all = 0
    unknown: Counter[str] = Counter()
    for ev in events:
        found = set()
        for mention in ev.get("mentions", []):
            found |= {a.name for _, _, a in book.find(mention.get("quote", ""))
                      if book.kind(a.id) == "actor"}
        wanted = {ev.get("actor1"), ev.get("actor2")} - {None, ""}
        for role in ("actor1", "actor2"):
            name = ev.get(role)
            if not name:
                continue
            total[role] += 1
            if book.by_name(name) is None:
                unknown[name] += 1
            hit[role] += name in found
        found_all += len(found)
        found_ok += len(found & wanted)
    return {
        "events": len(events),
        "actor1_recall": hit["actor1"] / total["actor1"] if total["actor1"] else 0.0,
        "actor2_recall": hit["actor2"] / total["actor2"] if total["actor2"] else 0.0,
        "found_precision": found_ok / found_all if found_all else 0.0,
        "unknown_gold_names": float(len(unknown)),
    }


def inter_check(book: ActorBook) -> list[tuple[str, int | None, str, float, int]]:
    """(class, our inter, ACLED's majority inter, its share, n) per generic class."""
    if not ACLED_DEV.is_file():
        return []
    seen: dict[str, Counter[str]] = {c: Counter() for c in CLASSES}
    military_home: dict[str, Counter[str]] = {"home": Counter(), "abroad": Counter()}
    with ACLED_DEV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for name_col, inter_col in (("actor1", "inter1"), ("actor2", "inter2")):
                name = row.get(name_col) or ""
                for prefix in CLASSES:
                    if name.startswith(prefix):
                        seen[prefix][row[inter_col]] += 1
                m = re.match(r"Military Forces of (?:the )?([A-Z][\w ]+?)(?: \(|$)", name)
                if m:  # state forces at home -> 1, abroad -> 8
                    home = m.group(1).strip() == (row.get("country") or "").strip()
                    military_home["home" if home else "abroad"][row[inter_col]] += 1
    rows = []
    for prefix, counts in seen.items():
        actor = book.get(CLASSES[prefix])
        n = sum(counts.values())
        top, k = counts.most_common(1)[0] if counts else ("-", 0)
        rows.append((prefix.strip(" ("), actor.inter if actor else None, top, k / n if n else 0.0, n))
    ours = {"home": book.get("afg-military"), "abroad": book.get("us-military")}
    for where, counts in military_home.items():
        n = sum(counts.values())
        top, k = counts.most_common(1)[0] if counts else ("-", 0)
        actor = ours[where]
        rows.append((f"Military Forces of X ({where})", actor.inter if actor else None, top,
                     k / n if n else 0.0, n))
    return rows


def main(argv: list[str]) -> int:
    book = ActorBook.default()
    golds = [Path(a) for a in argv] or [p for p in (SHARED / "gold" / "seeds_gold.json",
                                                   ROOT / "examples" / "corpus_gold.json")
                                        if p.is_file()]
    for gold_path in golds:
        r = gold_recall(book, gold_path)
        print(f"{gold_path.name}: events={r['events']} actor1_recall={r['actor1_recall']:.3f} "
              f"actor2_recall={r['actor2_recall']:.3f} found_precision={r['found_precision']:.3f} "
              f"unknown_gold_names={int(r['unknown_gold_names'])}")
    rows = inter_check(book)
    if rows:
        print("inter codes vs ACLED 2020 (non-Afghan rows): class | ours | ACLED majority | share | n")
        for cls, ours, top, share, n in rows:
            mark = "" if ours is None or str(ours) == top else "  <-- differs"
            print(f"  {cls:32s} | {ours!s:4s} | {top:4s} | {share:.2f} | {n}{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
