#!/usr/bin/env python
"""Measure place resolution and place-span recall against a gold file's ``place_mentions``.

The gold lists surface forms per article without offsets, so every occurrence of a
surface form in the article is resolved in its own sentence (the sentence from the
project pipeline) and gold entries are matched one-to-one against those occurrences:

- ``accuracy`` (name + admin1): the predicted place is the gold one: same name key
  (``Mazar-e Sharif`` = ``Mazar-e-Sharif``) or the gold canonical is one of its recorded
  spellings (``Tarinkot`` for Tarin Kowt), and the same admin1 when the gold gives one
  (the demo gold leaves admin1 empty for foreign cities);
- ``accuracy_exact``: the display name is the gold string itself (ACLED spelling check);
- ``accuracy_kind``: also the kind agrees (gold ``provincial_capital`` = our ``city``);
- ``span_recall``: share of gold mentions of which at least one occurrence is covered
  by a GPE/LOC/FAC entity of :func:`sitrep.nlp.parse` (what the extractor will see).

Usage: ``.venv/bin/python bench/places_eval.py [GOLD.json ...]`` (default: the seeds gold,
and ``examples/corpus_gold.json`` when it exists). Prints one JSON object per gold file.

``--mentions SET [--db FILE] [--reuse]`` instead runs the pipeline on one of
``bench/eval_seeds.py``'s sets and lists every mention whose place the mention-geocoding
metric counts wrong (a mention aligned with gold event quotes): gold location / admin2 /
admin1 beside the predicted place and the sentence, then the accuracy and the distance
check: of the mentions whose place has a point, the share within 10 / 25 / 50 km of their
gold events' coordinates (Ukraine's codifier villages sit on their hromada's centre). Never
point it at the report split to tune.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.model import Place  # noqa: E402
from sitrep.nlp import get_nlp, parse  # noqa: E402
from sitrep.resolve.gazetteer import Gazetteer  # noqa: E402
from sitrep.resolve.names import name_key  # noqa: E402
from sitrep.resolve.places import PlaceContext, infer_context, resolve_place  # noqa: E402

SHARED = (ROOT / ".." / "shared").resolve()
DEFAULTS = [SHARED / "gold" / "seeds_gold.json", ROOT / "examples" / "corpus_gold.json"]
PLACE_LABELS = {"GPE", "LOC", "FAC"}
KIND_ALIASES = {"provincial_capital": "city", "capital": "city", "town": "city"}


def _kind(k: str | None) -> str | None:
    return KIND_ALIASES.get(k or "", k)


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


def _is_gold_place(p: Place, m: dict[str, Any]) -> bool:
    gaz = Gazetteer.default()
    same_name = name_key(p.name) == name_key(m["canonical"]) or any(
        e.place.id == p.id for e in gaz.lookup(name_key(m["canonical"]))[0]
    )
    return same_name and (m["admin1"] is None or _same(p.admin1, m["admin1"]))


def article_texts(gold_path: Path, gold: dict[str, Any]) -> dict[str, str]:
    """Article text by gold ``file`` key: seeds beside the gold file's ../seeds, else corpus."""
    candidates = [gold_path.parent.parent / "seeds", gold_path.parent / "corpus", ROOT / "examples" / "corpus"]
    texts = {}
    for m in gold["place_mentions"]:
        f = m["file"]
        if f in texts:
            continue
        for d in candidates:
            p = d / f
            if p.is_file():
                texts[f] = p.read_text(encoding="utf-8", errors="replace")
                break
    return texts


def evaluate(gold_path: Path, details: bool = False) -> dict[str, Any]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    texts = article_texts(gold_path, gold)
    files = sorted(texts)
    docs = dict(zip(files, parse(texts[f] for f in files), strict=True))
    n = ok = ok_kind = ok_exact = found = 0
    misses: list[dict[str, Any]] = []
    by_file: dict[str, list[dict[str, Any]]] = {}
    for m in gold["place_mentions"]:
        by_file.setdefault(m["file"], []).append(m)
    for f, mentions in by_file.items():
        if f not in docs:
            n += len(mentions)
            misses.extend({"file": f, "text": m["text"], "why": "article not found"} for m in mentions)
            continue
        doc = docs[f]
        ents = [e for e in doc.ents if e.label_ in PLACE_LABELS]
        ctx = infer_context(e.text for e in ents)
        used: set[tuple[str, int]] = set()
        for m in mentions:
            n += 1
            occ = [mm.start() for mm in re.finditer(rf"(?<!\w){re.escape(m['text'])}(?!\w)", doc.text)]
            if any(any(e.start_char < s + len(m["text"]) and s < e.end_char for e in ents) for s in occ):
                found += 1
            preds = []
            for s in occ:
                sent = doc.char_span(s, s + len(m["text"]), alignment_mode="expand")
                sentence = sent.sent.text if sent is not None else ""
                preds.append((s, resolve_place(m["text"], sentence=sentence, context=ctx)))
            name_hit = kind_hit = None
            for s, p in preds:
                if p is None or (m["text"], s) in used:
                    continue
                if _is_gold_place(p, m):
                    name_hit = s if name_hit is None else name_hit
                    if _kind(p.kind) == _kind(m["kind"]):
                        kind_hit = s
                        break
            hit = kind_hit if kind_hit is not None else name_hit
            if hit is not None:
                used.add((m["text"], hit))
                ok += 1
                ok_kind += kind_hit is not None
                ok_exact += any(p is not None and _same(p.name, m["canonical"]) for _s, p in preds)
            if kind_hit is None:
                got = sorted({(p.name, p.admin1, p.kind) for _s, p in preds if p}, key=str)
                misses.append({"file": f, "text": m["text"], "gold": [m["canonical"], m["admin1"], m["kind"]],
                               "got": got, "name_ok": name_hit is not None})  # fmt: skip
    out: dict[str, Any] = {
        "gold": str(gold_path),
        "place_mentions": n,
        "accuracy": round(ok / n, 3) if n else None,
        "accuracy_kind": round(ok_kind / n, 3) if n else None,
        "accuracy_exact": round(ok_exact / n, 3) if n else None,
        "span_recall": round(found / n, 3) if n else None,
    }
    if details:
        out["misses"] = misses
    return out


