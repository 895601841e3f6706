"""Exports: round trips, keys and column descriptions kept, validation first, atomic writes, never inside the
data package, never a formula cell."""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

import nkdigital as nk
from nkdigital import export
from nkdigital.api.frame_attrs import plain
from nkdigital.export import images, tables
from nkdigital.export.workbook import SHEET_CHARS, sheet_names

from . import broken as b

FORMATS = list(export.WRITERS)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nkdigital.cli", *args], capture_output=True, text=True)


def field_count(package) -> int:
    return sum(len(r["schema"]["fields"]) for r in package.descriptor["resources"])


def test_sqlite_round_trip_gives_back_equal_frames(package, tmp_path):
    out = export.export(package, "sqlite", tmp_path / "nk.sqlite")
    frames = export.read_sqlite(out, package)
    for name in package.resource_names:
        pd.testing.assert_frame_equal(frames[name], package.resource(name), check_exact=True)


def test_sqlite_keeps_primary_and_foreign_keys(package, tmp_path):
    out = export.to_sqlite(package, tmp_path / "nk.sqlite")
    with sqlite3.connect(out) as db:
        keys = [row[1] for row in db.execute("PRAGMA table_info(observations)") if row[5]]
        foreign = db.execute("PRAGMA foreign_key_list(observations)").fetchall()
        db.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO observations (observation_id, indicator, subject, ref_date, ref_date_precision,"
                       " claim_type, source_id, quote) VALUES ('obs-x', 'population', 'DPRK', '2020-01-01', 'year',"
                       " 'derived', 'no-such-source', 'q')")
    assert keys == ["observation_id"]
    assert sorted((f[2], f[3], f[4]) for f in foreign) == [("indicators", "indicator", "indicator"),
                                                          ("sources", "source_id", "source_id")]


def test_sqlite_has_a_fields_table_describing_every_column(package, tmp_path):
    out = export.to_sqlite(package, tmp_path / "nk.sqlite")
    with sqlite3.connect(out) as db:
        rows = db.execute("SELECT resource, field, type, description FROM fields").fetchall()
        value = db.execute("SELECT description FROM fields WHERE resource = 'observations' AND field = 'value'")
        description = value.fetchone()[0]
    assert len(rows) == field_count(package)
    assert all(r[3] for r in rows), "a column without a description"
    assert description == package.resource("observations").attrs["fields"]["value"]["description"]


def test_duckdb_export_has_typed_tables_keys_and_column_comments(package, tmp_path):
    import duckdb

    out = export.export(package, "duckdb", tmp_path / "nk.duckdb")
    with duckdb.connect(str(out), read_only=True) as db:
        count = db.execute("SELECT count(*) FROM observations").fetchone()[0]
        kind = db.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'observations'"
                          " AND column_name = 'ref_date'").fetchone()[0]
        constraints = {r[0] for r in db.execute("SELECT constraint_type FROM duckdb_constraints()"
                                                " WHERE table_name = 'event_attestations'").fetchall()}
        comments = dict(db.execute("SELECT column_name, comment FROM duckdb_columns()"
                                   " WHERE table_name = 'observations'").fetchall())
        fields = db.execute("SELECT count(*) FROM fields").fetchone()[0]
    assert count == len(package.resource("observations"))
    assert kind == "DATE"
    assert {"PRIMARY KEY", "FOREIGN KEY"} <= constraints
    assert comments["value"] == package.resource("observations").attrs["fields"]["value"]["description"]
    assert all(comments.values())
    assert fields == field_count(package)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nk.duckdb"], "a .wal file was left behind"


def _cells(frame: pd.DataFrame, dates_as_text: bool = False) -> list[tuple]:
    """The frame's rows as plain Python values: None for missing, dates as dates (or ISO text), enums as text."""
    columns = []
    for name in frame.columns:
        column = frame[name].astype(object).where(frame[name].notna(), None)
        if pd.api.types.is_datetime64_any_dtype(frame[name].dtype):
            column = [None if v is None else (v.date().isoformat() if dates_as_text else v.date()) for v in column]
        columns.append([v.item() if hasattr(v, "item") else v for v in column])
    return list(zip(*columns, strict=True))


