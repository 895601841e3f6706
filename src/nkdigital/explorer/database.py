"""The explorer's SQLite database: the sqlite export, arranged for reading, plus what the canned queries need.

On top of `to_sqlite`: each quoted row carries its source's `original_outlet` and `strength` (so they facet), each
source its APA citation (`nk.cite`),
columns are ordered when, what, how much, who, how strong, the words (`roles.LEAD`), every table with prose gets
an FTS5 index, and the API's own results are stored where SQL cannot restate them: each observation's period
(`observation_periods`, from `periods.period_end`) and `pkg.conflicts()` for every geo (`conflicts`).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd

from nkdigital.api.conflicts import GROUP, SPREAD
from nkdigital.api.package import Package
from nkdigital.core.atomic import atomic_path
from nkdigital.core.periods import period_end
from nkdigital.explorer.names import CONFLICTS, COPIES, FROM_SOURCES, HELPERS, PERIODS
from nkdigital.export.tables import sqlite_quote, to_sqlite
from nkdigital.metadata.roles import LEAD, ROLES, having

CITATION_STYLE = "apa"
SEARCHED_TOO = ("citation",)  # columns only the explorer adds that are worth searching
# What the conflicts query shows of `pkg.conflicts()`: the group, its spread, then each row's date and figures.
CONFLICT_COLUMNS = ("conflict", *GROUP, *SPREAD, "observation_id", "ref_date", "date_phrase", *ROLES["figure"],
                    "qualifier", "claim_type", *ROLES["evidence"])


def build(package: Package, out: str | os.PathLike) -> Path:
    """Write the explorer database for `package` to `out` (replaced atomically)."""
    out = Path(out)
    with atomic_path(out) as temporary:
        to_sqlite(package, temporary)
        with closing(sqlite3.connect(temporary)) as connection:
            link_copies(connection)
            add_source_columns(connection)
            add_citations(connection, package)
            for table, names in table_columns(connection).items():
                reorder(connection, table, names)
            add_api_tables(connection, package)
            for table, searched in search_columns(table_columns(connection)).items():
                add_fts(connection, table, searched)
            connection.commit()
    return out


def table_columns(connection: sqlite3.Connection) -> dict[str, list[str]]:
    """Column names of every ordinary table, by table name (FTS tables and their shadows excluded)."""
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        " AND name NOT LIKE '%\\_fts%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")]
    return {name: [row[1] for row in connection.execute("SELECT * FROM pragma_table_info(?)", [name])]
            for name in names}


def search_columns(columns: dict[str, list[str]]) -> dict[str, list[str]]:
    """The searchable columns of each table that has any (helper tables excluded)."""
    found = {table: having("searchable", names) + [c for c in SEARCHED_TOO if c in names]
             for table, names in columns.items() if table not in HELPERS}
    return {table: searched for table, searched in found.items() if searched}


def add_fts(connection: sqlite3.Connection, table: str, searched: list[str]) -> None:
    """An external-content FTS5 table `<table>_fts`, which Datasette detects and uses for `?_search=`."""
    ident = sqlite_quote
    fts = ident(f"{table}_fts")
    listed = ", ".join(ident(c) for c in searched)
    content = "'" + table.replace("'", "''") + "'"
    connection.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({listed}, content={content})")
    connection.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")


def link_copies(connection: sqlite3.Connection) -> None:
    """Give `sources` an `archive_path` (newline-separated) from `source_copies` when it has none of its own."""
    columns = table_columns(connection)
    if "archive_path" in columns.get("sources", ["archive_path"]) or "archive_path" not in columns.get(COPIES, []):
        return
    connection.execute("ALTER TABLE sources ADD COLUMN archive_path TEXT")
    connection.execute(
        f"UPDATE sources SET archive_path = (SELECT group_concat(archive_path, char(10)) FROM"
        f" (SELECT DISTINCT archive_path FROM {COPIES} AS c WHERE c.source_id = sources.source_id"
        f" ORDER BY archive_path))")


def add_source_columns(connection: sqlite3.Connection) -> None:
    """Copy each source's outlet and strength onto every quoted table's rows, so that they facet and show."""
    columns, ident = table_columns(connection), sqlite_quote
    copied = [c for c in FROM_SOURCES if c in columns.get("sources", [])]
    for table, names in columns.items():
        if table in ("sources", COPIES) or "source_id" not in names or "quote" not in names:
            continue
        for column in (c for c in copied if c not in names):
            connection.execute(f"ALTER TABLE {ident(table)} ADD COLUMN {ident(column)} TEXT")
            connection.execute(f"UPDATE {ident(table)} SET {ident(column)} = (SELECT s.{ident(column)}"
                               f" FROM sources AS s WHERE s.source_id = {ident(table)}.source_id)")


def add_citations(connection: sqlite3.Connection, package: Package, style: str = CITATION_STYLE) -> None:
    """`sources.citation`: each source's citation in `style`, as `nk.cite(source_id, style=style)` prints it."""
    from nkdigital.citation import cite

    if "source_id" not in table_columns(connection).get("sources", []):
        return
    ids = [row[0] for row in connection.execute("SELECT source_id FROM sources")]
    connection.execute("ALTER TABLE sources ADD COLUMN citation TEXT")
    connection.executemany("UPDATE sources SET citation = ? WHERE source_id = ?",
                           [(cite(i, style=style, package=package), i) for i in ids])


