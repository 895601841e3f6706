"""Table exports: the package as SQLite, DuckDB, CSV (a data package), Parquet or Excel. Writes are atomic.

Every export first validates the package and refuses an invalid one (no file written), and each carries the
column dictionary: a `fields` table in the databases, comments on DuckDB columns, field metadata in Parquet.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.core.atomic import atomic_folder, atomic_path
from nkdigital.core.paths import ARCHIVE_DIR, default_archive
from nkdigital.export.common import fields_table, guard, schemas, steps
from nkdigital.export.formats import TABLE_FORMATS, unknown
from nkdigital.export.workbook import to_xlsx

SQL_TYPES = {"string": "TEXT", "number": "REAL", "integer": "INTEGER", "year": "INTEGER", "date": "TEXT",
             "boolean": "INTEGER"}
DUCKDB_TYPES = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT", "year": "BIGINT", "date": "DATE",
                "boolean": "BOOLEAN"}
ARROW_TYPES = {"string": "string", "number": "float64", "integer": "int64", "year": "int64", "date": "date32",
               "boolean": "bool"}
FIELDS_TABLE = "fields"
FIELDS_SCHEMA = {"fields": [{"name": name, "type": "boolean" if name == "required" else "string"} for name in
                             ("resource", "field", "type", "required", "allowed_values", "example", "description")]}
MARKER = ".nkdigital-export"  # lists what an exported folder holds: only such a folder is replaced (core.atomic)
ARROW_VIEW = "nkdigital_rows"  # a temporary name for the frame DuckDB reads from
# One thread for the export's own database: every row goes into the key indexes, and a second thread made the
# export slower, not faster (a hundred times the bundled rows on 2 cores: 1.45 s against 1.58 s for the whole
# command, and less CPU time; without keys it would be 0.2 s faster still, see benchmarks/RESULTS.md)
DUCKDB_CONFIG = {"threads": 1}


def _ordered(package: Package) -> list[str]:
    """Resources with `sources` first, so foreign keys always point at an existing table."""
    return sorted(package.resource_names, key=lambda name: name != "sources")


def _rows(table, schema: dict, dates_as_text: bool):
    """The Arrow table `table` for a database driver: one column per field in schema order, typed by the field's
    type (enums decoded to text, missing values null), dates as ISO text when `dates_as_text`."""
    import pyarrow as pa

    names = [f["name"] for f in schema["fields"]]
    typed = pa.schema([(f["name"], ARROW_TYPES[f.get("type", "string")]) for f in schema["fields"]])
    table = table.select(names).cast(typed)
    if dates_as_text:  # ISO text from the date, not the timestamp
        table = table.cast(pa.schema([(c.name, pa.string() if c.type == pa.date32() else c.type) for c in typed]))
    return table


def _create_table(name: str, schema: dict, types: dict[str, str], quote: Callable[[str], str]) -> str:
    """CREATE TABLE for one resource; every name is quoted by `quote`, the database driver's own quoting."""
    columns = []
    for f in schema["fields"]:
        required = " NOT NULL" if f.get("constraints", {}).get("required") else ""
        columns.append(f'{quote(f["name"])} {types[f.get("type", "string")]}{required}')
    columns.append("PRIMARY KEY (" + ", ".join(quote(k) for k in schema["primaryKey"]) + ")")
    for key in schema.get("foreignKeys", []):
        ref = key["reference"]
        columns.append(f"FOREIGN KEY ({quote(key['fields'][0])}) REFERENCES {quote(ref['resource'])}"
                       f" ({quote(ref['fields'][0])})")
    return f"CREATE TABLE {quote(name)} (\n  " + ",\n  ".join(columns) + "\n)"


def _insert(connection, name: str, rows, quote: Callable[[str], str]) -> None:
    """Insert the Arrow table `rows` into table `name` in one statement: DuckDB scans the Arrow table itself,
    SQLite gets every row in one `executemany` (inside the export's one transaction)."""
    if isinstance(connection, sqlite3.Connection):
        marks = ", ".join("?" for _ in rows.column_names)
        connection.executemany(f"INSERT INTO {quote(name)} VALUES ({marks})",
                               zip(*(column.to_pylist() for column in rows.columns), strict=True))
        return
    [(database,)] = connection.execute("SELECT current_database()").fetchall()
    connection.register(ARROW_VIEW, rows)  # a temporary view: named in full, so no table of that name is meant
    try:
        connection.execute(f"INSERT INTO {quote(database)}.main.{quote(name)} SELECT * FROM temp.main.{ARROW_VIEW}")
    finally:
        connection.unregister(ARROW_VIEW)