def _schema(package, name: str) -> dict:
    return next(r for r in package.descriptor["resources"] if r["name"] == name)["schema"]


def test_bulk_written_sqlite_tables_equal_the_frames_row_for_row(package, tmp_path):
    out = export.to_sqlite(package, tmp_path / "nk.sqlite")
    with sqlite3.connect(out) as db:
        for name in package.resource_names:
            frame, schema, quoted = package.resource(name), _schema(package, name), tables.sqlite_quote(name)
            rows = db.execute(f"SELECT * FROM {quoted} ORDER BY rowid").fetchall()
            info = db.execute(f"PRAGMA table_info({quoted})").fetchall()
            assert rows == _cells(frame, dates_as_text=True), name
            assert [(r[1], r[2]) for r in info] == [(f["name"], tables.SQL_TYPES[f["type"]])
                                                    for f in schema["fields"]]
            assert [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]] == schema["primaryKey"]
        stored = {row for (kind,) in db.execute("SELECT DISTINCT typeof(is_core) FROM sources") for row in [kind]}
    assert stored == {"integer"}  # booleans as 0/1


def test_bulk_written_duckdb_tables_equal_the_frames_row_for_row(package, tmp_path):
    import duckdb

    out = export.to_duckdb(package, tmp_path / "nk.duckdb")
    with duckdb.connect(str(out), read_only=True) as db:
        for name in package.resource_names:
            frame, schema, quoted = package.resource(name), _schema(package, name), tables.duckdb_quote(name)
            assert db.execute(f"SELECT * FROM {quoted}").fetchall() == _cells(frame), name
            columns = db.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?"
                                 " ORDER BY column_index", [name]).fetchall()
            assert columns == [(f["name"], tables.DUCKDB_TYPES[f["type"]]) for f in schema["fields"]]
            [key] = db.execute("SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ?"
                               " AND constraint_type = 'PRIMARY KEY'", [name]).fetchall()
            assert key[0] == schema["primaryKey"]
        assert db.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone()[0] == 0


def test_bulk_written_parquet_files_equal_the_frames(package, tmp_path):
    out = export.to_parquet(package, tmp_path / "parquet")
    for name in package.resource_names:
        frame, expected = pd.read_parquet(out / f"{name}.parquet"), package.resource(name)
        for column in frame.columns:  # date32 comes back as dates: typed like the package's again
            if pd.api.types.is_datetime64_any_dtype(expected[column].dtype):
                frame[column] = pd.to_datetime(frame[column]).astype(expected[column].dtype)
        pd.testing.assert_frame_equal(frame, expected, check_exact=True)
        assert frame.attrs == plain(expected.attrs)  # metadata kept, read back by pandas


def test_a_resource_as_arrow_is_what_pandas_makes_of_its_frame(package):
    """The exports' one Arrow table per resource (rows reordered once, no pandas copy) equals what the exports
    converted before: the resource's frame through pandas, its attrs in the pandas metadata."""
    import pyarrow as pa

    for name in package.resource_names:
        frame = package.resource(name)
        attrs, frame.attrs = plain(frame.attrs), {}
        expected = pa.Table.from_pandas(frame, preserve_index=False)
        table = package.table(name)
        assert table.schema == expected.schema and table.equals(expected), name
        metadata = json.loads(expected.schema.metadata[b"pandas"])
        assert json.loads(table.schema.metadata[b"pandas"]) == {**metadata, "attributes": attrs}, name
    with pytest.raises(KeyError, match="no resource 'nope'"):
        package.table("nope")


