"""`nkdigital serve`: the explorer database, its Datasette metadata, and a running server (JSON API and browser)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

import nkdigital as nk
from nkdigital.cli import main
from nkdigital.explorer import build, metadata, prepare, queries
from nkdigital.explorer.database import link_copies, search_columns, table_columns
from nkdigital.paths import ARCHIVE_ENV
from nkdigital.quotes import normalise

from .test_report import BROWSER_ARGS, CHROMIUM

STARTUP_SECONDS = 60


@pytest.fixture(scope="module")
def built(package, tmp_path_factory) -> tuple[Path, Path]:
    """nkdigital.sqlite and metadata.json as `serve` writes them."""
    return prepare(package, tmp_path_factory.mktemp("explorer"))


def rows(database: Path, sql: str, params: dict | None = None) -> list[dict]:
    with closing(sqlite3.connect(database)) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(r) for r in connection.execute(sql, params or {})]


def test_the_database_keeps_the_exports_keys_and_indexes_every_table_with_prose(built):
    database, _ = built
    assert {r["table"] for r in rows(database, "SELECT * FROM pragma_foreign_key_list('observations')")} == {
        "sources", "indicators"}
    assert [r["name"] for r in rows(database, "SELECT * FROM pragma_table_info('sources') WHERE pk")] == ["source_id"]
    with closing(sqlite3.connect(database)) as connection:
        searched = search_columns(table_columns(connection))
    assert {"observations", "events", "access_tiers", "access_controls", "sources"} <= set(searched)
    assert {"phrase", "quote", "note"} <= set(searched["observations"])
    hits = rows(database, "SELECT o.observation_id FROM observations AS o JOIN observations_fts AS f"
                          " ON f.rowid = o.rowid WHERE observations_fts MATCH 'Koryolink'")
    mentions = " OR ".join(f"{c} LIKE '%koryolink%'" for c in searched["observations"])
    wanted = rows(database, f"SELECT observation_id FROM observations WHERE {mentions}")
    assert sorted(r["observation_id"] for r in hits) == sorted(r["observation_id"] for r in wanted) != []


def test_metadata_describes_the_database_every_table_and_every_column_from_the_descriptor(built, package):
    described = json.loads(built[1].read_text(encoding="utf-8"))
    assert described["title"] == package.descriptor["title"]
    assert described["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "sources.usage_terms" in described["license"] and described["source_url"] == package.descriptor["homepage"]
    tables = described["databases"]["nkdigital"]["tables"]
    for resource in package.descriptor["resources"]:
        table = tables[resource["name"]]
        assert table["title"] == resource["title"]
        assert table["description"].startswith(resource["description"])
        for field in resource["schema"]["fields"]:
            assert table["columns"][field["name"]].startswith(field["description"])
    assert tables["sources"]["label_column"] == "title"
    assert tables["observations"]["columns"]["value"].endswith("Shown with the row's `unit`.")
    assert {"indicator", "claim_type", "qualifier", "ref_date_precision"} <= set(tables["observations"]["facets"])
    assert {"strength", "original_outlet"} <= set(tables["sources"]["facets"])
    assert {"category", "event_date_precision"} <= set(tables["events"]["facets"])
    assert tables["observations"]["fts_table"] == "observations_fts"


def test_the_canned_queries_answer_their_questions(built, package):
    database, described = built
    canned = json.loads(described.read_text(encoding="utf-8"))["databases"]["nkdigital"]["queries"]
    assert list(canned) == ["figures_for_indicator_and_year", "conflicting_figures", "what_one_outlet_says",
                            "law_timeline"]
    observations = package.observations(geo="all")

    figures = rows(database, canned["figures_for_indicator_and_year"]["sql"],
                   {"indicator": "mobile_subscriptions", "year": "2013"})
    wanted = observations[(observations["indicator"] == "mobile_subscriptions")
                          & (observations["ref_date"].dt.year == 2013)]
    assert sorted(r["observation_id"] for r in figures) == sorted(wanted["observation_id"])
    assert len({r["source_id"] for r in figures}) > 1 and all("source_title" in r for r in figures)

    conflicts = rows(database, canned["conflicting_figures"]["sql"])
    assert conflicts
    for row in conflicts:
        assert any(o["indicator"] == row["indicator"] and o["ref_date"] == row["ref_date"] and o["unit"] == row["unit"]
                   and o["value"] != row["value"] and o["source_id"] != row["source_id"] for o in conflicts)

    said = rows(database, canned["what_one_outlet_says"]["sql"], {"outlet": "38 North"})
    assert "observations" in {r["resource"] for r in said}
    assert all("38 North" in r["original_outlet"] for r in said)
    assert rows(database, canned["what_one_outlet_says"]["sql"], {"outlet": ""}) == []

    laws = rows(database, canned["law_timeline"]["sql"])
    law_events = set(package.events().query("category == 'law'")["event_id"])
    assert {r["event_id"] for r in laws} == law_events and len(laws) > len(law_events)
    assert [r["event_date"] for r in laws] == sorted(r["event_date"] for r in laws)


def test_the_configuration_follows_the_tables_and_columns_that_exist(built, package, tmp_path):
    """The configuration follows the schema: a table rebuilt with fewer columns, a table dropped."""
    database = tmp_path / "changed.sqlite"
    shutil.copy(built[0], database)
    with closing(sqlite3.connect(database)) as connection:
        if "geo" not in table_columns(connection)["observations"]:
            connection.execute("ALTER TABLE observations ADD COLUMN geo TEXT")
        connection.execute("DROP TABLE event_attestations")
        connection.execute("CREATE TABLE event_attestations (event_id TEXT, source_id TEXT REFERENCES sources,"
                           " stated_date TEXT, actor TEXT, quote TEXT, note TEXT, PRIMARY KEY (event_id, source_id))")
        connection.execute("DROP TABLE access_controls")
        columns = table_columns(connection)
    described = metadata(package.descriptor, columns, search_columns(columns))
    tables = described["databases"]["nkdigital"]["tables"]
    assert "access_controls" not in tables
    assert tables["observations"]["facets"][:2] == ["indicator", "geo"]
    assert tables["event_attestations"]["fts_table"] == "event_attestations_fts"
    assert tables["event_attestations"]["columns"]["quote"] == tables["observations"]["columns"]["quote"]
    canned = described["databases"]["nkdigital"]["queries"]
    assert "p.geo IS o.geo" in canned["conflicting_figures"]["sql"]
    assert "'event_attestations' AS resource" in canned["what_one_outlet_says"]["sql"]
    for query in canned.values():  # every generated query runs on the changed schema
        rows(database, query["sql"], {"indicator": "", "year": "", "outlet": "x"})
    assert list(queries({"sources": ["source_id", "title"]})) == []


def test_sources_link_to_their_copies_when_archive_paths_move_to_source_copies(tmp_path):
    with closing(sqlite3.connect(tmp_path / "copies.sqlite")) as connection:
        connection.execute("CREATE TABLE sources (source_id TEXT PRIMARY KEY, title TEXT)")
        connection.execute("CREATE TABLE source_copies (copy_id TEXT PRIMARY KEY, source_id TEXT, archive_path TEXT)")
        connection.executemany("INSERT INTO sources VALUES (?, ?)", [("a", "A"), ("b", "B")])
        connection.executemany("INSERT INTO source_copies VALUES (?, ?, ?)",
                               [("c2", "a", "library/a-mirror.txt"), ("c1", "a", "core/a.txt")])
        link_copies(connection)
        paths = dict(connection.execute("SELECT source_id, archive_path FROM sources"))
    assert paths == {"a": "core/a.txt\nlibrary/a-mirror.txt", "b": None}


def test_each_source_shows_the_citation_nk_cite_gives_and_its_creators_are_searchable(built, package):
    database, _ = built
    found = {r["source_id"]: r["citation"] for r in rows(database, "SELECT source_id, citation FROM sources")}
    assert found == {i: nk.cite(i, style="apa", package=package) for i in package.sources()["source_id"]}
    hits = rows(database, "SELECT c.source_id FROM creators AS c JOIN creators_fts AS f ON f.rowid = c.rowid"
                          " WHERE creators_fts MATCH 'Pearson'")
    assert [r["source_id"] for r in hits] == ["intermedia-2017-compromising-connectivity-toc-and-reuters"]


def test_build_replaces_an_earlier_database(package, tmp_path):
    target = tmp_path / "nkdigital.sqlite"
    target.write_text("stale")
    build(package, target)
    assert rows(target, "SELECT count(*) AS n FROM sources")[0]["n"] == len(package.sources())


def test_serve_without_datasette_says_how_to_install_it(monkeypatch, capsys):
    for name in ("datasette", "datasette.cli", "datasette.plugins"):
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


def test_importing_the_library_and_the_explorer_leaves_datasette_unloaded():
    code = "import sys, nkdigital, nkdigital.cli, nkdigital.explorer; print('datasette' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout == "False\n", result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), response.headers.get("content-type", "")


def get_json(url: str):
    return json.loads(get(url)[0])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`nkdigital serve` on a free port, its database in a scratch cache folder; stopped by its process id."""
    cache = tmp_path_factory.mktemp("cache")
    port = free_port()
    log = (cache / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "nkdigital.cli", "serve", "--port", str(port)],
                               env={**os.environ, "XDG_CACHE_HOME": str(cache)}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            get(base + "/-/versions.json")
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("nkdigital serve did not start:\n" + (cache / "serve.log").read_text())
            time.sleep(0.2)
    yield base
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    log.close()
    assert (cache / "nkdigital" / "nkdigital.sqlite").is_file()


