"""Who published an article (outlet) and which wire agency it credits.

The outlet comes from, in order: the input's own metadata (header ``Outlet:``, JSON
``outlet``), the URL's domain (``data/outlets.yaml``), HTML ``og:site_name``, and last
the page furniture the boilerplate classifier removed ("Text by: RFI", "The World with
AFP" = machine-translated "Le Monde avec AFP", "Download the France 24 application").

A wire agency is credited only by a *credit line* ("With AFP", "Source: AFP", "© AFP",
a "(AFP) -" dateline). "..., he told AFP" is reporting, not a credit, and is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from sitrep.wordfile import read_yaml

_DATA = Path(__file__).resolve().parents[1] / "data"

__all__ = ["OutletBook", "OutletGuess", "credit_wire", "identify_outlet"]


@dataclass(frozen=True, slots=True)
class OutletBook:
    """The contents of ``sitrep/data/outlets.yaml``."""

    domains: dict[str, str]
    names: dict[str, tuple[str, ...]]
    wires: dict[str, tuple[str, ...]]

    @staticmethod
    @lru_cache(maxsize=1)
    def default() -> OutletBook:
        raw = read_yaml(_DATA / "outlets.yaml", "outlet book")
        return OutletBook(
            domains={k.lower(): v for k, v in raw["domains"].items()},
            names={k: tuple(v) for k, v in raw["names"].items()},
            wires={k: tuple(v) for k, v in raw["wires"].items()},
        )

    def outlet_for_url(self, url: str | None) -> str | None:
        """Map a URL's host (or any parent domain of it) to an outlet name."""
        if not url:
            return None
        host = (urlsplit(url).hostname or "").lower()
        parts = host.split(".")
        for i in range(len(parts) - 1):
            name = self.domains.get(".".join(parts[i:]))
            if name:
                return name
        return None

    def canonical_outlet(self, name: str) -> str:
        """Map a printed name ("The World", "France24") to the book's outlet name."""
        folded = name.strip().casefold()
        for outlet, forms in self.names.items():
            if folded == outlet.casefold() or any(folded == f.casefold() for f in forms):
                return outlet
        return name.strip()

    def wire_for(self, name: str) -> str | None:
        folded = name.strip().casefold()
        for wire, forms in self.wires.items():
            if any(folded == f.casefold() for f in forms):
                return wire
        return None


@lru_cache(maxsize=1)
def _wire_alt() -> str:
    forms = sorted({f for fs in OutletBook.default().wires.values() for f in fs}, key=len, reverse=True)
    return "|".join(re.escape(f) for f in forms)


@lru_cache(maxsize=1)
def _credit_patterns() -> tuple[re.Pattern[str], ...]:
    w = _wire_alt()
    return (
        # "With AFP", "The World with AFP", "France 24 avec AFP", "With AFP and Reuters"
        re.compile(rf"^(?:(?P<outlet>[^\W\d][\w .'’-]{{0,40}}?)\s+)?(?:with|avec|con)\s+"
                   rf"(?P<wire>{w})(?:\s*(?:,|and|&|et|y)\s*(?:{w}))*\W*$", re.I),
        re.compile(rf"^(?:source|sources|credit|agency|agencies|fuente|crédit|photo|image|picture|foto)s?\s*:\s*(?P<wire>{w})\b", re.I),
        re.compile(rf"^(?:©|\(c\)|copyright)\s*(?:\d{{4}}\s*)?(?P<wire>{w})\b", re.I),
        re.compile(rf"^(?P<wire>{w})$"),
    )


_DATELINE_WIRE = re.compile(r"^[A-Z][A-Za-z .'’-]{1,40},?[^()\n]{0,40}\((?P<wire>[A-Za-z-]{2,12})\)\s*[-–—]")


def credit_wire(line: str) -> tuple[str, str | None] | None:
    """If ``line`` is a credit line, return (wire, printed outlet part or None)."""
    text = line.strip()
    if not text or len(text.split()) > 8:
        return None
    book = OutletBook.default()
    for pat in _credit_patterns():
        m = pat.match(text)
        if m:
            wire = book.wire_for(m.group("wire"))
            if wire:
                outlet = m.groupdict().get("outlet")
                return wire, (outlet.strip() if outlet else None)
    return None


