"""Turn one input (file, directory, URL) into raw documents: text plus the metadata it declares.

    source ──► bytes (file / fetch.py) ──► decode ──► txt | html | json | jsonl | feed
                                                      └──► RawDocument(s) or Failure(s)

Readers do no cleaning or inference: :mod:`sitrep.ingest.stage` does that. Every
problem with an input becomes one :class:`~sitrep.model.Failure` naming it (``path``,
``path#N`` for the N-th record of a .jsonl/.json list/feed, or the URL), so the rest of
the batch goes on. A directory is walked recursively (hidden entries skipped); a
subdirectory it cannot read, a symbolic link loop and a broken link to a known file kind
are failures too, never silent skips. Names are shown with :func:`shown_name` (quoted,
``repr``-style, when they hold a newline or another control character), so a file name
cannot forge a separate line of output.

Decoding (:func:`decode_bytes`): a byte-order mark wins; then a declared charset; then
strict UTF-8. Text that is UTF-8 except for a few bad bytes (at least two valid
multi-byte characters per invalid byte) is decoded as UTF-8 with U+FFFD for the bad
bytes and a warning on the ``sitrep.ingest`` logger naming the input and the byte
offset; only text where UTF-8 clearly fails is sniffed for a legacy encoding. A .jsonl
file with a UTF-16 or UTF-32 byte-order mark is decoded in that encoding.
"""

from __future__ import annotations

import codecs
import errno
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import BinaryInput, DecodeError, EmptyInput, InputError, TooLarge
from sitrep.ingest.html import extract_html, fragment_text
from sitrep.model import Failure

__all__ = ["KNOWN_SUFFIXES", "RawDocument", "decode_bytes", "expand_sources", "one_line",
           "read_bytes", "read_source", "shown_name"]

log = logging.getLogger("sitrep.ingest")

#: file kinds by suffix; files with other suffixes are skipped inside directories
KNOWN_SUFFIXES = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}
_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
          b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!", b"\x7fELF", b"MZ", b"RIFF", b"OggS", b"ID3",
          b"\x00\x00\x01\x00", b"SQLite format 3", b"DUCK")
_HEADER_KEYS = {"title": "title", "url": "url", "link": "url", "date": "date",
                "published": "date", "outlet": "outlet", "language": "language", "lang": "language"}