def test_xlsx_sheets_equal_the_frames_cell_for_cell(package, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(export.to_xlsx(package, tmp_path / "nk.xlsx"))
    for name in package.resource_names:
        frame = package.resource(name)
        rows = list(book[name].iter_rows(values_only=True))
        assert rows[0] == tuple(frame.columns)
        dates = [i for i, c in enumerate(frame.columns) if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)]
        read = [tuple(v.date() if i in dates and v is not None else v for i, v in enumerate(row)) for row in rows[1:]]
        assert read == _cells(frame), name


HOSTILE = ['x" (a INTEGER); DROP TABLE sources; --', "nkdigital_rows", "a'b", 'q""uoted', "sel ect", "ünï"]


@pytest.mark.parametrize("database", ["sqlite", "duckdb"])
def test_hostile_table_and_column_names_are_written_as_names(database, tmp_path):
    """Bulk writing quotes every name: the table holds exactly the rows given, under exactly the names given."""
    schema = {"fields": [{"name": name, "type": kind} for name, kind in zip(HOSTILE, ["string", "integer", "date",
              "number", "boolean", "string"], strict=True)], "primaryKey": [HOSTILE[0]]}
    frame = pd.DataFrame({HOSTILE[0]: pd.array(["'); DROP TABLE t; --", "b"], dtype="string"),
                          HOSTILE[1]: pd.array([1, None], dtype="Int64"),
                          HOSTILE[2]: pd.to_datetime(["2020-01-02", None]).astype("datetime64[s]"),
                          HOSTILE[3]: pd.array([1.5, None], dtype="Float64"),
                          HOSTILE[4]: pd.array([True, None], dtype="boolean"),
                          HOSTILE[5]: pd.Categorical(["x", None])})
    if database == "sqlite":
        db, quote, types, text = sqlite3.connect(tmp_path / "db"), tables.sqlite_quote, tables.SQL_TYPES, True
        names = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        import duckdb

        db, quote, types, text = duckdb.connect(str(tmp_path / "db")), tables.duckdb_quote, tables.DUCKDB_TYPES, False
        names = "SELECT table_name FROM information_schema.tables"
    for table in HOSTILE:
        db.execute(tables._create_table(table, schema, types, quote))
        tables._insert(db, table, tables._rows(tables._plain_table(frame), schema, dates_as_text=text), quote)
    assert sorted(db.execute(names).fetchall()) == sorted((t,) for t in HOSTILE)
    for table in HOSTILE:
        assert db.execute(f"SELECT * FROM {quote(table)}").fetchall() == _cells(frame, dates_as_text=text)
        assert [d[0] for d in db.execute(f"SELECT * FROM {quote(table)}").description] == HOSTILE
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]


def test_sqlite_quote_quotes_as_sqlite_itself_does():
    from nkdigital.export.tables import sqlite_quote

    with sqlite3.connect(":memory:") as db:
        for name in [*HOSTILE, '"', '""', "", "a\tb", "`[x]`"]:
            assert sqlite_quote(name) == db.execute("SELECT printf('\"%w\"', ?)", (name,)).fetchone()[0]


def test_csv_export_is_a_valid_data_package_with_the_same_layout(package, archive, tmp_path):
    out = export.export(package, "csv", tmp_path / "csv")
    for resource in package.descriptor["resources"]:
        assert (out / resource["path"]).read_bytes() == (package.path.parent / resource["path"]).read_bytes()
    assert json.loads((out / "datapackage.json").read_text(encoding="utf-8")) == package.descriptor
    copies = package.resource("source_copies")["archive_path"]
    for relative in [*copies, "INDEX.csv", "README.md"]:
        assert (out / "archive" / relative).read_bytes() == (archive / relative).read_bytes()
    assert sorted(p.relative_to(out / "archive").as_posix() for p in (out / "archive").rglob("*.txt")) == sorted(
        set(copies))
    report = nk.validate(out)  # alone: the archive travels with the export
    assert report.valid, report.problems
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]


