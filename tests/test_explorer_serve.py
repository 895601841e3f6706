"""`nkdigital serve` running: its JSON agrees with the API, its limits hold, its archive boundary holds, it stops on
the first Ctrl-C, and in Chromium the table comes first."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from markupsafe import escape

from nkdigital.checking.quotes import normalise
from nkdigital.cli import main
from nkdigital.core.paths import ARCHIVE_ENV

from .conftest import ROOT
from .test_report import BROWSER_ARGS, CHROMIUM

STARTUP_SECONDS = 90
STOP_SECONDS = 20  # a guard against a hang, not a timing
CANNED = ("figures_for_indicator_and_year?indicator=mobile_subscriptions&year=2013", "conflicting_figures",
          "what_one_outlet_says?outlet=38+North", "law_timeline", "search?q=Koryolink")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), response.headers.get("content-type", "")


def get_json(url: str):
    return json.loads(get(url)[0])


def failure(url: str) -> tuple[int, bytes]:
    with pytest.raises(urllib.error.HTTPError) as raised:
        get(url)
    return raised.value.code, raised.value.read()


class Server:
    """`nkdigital serve` in a subprocess on a free port; stopped by its process id."""

    def __init__(self, cache: Path, archive: Path, *extra: str):
        self.port, self.log = free_port(), cache / f"serve-{len(list(cache.glob('serve-*')))}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "nkdigital.cli", "serve", "--port", str(self.port), *extra],
                env={**os.environ, "XDG_CACHE_HOME": str(cache), ARCHIVE_ENV: str(archive)},
                stdout=log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                get(self.base + "/-/versions.json")
                return
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    pytest.fail("nkdigital serve did not start:\n" + self.log.read_text())
                time.sleep(0.2)

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        os.kill(self.process.pid, signum)
        try:
            code = self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_SECONDS)
            pytest.fail("nkdigital serve did not stop:\n" + self.log.read_text())
        return code, self.log.read_text()


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> tuple[Path, Path]:
    """A cache folder and a copy of the archive for the module's server."""
    top = tmp_path_factory.mktemp("serve")
    shutil.copytree(ROOT / "archive", top / "archive")
    return top / "cache", top / "archive"


def make_hostile(archive: Path) -> list[Path]:
    """Add a symlink to a file outside, a FIFO and a folder named like texts to `archive`; return them."""
    outside = archive.parent / "outside.txt"
    outside.write_text("outside the archive")
    link, fifo, folder = (archive / "library" / name for name in ("zz-link.txt", "zz-fifo.txt", "zz-folder.txt"))
    link.symlink_to(outside)
    os.mkfifo(fifo)
    folder.mkdir()
    return [link, fifo, folder]


@pytest.fixture(scope="module")
def server(served):
    """The server, with hostile entries put into its archive once it runs (validation refuses them at start)."""
    cache, archive = served
    cache.mkdir(exist_ok=True)
    running = Server(cache, archive)
    added = make_hostile(archive)
    yield running.base
    running.stop()
    for path in added:
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        else:
            path.unlink()
    assert (cache / "nkdigital" / "nkdigital.sqlite").is_file()


def test_search_finds_the_rows_that_mention_a_word(server):
    found = get_json(server + "/nkdigital/observations.json?_search=Koryolink&_shape=array&_size=max")
    assert found and all("koryolink" in " ".join(str(v) for v in row.values()).lower() for row in found)
    every = get_json(server + "/nkdigital/search.json?q=Koryolink&_shape=array&_size=max")
    assert {r["resource"] for r in every} >= {"observations", "sources", "events"}
    ranked = get_json(server + "/nkdigital/search.json?q=Koryolink&resource=observations&_shape=array&_size=max")
    assert sorted(r["row_id"] for r in ranked) == sorted(r["observation_id"] for r in found)
    assert ranked == [r for r in every if r["resource"] == "observations"]


@pytest.mark.parametrize(("indicator", "year", "geo"), [
    ("mobile_subscriptions", "2013", None), ("mobile_subscriptions", "2013", "all"),
    ("mobile_subscriptions", "2011", "KOR"),
    ("internet_users_share", "2016", "WLD"), ("mobile_subscriptions_per_100", "2019", "WLD"),
])
def test_the_explorers_figures_are_the_apis(server, package, indicator, year, geo):
    query = {"indicator": indicator, "year": year, "_shape": "array", **({"geo": geo} if geo else {})}
    found = get_json(f"{server}/nkdigital/figures_for_indicator_and_year.json?{urllib.parse.urlencode(query)}")
    api = package.observations(indicator, geo=geo or "PRK", start=year, end=year)
    assert [r["observation_id"] for r in found] == list(api["observation_id"]) != []
    assert [r["value"] for r in found] == [None if v != v else float(v) for v in api["value"]]


