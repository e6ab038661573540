"""Real-browser tests: Debian's chromium through Playwright, against `python -m morgue.web.server`.

Run with `pytest -m browser`. Skipped when /usr/bin/chromium is missing (no browser is ever
downloaded). The flow test also saves a screenshot, as `make screenshot` does for docs/.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web_fixtures import web_index  # noqa: F401
from tests.browser import CHROMIUM, free_port, launch, start_server, stop_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python package) is not installed")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server(web_index, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "server.log"
    proc, url = start_server(web_index, free_port(), log_path=log)
    yield url, log
    stop_server(proc)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    yield pg
    context.close()
    # no CSP violation, no script error, nothing fetched from elsewhere
    assert not [p for p in problems if "favicon" not in p], problems  # icon fetches die with navigation


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def first_id(url: str, q: str) -> str:
    with urllib.request.urlopen(f"{url}/api/search?q={q}", timeout=10) as res:
        return json.load(res)["hits"][0]["id"]


def heading(page) -> str:
    return page.locator("#results-heading").inner_text()


def test_search_flow(page, server, tmp_path_factory):
    url, log = server
    page.goto(url + "/")
    assert "The archive" in heading(page)

    # type a query and submit
    page.get_by_label("Search the archive").fill("bridge")
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    assert query(page.url)["q"] == ["bridge"]
    assert page.locator("#q").input_value() == "bridge"
    assert "11 results" in heading(page)
    marks = page.locator("li.hit mark")
    assert marks.count() >= 10 and marks.first.is_visible()
    assert marks.first.inner_text().lower() == "bridge"
    # The same picture `make screenshot` takes for docs/ (of the sample archive); the test's
    # copy goes to a temporary folder so that a test run leaves the work tree clean.
    shot = tmp_path_factory.mktemp("screenshot") / "screenshot.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    # page forward, and back
    with page.expect_navigation():
        page.locator("nav.pager a[rel=next]").click()
    assert query(page.url)["page"] == ["2"]
    assert page.locator("nav.pager [aria-current=page]").inner_text() == "2"
    assert page.locator("li.hit").count() == 1
    with page.expect_navigation():
        page.locator("nav.pager a[rel=prev]").click()
    assert page.locator("li.hit").count() == 10

    # sort by date
    with page.expect_navigation():
        page.locator("nav.sort").get_by_role("link", name="Newest").click()
    assert query(page.url)["sort"] == ["newest"]
    dates = [t.get_attribute("datetime") for t in page.locator("li.hit time").all()]
    assert dates == sorted(dates, reverse=True)

    # click a facet, then remove it
    facet = page.locator("section.facet", has=page.locator("#facet-source"))
    with page.expect_navigation():
        facet.get_by_role("link", name=re.compile("Harbour Gazette")).click()
    assert query(page.url)["source"] == ["Harbour Gazette"]
    assert "5 results" in heading(page)
    metas = page.locator("li.hit .meta").all_inner_texts()
    assert len(metas) == 5 and all("Harbour Gazette" in m for m in metas)
    chip = page.locator(".active-filters a.chip")
    assert chip.count() == 1 and "Source: Harbour Gazette" in chip.inner_text()
    with page.expect_navigation():
        chip.click()
    assert "11 results" in heading(page)
    assert page.locator(".active-filters").count() == 0

    # use the histogram: each bar narrows the dates
    bar = page.locator("svg.histogram a").first
    label = bar.get_attribute("aria-label")  # "2019: 2 articles"
    year, count = re.match(r"(\d{4}): (\d+) article", label).groups()
    with page.expect_navigation():
        bar.click()
    assert query(page.url)["from"] == [f"{year}-01-01"] and query(page.url)["to"] == [f"{year}-12-31"]
    assert page.locator("#from").input_value() == f"{year}-01-01"
    assert re.search(rf"\b{count} results?\b", heading(page))
    assert "Dates:" in page.locator(".active-filters").inner_text()
    years = {d[:4] for d in page.locator("li.hit time").evaluate_all("els => els.map(e => e.dateTime)")}
    assert years == {year}

    # open an article from the results, and come back to the same search
    searched = query(page.url)
    first = page.locator("li.hit h2 a").first
    title = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert "/articles/" in page.url and query(page.url)["q"] == ["bridge"]
    assert page.locator("article.story h1").inner_text() == title
    assert page.locator("article.story mark").count() > 0
    assert page.locator("article.story a.original").get_attribute("href").startswith("https://")
    assert page.locator("aside.similar li").count() > 0
    with page.expect_navigation():
        page.locator(".back a").click()
    assert query(page.url) == searched and re.search(rf"\b{count} results?\b", heading(page))

    # one log line per request, written by the real server
    text = log.read_text()
    assert re.search(r'"GET /search\?q=bridge" 200 \d+', text)
    assert re.search(r'"GET /static/style.css" 200', text)


def test_date_inputs_and_sort(page, server):
    url, _ = server
    page.goto(url + "/search?q=council")
    with page.expect_navigation():
        page.locator("nav.sort").get_by_role("link", name="Newest").click()
    page.locator("details.dates summary").click()
    page.get_by_label("From", exact=True).fill("2022")
    page.get_by_label("To", exact=True).fill("2022-12")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    q = query(page.url)
    assert q["from"] == ["2022"] and q["to"] == ["2022-12"] and q["sort"] == ["newest"]
    dates = [t.get_attribute("datetime") for t in page.locator("li.hit time").all()]
    assert dates and dates == sorted(dates, reverse=True) and all(d.startswith("2022") for d in dates)


def test_empty_date_boxes_stay_out_of_the_url(page, server):
    url, _ = server
    page.goto(url + "/")
    page.fill("#q", "festival")
    with page.expect_navigation():
        page.press("#q", "Enter")
    assert query(page.url) == {"q": ["festival"]}


def test_keyboard_shortcut_focuses_search(page, server):
    url, _ = server
    page.goto(url + "/articles/" + first_id(url, "festival"))  # the header's search box
    page.locator("body").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "header-q"


def test_works_without_javascript(browser, server):
    url, _ = server
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(url + "/")
        pg.fill("#q", "storm")
        with pg.expect_navigation():
            pg.press("#q", "Enter")
        assert "1 result" in pg.locator("#results-heading").inner_text()
        pg.locator("details.copies summary").click()
        assert pg.locator("details.copies a").count() == 2
    finally:
        context.close()


def test_phone_width(browser, server):
    url, _ = server
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        pg = context.new_page()
        for path in ("/search?q=bridge", "/articles/" + first_id(url, "bridge")):
            pg.goto(url + path)
            overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        pg.goto(url + "/search?q=bridge")
        assert pg.locator("a.jump-refine").is_visible()
        box = pg.locator("#q").bounding_box()
        assert box["width"] > 150
    finally:
        context.close()


def test_hostile_text_does_not_run(page, server):
    url, _ = server
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url + "/search?q=" + "%3Cscript%3Ealert(1)%3C/script%3E")
    page.goto(url + "/search?q=stray+markup")
    with page.expect_navigation():
        page.locator("li.hit h2 a").first.click()
    assert "<script>" in page.locator("h1").inner_text()
    assert dialogs == []


def test_phone_tap_targets_and_placeholder(browser, server):
    """On a phone every control is at least 24 px high (WCAG 2.2, 2.5.8) and the search box
    shows its whole placeholder."""
    url, _ = server
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    try:
        pg = context.new_page()
        pg.goto(url + "/search?q=bridge")
        small = pg.evaluate("""() => [...document.querySelectorAll(
              '.original, nav.sort a, section.facet a, nav.pager a, .colophon a, a.jump-refine')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e.className || e.textContent.trim(), e.getBoundingClientRect().height])
            .filter(([, h]) => h < 24)""")
        assert pg.locator(".original").count() > 0
        assert small == [], small
        for path, box in (("/search?q=bridge", "#q"), ("/articles/" + first_id(url, "bridge"), "#header-q")):
            pg.goto(url + path)
            cut = pg.evaluate(f"""() => {{
                const e = document.querySelector('{box}');
                const c = document.createElement('canvas').getContext('2d');
                const s = getComputedStyle(e);
                c.font = s.font;
                const room = e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
                return c.measureText(e.placeholder).width - room; }}""")
            assert cut <= 0, f"{box}: the placeholder is cut by {cut:.0f}px"
    finally:
        context.close()


def test_back_to_results_keeps_the_search(page, server):
    url, _ = server
    page.goto(url + "/search?q=bridge&sort=newest&source=Harbour+Gazette&from=2015&page=2&page_size=2")
    wanted = query(page.url)
    first = page.locator("li.hit h2 a").first
    with page.expect_navigation():
        first.click()
    assert "/articles/" in page.url and page.locator("article.story mark").count() > 0
    with page.expect_navigation():
        page.locator(".back a").click()
    assert query(page.url) == wanted
    assert page.locator("nav.pager [aria-current=page]").inner_text() == "2"
    assert "Source: Harbour Gazette" in page.locator(".active-filters").inner_text()


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory):
    from morgue.indexer.writer import index_paths

    index = tmp_path_factory.mktemp("corpus-browser") / "index"
    index_paths([str(ROOT / "corpus")], index, jobs=1)
    proc, url = start_server(index, free_port(), log_path=tmp_path_factory.mktemp("log") / "s.log")
    yield url
    stop_server(proc)


def test_every_facet_value_is_reachable(page, corpus_server):
    page.goto(corpus_server + "/")
    facet = page.locator("section.facet", has=page.locator("#facet-section"))
    listed = facet.locator("li").count()
    assert listed == 20
    with page.expect_navigation():
        facet.get_by_role("link", name=re.compile("All sections")).click()
    values = page.locator("ul.facet-all li")
    assert values.count() > listed
    last = values.last.locator(".value").inner_text()
    with page.expect_navigation():
        values.last.locator("a").click()
    assert query(page.url)["section"] == [last]
    assert f"Section: {last}" in page.locator(".active-filters").inner_text()
