"""Each reader on hand-built inputs: metadata it declares, text it yields, source naming."""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.ingest.readers import RawDocument, decode_bytes, expand_sources, read_source
from sitrep.model import Failure

BODY = ("The Taliban captured the district centre of Panjwai on Sunday after a night of fighting "
        "with government forces, the district governor said, adding that the police headquarters "
        "had been seized.")


def _read(path: Path) -> list[RawDocument | Failure]:
    return list(read_source(str(path), 5_000_000))


def test_txt_header_block_keys_are_case_insensitive(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(f"TITLE: Panjwai falls\nurl: https://www.france24.com/x\nDate: 2021-07-04\n"
                 f"Outlet: France 24\nLanguage: en\n\n{BODY}\n", encoding="utf-8")
    (doc,) = _read(f)
    assert isinstance(doc, RawDocument)
    assert (doc.title, doc.url, doc.date, doc.outlet, doc.language) == (
        "Panjwai falls", "https://www.france24.com/x", "2021-07-04", "France 24", "en")
    assert doc.text.strip() == BODY and doc.source == str(f)


def test_txt_without_header_keeps_first_lines(tmp_path: Path) -> None:
    f = tmp_path / "b.txt"
    f.write_text(f"Source: AFP\nA headline\n\n{BODY}", encoding="utf-8")
    (doc,) = _read(f)
    assert isinstance(doc, RawDocument)
    assert doc.date is None and doc.title is None
    assert doc.text.startswith("Source: AFP")


def test_html_metadata_and_text(tmp_path: Path) -> None:
    f = tmp_path / "c.html"
    f.write_text(
        '<html lang="en"><head><title>x</title>'
        '<meta property="og:site_name" content="France 24">'
        '<meta property="og:title" content="Panjwai falls to the Taliban">'
        '<meta property="article:published_time" content="2021-07-04T18:00:00+04:30">'
        '<link rel="canonical" href="https://www.france24.com/en/panjwai"></head>'
        f'<body><nav>Home | World</nav><article><h1>Panjwai falls</h1><p>{BODY}</p><p>{BODY}</p>'
        '</article><footer>Copyright</footer></body></html>', encoding="utf-8")
    (doc,) = _read(f)
    assert isinstance(doc, RawDocument)
    assert doc.date == "2021-07-04T18:00:00+04:30" and doc.date_basis == "html meta article:published_time"
    assert doc.sitename == "France 24" and doc.url == "https://www.france24.com/en/panjwai"
    assert doc.language == "en" and "night of fighting" in doc.text and "Home | World" not in doc.text


def test_json_list_and_single_object(tmp_path: Path) -> None:
    many = tmp_path / "m.json"
    many.write_text(json.dumps([{"text": BODY, "url": "https://a.example/1", "published": "2021-07-04"},
                                {"html": f"<p>{BODY}</p><p>{BODY}</p>", "title": "T"}]), encoding="utf-8")
    docs = _read(many)
    assert [d.source for d in docs] == [f"{many}#1", f"{many}#2"]
    assert isinstance(docs[0], RawDocument) and docs[0].date == "2021-07-04"
    assert docs[0].date_basis == "json field 'published'"
    assert isinstance(docs[1], RawDocument) and docs[1].title == "T" and "Panjwai" in docs[1].text
    one = tmp_path / "o.json"
    one.write_text(json.dumps({"text": BODY, "outlet": "RFI", "date": "2021-07-08"}), encoding="utf-8")
    (doc,) = _read(one)
    assert isinstance(doc, RawDocument) and doc.source == str(one) and doc.outlet == "RFI"


def test_jsonl_bad_line_fails_only_that_line(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    f.write_text("\n".join([json.dumps({"text": BODY}), "{not json", json.dumps({"title": "no text"}),
                            json.dumps({"text": BODY + " Again."})]) + "\n", encoding="utf-8")
    docs = _read(f)
    assert [type(d).__name__ for d in docs] == ["RawDocument", "Failure", "Failure", "RawDocument"]
    assert docs[1].source == f"{f}#2" and "malformed JSON" in docs[1].reason  # type: ignore[union-attr]
    assert docs[2].source == f"{f}#3" and "no non-empty 'text'" in docs[2].reason  # type: ignore[union-attr]
    assert docs[3].source == f"{f}#4"


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Hindu Kush Herald - Afghanistan</title><language>en</language>
<item><title>Panjwai falls</title><link>https://hkh.example/panjwai</link>
<pubDate>Sun, 04 Jul 2021 16:30:00 +0430</pubDate><description>Short teaser.</description>
<content:encoded><![CDATA[<p>First paragraph of the story.</p><p>Second paragraph.</p>]]></content:encoded></item>
<item><title>Only a description</title><link>https://hkh.example/two</link>
<pubDate>Mon, 05 Jul 2021 08:00:00 +0000</pubDate><description>&lt;p&gt;The description body.&lt;/p&gt;</description></item>
</channel></rss>"""


def test_rss_items_full_content_and_pubdate(tmp_path: Path) -> None:
    f = tmp_path / "feed.rss"
    f.write_text(RSS, encoding="utf-8")
    docs = _read(f)
    assert [d.source for d in docs] == [f"{f}#1", f"{f}#2"]
    first, second = docs
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.text == "First paragraph of the story.\n\nSecond paragraph."
    assert first.date == "Sun, 04 Jul 2021 16:30:00 +0430" and first.date_basis == "feed pubDate"
    assert first.sitename == "Hindu Kush Herald" and first.url == "https://hkh.example/panjwai"
    assert second.text == "The description body."


def test_atom_feed_sniffed_from_xml(tmp_path: Path) -> None:
    f = tmp_path / "atom.xml"
    f.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
                 '<entry><title>E1</title><link href="https://w.example/1"/>'
                 '<published>2021-08-13T09:00:00Z</published>'
                 f'<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>', encoding="utf-8")
    (doc,) = _read(f)
    assert isinstance(doc, RawDocument) and doc.url == "https://w.example/1"
    assert doc.date is not None and doc.date.startswith("2021-08-13") and "Panjwai" in doc.text


def test_directory_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b.txt", "a.html", "sub/c.jsonl", ".git/x.txt", "notes.docx"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    got = list(expand_sources([str(tmp_path)]))
    assert got == [str(tmp_path / "a.html"), str(tmp_path / "b.txt"), str(tmp_path / "sub" / "c.jsonl")]


def test_decode_declared_then_sniffed_charsets() -> None:
    latin = "Les talibans ont pris le contrôle du district, a déclaré le gouverneur.".encode("latin-1")
    html = b'<html><head><meta charset="iso-8859-1"></head><body>' + latin + b"</body></html>"
    assert "contrôle" in decode_bytes("x.html", html)
    assert "déclaré" in decode_bytes("x.txt", latin)  # no declaration: sniffed (cp1252)
    assert decode_bytes("x.txt", "\ufeffbonjour".encode("utf-8")) == "bonjour"