def lead_order(names: list[str]) -> list[str]:
    """The key first, then `roles.LEAD` columns, then the rest in their own order."""
    lead = [c for c in LEAD if c in names and c != names[0]]
    return [names[0], *lead, *(c for c in names[1:] if c not in lead)]


def reorder(connection: sqlite3.Connection, table: str, names: list[str]) -> None:
    """Rebuild `table` with its columns in `lead_order`, keeping types, NOT NULL, primary and foreign keys."""
    order, ident = lead_order(names), sqlite_quote
    if order == names:
        return
    info = {row[1]: row for row in connection.execute("SELECT * FROM pragma_table_info(?)", [table])}
    keys = [row[1] for row in sorted(info.values(), key=lambda row: row[5]) if row[5]]
    parts = [f"{ident(c)} {info[c][2]}{' NOT NULL' if info[c][3] else ''}" for c in order]
    if keys:
        parts.append(f"PRIMARY KEY ({', '.join(ident(k) for k in keys)})")
    for row in connection.execute("SELECT * FROM pragma_foreign_key_list(?)", [table]):
        parts.append(f"FOREIGN KEY ({ident(row[3])}) REFERENCES {ident(row[2])} ({ident(row[4])})")
    listed = ", ".join(ident(c) for c in order)
    connection.execute(f"CREATE TABLE {ident('_new_' + table)} ({', '.join(parts)})")
    connection.execute(f"INSERT INTO {ident('_new_' + table)} ({listed}) SELECT {listed} FROM {ident(table)}")
    connection.execute(f"DROP TABLE {ident(table)}")
    connection.execute(f"ALTER TABLE {ident('_new_' + table)} RENAME TO {ident(table)}")


def add_api_tables(connection: sqlite3.Connection, package: Package) -> None:
    """`observation_periods` (each observation's first and last day) and `conflicts` (`pkg.conflicts(geo=g)` for
    every geo, in its order: `position`), both computed by the library's own code."""
    observations = package.observations(geo="all")
    periods = pd.DataFrame({"observation_id": observations["observation_id"],
                            "period_start": _iso(observations["ref_date"]),
                            "period_end": _iso(period_end(observations, "ref_date"))})
    periods.to_sql(PERIODS, connection, index=False)
    found = []
    for geo in sorted(observations["geo"].dropna().unique()):
        rows = package.conflicts(geo=geo)
        found.append(rows.assign(position=range(len(rows))))
    frame = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=[*CONFLICT_COLUMNS, "position"])
    frame = frame[[*CONFLICT_COLUMNS, "position"]]
    for column in ("period_start", "period_end", "ref_date"):
        frame[column] = _iso(frame[column])
    frame = frame.astype(object).where(frame.notna(), None)
    frame.to_sql(CONFLICTS, connection, index=False)


def _iso(dates: pd.Series) -> pd.Series:
    """Dates as ISO text (None where missing), as the sqlite export stores them."""
    return pd.Series([None if pd.isna(d) else pd.Timestamp(d).date().isoformat() for d in dates], index=dates.index,
                     dtype=object)
