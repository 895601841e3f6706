"""The built report and the chart embeds, opened in headless Chromium: every page renders every chart, shows no
Python repr and logs no console error; chart pages fit a phone without sideways scroll."""

from __future__ import annotations

import functools
import html
import http.server
import itertools
import re
import shutil
import stat
import threading
from pathlib import Path

import pytest

from .conftest import CHROMIUM, ROOT

pytestmark = pytest.mark.browser  # skipped without Chromium (conftest.py)
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]
# Every drawn plot has trace groups with marks: marker points, line paths, bars or text labels.
PLOT_STATE = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(d => ({
  id: d.id,
  svg: d.querySelectorAll('svg.main-svg').length,
  marks: d.querySelectorAll('.trace path, .trace text, .point').length,
}))"""
REPRS = ("<IPython", "&lt;IPython", "object at 0x")
MAX_CHART_HTML = int(1.5 * 2**20)
PHONE, DESKTOP = 390, 1200


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("report") / "site"


@pytest.fixture(scope="module")
def server(site_folder):
    """The site's address; it serves the site once `site` has built it (the build needs the address)."""
    handler = functools.partial(_QuietHandler, directory=str(site_folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def site(site_folder, server) -> Path:
    from nkdigital.report import build_site

    return build_site(site_folder, ROOT / "notebooks", base_url=f"{server}/")


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


@pytest.fixture(scope="module")
def gallery(package):
    from nkdigital import charts

    return charts.gallery(package)


def open_page(browser, url: str, width: int = DESKTOP):
    """A loaded page and the console errors it logged (the list keeps filling while the page is open)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    return page, errors


def test_site_has_an_index_a_page_per_notebook_and_every_chart_as_a_page_with_its_downloads(site):
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert (site / "index.html").is_file()
    assert sorted(p.stem for p in site.glob("[0-9][0-9]-*.html")) == [p.stem for p in notebooks]
    charts = sorted((site / "charts").glob("*.png"))
    assert len(charts) >= 6
    for png in charts:
        for suffix in (".svg", ".pdf", ".csv", ".html"):
            assert png.with_suffix(suffix).is_file(), (png.stem, suffix)
    assert [p.relative_to(site).as_posix() for p in site.rglob("plotly*.js")] == ["assets/plotly.min.js"]
    assert "MIT License" in (site / "assets" / "plotly.js-LICENSE").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    for png in charts:
        assert f'href="charts/{png.stem}.html"' in index and f'href="charts/{png.stem}.svg"' in index


def test_any_web_server_user_can_read_the_site(site):
    modes = {p.relative_to(site).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [site, *site.rglob("*")]}
    assert {name: mode for name, mode in modes.items() if mode != (0o755 if (site / name).is_dir() else 0o644)} == {}


def test_every_page_renders_every_chart_without_python_reprs_or_console_errors(site, server, browser):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) >= 14  # index, six notebooks, seven charts
    for name in pages:
        source = (site / name).read_text(encoding="utf-8")
        page, errors = open_page(browser, f"{server}/{name}")
        text, plots = page.inner_text("body"), page.evaluate(PLOT_STATE)
        page.close()
        assert errors == [], f"{name}: {errors}"
        assert [r for r in REPRS if r in source or r in text] == [], name
        assert len(plots) == source.count('class="plotly-graph-div"'), name
        assert [p["id"] for p in plots if not p["svg"] or not p["marks"]] == [], name


def test_notebook_pages_show_markdown_outputs_and_every_stored_chart(site):
    import nbformat

    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        outputs = [o for cell in nbformat.read(path, as_version=4).cells for o in cell.get("outputs", [])]
        markdown = [o for o in outputs if "text/markdown" in o.get("data", {})]
        charts = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
        page = (site / f"{path.stem}.html").read_text(encoding="utf-8")
        assert page.count('data-mime-type="text/markdown"') >= len(markdown), path.name
        assert page.count('class="plotly-graph-div"') == len(charts), path.name
        assert "cdnjs" not in page and "<script src=\"http" not in page, "the report loads scripts from the network"


def test_chart_html_is_at_most_1_5_mib_and_uses_the_basic_bundle(gallery, tmp_path):
    from nkdigital import export

    for stem, fig in gallery.items():
        text = export.write_chart_html(fig, tmp_path / f"{stem}.html").read_text(encoding="utf-8")
        assert len(text.encode("utf-8")) <= MAX_CHART_HTML, stem
        assert "plotly.js (basic - minified)" in text, stem


def test_the_vendored_bundle_is_the_plotly_js_version_plotly_py_bundles():
    from plotly.offline import get_plotlyjs_version

    from nkdigital.export.html import BASIC_BUNDLE

    header = BASIC_BUNDLE.read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}\n" in header
    assert (BASIC_BUNDLE.parent / "plotly.js-LICENSE").is_file()


def test_a_trace_type_the_basic_bundle_lacks_falls_back_to_the_full_bundle():
    import plotly.graph_objects as go

    from nkdigital.export.html import BASIC_BUNDLE, plotly_js_path

    scatter, heatmap = go.Figure(go.Scatter(x=[1], y=[1])), go.Figure(go.Heatmap(z=[[1]]))
    assert plotly_js_path(scatter) == BASIC_BUNDLE
    assert plotly_js_path(scatter, {"data": [{"type": "scattergl"}]}).name == "plotly.min.js"
    assert plotly_js_path(heatmap).name == "plotly.min.js"


@pytest.mark.parametrize("width", [360, PHONE, 768, DESKTOP])
def test_self_contained_chart_fits_the_viewport_in_the_page_font(gallery, tmp_path, browser, width):
    from nkdigital import export
    from nkdigital.charts.house import FONT

    for stem in ("nkdigital-subscribers", "nkdigital-access-tiers"):
        out = export.write_chart_html(gallery[stem], tmp_path / f"{stem}.html")
        page, errors = open_page(browser, out.as_uri(), width)
        fonts = page.evaluate("() => ['body', 'figcaption'].map(s => getComputedStyle(document.querySelector(s))"
                              ".fontFamily)")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), (stem, width)
        assert page.evaluate("() => document.querySelector('.main-svg').getBoundingClientRect().width")\
            <= min(width, 1200)
        plots = page.evaluate(PLOT_STATE)
        page.close()
        assert errors == [] and plots[0]["marks"] > 0, stem
        assert {font.replace('"', "") for font in fonts} == {FONT}, fonts


REFLOW_STATE = """() => {
  const gd = document.querySelector('.plotly-graph-div'), shown = s => getComputedStyle(document.querySelector(s))
    .display !== 'none';
  const footer = (gd.layout.annotations || []).filter(a => a.name === 'notes' || a.name === 'footer');
  return {head: shown('.nk-head'), notes: shown('.nk-notes'), title: gd.layout.title.text,
          footerShown: footer.map(a => a.visible !== false), svgHeight: +document.querySelector('.main-svg')
            .getAttribute('height'), boxHeight: gd.parentElement.getBoundingClientRect().height,
          headText: document.querySelector('.nk-head').textContent,
          notesText: document.querySelector('.nk-notes').textContent};
}"""


def test_a_narrow_embed_moves_title_notes_and_source_line_out_of_the_figure_into_page_text(gallery, tmp_path,
                                                                                           browser):
    import html

    from nkdigital import export

    fig = gallery["nkdigital-subscribers-headline"]
    meta = fig.layout.meta
    out = export.write_chart_html(fig, tmp_path / "chart.html")
    page, errors = open_page(browser, out.as_uri(), PHONE)
    narrow = page.evaluate(REFLOW_STATE)
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.wait_for_timeout(400)
    wide = page.evaluate(REFLOW_STATE)
    page.close()
    assert errors == []
    # narrow: page text carries title, subtitle and every note; the figure loses them and their height
    assert narrow["head"] and narrow["notes"] and narrow["title"] == "" and not any(narrow["footerShown"])
    assert html.unescape(meta["title"]) in narrow["headText"] and html.unescape(meta["subtitle"]) in narrow["headText"]
    assert all(html.unescape(note) in narrow["notesText"] for note in meta["notes"])
    assert narrow["svgHeight"] == narrow["boxHeight"] < meta["height"]
    # wide (the house width and above): as exported images look, page text hidden
    assert not wide["head"] and not wide["notes"] and wide["footerShown"] == [True, True]
    assert wide["title"] == fig.layout.title.text and wide["svgHeight"] == wide["boxHeight"] == meta["height"]


def test_the_embed_snippet_is_tall_enough_for_its_chart_page_in_an_article_column(gallery, tmp_path, browser):
    from nkdigital import export
    from nkdigital.report.site import COLUMN_PX, embed_height

    for stem in ("nkdigital-subscribers-headline", "nkdigital-timeline", "nkdigital-rights"):
        out = export.write_chart_html(gallery[stem], tmp_path / f"{stem}.html")
        page, errors = open_page(browser, out.as_uri(), COLUMN_PX)
        needed = page.evaluate("() => Math.ceil(document.body.getBoundingClientRect().height)")
        page.close()
        assert errors == [] and needed <= embed_height(gallery[stem]) <= needed * 1.15, (stem, needed)


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


# Chart pages: Chart · Table · Sources · Download · Cite · Embed, self-contained, at every width.
TABS = ["Chart", "Table", "Sources", "Download", "Cite", "Embed"]
WIDTHS = (360, PHONE, 768, 1280)
MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".svg": b"<svg", ".pdf": b"%PDF-", ".csv": b""}
FIT_STATE = """() => ({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  outside: Array.from(document.querySelectorAll('.main-svg text')).map(t => t.getBoundingClientRect())
    .filter(r => r.width > 0 && (r.left < -1 || r.right > window.innerWidth + 1))
    .map(r => [Math.round(r.left), Math.round(r.right)]),
})"""


def soup_of(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def chart_pages(site: Path) -> list[Path]:
    return sorted((site / "charts").glob("*.html"))


def test_every_chart_page_has_its_six_parts_from_the_charts_own_metadata(site, server, gallery, package):
    from nkdigital.citation import STYLES
    from nkdigital.export import chart_rows
    from nkdigital.metadata.package import LICENCE_TITLE

    assert sorted(p.stem for p in chart_pages(site)) == sorted(gallery)
    for path in chart_pages(site):
        soup, meta = soup_of(path), gallery[path.stem].layout.meta
        assert [t.get_text() for t in soup.select('[role="tab"]')] == TABS, path.stem
        assert soup.h1.get_text() == html.unescape(meta["title"])
        assert len(soup.select("table.nk-rows tbody tr")) == len(meta["rows"]), path.stem
        sources = package.source_ids(chart_rows(gallery[path.stem], package))
        assert len(soup.select("#sources h3")) == len(sources), path.stem
        assert [h.get_text() for h in soup.select("#cite h3")] == list(STYLES)
        embed = soup.select_one("pre.nk-embed").get_text()
        assert f'src="{server}/charts/{path.stem}.html"' in embed and "postMessage" not in embed
        assert f'e.origin !== "{server}"' in embed
        foot = soup.select_one(".nk-foot").get_text(" ")
        assert re.search(r"Data as of \d{1,2} \w+ \d{4}", foot) and LICENCE_TITLE in foot, foot
        # self-contained: plotly.js inlined once, nothing loaded from elsewhere
        assert soup.select("script[src], link[rel=stylesheet]") == [], path.stem
        assert path.read_text(encoding="utf-8").count("plotly.js (basic - minified)") == 1


def test_a_chart_page_saved_alone_draws_its_chart(site, browser, tmp_path):
    alone = tmp_path / "saved.html"
    shutil.copyfile(site / "charts" / "nkdigital-subscribers-headline.html", alone)
    page, errors = open_page(browser, alone.as_uri(), PHONE)
    plots = page.evaluate(PLOT_STATE)
    page.close()
    assert errors == [] and plots[0]["marks"] > 0


def test_without_a_base_url_the_page_says_how_to_get_embed_code(gallery, package):
    from nkdigital.report.chart_page import NO_BASE_URL, render_page

    page = render_page(gallery["nkdigital-rights"], package, "nkdigital-rights", {}, None, "0")
    assert html.escape(NO_BASE_URL) in page and "<iframe" not in page and "&lt;iframe" not in page


TAB_STATE = """() => ({focused: document.activeElement.id,
  selected: Array.from(document.querySelectorAll('[role=tab]')).filter(t => t.getAttribute('aria-selected') === 'true')
    .map(t => t.textContent),
  shown: Array.from(document.querySelectorAll('[role=tabpanel]')).filter(p => !p.hidden).map(p => p.id)})"""


def test_tabs_are_reached_and_switched_by_keyboard(site, server, browser):
    page, errors = open_page(browser, f"{server}/charts/nkdigital-devices-headline.html", PHONE)
    for _ in range(3):  # the selected tab is the first stop in the page
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('role')") == "tab":
            break
    states = [page.evaluate(TAB_STATE)]
    for key in ("ArrowRight", "End", "ArrowRight", "ArrowLeft"):
        page.keyboard.press(key)
        states.append(page.evaluate(TAB_STATE))
    page.close()
    assert errors == []
    assert [(s["focused"], s["selected"], s["shown"]) for s in states] == [
        ("tab-chart", ["Chart"], ["chart"]), ("tab-table", ["Table"], ["table"]), ("tab-embed", ["Embed"], ["embed"]),
        ("tab-chart", ["Chart"], ["chart"]), ("tab-embed", ["Embed"], ["embed"])]


def test_the_table_sorts_by_a_column_and_back(site, server, browser):
    page, _ = open_page(browser, f"{server}/charts/nkdigital-subscribers-headline.html")
    page.click("#tab-table")
    keys = "() => Array.from(document.querySelectorAll('table.nk-rows tbody tr')).map(r => r.cells[2].dataset.sort)"
    page.click("table.nk-rows th:nth-child(3) button")
    up = page.evaluate(keys)
    page.click("table.nk-rows th:nth-child(3) button")
    down = page.evaluate(keys)
    sort = page.get_attribute("table.nk-rows th:nth-child(3)", "aria-sort")
    page.close()
    numbers = [float(k) for k in up if k]
    assert numbers == sorted(numbers) and len(numbers) > 5 and sort == "descending"
    assert [float(k) for k in down if k] == sorted(numbers, reverse=True)


def test_every_download_and_archive_link_resolves_to_a_file_of_its_type(site, server):
    import csv
    import urllib.request

    for path in chart_pages(site):
        soup = soup_of(path)
        links = [a["href"] for a in soup.select("#download a[download]")]
        assert {Path(h).suffix for h in links} == {".png", ".svg", ".pdf", ".csv"}, path.stem
        for href in links + [a["href"] for a in soup.select('#sources a[href^="../archive/"]')]:
            with urllib.request.urlopen(f"{server}/charts/{href}") as response:
                body = response.read()
            assert body, href
            assert body.startswith(MAGIC.get(Path(href).suffix, b"")), href
            if href.endswith(".csv"):
                header, *rows = csv.reader(body.decode("utf-8").splitlines())
                assert len(header) >= 2 and rows, href


def test_every_page_fits_every_width_with_no_chart_text_outside_the_window(site, server, browser):
    pages = ["index.html", *sorted(p.name for p in site.glob("[0-9][0-9]-*.html")),
             *[f"charts/{p.name}" for p in chart_pages(site)]]
    misfits = {}
    page = browser.new_page(viewport={"width": WIDTHS[0], "height": 900})
    for name in pages:
        page.goto(f"{server}/{name}", wait_until="load")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(250)
            state = page.evaluate(FIT_STATE)
            if state["overflow"] > 0 or state["outside"]:
                misfits[(name, width)] = state
    page.close()
    assert misfits == {}


# The text boxes of a chart page's figure: tick labels, axis titles and labels (annotations), with their kind.
TEXT_BOXES = """() => Array.from(document.querySelectorAll('.main-svg text')).filter(t => t.textContent.trim())
  .map(t => { const r = t.getBoundingClientRect(), kind = t.closest('g.ytick') ? 'ytick' : t.closest('g.xtick')
    ? 'xtick' : t.closest('g.annotation') ? 'label' : t.classList.contains('xtitle') ? 'xtitle' : 'other';
    return {text: t.textContent.slice(0, 40), kind, x: r.x, y: r.y, w: r.width, h: r.height}; })
  .filter(b => b.w > 0 && b.h > 0)"""


@pytest.mark.parametrize("width", [360, PHONE, 400])
@pytest.mark.parametrize("stem", ["nkdigital-access-tiers-headline", "nkdigital-access-tiers", "nkdigital-rights"])
def test_a_chart_page_on_a_phone_lays_its_labels_out_for_its_width_with_no_text_on_another(site, server, browser,
                                                                                           stem, width):
    """The page's narrow figure is laid out for its width (label column, wrapped labels, rows grown for them,
    turned tick labels): no tier label runs into the next row's quote, no tick label into the axis title."""
    page, errors = open_page(browser, f"{server}/charts/{stem}.html", width)
    page.wait_for_timeout(500)
    boxes = page.evaluate(TEXT_BOXES)
    page.close()
    assert errors == [] and len([b for b in boxes if b["kind"] == "ytick"]) >= 5, stem
    touching = [(a["text"], b["text"]) for a, b in itertools.combinations(boxes, 2)
                if (a["kind"], b["kind"]) != ("xtick", "xtick")  # turned tick labels: their boxes, not glyphs, meet
                and min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 0.5
                and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 0.5]
    assert touching == [], (stem, width)


def test_the_embed_fits_its_content_at_every_width(site, server, browser):
    snippet = soup_of(site / "charts" / "nkdigital-timeline.html").select_one("pre.nk-embed").get_text()
    page = browser.new_page(viewport={"width": 320, "height": 900})
    page.set_content(f"<!DOCTYPE html><html><body style='margin:0'>{snippet}</body></html>", wait_until="load")
    page.wait_for_function("() => document.querySelector('iframe').style.height !== ''")  # the first report
    gaps = {}
    for width in (320, PHONE, 768, 1200):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(900)
        frame = page.frames[1]
        content = frame.evaluate("() => document.body.getBoundingClientRect().height")
        box = page.evaluate("() => document.querySelector('iframe').getBoundingClientRect().height")
        gaps[width] = round(box - content)
        assert frame.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), width
    page.close()
    assert all(abs(gap) <= 3 for gap in gaps.values()), gaps