def test_the_explorers_conflicts_are_the_apis(server, package):
    found = get_json(f"{server}/nkdigital/conflicting_figures.json?_shape=array&_size=max")
    api = package.conflicts()
    assert [(r["conflict"], r["observation_id"]) for r in found] == list(
        zip(api["conflict"], api["observation_id"], strict=True))


def test_a_facet_counts_every_row(server, package):
    page = get_json(server + "/nkdigital/observations.json?_size=0&_facet_size=max&_facet=claim_type"
                             "&_facet=original_outlet")
    counts = {r["value"]: r["count"] for r in page["facet_results"]["claim_type"]["results"]}
    expected = package.observations(geo="all")["claim_type"].value_counts()
    assert counts == expected[expected > 0].to_dict()
    assert "original_outlet" in page["facet_results"] and page["suggested_facets"] == []


def test_arbitrary_sql_is_off_and_requests_are_bounded(server):
    assert failure(server + "/nkdigital.json?sql=select+zeroblob(300000000)")[0] == 403
    assert failure(server + "/nkdigital?sql=select+1")[0] == 403
    many = "&".join(["_facet=geo"] * 500)
    assert failure(f"{server}/nkdigital/observations?{many}") == (
        414, b"The query string is longer than 4,096 bytes.\n")
    eleven = "&".join(["_facet=geo"] * 11)
    assert failure(f"{server}/nkdigital/observations?{eleven}") == (
        400, b"At most 10 facets can be asked for in one request (11 were).\n")


@pytest.mark.parametrize("path", ["library/zz-link.txt", "library/zz-fifo.txt", "library/zz-folder.txt", "library/",
                                  "library", "%2E%2E/outside.txt", "library/%2E%2E/%2E%2E/outside.txt",
                                  "library/zz-missing.txt", "INDEX.csv", "README.md"])
def test_anything_but_an_archived_text_is_the_same_404_at_once(server, path):
    assert failure(f"{server}/archive/{path}") == (404, b"Not found")


def _notes(path: str) -> list[str]:
    """The curation notes in an archived file's header."""
    header = (ROOT / "archive" / path).read_text(encoding="utf-8").partition("\n---\n")[0]
    return [line.partition(":")[2].strip() for line in header.splitlines() if line.startswith("note:")]


def test_the_archive_page_marks_the_quote_and_shows_no_curation_notes(server, package):
    primary = package.resource("source_copies").query("role == 'primary'").set_index("source_id")["archive_path"]
    observations = package.observations(geo="all")
    observation = next(o for o in observations.itertuples() if _notes(primary[o.source_id]))
    path = primary[observation.source_id]
    url = f"{server}/archive/{path}?{urllib.parse.urlencode({'quote': observation.quote})}"
    with urllib.request.urlopen(url, timeout=30) as response:
        page, headers = response.read().decode("utf-8"), response.headers
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-security-policy"].startswith("default-src 'none'")
    marked = page.split('<mark id="quote">')[1].split("</mark>")[0]
    assert normalise(marked) == normalise(observation.quote)
    assert not any(note in page or str(escape(note)) in page for note in _notes(path))


def test_canned_pages_are_titled_in_words(server):
    html = get(server + "/nkdigital/law_timeline")[0].decode("utf-8")
    assert "<title>Timeline of laws</title>" in html and "SELECT" not in html
    assert '<td class="col-source_id"><a href="/nkdigital/sources/' in html
    html = get(server + "/nkdigital/figures_for_indicator_and_year?indicator=mobile_subscriptions&year=2013")[0]
    assert '<td class="col-value">2,000,000 subscriptions</td>' in html.decode("utf-8")


def test_allow_sql_opts_in_with_limits_and_the_first_ctrl_c_stops_serve(server, served, tmp_path):
    cache, archive = tmp_path / "cache", tmp_path / "archive"
    shutil.copytree(served[0], cache)  # the first server's database, reused: same code, package and archive
    shutil.copytree(ROOT / "archive", archive)
    running = Server(cache, archive, "--allow-sql")
    assert get_json(running.base + "/nkdigital.json?sql=select+41%2B1+as+n&_shape=array") == [{"n": 42}]
    status, body = failure(running.base + "/nkdigital.json?sql=select+zeroblob(300000000)")
    assert status == 400 and b"too big" in body and len(body) < 10_000
    with socket.create_connection(("127.0.0.1", running.port)) as stalled:  # a request that never ends
        stalled.sendall(b"GET /nkdigital HTTP/1.1\r\nHost: x\r\n")
        code, log = running.stop(signal.SIGINT)
    assert code == 0 and "Traceback" not in log
    assert "(reused: package unchanged)" in log and "arbitrary SQL: allowed" in log


