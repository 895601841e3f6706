"""Exports: the package as SQLite, DuckDB, CSV or Excel, and charts as HTML, PNG or SVG. Writes are atomic."""

from __future__ import annotations

import contextlib
import html
import io
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from nkdigital.atomic import atomic_path, atomic_write_bytes
from nkdigital.load import Package

SQL_TYPES = {"string": "TEXT", "number": "REAL", "integer": "INTEGER", "year": "INTEGER", "date": "TEXT",
             "boolean": "INTEGER"}
DUCKDB_TYPES = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT", "year": "BIGINT", "date": "DATE",
                "boolean": "BOOLEAN"}
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


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


# charts


def find_browser() -> str:
    """Path of a Chrome/Chromium for kaleido, or a RuntimeError saying how to install one."""
    found = os.environ.get("BROWSER_PATH") or next(filter(None, map(shutil.which, BROWSERS)), None)
    if not found:
        raise RuntimeError("PNG and SVG export need Chromium or Chrome; install it (Debian: apt-get install"
                           " chromium) or set BROWSER_PATH to the browser")
    return found


def escape_once(text: str) -> str:
    """HTML-escape text that may already be escaped (chart meta is), without double-escaping it."""
    return html.escape(html.unescape(text))


def chart_html(fig, include_plotlyjs: bool | str = True) -> str:
    """A complete, offline HTML page for a house chart, with its description as alt text and caption."""
    from nkdigital.charts.house import config

    meta = fig.layout.meta or {}
    description, source_line, title = (
        escape_once(meta.get(key, default))
        for key, default in (("description", ""), ("source_line", ""), ("filename", "nkdigital chart"))
    )
    div = fig.to_html(full_html=False, include_plotlyjs=include_plotlyjs, config=config(fig),
                      div_id=meta.get("filename", "nkdigital-chart"))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="icon" href="data:,">\n'
        f"<title>{title}</title>\n</head>\n"
        f'<body>\n<figure role="img" aria-label="{description}">\n{div}\n'
        f"<figcaption>{description}<br>{source_line}</figcaption>\n</figure>\n</body>\n</html>\n"
    )


def write_chart_html(fig, out: str | os.PathLike, include_plotlyjs: bool | str = True) -> Path:
    out = Path(out)
    atomic_write_bytes(out, chart_html(fig, include_plotlyjs).encode("utf-8"))
    return out


@contextmanager
def _browser_quiet() -> Iterator[None]:
    """Keep the headless browser's own log lines (it writes to the inherited stderr) out of the caller's output.

    Anything written while kaleido runs is shown only if the export fails.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured, contextlib.redirect_stderr(io.StringIO()) as python_level:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            captured.seek(0)
            sys.__stderr__.write(python_level.getvalue() + captured.read().decode("utf-8", "replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


IMAGE_FORMATS = ("png", "svg")


def write_images(figures: dict, folder: str | os.PathLike, formats: str | Sequence[str] = "png") -> list[Path]:
    """Render figures to PNG (scale 2) and/or SVG with kaleido, every file in one browser session."""
    import plotly.io as pio

    formats = [formats] if isinstance(formats, str) else list(formats)
    unknown = [f for f in formats if f not in IMAGE_FORMATS]
    if unknown:
        raise ValueError(f"unknown image format {unknown[0]!r}; choose png or svg")
    find_browser()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(stem, fig, fmt) for fmt in formats for stem, fig in figures.items()]
    targets = [folder / f"{stem}.{fmt}" for stem, _, fmt in jobs]
    temporaries = [folder / f".{stem}.tmp.{fmt}" for stem, _, fmt in jobs]
    try:
        figs = [fig for _, fig, _ in jobs]  # batch writing ignores each figure's own size unless given
        with _browser_quiet():
            pio.write_images(figs, temporaries, format=[fmt for *_, fmt in jobs],
                             scale=[2 if fmt == "png" else 1 for *_, fmt in jobs],
                             width=[f.layout.width for f in figs], height=[f.layout.height for f in figs])
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
    return targets


def write_charts(package: Package, out: str | os.PathLike, formats: Iterable[str] = ("html",),
                 progress: bool = False) -> list[Path]:
    """Write every house chart as HTML (self-contained), PNG and/or SVG into the folder `out`."""
    from nkdigital import charts

    out = Path(out)
    _guard(out, package)
    formats = list(formats)
    unknown = [f for f in formats if f != "html" and f not in IMAGE_FORMATS]
    if unknown:
        raise ValueError(f"unknown chart format {unknown[0]!r}; choose html, png or svg")
    figures = charts.gallery(package)
    images = [f for f in formats if f in IMAGE_FORMATS]
    steps = (["html"] if "html" in formats else []) + ([images] if images else [])
    paths = []
    for step in _progress(steps, progress, "charts"):
        if step == "html":
            paths += [write_chart_html(fig, out / f"{stem}.html") for stem, fig in figures.items()]
        else:
            paths += write_images(figures, out, step)
    return paths
