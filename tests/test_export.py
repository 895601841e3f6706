"""Exports: round trips, keys kept, atomic writes, and never inside the data package."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from nkdigital import export


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
    assert [(f[2], f[3], f[4]) for f in foreign] == [("sources", "source_id", "source_id")]


def test_duckdb_export_has_typed_tables_and_keys(package, tmp_path):
    import duckdb

    out = export.export(package, "duckdb", tmp_path / "nk.duckdb")
    with duckdb.connect(str(out), read_only=True) as db:
        count = db.execute("SELECT count(*) FROM observations").fetchone()[0]
        kind = db.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'observations'"
                          " AND column_name = 'ref_date'").fetchone()[0]
        constraints = {r[0] for r in db.execute("SELECT constraint_type FROM duckdb_constraints()"
                                                " WHERE table_name = 'events'").fetchall()}
    assert count == len(package.observations())
    assert kind == "DATE"
    assert {"PRIMARY KEY", "FOREIGN KEY"} <= constraints


def test_csv_export_copies_files_and_descriptor_byte_for_byte(package, tmp_path):
    out = export.export(package, "csv", tmp_path / "csv")
    assert (out / "observations.csv").read_bytes() == (package.path.parent / "data/observations.csv").read_bytes()
    assert (out / "datapackage.json").read_bytes() == package.path.read_bytes()


def test_xlsx_export_has_an_about_sheet_and_one_sheet_per_resource(package, tmp_path):
    out = export.export(package, "xlsx", tmp_path / "nk.xlsx")
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["about", *package.resource_names]
    assert len(sheets["observations"]) == len(package.observations())
    assert sheets["about"]["about"].str.contains("Cite as: nkdigital developers").any()


def test_exports_refuse_to_write_inside_the_data_package(package):
    with pytest.raises(ValueError, match="inside the data package folder"):
        export.export(package, "sqlite", package.path.parent / "data" / "x.sqlite")


def test_a_failed_export_leaves_no_file_and_no_temporary(package, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export.tables, "_plain", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        export.to_sqlite(package, tmp_path / "nk.sqlite")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_survives_a_failed_export(package, tmp_path, monkeypatch):
    target = tmp_path / "nk.sqlite"
    target.write_bytes(b"previous")
    monkeypatch.setattr(export.tables, "_plain", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        export.to_sqlite(package, target)
    assert target.read_bytes() == b"previous"


def test_unknown_format_is_a_clear_error(package, tmp_path):
    with pytest.raises(ValueError, match="unknown export format 'parquet'"):
        export.export(package, "parquet", tmp_path / "x")
