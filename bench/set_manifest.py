"""Keep the team's annotated real-news sets in git without their texts.

The sets beside the repository (``../news_extra``, ``../ukraine_extra``: real pages the team
annotated in the gold schema) live on the machine that annotated them, and twice a new
machine started without them. Their texts may not enter the repository (they are the
outlets'), but the annotation is the team's own: this script writes it as a *manifest* —
every article's address, outlet, dates and title with the SHA-256 and length of its text,
every event's coding with each quote replaced by its character offsets in the article file
and the SHA-1 of the quoted text — and rebuilds the set from the manifest once the pages have
been fetched again (the search tool's stored copy of each address, saved in the same
``URL: / Date: / Outlet:`` header format).

    .venv/bin/python bench/set_manifest.py export ../news_extra bench/sets/news_extra.json
    .venv/bin/python bench/set_manifest.py restore bench/sets/news_extra.json FETCHED_DIR ../news_extra

``restore`` checks each fetched text against its hash; a quote whose offsets no longer hold
(the page came back with a line more or less) is found again by the SHA-1 of a window of its
length. It writes ``OUT/articles/`` and ``OUT/gold.json`` and reports, per article, whether
the text is the same, moved, or missing, and every quote it could not place (those events
keep their other mentions; an event left with none is dropped and named). Holdout sets are
never exported: their coding would be readable by whoever writes rules.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

VERSION = 1
#: sets that are measured only: their coding stays off the repository
HOLDOUTS = ("holdout_af", "holdout_ua")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()  # noqa: S324 (an identity, not a secret)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def export(set_dir: Path) -> dict[str, Any]:
    """The manifest of the set in ``set_dir`` (``gold.json`` + ``articles/*.txt``)."""
    if set_dir.resolve().name in HOLDOUTS:
        raise SystemExit(f"{set_dir}: a holdout set is measured only; its coding stays off the repository")
    gold = json.loads(_read(set_dir / "gold.json"))
    texts = {p.name: _read(p) for p in sorted((set_dir / "articles").glob("*.txt"))}
    corpus = ["\n".join(texts.values())]
    articles = []
    for a in gold["articles"]:
        text = texts.get(a["file"])
        if text is None:
            raise SystemExit(f"{set_dir}: gold.json lists {a['file']}, which is not in articles/")
        articles.append({**a, "published_basis": _redacted(a.get("published_basis"), corpus),
                         "text_sha256": _sha256(text), "text_chars": len(text)})
    events = []
    for e in gold["events"]:
        mentions = []
        for m in e["mentions"]:
            text = texts.get(m["file"])
            at = text.find(m["quote"]) if text is not None else -1
            if at < 0:
                raise SystemExit(f"{set_dir}: event {e['id']}: a quote is not in {m['file']}")
            mentions.append({"file": m["file"], "start": at, "end": at + len(m["quote"]),
                             "sha1": _sha1(m["quote"])})
        events.append({**e, "notes": _redacted(e.get("notes"), corpus), "mentions": mentions})
    return {"version": VERSION, "set": set_dir.resolve().name, "articles": articles, "events": events}


#: a run of an article's own words this long in a note is cut out of the manifest
_QUOTED_RUN = 40


def _redacted(note: str | None, texts: list[str]) -> str | None:
    """The annotator's note without any run of ``_QUOTED_RUN`` characters or more copied
    from the articles (notes sometimes quote the page they explain)."""
    if not note:
        return note
    out, i = [], 0
    while i < len(note):
        j = i + _QUOTED_RUN
        if j <= len(note) and any(note[i:j] in t for t in texts):
            while j < len(note) and any(note[i : j + 1] in t for t in texts):
                j += 1
            out.append("[…]")
            i = j
        else:
            out.append(note[i])
            i += 1
    return "".join(out)


def _place(text: str, start: int, end: int, sha1: str) -> tuple[int, int] | None:
    """Where the quote of that hash lies in ``text``: at its offsets, else the nearest
    window of its length whose hash matches."""
    if _sha1(text[start:end]) == sha1:
        return start, end
    size = end - start
    for shift in sorted(range(-start, len(text) - size - start + 1), key=abs):
        if _sha1(text[start + shift : end + shift]) == sha1:
            return start + shift, end + shift
    return None


def restore(manifest: dict[str, Any], fetched: Path, out: Path) -> dict[str, Any]:
    """Rebuild the set in ``out`` from the manifest and the re-fetched article files in
    ``fetched``; returns what could not be restored."""
    texts = {p.name: _read(p) for p in sorted(fetched.glob("*.txt"))}
    (out / "articles").mkdir(parents=True, exist_ok=True)
    status: dict[str, str] = {}
    for a in manifest["articles"]:
        text = texts.get(a["file"])
        if text is None:
            status[a["file"]] = "missing"
            continue
        status[a["file"]] = "same" if _sha256(text) == a["text_sha256"] else "changed"
        shutil.copyfile(fetched / a["file"], out / "articles" / a["file"])
    keys = ("text_sha256", "text_chars")
    articles = [{k: v for k, v in a.items() if k not in keys} for a in manifest["articles"]
                if status[a["file"]] != "missing"]
    events, unplaced, dropped = [], [], []
    for e in manifest["events"]:
        mentions = []
        for m in e["mentions"]:
            text = texts.get(m["file"], "")
            at = _place(text, m["start"], m["end"], m["sha1"]) if text else None
            if at is None:
                if text:  # (a missing page is reported once, as missing)
                    unplaced.append(f"{e['id']} in {m['file']}")
                continue
            mentions.append({"file": m["file"], "quote": text[at[0] : at[1]]})
        if mentions:
            events.append({**e, "mentions": mentions})
        else:
            dropped.append(e["id"])
    (out / "gold.json").write_text(json.dumps({"articles": articles, "events": events}, indent=1,
                                              ensure_ascii=False) + "\n", encoding="utf-8")
    return {"articles": status, "unplaced_quotes": unplaced, "dropped_events": dropped,
            "events": len(events)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("export", help="write the manifest of a set (no article text)")
    ex.add_argument("set_dir", type=Path)
    ex.add_argument("manifest", type=Path)
    re_ = sub.add_parser("restore", help="rebuild a set from its manifest and re-fetched pages")
    re_.add_argument("manifest", type=Path)
    re_.add_argument("fetched", type=Path, help="folder of the re-fetched article files")
    re_.add_argument("out", type=Path, help="folder to write articles/ and gold.json into")
    args = ap.parse_args(argv)
    if args.command == "export":
        manifest = export(args.set_dir)
        args.manifest.parent.mkdir(parents=True, exist_ok=True)
        args.manifest.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{args.manifest}: {len(manifest['articles'])} articles, {len(manifest['events'])} events")
        return 0
    report = restore(json.loads(_read(args.manifest)), args.fetched, args.out)
    states = list(report["articles"].values())
    print(f"{args.out}: {report['events']} events; articles same {states.count('same')}, "
          f"changed {states.count('changed')}, missing {states.count('missing')}")
    for line in report["unplaced_quotes"]:
        print(f"  quote not found: {line}")
    if report["dropped_events"]:
        print(f"  events with no quote left (dropped): {', '.join(report['dropped_events'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
