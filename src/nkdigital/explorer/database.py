"""The explorer's SQLite database: the sqlite export plus full-text indexes and each source's archived text."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from nkdigital.atomic import atomic_path
from nkdigital.export.tables import to_sqlite
from nkdigital.load import Package

# Prose and name columns worth searching, wherever a table has them.
SEARCHABLE = ("title", "subject", "group_name", "description", "phrase", "conditions", "relevance", "quote", "note",
              "date_phrase", "attributed_to", "actor", "family", "given", "literal", "original_outlet", "citation")
COPIES = "source_copies"
CITATION_STYLE = "apa"


def build(package: Package, out: str | os.PathLike) -> Path:
    """Write `package` to `out` with `to_sqlite`, then add an FTS5 index to every table with prose columns.

    If archived texts are listed in `source_copies` rather than in `sources.archive_path`, the paths are
    copied onto `sources.archive_path` (one per line) so that a source row links straight to its text. Each
    source gets its `citation` (APA), the text `nk.cite` gives.
    """
    out = Path(out)
    with atomic_path(out) as temporary:
        to_sqlite(package, temporary)
        with closing(sqlite3.connect(temporary)) as connection:
            link_copies(connection)
            add_citations(connection, package)
            for table, searched in search_columns(table_columns(connection)).items():
                add_fts(connection, table, searched)
            connection.commit()
    return out


def table_columns(connection: sqlite3.Connection) -> dict[str, list[str]]:
    """Column names of every ordinary table, by table name (FTS tables and their shadows excluded)."""
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        " AND name NOT LIKE '%\\_fts%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")]
    return {name: [row[1] for row in connection.execute(f'PRAGMA table_info("{name}")')] for name in names}


def search_columns(columns: dict[str, list[str]]) -> dict[str, list[str]]:
    """The searchable columns of each table that has any."""
    found = {table: [c for c in SEARCHABLE if c in names] for table, names in columns.items()}
    return {table: searched for table, searched in found.items() if searched}


def add_fts(connection: sqlite3.Connection, table: str, searched: list[str]) -> None:
    """An external-content FTS5 table `<table>_fts`, which Datasette detects and uses for `?_search=`."""
    listed = ", ".join(f'"{c}"' for c in searched)
    connection.execute(f'CREATE VIRTUAL TABLE "{table}_fts" USING fts5({listed}, content="{table}")')
    connection.execute(f'INSERT INTO "{table}_fts" ("{table}_fts") VALUES (\'rebuild\')')


def link_copies(connection: sqlite3.Connection) -> None:
    """Give `sources` an `archive_path` (newline-separated) from `source_copies` when it has none of its own."""
    columns = table_columns(connection)
    if "archive_path" in columns.get("sources", ["archive_path"]) or "archive_path" not in columns.get(COPIES, []):
        return
    connection.execute('ALTER TABLE sources ADD COLUMN archive_path TEXT')
    connection.execute(
        f"UPDATE sources SET archive_path = (SELECT group_concat(archive_path, char(10)) FROM"
        f" (SELECT DISTINCT archive_path FROM {COPIES} AS c WHERE c.source_id = sources.source_id"
        f" ORDER BY archive_path))")


def add_citations(connection: sqlite3.Connection, package: Package, style: str = CITATION_STYLE) -> None:
    """A `citation` column on `sources`: each source's citation in `style`, as `nk.cite` prints it."""
    from nkdigital.cite import cite

    ids = [row[0] for row in connection.execute("SELECT source_id FROM sources")]
    connection.execute("ALTER TABLE sources ADD COLUMN citation TEXT")
    connection.executemany("UPDATE sources SET citation = ? WHERE source_id = ?",
                           [(cite(i, style=style, package=package), i) for i in ids])