SVG_TEXT_OUTSIDE = """indices => { const svg = document.querySelector('svg'), width = +svg.getAttribute('width'),
  height = +svg.getAttribute('height');
  const texts = [...svg.querySelectorAll('.gtitle, .gtitle-subtitle'),
                 ...indices.flatMap(i => [...svg.querySelectorAll(`.annotation[data-index="${i}"] text`)])];
  return {count: texts.length, outside: texts.map(t => [t.getBoundingClientRect(), t.textContent])
    .filter(([r]) => r.left < -0.5 || r.top < -0.5 || r.right > width + 0.5 || r.bottom > height + 0.5)
    .map(([r, text]) => [Math.round(r.left), Math.round(r.right), text.slice(0, 40)])}; }"""


@pytest.mark.parametrize("width", [PHONE, 400, 600])
def test_titles_subtitles_notes_and_source_lines_wrap_inside_an_image_of_any_width(gallery, tmp_path, browser,
                                                                                   width):
    from nkdigital.export import write_image

    for stem in ("nkdigital-subscribers-headline", "nkdigital-timeline", "nkdigital-rights"):
        fig = gallery[stem]
        footer = [i for i, a in enumerate(fig.layout.annotations) if a.name in ("notes", "footer")]
        out = write_image(fig, tmp_path / f"{stem}.svg", width=width)
        page = browser.new_page()
        page.goto(out.as_uri())
        state = page.evaluate(SVG_TEXT_OUTSIDE, footer)
        svg_width = page.evaluate("() => +document.querySelector('svg').getAttribute('width')")
        page.close()
        assert svg_width == width and state["count"] >= 3, stem
        assert state["outside"] == [], (stem, width)
        assert fig.layout.meta["width"] != width  # the figure itself keeps its house layout


