"""Reliability against hostile packages and arguments: nothing from the data runs, escapes or deletes.

Each class of attack is one test: an archive that is not a tree of regular files, commands that would read an
invalid package, outputs over what is not ours (a user's folder, a FIFO), a write that fails half-way, names
that would become SQL or paths, sizes beyond the bounds, wrong argument types. Every refusal is one located
message without a traceback, and nothing is written outside OUT (OUT's old contents stay). The browser test of
markup in the data is at the end.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import html
import io
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pandas as pd
import pytest

import nkdigital as nk
from nkdigital.cli import main

from . import broken as b
from .conftest import DESCRIPTOR, ROOT

LEAF_CHART = "timeline"  # a chart drawn from events, whose titles the hostile cases change


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# the archive is a tree of regular files

def _archive(path: Path) -> Path:
    return path.parent.parent / "archive"


@pytest.mark.parametrize("target", ["outside-copy-of-the-same-text", "system-file-with-its-hash-recorded"])
def test_a_symlink_in_the_archive_is_one_located_problem(package_copy, tmp_path, target):
    copy = b.records(package_copy, "source_copies")[0]
    file = _archive(package_copy) / copy["archive_path"]
    if target.startswith("outside"):
        outside = tmp_path / "outside.txt"
        outside.write_bytes(file.read_bytes())
    else:
        outside = Path("/etc/passwd")
        b.set_cell(package_copy, "source_copies", copy["#"], "sha256", hashlib.sha256(outside.read_bytes()).hexdigest())
        b.rehash(package_copy)
    file.unlink()
    file.symlink_to(outside)
    problems = nk.validate(package_copy).problems
    assert [(p.file, p.row, p.field) for p in problems] == [("data/source_copies.csv", copy["#"], "archive_path")]
    assert "is a symlink, FIFO, device or socket" in problems[0].message


def test_a_fifo_anywhere_in_the_archive_is_one_problem_and_never_opened(package_copy):
    os.mkfifo(_archive(package_copy) / "stray")
    problems = nk.validate(package_copy).problems
    assert [(p.file, p.row, p.field) for p in problems] == [("archive/stray", None, None)], problems


# every command validates what it reads

@pytest.fixture
def invalid(package_copy) -> Path:
    """A copy whose event title carries an HTML tag (the text rules refuse it), hashes recorded."""
    row = b.pick(package_copy, "events")
    b.set_cell(package_copy, "events", row["#"], "title", "Launch <img src=x onerror=alert(1)>")
    b.rehash(package_copy)
    return package_copy


@pytest.mark.parametrize("command", [
    ["info"], ["chart", LEAF_CHART, "OUT.html"], ["chart", LEAF_CHART, "OUT.csv"], ["charts", "OUT"],
    ["export", "sqlite", "OUT.sqlite"], ["export", "csv", "OUT"], ["serve", "--port", "0"],
], ids=lambda c: "-".join(c[:2]))
def test_every_command_refuses_an_invalid_package_with_one_located_problem(invalid, tmp_path, command):
    out = tmp_path / "out"
    out.mkdir()
    argv = [str(out / a) if a.startswith("OUT") else a for a in command]
    code, stdout, stderr = _cli(*argv, "--package", invalid)
    assert code == 1, stdout + stderr
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("  - ")]
    assert len(lines) == 1 and "data/events.csv, row" in lines[0] and "field title" in lines[0], stderr
    assert list(out.iterdir()) == []


def test_info_never_prints_a_control_sequence_from_the_descriptor(package_copy):
    b.edit_descriptor(package_copy, lambda d: d.update(title="Digital \x1b[2J\x1b[31maccess"))
    code, stdout, stderr = _cli("info", "--package", package_copy)
    assert code == 1
    assert "\x1b" not in stdout + stderr
    assert "datapackage.json, field title: text contains the control character '\\x1b'" in stderr


# outputs own only what they create

def test_report_never_replaces_a_folder_it_did_not_build(tmp_path):
    out = tmp_path / "thesis"
    (out / "photos").mkdir(parents=True)
    (out / "index.html").write_text("my homepage")
    (out / "thesis.pdf").write_bytes(b"%PDF years of work")
    (out / "photos" / "a.jpg").write_bytes(b"\xff\xd8")
    before = _files(out)
    code, _, stderr = _cli("report", out)
    assert code == 2
    assert f"{out} is neither empty nor a report built by nkdigital" in stderr
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]


@pytest.mark.parametrize("command", [
    ["chart", LEAF_CHART, "pipe.html"], ["chart", LEAF_CHART, "pipe.csv"], ["export", "sqlite", "pipe.sqlite"],
    ["export", "xlsx", "pipe.xlsx"], ["export", "duckdb", "pipe.duckdb"],
], ids=lambda c: "-".join(c[:2]) + c[-1][4:])
def test_a_fifo_named_as_out_is_refused_and_stays_a_fifo(tmp_path, command):
    fifo = tmp_path / command[-1]
    os.mkfifo(fifo)
    code, _, stderr = _cli(*command[:-1], fifo, "--package", DESCRIPTOR)
    assert code == 1, stderr
    assert f"cannot write {fifo}: it is a FIFO, device or socket, not a regular file" in stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == [fifo.name]


def test_a_full_disk_leaves_the_previous_workbook_untouched(tmp_path, monkeypatch):
    from openpyxl import Workbook

    def save_half(book, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "save", save_half)
    target = tmp_path / "nk.xlsx"
    target.write_bytes(b"the previous export")
    code, _, stderr = _cli("export", "xlsx", target, "--package", DESCRIPTOR)
    assert code == 1 and "No space left on device" in stderr
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nk.xlsx"]


def test_a_full_disk_leaves_the_previous_report_untouched(tmp_path, monkeypatch):
    from nkdigital import export
    from nkdigital.core.atomic import mark
    from nkdigital.report import build_site
    from nkdigital.report.site import MARKER

    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the previous report")
    mark(out, MARKER)
    before = _files(out)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "write_images", disk_full)
    with pytest.raises(OSError, match="No space left"):
        build_site(out, ROOT / "notebooks")
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# names from the descriptor never become code or paths

@pytest.mark.parametrize("database", ["sqlite", "duckdb"])
def test_sql_names_are_quoted_by_the_drivers_own_quoting(tmp_path, database):
    from nkdigital.export.tables import _create_table, duckdb_quote, sqlite_quote

    name = 'x" (a INTEGER); COPY (SELECT 1) TO \'escaped.csv\'; --'
    schema = {"fields": [{"name": name, "type": "integer"}], "primaryKey": [name]}
    if database == "sqlite":
        connection, quote = sqlite3.connect(tmp_path / "db"), sqlite_quote
        tables = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        import duckdb

        connection, quote = duckdb.connect(str(tmp_path / "db")), duckdb_quote
        tables = "SELECT table_name FROM information_schema.tables"
    connection.execute(_create_table(name, schema, {"integer": "INTEGER"}, quote))
    assert connection.execute(tables).fetchall() == [(name,)]
    connection.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("db")) == []


def test_an_export_of_a_package_with_a_hostile_resource_name_writes_nothing(package_copy, tmp_path):
    b.edit_descriptor(package_copy, lambda d: d["resources"][9].update(name="../../escaped"))
    out = tmp_path / "out"
    out.mkdir()
    for fmt, target in (("parquet", out / "pq"), ("duckdb", out / "nk.duckdb")):
        code, _, stderr = _cli("export", fmt, target, "--package", package_copy)
        assert code == 1 and "resource name '../../escaped' must be a lowercase name" in stderr
    assert list(out.iterdir()) == []
    assert not (tmp_path / "escaped.parquet").exists() and not (tmp_path.parent / "escaped.parquet").exists()


# bounded at the limits

@pytest.mark.parametrize("size", ["0", "-5", "100000"])
def test_an_image_size_out_of_bounds_is_refused_before_drawing(tmp_path, size):
    out = tmp_path / "chart.png"
    code, _, stderr = _cli("chart", LEAF_CHART, out, "--width", size, "--package", DESCRIPTOR)
    assert code == 2
    assert f"image width must be a whole number of pixels from 1 to 5000; got {size}" in stderr
    assert list(tmp_path.iterdir()) == []


def test_a_cell_longer_than_excel_allows_is_refused_with_its_place(package_copy, tmp_path):
    b.edit_descriptor(package_copy, lambda d: d.update(description="Long. " * 6000))
    target = tmp_path / "nk.xlsx"
    code, _, stderr = _cli("export", "xlsx", target, "--package", package_copy)
    assert code == 2
    assert "sheet about, row 3, column about holds 36,000 characters; Excel keeps at most 32,767" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive", "datapackage"]


@pytest.mark.parametrize("call, message", [
    (lambda p: p.observations(5), "indicator must be a text value or a list of text values; got 5"),
    (lambda p: p.observations(start=pd.NaT), "start must be a year"),
    (lambda p: p.events(end=2.5), "end must be a year"),
    (lambda p: p.row(["obs-x"]), "row_id must be one row or source id as text"),
    (lambda p: nk.cite(12345, package=p), "cite() and source_ids() take one source or row id as text"),
    (lambda p: p.sources(strength={"weak": 1}), "strength must be a text value or a list of text values"),
    (lambda p: p.with_sources("obs-x"), "frame must be a DataFrame with a source_id column"),
], ids=["indicator-int", "start-NaT", "end-float", "row-list", "cite-int", "strength-dict", "with-sources-text"])
def test_a_wrong_argument_is_a_type_error_naming_it(package, call, message):
    with pytest.raises(TypeError) as caught:
        call(package)
    assert message in str(caught.value)


# nothing from the data runs in a browser

@pytest.mark.parametrize("text", [*b.HOSTILE_TEXTS, "<img src=x onerror=alert(1)>", "**bold** `code` # head"])
def test_md_keeps_any_data_text_literal_in_markdown(text):
    from nbconvert.filters.markdown import markdown2html

    rendered = markdown2html(f"In the source's words: {nk.text.md(text)}.").strip()
    assert rendered.count("<") == 2 and rendered.startswith("<p>") and rendered.endswith("</p>")  # no other tag
    assert html.unescape(rendered[3:-4]) == f"In the source's words: {text}."


@pytest.mark.parametrize("text", [*b.HOSTILE_TEXTS, "AT&T <b>", "&lt;b&gt; &amp; &#60;"])
def test_md_text_reads_as_itself_on_a_report_page(text):
    """Through the report's own filters (`markdown_text`, then Markdown to HTML) a value written with `md` shows
    exactly its characters: no tag, and no entity escaped twice."""
    from nbconvert.filters.markdown import markdown2html

    from nkdigital.report.render import markdown_text

    rendered = markdown2html(markdown_text(f"Quoted: {nk.text.md(text)}")).strip()
    assert rendered.count("<") == 2
    assert html.unescape(rendered[3:-4]) == f"Quoted: {text}"


def _hostile_notebooks(target: Path) -> Path:
    """The stored notebooks, with script-bearing HTML in a Markdown output, as data that escaped validation would
    put there."""
    shutil.copytree(ROOT / "notebooks", target)
    first = sorted(target.glob("00-*.ipynb"))[0]
    notebook = json.loads(first.read_text(encoding="utf-8"))
    outputs = [o for cell in notebook["cells"] for o in cell.get("outputs", [])]
    output = next(o for o in outputs if "text/markdown" in o.get("data", {}))
    output["data"]["text/markdown"] = ["<img src=x onerror=alert(6)> [click](javascript:alert(7))",
                                       " <script>alert(8)</script>"]
    first.write_text(json.dumps(notebook), encoding="utf-8")
    return target


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_the_report_pages_policy_alone_stops_markup_that_escaped_escaping(tmp_path):
    """Defence in depth: with the Markdown escaping switched off, the page's Content-Security-Policy still runs
    neither the injected handler nor the injected script, while our own chart script draws."""
    from playwright.sync_api import sync_playwright

    from nkdigital.export.csp import with_policy
    from nkdigital.export.html import plotly_js_path
    from nkdigital.report.render import exporter, render

    html_exporter = exporter()
    html_exporter.register_filter("markdown_text", lambda text: text)
    page = render(sorted(_hostile_notebooks(tmp_path / "notebooks").glob("00-*.ipynb"))[0], html_exporter)
    assert "<script>alert(8)</script>" in page.html and 'onerror="alert(6)"' in page.html
    (tmp_path / "assets").mkdir()
    shutil.copyfile(plotly_js_path(*page.figures), tmp_path / "assets" / "plotly.min.js")
    file = tmp_path / page.file
    file.write_text(with_policy(page.html, page.scripts), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        opened = browser.new_page()
        dialogs = []
        opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        opened.goto(file.as_uri(), wait_until="load")
        opened.click("a[href^='javascript:']", timeout=5000)
        opened.wait_for_timeout(300)
        drawn = opened.evaluate(DRAWN)
        browser.close()
    assert dialogs == []
    assert drawn


DRAWN = "() => Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d.querySelector('svg.main-svg'))"


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_no_page_built_from_a_hostile_copy_opens_a_dialog_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    from nkdigital import export
    from nkdigital.report import build_site

    package = nk.load(b.hostile_copy(tmp_path / "datapackage"), validate=True)
    charts = tmp_path / "charts"
    export.write_charts(package, charts, ["html"])
    site = build_site(tmp_path / "site", _hostile_notebooks(tmp_path / "notebooks"), package=package)
    pages = [*sorted(charts.glob("*.html")), *sorted(site.glob("*.html")), *sorted((site / "charts").glob("*.html"))]
    dialogs, shown, undrawn = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for path in pages:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("dialog", lambda dialog, path=path: (dialogs.append(f"{path.name}: {dialog.message}"),
                                                         dialog.dismiss()))
            page.goto(path.as_uri(), wait_until="load")
            for selector in (".plotly-graph-div .point", ".plotly-graph-div path.point", "a", "img"):
                for element in page.query_selector_all(selector)[:20]:
                    with contextlib.suppress(Exception):
                        element.hover(timeout=200)
            page.wait_for_timeout(200)
            shown.append(page.inner_text("body"))
            if not page.evaluate(DRAWN):
                undrawn.append(path.name)
            page.close()
        browser.close()
    assert len(pages) >= 15
    assert dialogs == []
    assert undrawn == []  # the Content-Security-Policy lets our own scripts draw every chart
    text = "\n".join(shown)
    assert "onerror=alert(1)" in text and "<img src=x onerror=alert(6)>" in text  # shown, as text


@pytest.mark.browser
def test_images_render_through_no_name_a_stranger_placed_in_the_folder(tmp_path):
    """Images are rendered in a fresh private folder: a symlink planted in OUT under a predictable temporary name
    is never written through, and nothing is left beside the images."""
    from nkdigital.export.images import write_images

    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    planted = out / ".subscribers-headline.tmp.svg"
    planted.symlink_to(victim)
    write_images({"subscribers-headline": nk.charts.chart("subscribers-headline")}, out, ["svg"])
    assert victim.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in out.iterdir()) == [planted.name, "subscribers-headline.svg"]


def test_a_report_killed_mid_build_leaves_nothing_behind(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    command = [str(Path(sys.executable).parent / "nkdigital"), "report", str(tmp_path / "site")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(tmp_path.iterdir()) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # until the build's temporary folder appears beside its output
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


def test_a_file_over_its_own_limit_is_named_with_its_size_and_no_other_file_is_blamed(package_copy):
    from nkdigital.core.limits import MAX_PACKAGE_BYTES

    observations = package_copy.parent / "data" / "observations.csv"
    os.truncate(observations, MAX_PACKAGE_BYTES + 5_000_000)  # sparse, over the whole package's limit too
    problems = nk.validate(package_copy).problems
    assert [(p.file, p.message) for p in problems] == [
        ("data/observations.csv", "file is 105.0 MB; the limit is 50.0 MB")]


def test_an_archive_too_big_to_list_is_one_problem_and_a_vanishing_entry_is_skipped(package_copy, monkeypatch):
    from nkdigital.checking import quotes

    archive = package_copy.parent.parent / "archive"
    real_walk = os.walk
    monkeypatch.setattr(quotes.os, "walk", lambda top: ((folder, subfolders, [*names, "gone.txt"])
                                                        for folder, subfolders, names in real_walk(top)))
    files, others = quotes.archive_entries(archive)  # gone.txt vanished (as /proc's entries do) while listed
    assert "gone.txt" not in files + others and "INDEX.csv" in files
    monkeypatch.setattr(quotes, "MAX_ARCHIVE_ENTRIES", 20)
    problems = nk.validate(package_copy, archive).problems
    assert [(p.file, p.message) for p in problems] == [
        (str(archive), "the archive cannot be listed: the archive folder holds more than 20 files and folders")]


def test_a_report_built_before_markers_listed_their_folder_is_still_replaced(tmp_path):
    from nkdigital.core.atomic import replaceable_folder
    from nkdigital.report.site import MARKER

    out = tmp_path / "site"
    (out / "charts").mkdir(parents=True)
    (out / "charts" / "old.html").write_text("an earlier build")
    (out / MARKER).write_text("built by nkdigital report; this folder is replaced by the next build\n")
    assert replaceable_folder(out, MARKER)
    (out / MARKER).write_text("built by nkdigital report; this folder is replaced by the next build\nold.html\n")
    assert not replaceable_folder(out, MARKER)  # a listing of ours: only what it lists


def test_nan_in_a_descriptor_is_located_on_its_own_line_not_on_a_text_that_mentions_it(package_copy):
    text = package_copy.read_text(encoding="utf-8")
    text = text.replace('"title": "', '"title": "NaN in words; ', 1).replace('"minimum": 1', '"minimum": NaN', 1)
    package_copy.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"minimum": NaN' in row)
    with pytest.raises(nk.PackageError) as caught:
        nk.load(package_copy, validate=True)
    assert [(p.row, p.message) for p in caught.value.problems] == [
        (line, "not valid JSON: NaN is not a JSON number (JSON has no NaN or infinity)")]