def mention_errors(set_name: str, db: Path, reuse: bool) -> int:
    """Print the mentions the geocoding metric counts wrong on one evaluation set."""
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_seeds import SETS, set_store

    from sitrep.evaluate.agreement import place_agrees
    from sitrep.evaluate.events import gold_quote_spans
    from sitrep.evaluate.gold import load_gold, map_articles

    _sources, gold_path = SETS[set_name]
    with set_store(set_name, db, reuse) as store:
        articles = {a.id: a for a in store.get_articles()}
        gold = map_articles(load_gold(gold_path), list(articles.values()), path=str(gold_path))
        mentions = [m for m in store.get_mentions() if m.article_id in gold.mapped_ids]
    spans = gold_quote_spans(gold)
    n = ok = 0
    km: list[float] = []  # the distance check: a mention's point to its gold events' points
    for m in sorted(mentions, key=lambda m: (articles[m.article_id].source, m.sentence.start)):
        aligned = [g for aid, qs, qe, g in spans  # the metric's rule: a quote overlaps the sentence
                   if aid == m.article_id and qs < m.sentence.end and m.sentence.start < qe]
        if not aligned:
            continue
        n += 1
        place = m.place.place if m.place else None
        points = [(g["latitude"], g["longitude"]) for g in aligned
                  if g.get("latitude") is not None and g.get("longitude") is not None and g.get("geo_precision") != 3]
        if place is not None and place.lat is not None and place.lon is not None and points:
            km.append(min(haversine_km((place.lat, place.lon), p) for p in points))
        if any(place_agrees(g, place) for g in aligned):
            ok += 1
            continue
        got = (f"{place.name}/{place.admin2}/{place.admin1} ({place.kind})" if place
               else f"None (span {m.place.span.text!r})" if m.place else "None")
        print(f"{Path(articles[m.article_id].source).name} {m.id} {m.trigger.text!r} -> {got}")
        for g in aligned:
            print(f"    gold {g.get('id')}: {g.get('location')}/{g.get('admin2')}/{g.get('admin1')}"
                  f" p{g.get('geo_precision')}")
        print(f"    {m.sentence.text[:220]!r}")
    print(json.dumps({"set": set_name, "mentions": n, "geocoding": round(ok / n, 4) if n else None,
                      **distance_check(km)}))
    return 0


#: the distances the distance check reports shares within (a town, a hromada, a raion)
DISTANCE_KM = (10, 25, 50)


def distance_check(km: list[float]) -> dict[str, Any]:
    """How far the points of the mentions that have one lie from their gold events' points
    (events coded at a town or district): the share within each of :data:`DISTANCE_KM`."""
    out: dict[str, Any] = {"with_point": len(km)}
    for d in DISTANCE_KM:
        out[f"within_{d}km"] = round(sum(x <= d for x in km) / len(km), 4) if km else None
    return out


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", type=Path)
    ap.add_argument("--details", action="store_true", help="list the misses")
    ap.add_argument("--mentions", metavar="SET", help="list the mention geocoding errors of a set")
    ap.add_argument("--db", type=Path, default=Path("/tmp/places_eval.duckdb"))
    ap.add_argument("--reuse", action="store_true", help="score --db as it is")
    args = ap.parse_args(argv)
    if args.mentions:
        return mention_errors(args.mentions, args.db, args.reuse)
    t = time.perf_counter()
    Gazetteer.default()
    t_gaz = time.perf_counter() - t
    t = time.perf_counter()
    get_nlp()
    t_nlp = time.perf_counter() - t
    print(json.dumps({"gazetteer_load_s": round(t_gaz, 3), "nlp_load_s": round(t_nlp, 3)}))
    t = time.perf_counter()
    for _ in range(1000):
        resolve_place("Qala-i-Naw", sentence="The Taliban entered Qala-i-Naw on Wednesday.", context=PlaceContext())
    print(json.dumps({"resolve_place_ms": round((time.perf_counter() - t), 3)}))
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if seeds:  # throughput of the full pipeline incl. the ruler, seeds repeated x10
        texts = [p.read_text(encoding="utf-8") for p in seeds] * 10
        words = sum(len(t.split()) for t in texts)
        t = time.perf_counter()
        for _doc in parse(texts):
            pass
        print(json.dumps({"parse_words_per_s": round(words / (time.perf_counter() - t)), "words": words}))
    for path in args.gold or [p for p in DEFAULTS if p.is_file()]:
        print(json.dumps(evaluate(path, details=args.details), ensure_ascii=False, indent=1 if args.details else None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
