"""HTML pages and fragments to text + metadata.

trafilatura finds the article body (dropping navigation, cookie banners, asides,
comments, footers) and the title, site name, canonical URL and a date (htmldate).
The publication date is read from explicit metadata first (``article:published_time``,
``itemprop=datePublished``, JSON-LD ``datePublished``, ``<time pubdate>``), because
htmldate may guess from the URL or the body; the basis string says which was used.
Feed items carry HTML fragments, which :func:`fragment_text` turns into paragraphs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import lxml.html

__all__ = ["HtmlExtract", "extract_html", "fragment_text"]

_DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "publication_date", "dc.date.issued", "dc.date", "date",
    "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime",
)
_BLOCKS = re.compile(r"(?i)<\s*(?:br\s*/?|/p|/div|/li|/h[1-6]|/blockquote|/tr|p|li|h[1-6]|blockquote)\b[^>]*>")


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    text: str
    title: str | None
    sitename: str | None
    url: str | None
    date: str | None
    date_basis: str
    language: str | None
    author: str | None = None
    credits: tuple[str, ...] = ()  # photo captions/credits ("Photo: AFP"), dropped from the text


def _meta_date(doc: lxml.html.HtmlElement) -> tuple[str, str] | None:
    metas: dict[str, str] = {}
    for el in doc.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and el.get("content") and key not in metas:
            metas[key] = el.get("content", "").strip()
    for key in _DATE_META:
        if metas.get(key):
            return metas[key], f"html meta {key}"
    for script in doc.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except json.JSONDecodeError:
            continue
        for obj in data if isinstance(data, list) else [data]:
            if isinstance(obj, dict) and isinstance(obj.get("datePublished"), str):
                return obj["datePublished"], "html JSON-LD datePublished"
    for el in doc.iter("time"):
        if el.get("datetime") and (el.get("pubdate") is not None or "publish" in (el.get("class") or "")):
            return el.get("datetime", ""), "html <time pubdate>"
    return None


def _meta(doc: lxml.html.HtmlElement, *keys: str) -> str | None:
    for el in doc.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        if key in keys and el.get("content", "").strip():
            return el.get("content", "").strip()
    return None


def extract_html(html: str, url: str | None = None) -> HtmlExtract | None:
    """Article text and metadata of an HTML page; None when there is no article text."""
    import trafilatura

    try:
        doc = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):  # type: ignore[attr-defined]
        return None
    found = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                        include_tables=False)
    text = getattr(found, "text", None) if found is not None else None
    if not text or not text.strip():
        return None
    title = getattr(found, "title", None) or _meta(doc, "og:title")
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    canonical = next((el.get("href") for el in doc.iter("link")
                      if (el.get("rel") or "").lower() == "canonical" and el.get("href")), None)
    declared = _meta_date(doc)
    date, basis = declared if declared else (getattr(found, "date", None), "html date (htmldate)")
    lang = (doc.get("lang") or "").split("-")[0].lower() or None
    return HtmlExtract(
        text="\n\n".join(lines),
        title=title,
        sitename=_meta(doc, "og:site_name") or getattr(found, "sitename", None),
        url=canonical or _meta(doc, "og:url") or url or getattr(found, "url", None),
        date=date,
        date_basis=basis,
        language=lang,
        author=getattr(found, "author", None) or _meta(doc, "author"),
        credits=tuple(" ".join(el.text_content().split()) for el in doc.iter("figcaption")),
    )


def fragment_text(html: str) -> str:
    """Paragraph text of an HTML fragment (a feed item's content)."""
    if "<" not in html:
        return html.strip()
    marked = _BLOCKS.sub(lambda m: "\n\n" + m.group(0), html)
    try:
        root = lxml.html.fragment_fromstring(marked, create_parent="div")
    except (lxml.etree.ParserError, ValueError):  # type: ignore[attr-defined]
        return re.sub(r"<[^>]+>", " ", html).strip()
    paras = [" ".join(p.split()) for p in root.text_content().split("\n\n")]
    return "\n\n".join(p for p in paras if p)
