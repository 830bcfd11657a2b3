"""Generate a large, realistic benchmark corpus (JSONL) from the demo corpus and the gazetteer.

    .venv/bin/python bench/generate_corpus.py --n 10000 --out bench/corpus_10k.jsonl [--seed 7]

Why not just repeat the demo corpus? Repeated texts are collapsed by content hashing and
syndication grouping, and every copy lands in the same few events, so neither the
NLP cost nor fusion's blocking would be measured honestly. Instead:

- the demo corpus is ingested (``sitrep.ingest.ingest``: clean texts, publication dates)
  and split into sentences;
- articles are grouped into *stories* (about three articles per story): a story takes
  the lead sentences of one demo article, a consistent substitution of every Afghan
  gazetteer place name by another gazetteer place of the same kind (province ->
  province, district -> district, town -> town), and one publication date in 2021;
  every explicit "July 8" / "8 July" is shifted by the same number of days;
- each article of a story keeps that lead and adds 5-10 sentences sampled across the
  whole demo corpus (with the story's substitutions), under its own outlet or wire,
  so articles of a story corroborate one another (fusion links them) while texts stay
  far below the near-duplicate threshold (syndication grouping does not collapse them).

Deterministic: the same ``--seed`` and ``--n`` give the same file byte for byte.
Keys written: url, title, outlet, published (ISO date), language, text — what the
ingest JSONL reader and ``sitrep spark run`` accept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"

OUTLETS = (
    "Kabul Ledger", "Frontline Herald", "Daily Oxus", "Meridian Times", "North Star Post",
    "Southern Dispatch", "Global Ledger", "Caravan Times", "Hindu Kush Review", "Asia Wire Desk",
    "The Evening Chronicle", "Radio Continental", "Canal 24 English", "Pamir Observer",
    "Helmand Courier", "Border Monitor", "Citizen Report", "Continental Weekly",
)
WIRES = ("AFP", "Reuters", "AP", "dpa", "Xinhua", "EFE", "ANI")
_KIND_RANK = {"province": 0, "district": 1, "city": 2}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_MONTH_RE = "|".join(_MONTHS)
_DATE_MD = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{{4}})")
_DATE_DM = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\b(?!\s*,?\s*\d{{4}})")
_SENT_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘A-Z0-9])")


@dataclass(frozen=True, slots=True)
class SourceArticle:
    """A demo article reduced to what the generator needs."""

    title: str
    published: dt.date
    sentences: tuple[str, ...]


def split_sentences(text: str) -> list[str]:
    """Sentences by punctuation (cheap; spaCy is what the benchmark measures, not this)."""
    out: list[str] = []
    for para in text.split("\n"):
        out += [s.strip() for s in _SENT_SPLIT.split(para) if len(s.split()) >= 4]
    return out


def load_sources(corpus: Path = CORPUS) -> list[SourceArticle]:
    """Ingest the demo corpus once: clean English texts with a publication date."""
    from sitrep.ingest import ingest

    result = ingest([str(corpus)])
    out = []
    for a in result.articles:
        if a.duplicate_of or (a.language or "en") != "en":
            continue
        sents = split_sentences(a.text)
        if len(sents) >= 2:
            out.append(SourceArticle(a.title or sents[0][:80], a.published or dt.date(2021, 7, 1),
                                     tuple(sents)))
    if not out:
        raise SystemExit(f"{corpus}: no usable articles after ingest")
    return out


class PlaceSwapper:
    """Finds Afghan gazetteer names in text and maps each to another name of the same kind."""

    def __init__(self) -> None:
        from sitrep.resolve.places import Gazetteer

        kind_of: dict[str, str] = {}
        by_kind: dict[str, set[str]] = {k: set() for k in _KIND_RANK}
        for e in Gazetteer.default().entries:
            p = e.place
            if p.country != "Afghanistan" or p.kind not in _KIND_RANK:
                continue
            by_kind[p.kind].add(p.name)
            for n in (p.name, *e.names):
                if len(n) < 4 or not n[0].isupper():
                    continue
                old = kind_of.get(n)
                if old is None or _KIND_RANK[p.kind] < _KIND_RANK[old]:
                    kind_of[n] = p.kind
        self.kind_of = kind_of
        self.choices = {k: sorted(v) for k, v in by_kind.items()}
        names = sorted(kind_of, key=len, reverse=True)
        self.pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")

    def apply(self, text: str, mapping: dict[str, str], rng: random.Random) -> str:
        """``text`` with every known name replaced; new names get a partner drawn from ``rng``."""
        def swap(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in mapping:
                mapping[name] = rng.choice(self.choices[self.kind_of[name]])
            return mapping[name]

        return self.pattern.sub(swap, text)


def shift_dates(text: str, delta: dt.timedelta, year: int) -> str:
    """Move every year-less 'July 8' / '8 July' by ``delta`` (the story's date shift)."""
    def moved(month: str, day: str) -> dt.date | None:
        try:
            return dt.date(year, _MONTHS.index(month) + 1, int(day)) + delta
        except ValueError:
            return None

    def md(m: re.Match[str]) -> str:
        d = moved(m.group(1), m.group(2))
        return f"{_MONTHS[d.month - 1]} {d.day}" if d else m.group(0)

    def dm(m: re.Match[str]) -> str:
        d = moved(m.group(2), m.group(1))
        return f"{d.day} {_MONTHS[d.month - 1]}" if d else m.group(0)

    return _DATE_DM.sub(dm, _DATE_MD.sub(md, text))


def generate(n: int, seed: int, sources: Sequence[SourceArticle],
             swapper: PlaceSwapper) -> Iterator[dict[str, str]]:
    """``n`` article records (dicts with the JSONL keys), deterministic for ``seed``."""
    pool = [s for src in sources for s in src.sentences]
    start, days = dt.date(2021, 1, 1), 365
    story_rng = random.Random(seed)
    i = 0
    story = 0
    while i < n:
        base = sources[story_rng.randrange(len(sources))]
        published = start + dt.timedelta(days=story_rng.randrange(days))
        delta = published - base.published
        mapping: dict[str, str] = {}
        map_rng = random.Random(f"{seed}:{story}:places")
        lead_n = min(len(base.sentences), story_rng.randint(2, 3))
        lead = [swapper.apply(shift_dates(s, delta, base.published.year), mapping, map_rng)
                for s in base.sentences[:lead_n]]
        title = swapper.apply(base.title, mapping, map_rng)
        for k in range(min(story_rng.randint(1, 5), n - i)):
            rng = random.Random(f"{seed}:{story}:{k}")
            body = [swapper.apply(shift_dates(s, delta, base.published.year), mapping, map_rng)
                    for s in rng.sample(pool, rng.randint(5, 10))]
            paras = [" ".join(lead)] + [" ".join(body[j:j + 3]) for j in range(0, len(body), 3)]
            outlet = rng.choice(OUTLETS)
            wire = rng.choice(WIRES) if rng.random() < 0.3 else None
            text = "\n\n".join(paras) + (f"\n\n({wire})" if wire else "")
            slug = re.sub(r"[^a-z]+", "-", outlet.lower()).strip("-")
            pub = published + dt.timedelta(days=rng.randint(0, 1))
            yield {
                "url": f"https://{slug}.example/{pub.isoformat()}/story-{story}-{k}",
                "title": title,
                "outlet": outlet,
                "published": pub.isoformat(),
                "language": "en",
                "text": text,
            }
            i += 1
        story += 1


def write_corpus(n: int, out: Path, seed: int = 7) -> dict[str, int]:
    """Write ``n`` articles to ``out`` (JSONL); returns {'articles', 'words'}."""
    sources = load_sources()
    swapper = PlaceSwapper()
    words = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for rec in generate(n, seed, sources, swapper):
            words += len(rec["text"].split())
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return {"articles": n, "words": words}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of articles")
    ap.add_argument("--out", type=Path, required=True, help="output .jsonl")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    stats = write_corpus(args.n, args.out, args.seed)
    print(f"{args.out}: {stats['articles']} articles, {stats['words']:,} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
