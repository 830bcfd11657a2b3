"""The dashboard in real headless Chromium (Debian's package, driven by Playwright).

Loads it on a database built from the demo corpus, moves the date slider and checks
that the map colours change, clicks an event and sees its quotes, and saves a
screenshot to ./artifacts/dashboard.png.
"""

from __future__ import annotations

import shutil

import pytest

from tests.serve.server import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

FILLS = """() => [...document.querySelectorAll('path.unit')].map(p => p.getAttribute('fill'))"""


@pytest.fixture(scope="module")
def page(demo_db):  # type: ignore[no-untyped-def]
    if not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: run scripts/test (it installs it)")
    from playwright.sync_api import sync_playwright

    with serving(str(demo_db)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        # the page works under its Content-Security-Policy: no violation is reported
        pg.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
        pg.goto(url + "/")
        pg.wait_for_selector("body[data-ready='1']", timeout=20_000)
        yield pg
        assert not errors, errors
        browser.close()


HOSTILE_URL = 'javascript:window.pwned=1//"><img src=x onerror="window.pwned=2">'


def test_a_javascript_url_is_never_a_link(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An article whose URL is ``javascript:…`` (with markup in it) is shown as escaped
    text in the event's sources, never as a link; an https URL stays a link."""
    from playwright.sync_api import sync_playwright

    from tests.serve.fixtures import build

    db = tmp_path / "hostile.duckdb"
    build(db, url_b=HOSTILE_URL)
    with serving(str(db)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page()
        pg.goto(url + "/")
        pg.wait_for_selector("body[data-ready='1']", timeout=20_000)
        assert pg.evaluate("() => window.sitrep.events.map(e => e.id).sort()") == ["e1", "e2"]
        for event_id, linked, outlet in (("e2", False, "RFI"), ("e1", True, "France 24")):
            pg.locator(f"#events-table tbody tr[data-id='{event_id}']").click()
            pg.wait_for_function("o => [...document.querySelectorAll('#detail .src')]"
                                 ".some(s => s.textContent.includes(o))", arg=outlet)
            hrefs = pg.evaluate("() => [...document.querySelectorAll('#detail a')].map(a => a.getAttribute('href'))")
            if linked:
                assert hrefs == ["https://example.org/a"]
            else:
                assert hrefs == []
                assert HOSTILE_URL in pg.inner_text("#detail .src")  # shown, escaped, as text
                assert pg.locator("#detail img").count() == 0
        pg.wait_for_timeout(200)
        assert pg.evaluate("() => window.pwned") is None
        browser.close()


def test_slider_changes_map_colours(page) -> None:  # type: ignore[no-untyped-def]
    latest = page.evaluate(FILLS)
    assert len(latest) > 400  # 34 provinces + 398 districts drawn from shipped polygons
    slider = page.locator("#date-slider")
    slider.evaluate("s => { s.value = s.min; s.dispatchEvent(new Event('input')); }")
    earliest = page.evaluate(FILLS)
    assert earliest != latest
    coloured = lambda fills: sum(f not in ("#f4f4f2", "transparent") for f in fills)  # noqa: E731
    assert coloured(earliest) < coloured(latest)
    first_day = page.inner_text("#date-label")
    slider.evaluate("s => { s.value = s.max; s.dispatchEvent(new Event('input')); }")
    assert page.inner_text("#date-label") > first_day
    assert page.evaluate(FILLS) == latest


def test_click_event_shows_quotes_and_sources(page, artifacts) -> None:  # type: ignore[no-untyped-def]
    rows = page.locator("#events-table tbody tr")
    assert rows.count() > 10
    rows.first.click()
    page.wait_for_selector("#detail:not([hidden]) .quote")
    quotes = page.locator("#detail .quote")
    assert quotes.count() >= 1
    text = quotes.first.inner_text()
    assert "“" in text and "chars" in text
    assert page.locator("#control-changes li").count() >= 1
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
    assert (artifacts / "dashboard.png").stat().st_size > 10_000


def test_search_filters_the_table(page) -> None:  # type: ignore[no-untyped-def]
    before = page.locator("#events-table tbody tr").count()
    page.fill("#search", "Kandahar")
    after = page.locator("#events-table tbody tr").count()
    assert 0 < after < before
    page.fill("#search", "")


def _set_min_confidence(page, value: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#min-confidence", value)
    page.dispatch_event("#min-confidence", "change")
    page.wait_for_selector("body[data-ready='1']", timeout=20_000)


def test_min_confidence_control_refetches_events_and_control(page) -> None:  # type: ignore[no-untyped-def]
    from sitrep.confidence import DEFAULT_MIN_CONFIDENCE

    assert float(page.input_value("#min-confidence")) == DEFAULT_MIN_CONFIDENCE
    shown = "() => [window.sitrep.events.length, window.sitrep.changes.length]"
    lowest = "() => Math.min(...window.sitrep.events.map(e => e.confidence))"
    n_default, c_default = page.evaluate(shown)
    assert page.evaluate(lowest) >= DEFAULT_MIN_CONFIDENCE
    _set_min_confidence(page, "0")
    n_all, c_all = page.evaluate(shown)
    assert n_all > n_default and c_all >= c_default  # the hidden events come back
    assert page.evaluate(lowest) < DEFAULT_MIN_CONFIDENCE
    assert f"{n_all} events" in page.inner_text("#summary")
    _set_min_confidence(page, str(DEFAULT_MIN_CONFIDENCE))
    assert page.evaluate(shown) == [n_default, c_default]