def test_search_finds_the_rows_that_mention_a_word(server):
    found = get_json(server + "/nkdigital/observations.json?_search=Koryolink&_shape=array&_size=max")
    assert found
    for row in found:
        assert "koryolink" in " ".join(str(v) for v in row.values()).lower()
    assert get_json(server + "/nkdigital/observations.json?_search=zzzunknownword&_shape=array") == []


def test_metadata_endpoint_describes_the_database_and_its_tables(server, package):
    described = get_json(server + "/-/metadata.json")
    tables = described["databases"]["nkdigital"]["tables"]
    assert described["title"] == package.descriptor["title"]
    assert set(package.resource_names) <= set(tables)
    assert tables["observations"]["columns"]["indicator"].startswith("What is counted")


def test_a_facet_counts_every_row(server, package):
    page = get_json(server + "/nkdigital/observations.json?_size=0")
    counts = {r["value"]: r["count"] for r in page["facet_results"]["claim_type"]["results"]}
    expected = package.observations(geo="all")["claim_type"].value_counts()
    assert counts == expected[expected > 0].to_dict()


def test_a_canned_query_takes_its_parameters_from_the_url(server, package):
    query = urllib.parse.urlencode({"indicator": "mobile_subscriptions", "year": "2010", "_shape": "array"})
    found = get_json(f"{server}/nkdigital/figures_for_indicator_and_year.json?{query}")
    observations = package.observations(geo="all")
    wanted = observations[(observations["indicator"] == "mobile_subscriptions")
                          & (observations["ref_date"].dt.year == 2010)]
    assert sorted(r["observation_id"] for r in found) == sorted(wanted["observation_id"]) != []


