"""A local feed server for the watch tests (127.0.0.1 only) and tiny realistic articles.

``FeedServer`` serves, from a background thread:

- ``/feed.xml``   an RSS feed of the items published so far (``publish``), with an ETag
  (a conditional GET with the current one gets 304); ``hits`` counts its requests
- ``/error.xml``  HTTP 500 while ``fail`` is set, else the same feed as ``/feed.xml``
- ``/page.html``  an HTML page showing article ``page``
- ``/slow.xml``   answers after ``slow_seconds`` (a timeout)
- ``/garbage.xml`` a body that is not RSS/Atom (declared application/rss+xml)
- ``/endless.xml`` a feed that never ends (size cap)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import threading
import time
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

PROVINCES = [("Nad Ali", "Helmand"), ("Arghandab", "Kandahar"), ("Khan Abad", "Kunduz"),
             ("Pul-i-Khumri", "Baghlan"), ("Maimana", "Faryab"), ("Qala-i-Naw", "Badghis"),
             ("Sheberghan", "Jowzjan"), ("Ghazni", "Ghazni"), ("Pul-i-Alam", "Logar"),
             ("Chaghcharan", "Ghor"), ("Tarinkot", "Uruzgan"), ("Farah", "Farah")]


def article(n: int) -> dict[str, str]:
    """Item ``n``: a short wire-style report of one clash on its own day and place."""
    district, province = PROVINCES[n % len(PROVINCES)]
    day = dt.date(2021, 6, 1) + dt.timedelta(days=n // len(PROVINCES))
    killed = 2 + n % 7
    text = (f"KABUL, {day:%B} {day.day} (Wire) - Taliban fighters attacked a police checkpoint in "
            f"{district} district of {province} province on {day:%A}, killing {killed} police "
            f"officers, a provincial spokesman said. The fighting lasted several hours before the "
            f"attackers withdrew, officials said. Report number {n}.")
    return {"guid": f"urn:wire:{n}", "link": f"https://wire.example/{day.isoformat()}/{n}",
            "title": f"Taliban attack checkpoint in {province} ({n})", "text": text,
            "published": format_datetime(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC))}


def rss(items: list[dict[str, str]]) -> bytes:
    body = "".join(
        f"<item><guid>{escape(i['guid'])}</guid><link>{escape(i['link'])}</link>"
        f"<title>{escape(i['title'])}</title><pubDate>{i['published']}</pubDate>"
        f"<description>{escape(i['text'])}</description></item>" for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Wire - world</title><language>en</language>{body}</channel></rss>").encode()


class FeedServer:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []
        self.fail = True
        self.slow_seconds = 5.0
        self.page = 0  # the article /page.html shows
        self.hits: dict[str, int] = {}
        self.not_modified = 0
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                with server.lock:
                    server.hits[path] = server.hits.get(path, 0) + 1
                    feed = rss(list(server.items))
                if path == "/error.xml" and server.fail:
                    self._send(500, b"internal error", "text/plain")
                elif path in ("/feed.xml", "/error.xml"):
                    etag = '"' + hashlib.sha1(feed).hexdigest() + '"'
                    if self.headers.get("If-None-Match") == etag:
                        server.not_modified += 1
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.end_headers()
                        return
                    self._send(200, feed, "application/rss+xml", {"ETag": etag})
                elif path == "/page.html":
                    item = article(server.page)
                    page = (f"<html><head><title>{escape(item['title'])}</title></head><body><article>"
                            f"<h1>{escape(item['title'])}</h1><p>{escape(item['text'])}</p>"
                            "</article></body></html>").encode()
                    self._send(200, page, "text/html; charset=utf-8")
                elif path == "/slow.xml":
                    time.sleep(server.slow_seconds)
                    self._send(200, feed, "application/rss+xml")
                elif path == "/garbage.xml":
                    self._send(200, b"<html><body>this is not <b>a feed", "application/rss+xml")
                elif path == "/endless.xml":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.end_headers()
                    try:
                        self.wfile.write(b'<?xml version="1.0"?><rss><channel>')
                        for _ in range(100_000):
                            self.wfile.write(b"<item><title>" + b"x" * 4096 + b"</title></item>")
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                else:
                    self._send(404, b"not found", "text/plain")

            def _send(self, status: int, body: bytes, ctype: str,
                      headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def publish(self, *numbers: int) -> None:
        with self.lock:
            self.items.extend(article(n) for n in numbers)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
