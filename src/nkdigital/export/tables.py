"""Table exports: the package as SQLite, DuckDB, CSV or Excel. Writes are atomic."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from nkdigital.atomic import atomic_path, atomic_write_bytes
from nkdigital.load import Package

SQL_TYPES = {"string": "TEXT", "number": "REAL", "integer": "INTEGER", "year": "INTEGER", "date": "TEXT",
             "boolean": "INTEGER"}
DUCKDB_TYPES = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT", "year": "BIGINT", "date": "DATE",
                "boolean": "BOOLEAN"}


def _progress(items: list, enabled: bool, what: str) -> Iterable:
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=what, unit="item", leave=False)


def _guard(out: Path, package: Package) -> None:
    folder = package.path.resolve().parent
    target = out.resolve()
    if target == folder or folder in target.parents:
        raise ValueError(f"refusing to write {out} inside the data package folder {folder}")


def _schemas(package: Package) -> dict[str, dict]:
    return {r["name"]: r["schema"] for r in package.descriptor["resources"]}


def _ordered(package: Package) -> list[str]:
    """Resources with `sources` first, so foreign keys always point at an existing table."""
    return sorted(package.resource_names, key=lambda name: name != "sources")


def _plain(frame: pd.DataFrame, schema: dict, dates_as_text: bool) -> pd.DataFrame:
    """Plain Python values for database drivers: None for missing, ISO strings (or dates) for dates."""
    out = {}
    for f in schema["fields"]:
        column = frame[f["name"]]
        if f.get("type") == "date":
            values = [None if pd.isna(v) else (v.date().isoformat() if dates_as_text else v.date()) for v in column]
        elif f.get("type") == "boolean":
            values = [None if pd.isna(v) else bool(v) for v in column]
        elif f.get("type") in ("integer", "year"):
            values = [None if pd.isna(v) else int(v) for v in column]
        elif f.get("type") == "number":
            values = [None if pd.isna(v) else float(v) for v in column]
        else:
            values = [None if pd.isna(v) else str(v) for v in column]
        out[f["name"]] = values
    return pd.DataFrame(out, dtype="object")


def _create_table(name: str, schema: dict, types: dict[str, str]) -> str:
    columns = []
    for f in schema["fields"]:
        required = " NOT NULL" if f.get("constraints", {}).get("required") else ""
        columns.append(f'"{f["name"]}" {types[f.get("type", "string")]}{required}')
    columns.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in schema["primaryKey"]) + ")")
    for key in schema.get("foreignKeys", []):
        ref = key["reference"]
        columns.append(f'FOREIGN KEY ("{key["fields"][0]}") REFERENCES "{ref["resource"]}" ("{ref["fields"][0]}")')
    return f'CREATE TABLE "{name}" (\n  ' + ",\n  ".join(columns) + "\n)"


def _fill(connection, package: Package, types: dict[str, str], dates_as_text: bool, progress: bool, what: str) -> None:
    """Create one keyed table per resource (sources first) and insert its rows."""
    schemas = _schemas(package)
    for name in _progress(_ordered(package), progress, what):
        connection.execute(_create_table(name, schemas[name], types))
        rows = _plain(package.resource(name), schemas[name], dates_as_text)
        marks = ", ".join("?" for _ in rows.columns)
        values = [list(row) for row in rows.itertuples(index=False)]
        connection.executemany(f'INSERT INTO "{name}" VALUES ({marks})', values)


def to_sqlite(package: Package, out: str | os.PathLike, progress: bool = False) -> Path:
    """One table per resource, with primary and foreign keys; dates as ISO text, booleans as 0/1."""
    out = Path(out)
    _guard(out, package)
    with atomic_path(out) as temporary:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            _fill(connection, package, SQL_TYPES, dates_as_text=True, progress=progress, what="sqlite")
            connection.commit()
        finally:
            connection.close()
    return out


def to_duckdb(package: Package, out: str | os.PathLike, progress: bool = False) -> Path:
    """One DuckDB table per resource, with primary and foreign keys and native DATE columns."""
    import duckdb

    out = Path(out)
    _guard(out, package)
    with atomic_path(out) as temporary:
        temporary.unlink()  # duckdb creates its own file
        connection = duckdb.connect(str(temporary))
        try:
            _fill(connection, package, DUCKDB_TYPES, dates_as_text=False, progress=progress, what="duckdb")
        finally:
            connection.close()
    return out


def to_csv(package: Package, out: str | os.PathLike, progress: bool = False) -> Path:
    """A folder with one CSV per resource (as in the package) and a copy of the descriptor."""
    out = Path(out)
    _guard(out, package)
    out.mkdir(parents=True, exist_ok=True)
    source = package.path.parent
    for resource in _progress(package.descriptor["resources"], progress, "csv"):
        atomic_write_bytes(out / Path(resource["path"]).name, (source / resource["path"]).read_bytes())
    atomic_write_bytes(out / "datapackage.json", package.path.read_bytes())
    return out


def to_xlsx(package: Package, out: str | os.PathLike, progress: bool = False) -> Path:
    """One worksheet per resource, plus an `about` sheet with the citation and licence."""
    from nkdigital.cite import cite

    out = Path(out)
    _guard(out, package)
    about = pd.DataFrame({"about": [package.descriptor.get("title", ""), package.descriptor.get("description", ""),
                                    "Cite as: " + cite(package=package),
                                    "Licence: CC BY 4.0; third-party terms per source in sources.usage_terms"]})
    with atomic_path(out) as temporary, pd.ExcelWriter(temporary, engine="openpyxl") as writer:
        about.to_excel(writer, sheet_name="about", index=False)
        for name in _progress(package.resource_names, progress, "xlsx"):
            frame = package.resource(name)
            for column in frame.select_dtypes("datetime").columns:
                frame[column] = frame[column].dt.date
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return out


WRITERS = {"sqlite": to_sqlite, "duckdb": to_duckdb, "csv": to_csv, "xlsx": to_xlsx}


def export(package: Package, fmt: str, out: str | os.PathLike, progress: bool = False) -> Path:
    """Write `package` as `fmt` (sqlite, duckdb, csv or xlsx) to `out`."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(WRITERS)}")
    return WRITERS[fmt](package, out, progress)


def read_sqlite(path: str | os.PathLike, package: Package) -> dict[str, pd.DataFrame]:
    """Read an exported SQLite file back into frames typed like `package`'s."""
    with sqlite3.connect(path) as connection:
        frames = {}
        for name in package.resource_names:
            raw = pd.read_sql_query(f'SELECT * FROM "{name}"', connection)
            frames[name] = _retyped(raw, package.resource(name))
    return frames


def _retyped(raw: pd.DataFrame, template: pd.DataFrame) -> pd.DataFrame:
    columns = {}
    for name, dtype in template.dtypes.items():
        values = raw[name].astype("object").where(raw[name].notna(), None)
        if isinstance(dtype, pd.CategoricalDtype):
            columns[name] = pd.Categorical(values, categories=dtype.categories)
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            columns[name] = pd.to_datetime(values).astype(dtype)
        elif str(dtype) == "boolean":
            columns[name] = pd.array([None if v is None else bool(v) for v in values], dtype="boolean")
        else:
            columns[name] = pd.array(list(values), dtype=dtype)
    frame = pd.DataFrame(columns)
    frame.attrs = dict(template.attrs)
    return frame