def sqlite_quote(name: str) -> str:
    """`name` as an SQLite identifier: in double quotes, each inner double quote doubled (what SQLite's own
    `printf('%w')` does), so no name from the descriptor or the data ever becomes SQL."""
    return '"' + str(name).replace('"', '""') + '"'


def duckdb_quote(name: str) -> str:
    """DuckDB's own identifier quoting, for names from the descriptor."""
    import duckdb

    return str(duckdb.ColumnExpression(name))


def _fill(connection, package: Package, types: dict[str, str], dates_as_text: bool, show: bool, what: str,
          quote: Callable[[str], str], described: Callable[[dict], list[str]] | None = None) -> None:
    """Create one keyed table per resource (sources first) and the `fields` table, run the statements
    `described` gives for the descriptor (DuckDB's comments, set while the tables are empty), then insert the
    rows."""
    all_schemas = schemas(package)
    text, flag = types["string"], types["boolean"]
    statements = [_create_table(name, all_schemas[name], types, quote) for name in _ordered(package)]
    statements.append(f'CREATE TABLE "{FIELDS_TABLE}" (resource {text} NOT NULL, field {text} NOT NULL,'
                      f' type {text} NOT NULL, required {flag} NOT NULL, allowed_values {text}, example {text},'
                      f' description {text}, PRIMARY KEY (resource, field))')
    _execute_all(connection, statements + (described(package.descriptor) if described else []))
    for name in steps(_ordered(package), show, what):
        _insert(connection, name, _rows(package.table(name), all_schemas[name], dates_as_text), quote)
    _insert(connection, FIELDS_TABLE, _rows(_plain_table(fields_table(package)), FIELDS_SCHEMA, dates_as_text),
            quote)


def _execute_all(connection, statements: list[str]) -> None:
    """Run `statements` in order: DuckDB takes them in one call (each call costs a round trip), SQLite one by one
    (its `executescript` would commit the open transaction)."""
    if isinstance(connection, sqlite3.Connection):
        for statement in statements:
            connection.execute(statement)
    else:
        connection.execute(";\n".join(statements))


@contextmanager
def _database_errors(out: Path, errors: type[Exception] | tuple[type[Exception], ...]) -> Iterator[None]:
    """A database driver's error (a full disk, say) as an OSError naming the output."""
    try:
        yield
    except errors as error:
        raise OSError(f"cannot write {out}: {error}") from None


def to_sqlite(package: Package, out: str | os.PathLike, progress: bool = False) -> Path:
    """One table per resource, with primary and foreign keys, plus `fields`; dates as ISO text, booleans as 0/1."""
    out = Path(out)
    guard(out, package)
    with atomic_path(out) as temporary, _database_errors(out, sqlite3.Error):
        connection = sqlite3.connect(temporary, isolation_level=None)  # transactions as written below
        try:
            connection.execute("PRAGMA foreign_keys = ON")  # outside a transaction, or it does nothing
            connection.execute("BEGIN")
            _fill(connection, package, SQL_TYPES, dates_as_text=True, show=progress, what="sqlite",
                  quote=sqlite_quote)
            connection.execute("COMMIT")
        finally:
            connection.close()
    return out


def _sql_text(text: str) -> str:
    """A string literal, quoted by DuckDB itself (COMMENT ON takes no parameters)."""
    import duckdb

    return str(duckdb.ConstantExpression(text))


def _comments(descriptor: dict) -> list[str]:
    """COMMENT ON statements for every described table and column, each name and text quoted by DuckDB."""
    statements = []
    for resource in descriptor["resources"]:
        table = duckdb_quote(resource["name"])
        if resource.get("description"):
            statements.append(f"COMMENT ON TABLE {table} IS {_sql_text(resource['description'])}")
        statements += [f"COMMENT ON COLUMN {table}.{duckdb_quote(field['name'])} IS {_sql_text(field['description'])}"
                       for field in resource["schema"]["fields"] if field.get("description")]
    return statements