_HEADER_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z _-]{0,20}?)\s*:\s*(.*?)\s*$")
#: byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
#: UTF-8 with a few bad bytes stays UTF-8 when it has this many valid multi-byte
#: characters per invalid byte (legacy 8-bit text almost never forms valid sequences)
_UTF8_EVIDENCE = 2
_SNIFF_ENCODINGS = ["cp1252", "cp1251", "cp1256", "iso8859_15", "utf_16", "koi8_r", "gb18030",
                    "shift_jis", "euc_kr"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One article as read: text (plain; HTML already extracted) and declared metadata."""

    source: str
    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    sitename: str | None = None
    date: str | None = None
    date_basis: str = "header"
    language: str | None = None
    author: str | None = None
    credits: tuple[str, ...] = ()  # photo credits found outside the text (HTML figcaptions)
    guid: str | None = None  # a feed item's own id (RSS guid, Atom id)


def shown_name(name: str) -> str:
    """A file name or URL as shown in a one-line message: as is, or quoted like ``repr``
    when it holds a newline or another non-printable character."""
    return name if name.isprintable() else repr(name)


def one_line(text: str) -> str:
    """A message on one line: control characters and runs of white space become one space."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _stat_failure(src: str, exc: OSError) -> Failure:
    if exc.errno == errno.ELOOP:
        return Failure(src, "symbolic link loop (the link leads back to itself); not followed")
    if exc.errno == errno.ENOENT:
        return Failure(src, "no such file or directory")
    return Failure(src, f"cannot read: {exc.strerror or exc}")


def _walk(directory: Path, ancestors: frozenset[tuple[int, int]],
          files: list[Path], failures: list[Failure]) -> None:
    """Known files under ``directory`` (hidden entries skipped); every directory it cannot
    read and every symbolic link loop becomes a Failure."""
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        failures.append(Failure(str(directory), f"cannot read directory: {exc.strerror or exc}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        known = path.suffix.lower() in KNOWN_SUFFIXES
        try:
            st = os.stat(entry.path)  # follows links
        except OSError as exc:
            if exc.errno == errno.ENOENT and entry.is_symlink():
                if known:
                    failures.append(Failure(entry.path, "broken symbolic link (its target "
                                                        "does not exist)"))
                continue
            if exc.errno == errno.ELOOP or known:
                failures.append(_stat_failure(entry.path, exc))
            continue
        if entry.is_dir():
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                failures.append(Failure(entry.path, "symbolic link loop (leads back to a "
                                                    "directory above it); not followed"))
            else:
                _walk(path, ancestors | {key}, files, failures)
        elif known and entry.is_file():
            files.append(path)


def expand_sources(sources: list[str] | tuple[str, ...]) -> Iterator[str | Failure]:
    """Each URL or file as is; directories become their known files (recursive, sorted)."""
    for src in sources:
        if re.match(r"^https?://", src, re.I):
            yield src
            continue
        try:
            st = os.stat(src)
        except OSError as exc:
            yield _stat_failure(src, exc)
            continue
        path = Path(src)
        if path.is_dir():
            files: list[Path] = []
            failures: list[Failure] = []
            _walk(path, frozenset({(st.st_dev, st.st_ino)}), files, failures)
            if not files and not failures:
                yield Failure(src, "directory holds no .txt/.html/.json/.jsonl/.rss/.xml files")
            yield from failures
            yield from (str(p) for p in sorted(files))
        else:
            yield src


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """A file's bytes, refusing empty, oversized and binary files."""
    size = path.stat().st_size
    if size == 0:
        raise EmptyInput(str(path), "empty file")
    if size > max_bytes:
        raise TooLarge(str(path), f"{size:,} bytes is over the {max_bytes:,}-byte cap (--max-bytes)")
    data = path.read_bytes()
    check_binary(str(path), data)
    return data


def check_binary(source: str, data: bytes) -> None:
    head = data[:8192]
    if any(head.startswith(m) for m in _MAGIC):
        raise BinaryInput(source, "binary file (recognised file signature), not text")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BinaryInput(source, "binary file (NUL bytes), not text")


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096].decode("ascii", errors="ignore")
    m = re.search(r"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", head, re.I) or re.search(
        r"""<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", head, re.I)
    return m.group(1) if m else None


def _bom(data: bytes) -> str | None:
    return next((enc for bom, enc in _BOMS if data.startswith(bom)), None)


def _mostly_utf8(source: str, data: bytes) -> str | None:
    """``data`` as UTF-8 with U+FFFD for its bad bytes when it is overwhelmingly UTF-8
    (a warning names the first bad byte's offset), else None."""
    text = data.decode("utf-8", errors="surrogateescape")  # bad byte -> U+DC80..U+DCFF
    bad = [i for i, c in enumerate(text) if "\udc80" <= c <= "\udcff"]
    multibyte = sum(1 for c in text if c >= "\x80") - len(bad)
    if not bad or multibyte < _UTF8_EVIDENCE * len(bad):
        return None
    offset = len(text[:bad[0]].encode("utf-8", errors="surrogateescape"))
    log.warning("%s: not valid UTF-8 at byte offset %d (byte 0x%02X)%s; decoded as UTF-8 with "
                "U+FFFD in place of %s", shown_name(source), offset, data[offset],
                f" and {len(bad) - 1} more" if len(bad) > 1 else "",
                "the bad bytes" if len(bad) > 1 else "the bad byte")
    return data.decode("utf-8", errors="replace")


def decode_bytes(source: str, data: bytes, declared: str | None = None) -> str:
    """Text from bytes: BOM, declared charset, UTF-8 (tolerating a few bad bytes), then
    charset-normalizer sniffing (see the module docstring)."""
    bom_enc = _bom(data)
    if bom_enc == "utf-8-sig":
        data, declared = data[len(codecs.BOM_UTF8):], "utf-8"
    elif bom_enc:
        try:
            return data.decode(bom_enc)
        except UnicodeDecodeError as exc:
            raise DecodeError(source, f"invalid {bom_enc} after its byte-order mark: {exc.reason}") from exc
    enc = declared or _declared_charset(data)
    if enc:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _mostly_utf8(source, data)
    if text is not None:
        return text
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=_SNIFF_ENCODINGS).best()
    if best is None or best.chaos > 0.3:
        raise DecodeError(source, "undecodable bytes: not UTF-8, no usable declared charset, "
                                  "and no encoding could be sniffed; re-save the file as UTF-8")
    return str(best)


def _kind(source: str, text: str, hint: str | None) -> str:
    if hint:
        return hint
    head = text.lstrip()[:1024].lower()
    if head.startswith("<"):
        return "feed" if re.search(r"<(rss|feed|rdf:rdf)\b", head) else "html"
    if head.startswith(("{", "[")):
        return "json" if head.startswith("[") or "\n{" not in text.strip() else "jsonl"
    return "txt"


def parse_text(source: str, text: str, kind: str | None = None, url: str | None = None,
               ) -> Iterator[RawDocument | Failure]:
    """Dispatch decoded text to its reader."""
    kind = _kind(source, text, kind)
    if not text.strip():
        yield Failure(source, "no text (only whitespace)")
        return
    if kind == "txt":
        yield _read_txt(source, text, url)
    elif kind == "html":
        yield _read_html(source, text, url)
    elif kind == "json":
        yield from _read_json(source, text)
    elif kind == "jsonl":
        yield from _read_jsonl(source, text)
    else:
        yield from _read_feed(source, text)


def read_source(path: str, max_bytes: int) -> Iterator[RawDocument | Failure]:
    """All raw documents in one file (not a directory or URL: see expand_sources / fetch).

    A .jsonl file is a container of many articles: it is streamed line by line and the
    size cap applies to each record, so a large corpus file is not refused whole.
    """
    if KNOWN_SUFFIXES.get(Path(path).suffix.lower()) == "jsonl":
        yield from _stream_jsonl(path, max_bytes)
        return
    try:
        data = read_bytes(Path(path), max_bytes)
        text = decode_bytes(path, data)
    except InputError as exc:
        yield Failure(exc.source, exc.reason)
        return
    except OSError as exc:
        yield Failure(path, f"cannot read: {exc.strerror or exc}")
        return
    yield from parse_text(path, text, KNOWN_SUFFIXES.get(Path(path).suffix.lower()))


# ---------------------------------------------------------------- readers


def _read_txt(source: str, text: str, url: str | None) -> RawDocument:
    """Plain text with an optional ``Key: value`` header block ended by a blank line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    meta: dict[str, str] = {}
    i = 0
    while i < len(lines) and lines[i].strip():
        m = _HEADER_LINE.match(lines[i])
        key = _HEADER_KEYS.get(m.group(1).strip().lower()) if m else None
        if not m or not key:
            meta = {}  # not a header block after all: the text starts here
            i = 0
            break
        meta[key] = m.group(2)
        i += 1
    body = "\n".join(lines[i:]) if meta else text
    return RawDocument(source, body, url=meta.get("url") or url, title=meta.get("title") or None,
                       outlet=meta.get("outlet") or None, date=meta.get("date") or None,
                       date_basis="header", language=meta.get("language") or None)


def _read_html(source: str, html: str, url: str | None) -> RawDocument | Failure:
    ex = extract_html(html, url)
    if ex is None:
        return Failure(source, "malformed or empty HTML: no article text found")
    return RawDocument(source, ex.text, url=ex.url or url, title=ex.title, sitename=ex.sitename,
                       date=ex.date, date_basis=ex.date_basis, language=ex.language, author=ex.author,
                       credits=ex.credits)


def _record(source: str, obj: Any) -> RawDocument | Failure:
    """One JSON object: ``text`` or ``html`` plus optional metadata fields."""
    if not isinstance(obj, dict):
        return Failure(source, f"expected a JSON object, got {type(obj).__name__}")
    get = {k.lower(): v for k, v in obj.items()}
    url = get.get("url") or get.get("link")
    meta: dict[str, Any] = {
        "url": url if isinstance(url, str) else None,
        "title": get.get("title") if isinstance(get.get("title"), str) else None,
        "outlet": get.get("outlet") or get.get("source_name") or None,
        "language": get.get("language") or get.get("lang") or None,
        "author": get.get("author") if isinstance(get.get("author"), str) else None,
    }
    date_key = next((k for k in ("published", "date", "published_at", "pubdate") if get.get(k)), None)
    date = str(get[date_key]) if date_key else None
    if isinstance(get.get("text"), str) and get["text"].strip():
        return RawDocument(source, get["text"], date=date, date_basis=f"json field '{date_key}'",
                           **meta)
    if isinstance(get.get("html"), str) and get["html"].strip():
        ex = extract_html(get["html"], meta["url"])
        if ex is None:
            return Failure(source, "the 'html' field holds no article text")
        return RawDocument(source, ex.text, url=meta["url"] or ex.url, title=meta["title"] or ex.title,
                           outlet=meta["outlet"], sitename=ex.sitename,
                           date=date or ex.date,
                           date_basis=f"json field '{date_key}'" if date else ex.date_basis,
                           language=meta["language"] or ex.language, author=meta["author"] or ex.author)
    return Failure(source, "record has no non-empty 'text' or 'html' field")


def _json_msg(exc: json.JSONDecodeError) -> str:
    """The decoder's message without its trailing "at" ("Unterminated string starting
    at"), which the position that follows supplies."""
    return exc.msg.removesuffix(" at")


def _read_json(source: str, text: str) -> Iterator[RawDocument | Failure]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Failure(source, f"malformed JSON: {_json_msg(exc)} at line {exc.lineno} column {exc.colno}")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, list):
        if not data:
            yield Failure(source, "empty JSON list: no articles")
        for n, obj in enumerate(data, start=1):
            yield _record(f"{source}#{n}", obj)
    else:
        yield _record(source, data)


def _read_jsonl(source: str, text: str, first_line: int = 1) -> Iterator[RawDocument | Failure]:
    for n, line in enumerate(text.splitlines(), start=first_line):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(f"{source}#{n}", f"malformed JSON line: {_json_msg(exc)} at column {exc.colno}")
            continue
        yield _record(f"{source}#{n}", obj)


def _stream_wide_jsonl(path: str, encoding: str, max_bytes: int) -> Iterator[RawDocument | Failure]:
    """A .jsonl file in UTF-16/UTF-32 (with a byte-order mark), decoded as it streams."""
    n = 0
    try:
        with open(path, encoding=encoding, newline="") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                size = len(line.encode(encoding)) - (4 if encoding == "utf-32" else 2)
                if size > max_bytes:
                    yield Failure(f"{path}#{n}", f"{size:,}-byte record is over the "
                                                 f"{max_bytes:,}-byte cap (--max-bytes)")
                    continue
                yield from _read_jsonl(path, line.lstrip("\ufeff"), first_line=n)
    except UnicodeDecodeError as exc:
        yield Failure(f"{path}#{n + 1}", f"invalid {encoding} after its byte-order mark: {exc.reason}")


def _stream_jsonl(path: str, max_bytes: int) -> Iterator[RawDocument | Failure]:
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
            if not head:
                yield Failure(path, "empty file")
                return
            wide = _bom(head)
            if wide in ("utf-16", "utf-32"):
                yield from _stream_wide_jsonl(path, wide, max_bytes)
                return
            check_binary(path, head)
            fh.seek(0)
            for n, raw in enumerate(fh, start=1):
                source = f"{path}#{n}"
                if not raw.strip():
                    continue
                if len(raw) > max_bytes:
                    yield Failure(source, f"{len(raw):,}-byte record is over the {max_bytes:,}-byte cap "
                                          "(--max-bytes)")
                    continue
                try:
                    line = decode_bytes(source, raw)
                except InputError as exc:
                    yield Failure(exc.source, exc.reason)
                    continue
                yield from _read_jsonl(path, line, first_line=n)
    except InputError as exc:
        yield Failure(exc.source, exc.reason)
    except OSError as exc:
        yield Failure(path, f"cannot read: {exc.strerror or exc}")


def _read_feed(source: str, text: str) -> Iterator[RawDocument | Failure]:
    import feedparser

    feed = feedparser.parse(text)
    if not feed.entries:
        why = f": {feed.get('bozo_exception')}" if feed.get("bozo") else ""
        yield Failure(source, f"malformed or empty RSS/Atom feed (no entries){why}")
        return
    channel = feed.get("feed", {})
    sitename = re.split(r"\s+[-|–—]\s+", channel.get("title", ""))[0] or None
    language = channel.get("language")
    for n, entry in enumerate(feed.entries, start=1):
        item = f"{source}#{n}"
        html = ""
        if entry.get("content"):
            html = entry["content"][0].get("value", "")
        html = html or entry.get("summary", "") or entry.get("description", "")
        body = fragment_text(html)
        if not body.strip():
            yield Failure(item, "feed item has no content or description")
            continue
        yield RawDocument(item, body, url=entry.get("link"), title=entry.get("title"),
                          sitename=sitename, date=entry.get("published") or entry.get("updated"),
                          date_basis="feed pubDate" if entry.get("published") else "feed updated",
                          language=language, author=entry.get("author"), guid=entry.get("id"))
