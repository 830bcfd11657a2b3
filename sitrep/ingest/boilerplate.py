"""Line classifier that separates article text from site chrome in plain-text pages.

trafilatura handles HTML, but returns nothing on plain text, and copy-pasted or
crawled text keeps the page furniture: "Read also" links, photo captions and
credits, "4 min" read times, newsletter and app promos, tag bullets, "On the same
subject" link lists, comment prompts, lone page stamps ("July 26, 2021").

A line is chrome when
1. it matches a generic pattern from ``data/boilerplate.yaml`` (anywhere), or
2. it is a wire credit line ("With AFP", "Source: AFP"), a lone date, or a short
   tag bullet, or
3. it is a caption: the line just before a photo credit ("© AFP"), or
4. it is a headline-like line under a link-list header ("On the same subject"), or
5. it follows a *tail marker* (credit line, "Newsletter", "Source link"...) in the
   last part of the page and is not a long body paragraph.

Removed lines are returned (``Article.boilerplate``) so nothing is silently lost.
The kept lines are joined into paragraphs; a quotation that the page split over
several lines ('said "' / 'new commandos arrived ...' / '."') is re-joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sitrep.ingest.outlet import credit_wire
from sitrep.wordfile import read_yaml

__all__ = ["BoilerplateRules", "CleanText", "clean_text", "is_date_stamp"]

_DATA = Path(__file__).resolve().parents[1] / "data"

#: share of the page (from the end) where a tail marker may close the body
_TAIL_SHARE = 0.5
#: at most this many non-empty lines may follow a tail marker
_TAIL_MAX_LINES = 20
#: chrome patterns apply to lines up to this long (a body paragraph may mention "share")
_PATTERN_MAX_WORDS = 30
#: a line after a tail marker with at least this many words is body text, not chrome
_TAIL_BODY_WORDS = 45


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    """Compiled patterns from ``data/boilerplate.yaml``."""

    line_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    tail_markers: tuple[re.Pattern[str], ...]
    list_headers: tuple[re.Pattern[str], ...]
    photo_credit: tuple[re.Pattern[str], ...]
    bullets: str

    @staticmethod
    @lru_cache(maxsize=1)
    def default() -> BoilerplateRules:
        raw = read_yaml(_DATA / "boilerplate.yaml", "boilerplate rules")

        def comp(ps: list[str]) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(p, re.I) for p in ps)

        patterns = tuple(
            (kind, pat) for kind, ps in raw["line_patterns"].items() for pat in comp(ps))
        return BoilerplateRules(
            line_patterns=patterns,
            tail_markers=comp(raw["tail_markers"]),
            list_headers=comp(raw["list_headers"]),
            photo_credit=comp(raw["line_patterns"]["photo_credit"]),
            bullets=raw["tag_bullets"],
        )


@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    removed: tuple[str, ...]
    kinds: tuple[str, ...]  # why each removed line went (same order as ``removed``)


_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_WEEKDAYS = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_STAMP = re.compile(
    rf"^(?:{_WEEKDAYS},?\s+)?(?:{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}})(?:\s*(?:at\s+)?\d{{1,2}}[:h]\d{{2}}(?:\s*[ap]\.?m\.?)?)?\W*$",
    re.I)
_TERMINAL = tuple('.!?…"”»\'’)')
_FUNCTION_WORDS = frozenset(
    ["a", "an", "the", "of", "to", "by", "from", "with", "in", "on", "at", "for", "and", "or", "but", "as", "that", "than", "said", "says"])


def is_date_stamp(line: str) -> bool:
    """A line that is nothing but a date (optionally a time): a page or crawl stamp."""
    return bool(_STAMP.match(line.strip()))


def _headline_like(line: str) -> bool:
    """Short, no sentence-final punctuation, not starting in lower case: a link title."""
    s = line.strip()
    words = s.split()
    return bool(words) and len(words) <= 25 and not s.endswith(_TERMINAL) and not s[0].islower()


def _classify(line: str, rules: BoilerplateRules) -> str | None:
    s = line.strip()
    if len(s.split()) <= _PATTERN_MAX_WORDS:
        for kind, pat in rules.line_patterns:
            if pat.search(s):
                return kind
    if credit_wire(s):
        return "credit"
    if is_date_stamp(s):
        return "date_stamp"
    if s[0] in rules.bullets and len(s.split()) <= 6 and not s.endswith((".", "!", "?")):
        return "tag_bullet"
    return None


def clean_text(text: str, rules: BoilerplateRules | None = None) -> CleanText:
    """Split ``text`` into clean article text and the chrome lines removed from it."""
    rules = rules or BoilerplateRules.default()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    kind: dict[int, str] = {}
    for i in idx:
        k = _classify(lines[i], rules)
        if k:
            kind[i] = k
    # captions: the line right before a photo credit
    for pos, i in enumerate(idx):
        is_photo_credit = kind.get(i) == "photo_credit" or (
            kind.get(i) == "credit" and lines[i].strip().startswith(("©", "(c)")))
        if (is_photo_credit and pos > 1 and idx[pos - 1] not in kind  # line 1 is the title
                and len(lines[idx[pos - 1]].split()) <= 50):
            kind[idx[pos - 1]] = "caption"
    # link lists under a header
    for pos, i in enumerate(idx):
        if any(p.search(lines[i].strip()) for p in rules.list_headers):
            kind.setdefault(i, "list_header")
            for j in idx[pos + 1:]:
                if j in kind:
                    continue
                if not _headline_like(lines[j]):
                    break
                kind[j] = "link_list"
    # the tail: everything short after the first tail marker / credit near the end
    n = len(idx)
    for pos, i in enumerate(idx):
        after = n - pos - 1
        if pos < n * (1 - _TAIL_SHARE) or after > _TAIL_MAX_LINES:
            continue
        s = lines[i].strip()
        if kind.get(i) == "credit" or any(p.search(s) for p in rules.tail_markers):
            kind.setdefault(i, "tail_marker")
            for j in idx[pos + 1:]:
                if j not in kind and len(lines[j].split()) < _TAIL_BODY_WORDS:
                    kind[j] = "tail"
            break
    kept = [lines[i] for i in idx if i not in kind]
    removed = tuple(lines[i] for i in idx if i in kind)
    kinds = tuple(kind[i] for i in idx if i in kind)
    return CleanText(_join_paragraphs(kept), removed, kinds)


def _opens_quote(prev: str) -> bool:
    """``prev`` ends with a quotation mark that opens (not closes) a quotation."""
    if prev[-1] in "“«":
        return True
    if prev[-1] != '"':
        return False
    before = prev[:-1].rstrip()
    return len(prev) == 1 or (prev[-2] == " " and not before.endswith(_TERMINAL))


def _joins(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` continues ``prev`` (a sentence or quote split over lines)."""
    if not prev or not nxt:
        return False
    if not any(c.isalnum() for c in nxt):  # a lone '.', ',' or closing quote
        return True
    if _opens_quote(prev):
        return True
    if nxt[0] == '"' and prev.count('"') % 2 == 1:  # closes a quote left open
        return True
    if prev.endswith((".", "!", "?", "…", ":", '"', "”", "»")):
        return False
    if nxt[0].islower() or nxt[0] in ",.;:)]”»":
        return True
    last = prev.rsplit(None, 1)[-1]
    return last in _FUNCTION_WORDS


def _join_paragraphs(kept: list[str]) -> str:
    paras: list[str] = []
    for raw in kept:
        line = " ".join(raw.split())
        if paras and _joins(paras[-1], line):
            prev = paras[-1]
            glue = "" if _opens_quote(prev) or (line[0] == '"' and prev.count('"') % 2 == 1) else " "
            paras[-1] = _tidy(prev + glue + line)
        else:
            paras.append(line)
    return "\n\n".join(paras)


def _tidy(s: str) -> str:
    s = re.sub(r"\s+([,.;:!?)\]])", r"\1", s)
    s = re.sub(r"([“«(\[])\s+", r"\1", s)
    return re.sub(r"\s+([”»])", r"\1", s)
