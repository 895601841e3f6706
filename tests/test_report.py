"""The built report, opened in headless Chromium: every chart renders, no console errors, data text stays text."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import shutil
import threading
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"),
]
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]
# Every drawn plot has trace groups with marks: marker points, line paths, bars or text labels.
PLOT_STATE = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(d => ({
  id: d.id,
  svg: d.querySelectorAll('svg.main-svg').length,
  marks: d.querySelectorAll('.trace path, .trace text, .point').length,
}))"""


def _report_module():
    spec = importlib.util.spec_from_file_location("report", ROOT / "scripts" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return _report_module().build_site(tmp_path_factory.mktemp("report") / "site")


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        yield browser
        browser.close()


def visit(browser, url: str) -> tuple[list[dict], list[str]]:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    plots = page.evaluate(PLOT_STATE)
    page.close()
    return plots, errors


def test_site_has_an_index_a_page_per_notebook_and_every_chart_in_three_formats(site):
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert (site / "index.html").is_file()
    assert sorted(p.stem for p in site.glob("[0-9][0-9]-*.html")) == [p.stem for p in notebooks]
    charts = sorted((site / "charts").glob("*.png"))
    assert len(charts) >= 6
    for png in charts:
        assert png.with_suffix(".svg").is_file() and png.with_suffix(".html").is_file()
    assert len(list(site.rglob("plotly.min.js"))) == 1


def test_every_notebook_page_renders_all_its_charts_without_console_errors(site, server, browser):
    for page in sorted(site.glob("[0-9][0-9]-*.html")):
        expected = page.read_text(encoding="utf-8").count('class="plotly-graph-div"')
        plots, errors = visit(browser, f"{server}/{page.name}")
        assert errors == [], f"{page.name}: {errors}"
        assert len(plots) == expected, page.name
        assert [p["id"] for p in plots if not p["svg"] or not p["marks"]] == [], page.name


def test_every_chart_page_renders_offline_without_console_errors(site, server, browser):
    for page in sorted((site / "charts").glob("*.html")):
        plots, errors = visit(browser, f"{server}/charts/{page.name}")
        assert errors == [], f"{page.name}: {errors}"
        assert len(plots) == 1 and plots[0]["svg"] and plots[0]["marks"] > 0, page.name


def test_index_page_loads_without_console_errors(server, browser):
    _, errors = visit(browser, f"{server}/index.html")
    assert errors == []


def test_markup_in_the_data_renders_as_text_in_exported_html(package, tmp_path, browser):
    from nkdigital import charts, export

    events = package.events().head(3).copy()
    hostile = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
    events["title"] = hostile
    events["description"] = hostile
    fig = charts.timeline(events, package=package)
    out = export.write_chart_html(fig, tmp_path / "hostile.html")
    text = out.read_text(encoding="utf-8")
    assert hostile not in text
    page = browser.new_page()
    page.goto(out.as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss === undefined")
    assert page.locator("img[src=x]").count() == 0
    box = page.locator(".point").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    hover = page.evaluate("() => document.querySelector('.hoverlayer').textContent")
    assert "<script>window.__xss=2</script>" in hover
    page.close()
