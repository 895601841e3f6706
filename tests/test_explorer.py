"""The explorer's database, metadata, canned queries, archive pages, limits and cache (no server; see
test_explorer_serve.py for the running server and the browser)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

import nkdigital as nk
from nkdigital.checking.content import content_key
from nkdigital.explorer import archive, build, prepare, queries
from nkdigital.explorer.database import link_copies, search_columns, table_columns
from nkdigital.explorer.limits import MAX_FACETS, MAX_QUERY_STRING, refusal
from nkdigital.explorer.metadata import DEFAULT_FACETS, metadata
from nkdigital.explorer.names import fts_words
from nkdigital.explorer.serve import prepared
from nkdigital.metadata.fields import FIELDS
from nkdigital.metadata.roles import LEAD, ROLES


@pytest.fixture(scope="module")
def built(package, tmp_path_factory) -> tuple[Path, Path]:
    """nkdigital.sqlite and metadata.json as `serve` writes them."""
    return prepare(package, tmp_path_factory.mktemp("explorer"))


def rows(database: Path, sql: str, params: dict | None = None) -> list[dict]:
    with closing(sqlite3.connect(database)) as connection:
        connection.row_factory = sqlite3.Row
        connection.create_function("fts_words", 1, fts_words)
        return [dict(r) for r in connection.execute(sql, params or {})]


def canned(built) -> dict[str, dict]:
    return json.loads(built[1].read_text(encoding="utf-8"))["databases"]["nkdigital"]["queries"]


def test_every_column_role_names_a_field_of_the_dictionary():
    named = {name for names in ROLES.values() for name in names} | set(LEAD)
    assert named <= set(FIELDS), sorted(named - set(FIELDS))


def test_quoted_rows_lead_with_date_indicator_value_outlet_strength_quote(built, package):
    database, _ = built
    with closing(sqlite3.connect(database)) as connection:
        columns = table_columns(connection)
    assert columns["observations"][:9] == ["observation_id", "ref_date", "indicator", "value", "low", "high",
                                           "original_outlet", "strength", "quote"]
    assert set(columns["observations"]) >= set(package.observations().columns)
    sources = package.sources().set_index("source_id")
    for row in rows(database, "SELECT source_id, original_outlet, strength FROM device_estimates"):
        assert (row["original_outlet"], row["strength"]) == tuple(sources.loc[row["source_id"],
                                                                              ["original_outlet", "strength"]])
    keys = {r["table"] for r in rows(database, "SELECT * FROM pragma_foreign_key_list('observations')")}
    assert keys == {"sources", "indicators"}
    assert [r["name"] for r in rows(database, "SELECT * FROM pragma_table_info('sources') WHERE pk")] == ["source_id"]


def test_every_table_with_prose_is_indexed_for_search(built):
    database, _ = built
    with closing(sqlite3.connect(database)) as connection:
        searched = search_columns(table_columns(connection))
    assert {"observations", "events", "access_tiers", "access_controls", "sources"} <= set(searched)
    assert "conflicts" not in searched and "observation_periods" not in searched
    hits = rows(database, "SELECT o.observation_id FROM observations AS o JOIN observations_fts AS f"
                          " ON f.rowid = o.rowid WHERE observations_fts MATCH 'Koryolink'")
    mentions = " OR ".join(f"{c} LIKE '%koryolink%'" for c in searched["observations"])
    wanted = rows(database, f"SELECT observation_id FROM observations WHERE {mentions}")
    assert sorted(r["observation_id"] for r in hits) == sorted(r["observation_id"] for r in wanted) != []


def test_metadata_describes_every_column_and_keeps_facets_few(built, package):
    described = json.loads(built[1].read_text(encoding="utf-8"))
    assert described["title"] == package.descriptor["title"]
    database = described["databases"]["nkdigital"]
    assert database["allow_sql"] is False
    tables = database["tables"]
    for resource in package.descriptor["resources"]:
        table = tables[resource["name"]]
        assert table["title"] == resource["title"] and table["description"].startswith(resource["description"])
        for field in resource["schema"]["fields"]:
            assert table["columns"][field["name"]].startswith(field["description"])
        assert len(table["facets"]) <= 4
    assert tables["observations"]["facets"] == ["indicator", "geo", "strength", "original_outlet"]
    assert tables["observations"]["columns"]["strength"] == tables["sources"]["columns"]["strength"]
    assert tables["conflicts"] == {"hidden": True} and tables["observation_periods"] == {"hidden": True}
    assert tables["sources"]["label_column"] == "title"
    assert tables["sources"]["columns"]["citation"].startswith("How to cite")


def test_facet_search_label_and_lead_columns_are_the_field_dictionarys_roles(built):
    """Every list the explorer shows comes from the roles each field declares (metadata/roles.py)."""
    database, path = built
    with closing(sqlite3.connect(database)) as connection:
        columns = table_columns(connection)
        fts = {t: [r[1] for r in connection.execute("SELECT * FROM pragma_table_info(?)", [f"{t}_fts"])]
               for t in columns}
    tables = json.loads(path.read_text(encoding="utf-8"))["databases"]["nkdigital"]["tables"]
    for table, names in columns.items():
        if tables[table].get("hidden"):
            continue
        present = {role: [c for c in ROLES[role] if c in names] for role in ("facet", "searchable", "label")}
        assert tables[table]["facets"] == present["facet"][:DEFAULT_FACETS], table
        assert tables[table].get("label_column") == next(iter(present["label"]), None), table
        assert [c for c in fts[table] if c in FIELDS] == present["searchable"], table
        lead = [c for c in LEAD if c in names and c != names[0]]
        assert names[:1 + len(lead)] == [names[0], *lead], table
    assert tables["observations"]["facets"] and fts["observations"] and columns["observations"][1] == "ref_date"


def test_each_source_shows_the_citation_nk_cite_gives_and_its_creators_are_searchable(built, package):
    database, _ = built
    found = {r["source_id"]: r["citation"] for r in rows(database, "SELECT source_id, citation FROM sources")}
    assert found == {i: nk.cite(i, style="apa", package=package) for i in package.sources()["source_id"]}
    hits = rows(database, "SELECT c.source_id FROM creators AS c JOIN creators_fts AS f ON f.rowid = c.rowid"
                          " WHERE creators_fts MATCH 'Pearson'")
    assert [r["source_id"] for r in hits] == ["intermedia-2017-compromising-connectivity-toc-and-reuters"]


def test_canned_queries_name_their_columns_and_say_what_they_answer(built):
    for name, query in canned(built).items():
        assert "*" not in query["sql"], name
        assert query["title"][0].isupper() and len(query["description"]) > 40 and query["hide_sql"] is True


@pytest.mark.parametrize(("indicator", "year", "geo"), [
    ("mobile_subscriptions", "2013", ""), ("mobile_subscriptions", "2013", "all"),
    ("mobile_subscriptions", "2010", "KOR"),
    ("internet_users_share", "2017", "KOR"), ("survey_respondents", "2019", "PRK"), ("population", "2020", ""),
])
def test_the_figures_query_returns_what_the_api_returns(built, package, indicator, year, geo):
    found = rows(built[0], canned(built)["figures_for_indicator_and_year"]["sql"],
                 {"indicator": indicator, "year": year, "geo": geo})
    api = package.observations(indicator, geo=geo or "PRK", start=year, end=year)
    assert [r["observation_id"] for r in found] == list(api["observation_id"]) != []


def test_the_figures_query_keeps_a_range_that_overlaps_the_year(built, package):
    ranged = package.observations(geo="all").query("ref_date_precision == 'range'").iloc[0]
    year = str(ranged["ref_date_end"].year)
    found = rows(built[0], canned(built)["figures_for_indicator_and_year"]["sql"],
                 {"indicator": ranged["indicator"], "year": year, "geo": ranged["geo"]})
    assert ranged["observation_id"] in {r["observation_id"] for r in found}
    assert ranged["ref_date"].year < int(year)


@pytest.mark.parametrize("geo", ["", "KOR", "all"])
def test_the_conflicts_query_returns_exactly_the_apis_conflicts(built, package, geo):
    found = rows(built[0], canned(built)["conflicting_figures"]["sql"], {"geo": geo})
    if geo == "all":
        geos = sorted(package.observations(geo="all")["geo"].unique())
        expected = [(g, c, o) for g in geos for c, o in package.conflicts(geo=g)[["conflict", "observation_id"]]
                    .itertuples(index=False)]
        assert [(r["geo"], r["conflict"], r["observation_id"]) for r in found] == expected
        return
    api = package.conflicts(geo=geo or "PRK")
    assert [(r["conflict"], r["observation_id"]) for r in found] == list(
        zip(api["conflict"], api["observation_id"], strict=True))
    assert [r["spread_max"] for r in found] == [float(v) for v in api["spread_max"]]


def test_one_search_covers_every_table_and_takes_words_literally(built):
    search = canned(built)["search"]["sql"]
    found = rows(built[0], search, {"q": "Koryolink subscribers", "resource": ""})
    assert {"observations", "sources"} <= {r["resource"] for r in found}
    for row in found:
        assert "\x02" in row["found"]
    assert rows(built[0], search, {"q": "", "resource": ""}) == []
    only = rows(built[0], search, {"q": "Koryolink subscribers", "resource": "sources"})
    assert only == [r for r in found if r["resource"] == "sources"] != []
    # FTS operators are words here, never an error
    syntax = rows(built[0], search, {"q": '" OR ( NEAR', "resource": ""})
    assert syntax and all("\x02or\x03" in r["found"].lower() and "\x02near\x03" in r["found"].lower()
                          for r in syntax)
    assert fts_words('a "b"') == '"a" """b"""'


def test_the_configuration_follows_the_tables_that_exist(built, package, tmp_path):
    database = tmp_path / "changed.sqlite"
    shutil.copy(built[0], database)
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("DROP TABLE access_controls")
        connection.execute("DROP TABLE conflicts")
        columns = table_columns(connection)
    described = metadata(package.descriptor, columns, search_columns(columns))["databases"]["nkdigital"]
    assert "access_controls" not in described["tables"] and "conflicting_figures" not in described["queries"]
    assert "'access_controls' AS resource" not in described["queries"]["search"]["sql"]
    for query in described["queries"].values():
        rows(database, query["sql"], {"indicator": "", "year": "", "geo": "", "outlet": "x", "q": "x", "resource": ""})
    assert list(queries({"sources": ["source_id", "title"]})) == ["search"]


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


def test_build_replaces_an_earlier_database(package, tmp_path):
    target = tmp_path / "nkdigital.sqlite"
    target.write_text("stale")
    build(package, target)
    assert rows(target, "SELECT count(*) AS n FROM sources")[0]["n"] == len(package.sources())


@pytest.fixture
def hostile_archive(tmp_path) -> Path:
    """An archive with one good text, and beside it a symlink, a FIFO, a folder and a file outside."""
    root = tmp_path / "archive"
    (root / "library" / "folder.txt").mkdir(parents=True)
    (root / "library" / "good.txt").write_text("title: T\nnote: our curation remark\nurl: https://x.org/\n---\n"
                                               "Before <b>it</b>. The quoted\n  sentence here. After.\n")
    (tmp_path / "secret.txt").write_text("outside")
    (root / "library" / "link.txt").symlink_to(tmp_path / "secret.txt")
    (root / "linked").symlink_to(root / "library")
    os.mkfifo(root / "library" / "fifo.txt")
    return root


@pytest.mark.parametrize("path", ["library/link.txt", "linked/good.txt", "library/fifo.txt", "library/folder.txt",
                                  "library/missing.txt", "../secret.txt", "library/../../secret.txt", "library",
                                  "library/good.csv", "", "/etc/passwd.txt", ".hidden/x.txt"])
def test_the_archive_serves_nothing_but_regular_text_files_inside_it(hostile_archive, path):
    assert archive.read(hostile_archive, path) is None
    assert archive.read(hostile_archive, "library/good.txt").startswith("title: T")


def test_an_archive_page_marks_the_quote_and_hides_curation_notes(hostile_archive):
    text = archive.read(hostile_archive, "library/good.txt")
    page = archive.page("library/good.txt", text, "The quoted sentence here.")
    assert '<mark id="quote">The quoted\n  sentence here.</mark>' in page
    assert "curation remark" not in page and "<th>url</th><td>https://x.org/</td>" in page
    assert "&lt;b&gt;it&lt;/b&gt;" in page and "<b>" not in page
    assert "not in this copy" in archive.page("library/good.txt", text, "Words it does not hold")


def test_requests_over_the_limits_are_refused_with_one_line():
    facets = "&".join(["_facet=geo"] * 500).encode()
    assert refusal(b"_facet=geo&_facet=strength&_search=x") is None
    status, message = refusal("&".join(["_facet=geo"] * (MAX_FACETS + 1)).encode())
    assert status == 400 and message == f"At most 10 facets can be asked for in one request ({MAX_FACETS + 1} were).\n"
    assert refusal(facets)[0] == 414 and refusal(b"a=" + b"x" * MAX_QUERY_STRING)[0] == 414


def test_the_database_is_reused_while_package_and_archive_are_unchanged(package_copy, tmp_path, monkeypatch):
    archive_dir = package_copy.parent.parent / "archive"
    cache = tmp_path / "cache"
    first = prepared(package_copy, cache, archive_dir, allow_sql=False)
    key = content_key(package_copy, archive_dir)
    assert first[2] is False and (cache / "nkdigital.key").read_text() == key

    def no_load(*args, **kwargs):
        raise AssertionError("the package was loaded although nothing changed")

    monkeypatch.setattr(sys.modules["nkdigital.api.package"], "load", no_load)
    again = prepared(package_copy, cache, archive_dir, allow_sql=True)
    assert again[2] is True and again[0].stat().st_mtime_ns == first[0].stat().st_mtime_ns
    assert json.loads(again[1].read_text())["databases"]["nkdigital"]["allow_sql"] is True
    text = next(archive_dir.glob("library/*.txt"))
    (archive_dir / "library" / "zz-link.txt").symlink_to(text)  # validation refuses it: the key must change
    assert content_key(package_copy, archive_dir) != key


class Rebuilt(Exception):
    pass


def _flip(path: Path) -> None:
    """Change one byte in the middle of `path` in place (same size, same modification time); again to undo."""
    data, info = bytearray(path.read_bytes()), path.stat()
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_an_edited_byte_in_the_package_or_any_archive_folder_rebuilds(package_copy, tmp_path, monkeypatch):
    archive_dir = package_copy.parent.parent / "archive"
    cache = tmp_path / "cache"
    prepared(package_copy, cache, archive_dir, allow_sql=False)

    def rebuilding(*args, **kwargs):
        raise Rebuilt

    monkeypatch.setattr(sys.modules["nkdigital.api.package"], "load", rebuilding)
    resources = json.loads(package_copy.read_text(encoding="utf-8"))["resources"]
    edited = [package_copy, *(package_copy.parent / r["path"] for r in resources)]
    edited += [Path(folder) / min(files) for folder, _, files in sorted(os.walk(archive_dir)) if files]
    assert len(edited) > len(resources) + 3
    for path in edited:
        _flip(path)
        with pytest.raises(Rebuilt):
            prepared(package_copy, cache, archive_dir, allow_sql=False)
        _flip(path)
    assert prepared(package_copy, cache, archive_dir, allow_sql=False)[2] is True


def test_serve_on_a_reused_database_imports_neither_pandas_nor_validation(package_copy, tmp_path):
    cache = tmp_path / "cache"
    prepared(package_copy, cache / "nkdigital", package_copy.parent.parent / "archive", allow_sql=False)
    heavy = ("pandas", "pyarrow", "frictionless", "plotly")
    code = ("import sys, uvicorn\n"  # the server does not start: what `serve` imported up to there is printed
            "uvicorn.run = lambda *a, **k: print(sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1:])))\n"
            "from nkdigital.cli import main\n"
            f"main(['serve', '--package', {str(package_copy)!r}, '--port', '0'])\n")
    result = subprocess.run([sys.executable, "-c", code, *heavy], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    assert "reused: package unchanged" in result.stderr, result.stderr
    assert result.stdout == "[]\n"
    result = subprocess.run([sys.executable, "-c", "import pandas\n" + code, *heavy], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    assert result.stdout == "['pandas', 'pyarrow']\n"  # the check sees what was imported


def test_importing_the_library_and_the_explorer_leaves_datasette_unloaded():
    code = "import sys, nkdigital, nkdigital.cli, nkdigital.explorer; print('datasette' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout == "False\n", result.stderr


def _tiny(folder: Path, copy: str, title: str) -> Path:
    """A database named like the explorer's: one source (titled `title`), its copy at `copy`, one quoted row."""
    folder.mkdir()
    with closing(sqlite3.connect(folder / "nkdigital.sqlite")) as connection:
        connection.executescript(
            "CREATE TABLE sources (source_id TEXT PRIMARY KEY, title TEXT);"
            "CREATE TABLE source_copies (source_id TEXT REFERENCES sources (source_id), archive_path TEXT,"
            " role TEXT);"
            "CREATE TABLE observations (observation_id TEXT PRIMARY KEY,"
            " source_id TEXT REFERENCES sources (source_id), quote TEXT);"
            "INSERT INTO observations VALUES ('obs-1', 'src-1', 'The words.');")
        connection.execute("INSERT INTO sources VALUES ('src-1', ?)", [title])
        connection.execute("INSERT INTO source_copies VALUES ('src-1', ?, 'primary')", [copy])
        connection.commit()
    return folder / "nkdigital.sqlite"