def test_serve_refuses_an_archive_holding_a_symlink_or_fifo(monkeypatch, tmp_path, capsys):
    shutil.copytree(ROOT / "archive", tmp_path / "archive")
    make_hostile(tmp_path / "archive")
    monkeypatch.setenv(ARCHIVE_ENV, str(tmp_path / "archive"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert main(["serve", "--port", str(free_port())]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "zz-link.txt" in error and "zz-fifo.txt" in error
    assert not (tmp_path / "cache" / "nkdigital" / "nkdigital.key").exists()


def test_serve_without_datasette_says_how_to_install_it(monkeypatch, capsys):
    for name in ("datasette", "datasette.app", "datasette.plugins", "uvicorn"):
        monkeypatch.setitem(sys.modules, name, None)
    assert main(["serve", "--port", str(free_port())]) == 2
    assert capsys.readouterr().err == "error: nkdigital serve needs Datasette: pip install 'nkdigital[explorer]'\n"


def test_serve_refuses_a_busy_port(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"error: cannot serve on 127.0.0.1:{port}: ") and error.count("\n") == 1


def test_serve_refuses_a_missing_archive(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(ARCHIVE_ENV, str(tmp_path / "nowhere"))
    assert main(["serve", "--port", str(free_port())]) == 1
    assert capsys.readouterr().err == f"error: source archive not found: {tmp_path / 'nowhere'}\n"


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        yield browser
        browser.close()


ROWS = """() => Array.from(document.querySelectorAll('table.rows-and-columns tbody tr'))
    .map(row => { const box = row.getBoundingClientRect(); return [box.top, box.height]; })"""


@pytest.mark.browser
def test_at_1280_by_900_every_table_and_canned_page_shows_its_first_row_and_keeps_rows_short(server, browser,
                                                                                            package):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for table in [*package.resource_names, "fields"]:
        page.goto(f"{server}/nkdigital/{table}", timeout=30_000)
        found = page.evaluate(ROWS)
        assert found, table
        top, height = found[0]
        assert top + height <= 900, (table, top, height)
        assert max(h for _, h in found) <= 120, (table, max(h for _, h in found))
        assert page.locator("dl.column-descriptions").first.is_hidden()
    for query in CANNED:  # canned pages too, and none is wider than the window
        page.goto(f"{server}/nkdigital/{query}", timeout=30_000)
        found = page.evaluate(ROWS)
        assert found and sum(found[0]) <= 900 and max(h for _, h in found) <= 120, query
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, query
    page.close()


@pytest.mark.browser
def test_at_390_px_the_page_fits_and_search_works(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/nkdigital/observations", timeout=30_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("input#_search", "Koryolink")
    page.press("input#_search", "Enter")
    page.wait_for_url("**_search=Koryolink**", timeout=10_000)
    cells = page.locator("table.rows-and-columns tbody tr").first.locator("td")
    assert cells.count() > 5 and cells.first.bounding_box()["width"] <= 390
    page.close()


@pytest.mark.browser
def test_from_a_figure_one_click_reaches_the_marked_sentence(server, browser, package):
    subscriptions = package.observations("mobile_subscriptions")
    observation = subscriptions[subscriptions["value"].notna()].iloc[0]
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/nkdigital/observations/{observation['observation_id']}", timeout=30_000)
    assert " subscriptions" in page.inner_text("td.col-value")
    page.click("td.col-quote a", timeout=10_000)
    page.wait_for_url("**/archive/**#quote", timeout=10_000)
    assert normalise(page.inner_text("mark#quote")) == normalise(observation["quote"])
    page.close()
    assert errors == []


def test_serve_validates_a_changed_package_and_builds_nothing_when_it_is_invalid(package_copy, monkeypatch, tmp_path,
                                                                                 capsys):
    data = package_copy.parent / "data" / "observations.csv"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("a survey of about 40 defectors", "a survey of about 41 defectors")
    data.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv(ARCHIVE_ENV, str(package_copy.parent.parent / "archive"))
    assert main(["serve", "--package", str(package_copy), "--port", str(free_port())]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "observations" in error and "Traceback" not in error
    assert not (tmp_path / "cache" / "nkdigital" / "nkdigital.key").exists()