def to_duckdb(package: Package, out: str | os.PathLike, progress: bool = False) -> Path:
    """One DuckDB table per resource, with keys, native DATE columns, column comments, plus `fields`."""
    import duckdb

    out = Path(out)
    guard(out, package)
    with atomic_path(out) as temporary, _database_errors(out, duckdb.Error):
        connection = duckdb.connect(str(temporary), config=DUCKDB_CONFIG)
        try:
            connection.execute("BEGIN TRANSACTION")
            _fill(connection, package, DUCKDB_TYPES, dates_as_text=False, show=progress, what="duckdb",
                  quote=duckdb_quote, described=_comments)
            connection.execute("COMMIT")
            connection.execute("CHECKPOINT")
        finally:
            connection.close()
    return out


def to_csv(package: Package, out: str | os.PathLike, progress: bool = False) -> Path:
    """A copy of the data package that validates on its own: `datapackage.json`, each resource at its path (hashes
    recorded) and, in `archive/`, the archived texts its quotes are checked against.

    Written to a temporary folder that then takes the place of `out`, so a failed export leaves `out` as it was.
    """
    out = Path(out)
    guard(out, package)
    descriptor = json.loads(json.dumps(package.descriptor))
    source = package.path.parent
    with atomic_folder(out, MARKER) as folder:
        for resource in steps(descriptor["resources"], progress, "csv"):
            data = (source / resource["path"]).read_bytes()
            target = folder / resource["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            resource["hash"], resource["bytes"] = "sha256:" + hashlib.sha256(data).hexdigest(), len(data)
        text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
        (folder / "datapackage.json").write_text(text, encoding="utf-8")
        _copy_archive(package, folder / ARCHIVE_DIR)
    return out


def _copy_archive(package: Package, target: Path) -> None:
    """The archived files the package cites (`archive_path`), with the archive's INDEX.csv and README.md."""
    archive = Path(package.archive) if package.archive is not None else default_archive(package.path)
    cited = {path for name in package.resource_names if "archive_path" in (frame := package.resource(name))
             for path in frame["archive_path"].dropna()}
    for relative in sorted(cited | {p for p in ("INDEX.csv", "README.md") if (archive / p).is_file()}):
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(archive / relative, target / relative)


def _plain_table(frame: pd.DataFrame):
    """A frame of our own (no attrs to keep) as an Arrow table."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def _parquet_table(table, resource: dict):
    """The resource's Arrow table (:meth:`Package.table`) keeping the package's types: dates as date32, enums as
    dictionaries, nullable numbers; each field's description in its metadata, the resource's in the table's."""
    import pyarrow as pa

    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    schema = pa.schema([
        column.with_type(pa.date32() if fields[column.name].get("type") == "date" else column.type)
        .with_metadata({"description": fields[column.name].get("description", "")})
        for column in table.schema
    ], metadata={b"pandas": table.schema.metadata[b"pandas"],
                 b"description": resource.get("description", "").encode("utf-8")})
    return table.cast(schema)


def to_parquet(package: Package, out: str | os.PathLike, progress: bool = False) -> Path:
    """A folder with one Parquet file per resource (`<name>.parquet`), types and column descriptions kept."""
    import pyarrow.parquet as pq

    out = Path(out)
    guard(out, package)
    with atomic_folder(out, MARKER) as folder:
        for resource in steps(package.descriptor["resources"], progress, "parquet"):
            pq.write_table(_parquet_table(package.table(resource["name"]), resource),
                           folder / f"{resource['name']}.parquet")
    return out


# one writer per name in formats.TABLE_FORMATS (tests/test_layout.py ties them)
WRITERS = {"sqlite": to_sqlite, "duckdb": to_duckdb, "csv": to_csv, "xlsx": to_xlsx, "parquet": to_parquet}


def export(package: Package, fmt: str, out: str | os.PathLike, progress: bool = False) -> Path:
    """Write `package` as `fmt` (sqlite, duckdb, csv, xlsx or parquet) to `out`."""
    if fmt not in WRITERS:
        raise unknown("export", fmt, TABLE_FORMATS)
    return WRITERS[fmt](package, out, progress)


def read_sqlite(path: str | os.PathLike, package: Package) -> dict[str, pd.DataFrame]:
    """Read an exported SQLite file back into frames typed like `package`'s."""
    with sqlite3.connect(path) as connection:
        frames = {}
        for name in package.resource_names:
            raw = pd.read_sql_query(f"SELECT * FROM {sqlite_quote(name)}", connection)
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
