"""The dashboard's "since your last visit" list and self-refresh, in headless Chromium:
an article posted while the page is open appears without a reload; the next visit lists
only what changed after the previous one."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from tests.serve.server import serving
from tests.serve.test_dashboard_browser import CHROMIUM, FLAGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE = ("KABUL, July 3 (Wire) - Taliban fighters overran the district centre of Dand-e Ghori "
           "in Baghlan province on Saturday after two days of fighting, killing four soldiers, "
           "the provincial police spokesman said. Government forces withdrew to Pul-i-Khumri, "
           "the provincial capital, officials said.")


def test_since_last_visit_and_self_refresh(demo_db: Path, tmp_path: Path) -> None:
    if not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: run scripts/test (it installs it)")
    from playwright.sync_api import sync_playwright

    db = tmp_path / "live.duckdb"
    shutil.copy(demo_db, db)
    with serving(str(db), token="secret") as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "/?poll=200")
        page.wait_for_selector("body[data-ready='1']", timeout=20_000)
        # first visit: the last 24 hours (the demo database was built minutes ago)
        assert page.evaluate("window.sitrep.since.items.length") > 0
        assert "last 24 hours" in page.inner_text("#since-when")
        before = page.evaluate("window.sitrep.events.length")
        posted = httpx.post(url + "/ingest", json={"articles": [{
            "text": ARTICLE, "published": "2021-07-03", "outlet": "Wire",
            "url": "https://wire.example/dand-e-ghori"}]},
            headers={"Authorization": "Bearer secret"}, timeout=120)
        assert posted.status_code == 200 and posted.json()["events_new"] >= 1, posted.text
        page.wait_for_function("() => window.sitrep.refreshes > 0", timeout=20_000)
        assert page.evaluate("window.sitrep.events.length") > before
        listed = page.inner_text("#since-list")
        assert "new" in listed and "Ghori" in listed and "taliban" in listed, listed
        # the next visit starts where this one ended
        page.reload()
        page.wait_for_selector("body[data-ready='1']", timeout=20_000)
        assert page.evaluate("window.sitrep.since.items.length") == 0
        assert "Nothing new" in page.inner_text("#since-list")
        assert not errors, errors
        browser.close()
