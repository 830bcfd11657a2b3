"""Date-resolution accuracy on a gold file's ``date_expressions`` (seeds_gold schema).

Each gold item (file, text, resolved date or [start, end]) is resolved with
``resolve_date`` anchored on the gold publication date of its article and given
the sentence it occurs in. Exact: a single date equals the interval (start == end
== gold) or a range equals on both ends; overlaps: the intervals intersect.
Detection recall: the share of gold texts that ``find_date_expressions`` covers
(any overlap with a found span).

    .venv/bin/python bench/dates_eval.py [GOLD.json ...] [--verbose]

Default: ../shared/gold/seeds_gold.json (texts from ../shared/seeds) and
examples/corpus_gold.json (texts from examples/corpus) when it exists.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.model import DateInterval  # noqa: E402
from sitrep.resolve.dates import find_date_expressions, resolve_date  # noqa: E402

SHARED = (ROOT / ".." / "shared").resolve()
DEFAULT_GOLDS = [
    (SHARED / "gold" / "seeds_gold.json", SHARED / "seeds"),
    (ROOT / "examples" / "corpus_gold.json", ROOT / "examples" / "corpus"),
]

_SENT_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘(]?[A-Z0-9])")
_PARA = re.compile(r"(?<![\s(“‘\"][\"“”])(?<=[^\s,;:a-z.!?])[ \t]*\n\s*\n\s*(?=[\"“‘]?[A-Z])")


def flatten(text: str) -> str:
    """Newlines as spaces, except a paragraph break after a line without a sentence
    end before a capital (a headline or caption) becomes a sentence end."""
    return re.sub(r"\s+", " ", _PARA.sub(". ", text))


def sentence_of(text: str, needle: str) -> tuple[str, int]:
    """The sentence around the first occurrence of ``needle``."""
    flat = flatten(text)
    pos = flat.find(needle)
    if pos < 0:
        pos = flat.lower().find(needle.lower())
    if pos < 0:
        return "", -1
    starts = [0] + [m.end() for m in _SENT_END.finditer(flat)]
    start = max(s for s in starts if s <= pos)
    nxt = [s for s in starts if s > pos]
    return flat[start:(nxt[0] if nxt else len(flat))].strip(), pos


def _gold_interval(resolved: Any) -> tuple[dt.date, dt.date]:
    if isinstance(resolved, list):
        return dt.date.fromisoformat(resolved[0]), dt.date.fromisoformat(resolved[1])
    d = dt.date.fromisoformat(resolved)
    return d, d


def _article_text(texts_dir: Path, name: str) -> str:
    """The file's text; markup stripped from HTML/feeds, string fields of JSONL joined."""
    path = texts_dir / name
    if not path.is_file():
        return ""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".jsonl":
        parts = []
        for line in raw.splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            parts += [v for v in rec.values() if isinstance(v, str)] if isinstance(rec, dict) else []
        return "\n\n".join(parts)
    if path.suffix in (".html", ".htm", ".rss", ".xml", ".atom"):
        raw = re.sub(r"<!\[CDATA\[|\]\]>", " ", raw)
        raw = re.sub(r"</(?:p|h\d|li|title|div|item|entry|description)>", "\n\n", raw, flags=re.I)
        raw = html.unescape(re.sub(r"<[^>]+>", " ", html.unescape(raw)))
    return raw


def _published_for(articles: list[dict[str, Any]], text: str, needle: str) -> dt.date | None:
    """The gold date of the article holding ``needle`` (a file may hold several: the
    article whose title last precedes it)."""
    dated = [a for a in articles if a.get("published")]
    if not dated:
        return None
    flat = re.sub(r"\s+", " ", text)
    pos = flat.find(needle)
    best = dated[0]
    if len(dated) > 1 and pos >= 0:
        located = [(flat.find((a.get("title") or "")[:40]), a) for a in dated]
        before = [(p, a) for p, a in located if 0 <= p <= pos]
        if before:
            best = max(before, key=lambda x: x[0])[1]
    return dt.date.fromisoformat(best["published"][:10])


def evaluate(gold_path: Path, texts_dir: Path, verbose: bool = False) -> dict[str, float]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    by_file: dict[str, list[dict[str, Any]]] = {}
    for a in gold["articles"]:
        by_file.setdefault(a["file"], []).append(a)
    n = exact = overlap = detected = 0
    for item in gold.get("date_expressions", []):
        n += 1
        text = _article_text(texts_dir, item["file"])
        articles = by_file.get(item["file"], [])
        if item.get("url") and item["url"] in text:  # one item of a multi-article file
            text = text[text.index(item["url"]):]
            articles = [a for a in articles if a.get("url") == item["url"]] or articles
        sentence, pos = sentence_of(text, item["text"])
        flat = flatten(text)
        if pos >= 0:
            end = pos + len(item["text"])
            if any(s < end and e > pos for s, e in find_date_expressions(flat)):
                detected += 1
        ref = resolve_date(item["text"], _published_for(articles, text, item["text"]),
                           sentence=sentence)
        gs, ge = _gold_interval(item["resolved"])
        ok = ov = False
        if ref is not None:
            iv = ref.interval
            ok = (iv.start, iv.end) == (gs, ge)
            ov = iv.overlaps(DateInterval(gs, ge))
        exact += ok
        overlap += ov
        if verbose and not ok:
            got = (f"{ref.interval.start}..{ref.interval.end} {ref.interval.precision} "
                   f"[{ref.basis}] {ref.flags}") if ref else None
            print(f"  MISS {item['file'][:3]} {item['text']!r}: gold {gs}..{ge} got {got}")
    return {"n": n, "exact": exact / n if n else 0.0, "overlaps": overlap / n if n else 0.0,
            "detected": detected / n if n else 0.0}


def speed(texts_dir: Path, published: dt.date, repeat: int = 5) -> tuple[int, float]:
    """Find + resolve every expression of every sentence of the texts; (count, seconds)."""
    sentences = [s for p in sorted(texts_dir.glob("*.txt"))
                 for s in _SENT_END.split(flatten(p.read_text(encoding="utf-8")))]
    n, t0 = 0, time.perf_counter()
    for _ in range(repeat):
        for sent in sentences:
            for a, b in find_date_expressions(sent):
                resolve_date(sent[a:b], published, sentence=sent)
                n += 1
    return n, time.perf_counter() - t0


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")]
    golds = [(p, SHARED / "seeds" if "seeds" in p.name else ROOT / "examples" / "corpus")
             for p in paths] or [g for g in DEFAULT_GOLDS if g[0].is_file()]
    for gold_path, texts_dir in golds:
        r = evaluate(gold_path, texts_dir, verbose)
        print(f"{gold_path.name}: n={r['n']} exact={r['exact']:.3f} overlaps={r['overlaps']:.3f} "
              f"detected={r['detected']:.3f}")
    n, secs = speed(SHARED / "seeds", dt.date(2021, 7, 4))
    print(f"speed: {n} expressions found+resolved in {secs:.2f} s ({n / secs:.0f}/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
