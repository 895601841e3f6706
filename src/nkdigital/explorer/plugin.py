"""Datasette hooks for the explorer: cells (units, links, quotes linked to their marked passage, search hits),
the archived texts (`archive.py`), the request limits, and SQLite limits on every connection."""

from __future__ import annotations

import sqlite3
import urllib.parse
from pathlib import Path

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from nkdigital.explorer import archive
from nkdigital.explorer.canned import SNIPPET, SPREAD, fts_words
from nkdigital.explorer.database import ident
from nkdigital.explorer.limits import SQLITE_LIMITS, refusal
from nkdigital.explorer.metadata import DATABASE, VALUES

MOUNT = "archive"  # URL prefix of the archived texts
STYLE = Path(__file__).with_name("explorer.css")
WITH_UNIT = (*VALUES, *SPREAD)
settings: dict[str, Path] = {}  # "archive": the archive folder, set by `serve` before Datasette starts
_links: dict[str | None, dict[str, tuple[str, str]]] = {}  # table (None: any query) -> column -> (table, column)
_copies: dict[str, str] = {}  # source_id -> archive path of its primary copy


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Archive paths and quotes link to the archived text; figures show their unit; search hits are marked;
    foreign keys and `row_id`s link to their row."""
    if database != DATABASE or value is None or value == "":
        return None
    keys = row.keys()  # `in row` would test a sqlite3.Row's values
    if column == "archive_path":
        links = [f'<a href="{escape(datasette.urls.path(f"{MOUNT}/{path}"))}">{escape(path)}</a>'
                 for path in str(value).splitlines() if path]
        return Markup("<br>".join(links))
    if column in WITH_UNIT and isinstance(value, int | float) and "unit" in keys and row["unit"]:
        return f"{_number(value)} {row['unit'].replace('_', ' ')}"
    if column == "found" and "resource" in keys:
        start, end = SNIPPET
        return Markup(str(escape(value)).replace(start, "<mark>").replace(end, "</mark>"))
    if column == "row_id" and "resource" in keys:
        href = datasette.urls.row(DATABASE, row["resource"], tilde_encode(str(value)))
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if column == "quote" and "source_id" in keys and row["source_id"]:
        source = row["source_id"]  # table pages expand foreign keys to {"value": ..., "label": ...}
        return _quote_link(datasette, source["value"] if isinstance(source, dict) else source, str(value))
    if isinstance(value, str):  # table pages expand foreign keys themselves (as dicts); row pages do not
        return _foreign_link(datasette, table, column, value)
    return None


async def _quote_link(datasette, source_id: str, quote: str) -> Markup | None:
    """The quote (truncated as other cells are, in full as a tooltip) linking to its passage, marked."""
    if not _copies:
        db = datasette.get_database(DATABASE)
        found = await db.execute("SELECT source_id, archive_path FROM source_copies"
                                 " ORDER BY source_id, role = 'primary', archive_path DESC")
        _copies.update({r[0]: r[1] for r in found.rows})  # the last row per source wins: its primary copy
    path = _copies.get(source_id)
    if path is None:
        return None
    limit = datasette.setting("truncate_cells_html") or len(quote)
    shown = quote if len(quote) <= limit else quote[:limit] + "\u2026"
    href = datasette.urls.path(f"{MOUNT}/{path}") + "?" + urllib.parse.urlencode({"quote": quote}) + "#quote"
    return Markup(f'<a href="{escape(href)}" title="{escape(quote)}">{escape(shown)}</a>')


async def _foreign_link(datasette, table: str | None, column: str, value: str) -> Markup | None:
    """`label id` linking to the referenced row, as Datasette shows foreign keys on table pages."""
    db = datasette.get_database(DATABASE)
    if not _links:  # the database is immutable: read its foreign keys once
        _links.update(_read_links(await db.get_all_foreign_keys()))
    other, key = _links.get(table, {}).get(column, (None, None))
    if other is None:
        return None
    label_column = await db.label_column_for_table(other)
    label = None
    if label_column:
        found = await db.execute(f"SELECT {ident(label_column)} FROM {ident(other)} WHERE {ident(key)} = ?", [value])
        label = found.first()[0] if found.rows else None
    href = escape(datasette.urls.row(DATABASE, other, tilde_encode(value)))
    text = f"{escape(label)}&nbsp;<em>{escape(value)}</em>" if label else escape(value)
    return Markup(f'<a href="{href}">{text}</a>')


def _read_links(keys: dict) -> dict[str | None, dict[str, tuple[str, str]]]:
    links = {name: {k["column"]: (k["other_table"], k["other_column"]) for k in found["outgoing"]}
             for name, found in keys.items()}
    # in query results (no table) a column named like the key it references, such as source_id, links too
    links[None] = {column: target for by_column in links.values() for column, target in by_column.items()
                   if column == target[1]}
    return links


@hookimpl
def prepare_connection(conn, database, datasette):
    """Bound what one query can build (value, row and statement sizes) and add `fts_words` for the search query."""
    for limit, value in SQLITE_LIMITS.items():
        conn.setlimit(getattr(sqlite3, limit), value)
    conn.create_function("fts_words", 1, fts_words, deterministic=True)


@hookimpl
def register_routes(datasette):
    return [(rf"^/{MOUNT}/(?P<path>.*)$", _archived), (r"^/-/nkdigital\.css$", _style)]


async def _archived(request):
    """One archived text, or the same 404 for anything that is not a regular text file inside the archive."""
    root = settings.get("archive")
    text = archive.read(root, request.url_vars["path"]) if root is not None else None
    if text is None:
        return Response.text("Not found", status=404)
    return Response.html(archive.page(request.url_vars["path"], text, request.args.get("quote")),
                         headers={"Content-Security-Policy": archive.POLICY})


async def _style(request):
    return Response(STYLE.read_text(encoding="utf-8"), content_type="text/css; charset=utf-8")


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/nkdigital.css")]


@hookimpl
def asgi_wrapper(datasette):
    """Refuse over-long query strings and too many facets before Datasette sees the request."""
    def wrap(app):
        async def limited(scope, receive, send):
            message = refusal(scope.get("query_string", b"")) if scope.get("type") == "http" else None
            if message is None:
                return await app(scope, receive, send)
            status, text = message
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
            await send({"type": "http.response.body", "body": text.encode()})
        return limited

    return wrap