def test_csv_export_replaces_an_earlier_export_but_never_another_folder(package, tmp_path):
    out = tmp_path / "csv"
    export.to_csv(package, out)
    marker = out / ".nkdigital-export"
    assert {"datapackage.json", "data", "data/observations.csv", "archive/INDEX.csv"} <= set(
        marker.read_text().splitlines())
    (out / "data" / "old_resource.csv").write_text("written by an earlier export")
    marker.write_text(marker.read_text() + "data/old_resource.csv\n")  # as that export listed it
    export.to_csv(package, out)
    assert not (out / "data" / "old_resource.csv").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (export.to_csv(package, empty) / "datapackage.json").is_file()
    other = tmp_path / "documents"
    other.mkdir()
    (other / "thesis.tex").write_text("mine")
    (other / "datapackage.json").write_text("{}")  # looks like a package, yet we did not write it
    with pytest.raises(FileExistsError, match="is neither empty nor an export built by nkdigital"):
        export.to_csv(package, other)
    assert sorted(p.name for p in other.iterdir()) == ["datapackage.json", "thesis.tex"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv", "documents", "empty"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_file_added_to_an_earlier_export_is_never_deleted(package, tmp_path, fmt):
    out = export.export(package, fmt, tmp_path / fmt)
    (out / "notes.md").write_text("mine")
    (out / "drafts").mkdir()
    (out / "drafts" / "wip.parquet").write_text("mine too")
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    with pytest.raises(FileExistsError, match=r"is an export built by nkdigital, but holds files it did not write"
                                              r" \(drafts, drafts/wip.parquet, notes.md\): move them"):
        export.export(package, fmt, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert (out / "notes.md").read_text() == "mine"


def test_a_failed_csv_export_leaves_the_earlier_folder_untouched(package, tmp_path, monkeypatch):
    out = tmp_path / "csv"
    export.to_csv(package, out)
    (out / "data" / "observations.csv").write_text("earlier")  # a file it listed: replacing it would show
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    calls = []

    def failing(data=b""):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        import hashlib

        return hashlib.new("sha256", data)

    monkeypatch.setattr(tables.hashlib, "sha256", failing)
    with pytest.raises(OSError, match="No space left"):
        export.to_csv(package, out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"], "a temporary folder was left behind"


def test_two_resources_with_the_same_file_name_both_survive_the_csv_export(package_copy, archive, tmp_path):
    data = package_copy.parent
    (data / "more").mkdir()
    os.replace(data / "data" / "events.csv", data / "more" / "observations.csv")
    b.edit_descriptor(package_copy, lambda d: next(r for r in d["resources"] if r["name"] == "events")
                      .update(path="more/observations.csv"))
    b.rehash(package_copy)
    package = nk.load(package_copy, validate=True, archive=archive)
    out = export.to_csv(package, tmp_path / "csv")
    assert (out / "more" / "observations.csv").read_bytes() == (data / "more" / "observations.csv").read_bytes()
    assert (out / "data" / "observations.csv").read_bytes() == (data / "data" / "observations.csv").read_bytes()
    assert nk.validate(out, archive).valid


def test_xlsx_export_has_about_fields_and_one_sheet_per_resource(package, tmp_path):
    out = export.export(package, "xlsx", tmp_path / "nk.xlsx")
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["about", "fields", *package.resource_names]
    assert len(sheets["observations"]) == len(package.resource("observations"))
    assert sheets["about"]["about"].str.contains("Cite as: nkdigital developers").any()
    fields = sheets["fields"]
    assert len(fields) == field_count(package)
    assert fields["description"].notna().all()
    for name in package.resource_names:
        described = list(fields.loc[fields["resource"] == name, "field"])
        assert described == list(sheets[name].columns)


def test_xlsx_sheets_have_bold_frozen_headers_filters_widths_and_links(package, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(export.to_xlsx(package, tmp_path / "nk.xlsx"))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
        assert all(cell.font.bold for cell in sheet[1])
    sources = book["sources"]
    url = [c.value for c in sources[1]].index("url") + 1
    cell = sources.cell(row=2, column=url)
    assert cell.hyperlink is not None and cell.hyperlink.target == cell.value
    assert cell.value.startswith("http")
    widths = [sources.column_dimensions[c.column_letter].width for c in sources[1]]
    assert all(8 <= w <= 62 for w in widths) and max(widths) > 20


def test_xlsx_never_writes_a_formula_cell(package_copy, archive, tmp_path):
    from openpyxl import load_workbook

    title = '=HYPERLINK("http://example.org","open")'
    b.edit_descriptor(package_copy, lambda d: d.update(title=title))
    out = export.to_xlsx(nk.load(package_copy, archive=archive), tmp_path / "nk.xlsx")
    book = load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert book["about"]["A2"].value == title
    assert book["about"]["A2"].quotePrefix


def test_sheet_names_are_distinct_valid_and_short():
    names = ["observations_by_region_and_year_a", "observations_by_region_and_year_b", "what?/[x]", "fields"]
    sheets = sheet_names(names)
    assert len(set(sheets.values())) == len(names)
    assert all(len(s) <= SHEET_CHARS and not set(s) & set("[]:*?/\\") for s in sheets.values())
    assert sheets["fields"] != "fields"


def test_parquet_export_keeps_types_and_descriptions(package, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = export.export(package, "parquet", tmp_path / "parquet")
    assert sorted(p.name for p in out.iterdir()) == sorted([".nkdigital-export",
                                                            *(f"{n}.parquet" for n in package.resource_names)])
    assert set(pd.read_parquet(out / "sources.parquet").columns) == set(package.resource("sources").columns)
    table = pq.read_table(out / "observations.parquet")
    schema = table.schema
    assert schema.field("ref_date").type == pa.date32()
    assert pa.types.is_dictionary(schema.field("indicator").type)
    assert schema.field("value").type == pa.float64()
    assert schema.field("value").metadata[b"description"].decode() == \
        package.resource("observations").attrs["fields"]["value"]["description"]
    controls = pq.read_table(out / "access_controls.parquet").schema
    assert controls.field("step_order").type == pa.int64()
    frame = pd.read_parquet(out / "observations.parquet")
    expected = package.resource("observations")
    assert list(frame.columns) == list(expected.columns)
    assert frame["value"].dtype == expected["value"].dtype
    assert isinstance(frame["indicator"].dtype, pd.CategoricalDtype)
    assert [str(d) for d in frame["ref_date"]] == [str(d.date()) for d in expected["ref_date"]]
    assert frame.attrs["resource"] == "observations"  # pandas keeps the frame's attrs in the file
    assert frame.attrs["fields"]["value"]["description"] == expected.attrs["fields"]["value"]["description"]


def test_exports_refuse_to_write_inside_the_data_package(package):
    with pytest.raises(ValueError, match="inside the data package folder"):
        export.export(package, "sqlite", package.path.parent / "data" / "x.sqlite")


def _duplicate_key(path):
    rows = b.read_rows(path, "events")
    rows.insert(2, list(rows[1]))
    b.write_rows(path, "events", rows)
    return (b.label(path, "events"), 3, "event_id")


def _dangling_key(path):
    row = b.pick(path, "observations")
    b.set_cell(path, "observations", row["#"], "source_id", "no-such-source")
    return (b.label(path, "observations"), row["#"], "source_id")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("breaks", [_duplicate_key, _dangling_key], ids=["duplicate-key", "dangling-foreign-key"])
def test_an_invalid_package_exports_nothing_and_says_why(fmt, breaks, package_copy, archive, tmp_path):
    where = breaks(package_copy)
    b.rehash(package_copy)
    package = nk.load(package_copy, archive=archive)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(nk.PackageError) as caught:
        export.export(package, fmt, out / f"nk.{fmt}")
    assert [(p.file, p.row, p.field) for p in caught.value.problems] == [where]
    assert list(out.iterdir()) == []


def test_the_command_line_refuses_to_export_an_invalid_package(package_copy, archive, tmp_path):
    file, row, field = _duplicate_key(package_copy)
    b.rehash(package_copy)
    result = run("export", "sqlite", str(tmp_path / "nk.sqlite"), "--package", str(package_copy),
                 "--archive", str(archive))
    assert result.returncode == 1
    assert f"{file}, row {row}, field {field}: " in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "nk.sqlite").exists()


def test_exporting_into_a_missing_folder_is_an_error_and_creates_nothing(tmp_path):
    target = tmp_path / "nonexistent" / "dir" / "x.sqlite"
    result = run("export", "sqlite", str(target))
    assert result.returncode == 1
    assert result.stderr == f"error: cannot write {target}: folder {target.parent} does not exist\n"
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_exports_parquet(tmp_path):
    result = run("export", "parquet", str(tmp_path / "pq"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pq" / "observations.parquet").is_file()


@pytest.mark.parametrize("fmt", ["sqlite", "duckdb"])
def test_a_full_disk_leaves_no_file_journal_or_wal(fmt, package, tmp_path, monkeypatch):
    """The database fails mid-write as on a full disk: a clean error, and nothing left behind."""
    real, calls = tables._insert, []

    def insert_then_fail(connection, name, rows, quote):
        real(connection, name, rows, quote)
        calls.append(name)
        if len(calls) == 2:
            raise _disk_full(fmt)

    monkeypatch.setattr(tables, "_insert", insert_then_fail)
    target = tmp_path / f"nk.{fmt}"
    target.write_bytes(b"previous")
    with pytest.raises(OSError, match=f"cannot write {target}: .*full"):
        export.export(package, fmt, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    assert target.read_bytes() == b"previous"


def _disk_full(fmt: str) -> Exception:
    if fmt == "sqlite":
        return sqlite3.OperationalError("database or disk is full")
    import duckdb

    return duckdb.IOException("could not write: disk full")


def test_unknown_format_is_a_clear_error(package, tmp_path):
    with pytest.raises(ValueError, match="unknown export format 'feather'"):
        export.export(package, "feather", tmp_path / "x")


@pytest.mark.browser
def test_a_quoted_outlet_shows_plain_quotes_in_the_svg_source_line(package_copy, tmp_path):
    package = nk.load(package_copy)
    fig = nk.charts.access_tiers(package.access_tiers(), package=package)
    main_outlet = html.unescape(fig.layout.meta["sources"][0])
    for row in b.records(package_copy, "sources"):  # the outlet the source line names first
        if row["original_outlet"] == main_outlet:
            b.set_cell(package_copy, "sources", row["#"], "original_outlet", 'The "Quoted" Publisher')
    b.rehash(package_copy)
    package = nk.load(package_copy)  # not validated: INDEX.csv names no such outlet, which validation refuses
    fig = nk.charts.access_tiers(package.access_tiers(), package=package)
    [svg] = export.write_images({"tiers": fig}, tmp_path, "svg")
    text = svg.read_text(encoding="utf-8")
    assert 'The "Quoted" Publisher' in text
    assert "&amp;quot;" not in text and "&amp;#34;" not in text


def test_chart_html_caption_credits_every_outlet_and_prints_the_reuse_terms(package):
    fig = nk.charts.chart("subscribers", package)
    page = export.chart_html(fig)
    caption = html.unescape(page[page.index("<figcaption>"):page.index("</figcaption>")])
    assert all(html.unescape(outlet) in caption for outlet in fig.layout.meta["sources"])
    assert any("non-commercial" in term for term in fig.layout.meta["terms"])
    assert "non-commercial" in caption and "Reuse terms:" in caption


def test_every_image_renders_in_one_browser_session_that_loads_nothing_from_the_network(package, tmp_path,
                                                                                       monkeypatch):
    """One kaleido batch (one Chromium start) for all figures and formats, each at its own export size, MathJax off
    (kaleido would load it from a CDN); the rendered files land in the folder."""
    import kaleido

    from nkdigital.charts.house import image_size

    calls = []

    def render(specs, kopts, cancel_on_error):
        calls.append((specs, kopts, cancel_on_error))
        for spec in specs:
            spec["path"].write_bytes(spec["opts"]["format"].encode())

    monkeypatch.setattr(kaleido, "write_fig_from_object_sync", render)
    monkeypatch.setattr(images, "find_browser", lambda: "chromium")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # nothing kept from an earlier render
    figures = {stem: nk.charts.chart(stem.removeprefix("nkdigital-"), package)
               for stem in ("nkdigital-subscribers", "nkdigital-devices-headline")}
    paths = export.write_images(figures, tmp_path / "out", ["png", "svg"])
    [(specs, kopts, cancel_on_error)] = calls
    assert kopts == {"mathjax": False} and cancel_on_error
    assert [(s["opts"]["format"], s["opts"]["scale"], s["opts"]["width"], s["opts"]["height"]) for s in specs] == [
        (fmt, 2 if fmt == "png" else 1, *image_size(fig)) for fmt in ("png", "svg") for fig in figures.values()]
    assert [p.name for p in paths] == [f"{stem}.{fmt}" for fmt in ("png", "svg") for stem in figures]
    assert [p.read_text() for p in paths] == ["png", "png", "svg", "svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "out"]

    calls.clear()  # drawn again: every image is copied from the cache, no browser starts
    fig = figures["nkdigital-subscribers"]
    again = export.write_images({"a": fig}, tmp_path / "again", ["png", "svg"])
    assert calls == [] and [p.read_text() for p in again] == ["png", "svg"]
    fig.update_layout(title_text="Changed")  # a changed figure is drawn anew
    export.write_images({"a": fig}, tmp_path / "changed", ["svg"])
    assert [s["opts"]["format"] for s in calls[0][0]] == ["svg"]


def test_a_folder_that_appears_at_the_target_while_an_export_is_written_is_never_replaced(package, tmp_path,
                                                                                          monkeypatch):
    """The target is checked again just before the swap: a folder someone else put there meanwhile stays."""
    import pyarrow.parquet as pq

    out, real = tmp_path / "pq", pq.write_table

    def write_then_someone_takes_the_name(table, where):
        real(table, where)
        if not out.exists():
            out.mkdir()
            (out / "thesis.tex").write_text("mine")

    monkeypatch.setattr(pq, "write_table", write_then_someone_takes_the_name)
    with pytest.raises(FileExistsError, match="changed while it was written"):
        export.to_parquet(package, out)
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pq"]


def test_hostile_descriptions_become_duckdb_comments_word_for_word():
    import duckdb


    text = "it's; COMMENT ON TABLE \"t\" IS 'owned'; DROP TABLE \"t\"; -- \\ \u00e9"
    descriptor = {"resources": [{"name": HOSTILE[0], "description": text, "schema": {"fields": [
        {"name": HOSTILE[2], "description": text + " (column)"}, {"name": HOSTILE[3]}]}}]}
    with duckdb.connect() as db:
        db.execute(f"CREATE TABLE {tables.duckdb_quote(HOSTILE[0])} ({tables.duckdb_quote(HOSTILE[2])} INTEGER,"
                   f" {tables.duckdb_quote(HOSTILE[3])} INTEGER)")
        db.execute(";\n".join(tables._comments(descriptor)))
        assert db.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall() == [(HOSTILE[0], text)]
        assert db.execute("SELECT column_name, comment FROM duckdb_columns() WHERE NOT internal"
                          " ORDER BY column_index").fetchall() == [
            (HOSTILE[2], text + " (column)"), (HOSTILE[3], None)]


@pytest.mark.browser
def test_the_same_figure_renders_to_the_same_svg_and_pdf_bytes_every_time(package, tmp_path, monkeypatch):
    """plotly.js's random clip-path id, random trace ids and Chromium's print time never reach the files (each
    render with an empty image cache, so both are drawn)."""
    fig = nk.charts.chart("subscribers", package)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-one"))
    first = export.write_images({"chart": fig}, tmp_path / "one", ["svg", "pdf"])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-two"))
    second = export.write_images({"chart": fig}, tmp_path / "two", ["svg", "pdf"])
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert b"/CreationDate (D:19700101000000+00'00')" in first[1].read_bytes()


def test_a_settled_svg_keeps_its_references_and_differs_by_content():
    from nkdigital.export.settle import settled_svg

    def svg(uid, text):
        return (f'<svg><defs id="defs-{uid}"><clipPath id="clip{uid}xy"/></defs>'
                f'<g clip-path="url(#clip{uid}xy)"><text>{text}</text></g></svg>')

    one, again, other = (settled_svg(svg(uid, text)) for uid, text in [("a1b2c3", "A"), ("ffee00", "A"),
                                                                         ("a1b2c3", "B")])
    assert one == again
    uid = re.search(r'defs-([0-9a-f]{6})', one).group(1)
    assert uid != "a1b2c3" and f'url(#clip{uid}xy)' in one and f'id="clip{uid}xy"' in one
    assert uid != re.search(r'defs-([0-9a-f]{6})', other).group(1)


def test_inline_scripts_are_read_up_to_their_first_closing_tag_and_scripts_with_a_src_are_not():
    from nkdigital.export.csp import inline_scripts

    page = ('<script src="a.js"></script><p>x</p><SCRIPT type="module">var a = "<b>";</SCRIPT >'
            "<script>one()</script><script>two()</Script>\n<script>never closed")
    # '</SCRIPT >' is no closing tag: the module script runs to the next '</script>'; an unclosed one is no script
    assert inline_scripts(page) == ['var a = "<b>";</SCRIPT ><script>one()', "two()"]
    page = page.replace("</SCRIPT >", "</SCRIPT>")
    assert inline_scripts(page) == ['var a = "<b>";', "one()", "two()"]


def test_reflow_settings_are_kept_per_figure_and_a_changed_figure_is_laid_out_again(package, tmp_path, monkeypatch):
    from nkdigital.export import reflow

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(reflow, "_KEPT", {})
    fig = nk.charts.chart("access-tiers-headline", package)
    fresh = json.loads(json.dumps(reflow.settings_of(fig)))
    assert fresh["steps"], "the chart asks for narrow steps"
    assert reflow.reflow_settings(fig) == fresh
    kept = list((tmp_path / "nkdigital" / "reflow").iterdir())
    assert len(kept) == 1 and json.loads(kept[0].read_text()) == fresh
    monkeypatch.setattr(reflow, "_KEPT", {})  # a new process: read back from the folder, not laid out again
    monkeypatch.setattr(reflow, "settings_of", lambda fig: pytest.fail("laid out again"))
    assert reflow.reflow_settings(fig) == fresh
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    changed = nk.charts.chart("access-tiers-headline", package)
    changed.layout.title.text = "Another title"  # the wide layout restores the title: its settings differ
    assert reflow.reflow_settings(changed) == json.loads(json.dumps(reflow.settings_of(changed))) != fresh
    assert len(list((tmp_path / "nkdigital" / "reflow").iterdir())) == 2


def test_a_chart_label_from_the_data_cannot_close_the_reflow_script(package):
    from nkdigital.export.html import figure_block
    from nkdigital.export.reflow import reflow_settings

    fig = nk.charts.chart("access-tiers-headline", package)
    hostile = "</script><script>alert(1)</script><!--"
    fig.layout.yaxis.ticktext = (*fig.layout.yaxis.ticktext[:-1], hostile)
    block = figure_block(fig)
    script = block[block.index("</figure>") + len("</figure>"):].strip()
    assert script.startswith("<script>") and script.count("</script>") == 1 and script.endswith("</script>")
    assert "<!--" not in script and "alert(1)" in script
    written = re.search(r"var settings = (\{.*?\}), names = ", script, re.DOTALL).group(1)
    assert json.loads(written) == json.loads(json.dumps(reflow_settings(fig)))
    assert hostile in json.dumps(json.loads(written), ensure_ascii=False)