SVG_ANY_TEXT_OUTSIDE = """() => { const svg = document.querySelector('svg'), width = +svg.getAttribute('width'),
  height = +svg.getAttribute('height');
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
  return {count: texts.length, outside: texts.map(t => [t.getBoundingClientRect(), t.textContent])
    .filter(([r]) => r.left < -0.5 || r.top < -0.5 || r.right > width + 0.5 || r.bottom > height + 0.5)
    .map(([r, text]) => [Math.round(r.left), Math.round(r.right), text.slice(0, 40)])}; }"""
NARROW_CHARTS = ("access-tiers", "access-tiers-headline", "devices", "rights", "subscribers-per-100", "subscribers")


@pytest.mark.parametrize("width", [PHONE, 400, 600])
def test_no_text_of_a_narrow_image_passes_its_edge(gallery, tmp_path, browser, width):
    """Data labels, legends and label columns too: every text element of the SVG lies inside it."""
    from nkdigital.export import write_image

    for name in NARROW_CHARTS:
        out = write_image(gallery[f"nkdigital-{name}"], tmp_path / f"{name}.svg", width=width)
        page = browser.new_page()
        page.goto(out.as_uri())
        state = page.evaluate(SVG_ANY_TEXT_OUTSIDE)
        page.close()
        assert state["count"] >= 15, name
        assert state["outside"] == [], (name, width)