def test_each_explorer_app_links_to_its_own_databases_copies_and_labels(tmp_path):
    import asyncio

    from datasette.app import Datasette
    from datasette.plugins import pm

    from nkdigital.explorer import plugin

    async def pages(database: Path) -> tuple[str, str]:
        app = Datasette([], immutables=[str(database)])
        table = await app.client.get("/nkdigital/observations")
        query = await app.client.get("/nkdigital", params={"sql": "SELECT source_id FROM observations"})
        return table.text, query.text

    registered = not pm.is_registered(plugin)
    if registered:
        pm.register(plugin, name="nkdigital-explorer")
    try:
        first = asyncio.run(pages(_tiny(tmp_path / "a", "library/one.txt", "First title")))
        second = asyncio.run(pages(_tiny(tmp_path / "b", "library/two.txt", "Second title")))
    finally:
        if registered:
            pm.unregister(plugin)
    assert "/archive/library/one.txt?quote=The+words.#quote" in first[0] and "two.txt" not in first[0]
    assert "/archive/library/two.txt?quote=The+words.#quote" in second[0] and "one.txt" not in second[0]
    assert '<a href="/nkdigital/sources/src-1">First title&nbsp;<em>src-1</em></a>' in first[1]
    assert '<a href="/nkdigital/sources/src-1">Second title&nbsp;<em>src-1</em></a>' in second[1]