@dataclass(frozen=True, slots=True)
class OutletGuess:
    outlet: str | None
    wire: str | None
    basis: str


_BYLINE = re.compile(r"^(?:text by|texte par|texto de|by)\s*:\s*(?P<name>.+?)(?:\s+follow)?\s*$", re.I)
# promo furniture that names the site: "Download the France 24 application",
# "Canal 24 invites you to come back to the news ...", "... by downloading the RFI app"
_PROMO = (
    re.compile(r"\bdownload(?:ing)? the (?P<name>[\w .'’&-]{2,40}?) app(?:lication)?\b", re.I),
    re.compile(r"^(?P<name>[A-Z][\w .'’&-]{1,40}?) invites you to\b"),
)


def identify_outlet(*, url: str | None, declared: str | None, sitename: str | None,
                    text: str, boilerplate: tuple[str, ...], author: str | None = None) -> OutletGuess:
    """Decide outlet and wire from metadata, URL, credit lines and removed chrome.

    ``author`` is the page's declared author; an agency there ("AFP") is a wire credit.
    """
    book = OutletBook.default()
    parts = [p.strip() for p in re.split(r"[;,/&·]| and ", author or "") if p.strip()]
    wire = next((w for part in parts if (w := book.wire_for(part))), None)
    if wire is None and any(re.search(r"\bagenc(y|ies)\b", p, re.I) for p in parts):
        # "staff and agencies": the agency is the one the copy quotes, if only one is named
        named = {w for w, forms in book.wires.items()
                 if any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text) for f in forms if len(f) > 2)}
        wire = named.pop() if len(named) == 1 else None
    credited_outlet: str | None = None
    byline_outlet: str | None = None
    named_outlet: str | None = None
    first_para = text.lstrip().split("\n", 1)[0] if text else ""
    m = _DATELINE_WIRE.match(first_para)
    if m:
        wire = wire or book.wire_for(m.group("wire"))
    for line in boilerplate:
        credit = credit_wire(line)
        if credit:
            wire = wire or credit[0]
            if credit[1]:
                credited_outlet = credited_outlet or book.canonical_outlet(credit[1])
            continue
        b = _BYLINE.match(line.strip())
        if b:
            name = book.canonical_outlet(b.group("name"))
            if book.wire_for(name):
                wire = wire or book.wire_for(name)
            elif len(name.split()) <= 4:
                byline_outlet = byline_outlet or name
            continue
        if named_outlet is None:
            named_outlet = _outlet_named_in(line, book)
    outlet: str | None
    if declared:
        outlet, basis = book.canonical_outlet(declared), "declared"
    elif book.outlet_for_url(url):
        outlet, basis = book.outlet_for_url(url), "url domain"
    elif sitename:
        outlet, basis = book.canonical_outlet(sitename), "og:site_name"
    elif credited_outlet:
        outlet, basis = credited_outlet, "credit line"
    elif byline_outlet:
        outlet, basis = byline_outlet, "byline"
    elif named_outlet:
        outlet, basis = named_outlet, "outlet named in page furniture"
    else:
        outlet, basis = None, "unknown"
    if wire is None and outlet and book.wire_for(outlet):
        wire = book.wire_for(outlet)  # an agency's own site
    return OutletGuess(outlet, wire, basis)


def _outlet_named_in(line: str, book: OutletBook) -> str | None:
    """An outlet named by a promo line, or a known outlet's name in a chrome line."""
    for pat in _PROMO:
        m = pat.search(line.strip())
        if m and not m.group("name").lower().startswith(("our", "the ", "this", "free")):
            return book.canonical_outlet(m.group("name"))
    for outlet, forms in book.names.items():
        for form in forms:
            if len(form) < 3 or form.casefold() == "the world":
                continue  # "The World" is only Le Monde inside a credit line
            if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", line):
                return outlet
    return None