def test_query_pages_link_each_source_and_show_values_with_their_unit(server):
    html = get(server + "/nkdigital/law_timeline")[0].decode("utf-8")
    assert '<td class="col-source_id"><a href="/nkdigital/sources/' in html
    html = get(server + "/nkdigital/figures_for_indicator_and_year?indicator=mobile_subscriptions&year=2013")[0]
    assert '<td class="col-value">2,000,000 subscriptions</td>' in html.decode("utf-8")


def test_a_sources_archived_text_is_served_read_only_and_holds_the_quote(server, package):
    observation = package.observations().iloc[0]
    source = get_json(f"{server}/nkdigital/sources/{observation['source_id']}.json?_shape=array")[0]
    text, content_type = get(f"{server}/archive/{source['archive_path']}")
    assert content_type == "text/plain; charset=utf-8"
    assert normalise(observation["quote"]) in normalise(text.decode("utf-8"))
    with pytest.raises(urllib.error.HTTPError, match="404"):
        get(f"{server}/archive/%2E%2E/pyproject.toml")
    with pytest.raises(urllib.error.HTTPError, match="403"):
        get(f"{server}/archive/library/")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.mark.browser
def test_from_a_figure_two_clicks_reach_the_archived_sentence(server, browser, package):
    subscriptions = package.observations("mobile_subscriptions")
    observation = subscriptions[subscriptions["value"].notna()].iloc[0]
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/nkdigital/observations/{observation['observation_id']}", timeout=30_000)
    assert " subscriptions" in page.inner_text("td.col-value")
    page.click("td.col-source_id a", timeout=10_000)
    page.wait_for_url(f"**/nkdigital/sources/{observation['source_id']}", timeout=10_000)
    page.click("td.col-archive_path a", timeout=10_000)
    page.wait_for_url("**/archive/**", timeout=10_000)
    assert normalise(observation["quote"]) in normalise(page.inner_text("body"))
    page.close()
    assert errors == []


@pytest.mark.browser
def test_the_search_page_shows_matches_facets_and_column_descriptions(server, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/nkdigital/observations?_search=Koryolink", timeout=30_000)
    assert page.locator("table.rows-and-columns tbody tr").count() > 0
    assert page.locator(".facet-info[data-column=claim_type]").count() == 1
    assert page.locator("th.col-unit").get_attribute("data-column-description").startswith("Unit of value")
    assert "Koryolink" in page.input_value("input#_search")
    page.close()
    assert errors == []
