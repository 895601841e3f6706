"""Datasette hooks for the explorer: cells (units, links, quotes linked to their marked passage, search hits),
the archived texts (`archive.py`), the request limits, and SQLite limits on every connection."""

from __future__ import annotations

import sqlite3
import urllib.parse
import weakref
from pathlib import Path

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from nkdigital.explorer import archive
from nkdigital.explorer.limits import SQLITE_LIMITS, refusal
from nkdigital.explorer.names import COPIES, DATABASE, SNIPPET, SPREAD, VALUES, fts_words

MOUNT = "archive"  # URL prefix of the archived texts
STYLE = Path(__file__).with_name("explorer.css")
WITH_UNIT = (*VALUES, *SPREAD)
settings: dict[str, Path] = {}  # "archive": the archive folder, set by `serve` before Datasette starts
_held: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Datasette app -> what its database holds


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


async def _holds(datasette) -> dict:
    """What this app's database holds, read once per app (the database is immutable): `copies`, each source's
    primary copy; `links`, table (None: any query result) -> column -> (the table whose foreign key it is, the
    table and column it references). In query results a column named like the key it references (source_id)
    links too."""
    held = _held.get(datasette)
    if held is None:
        db, copies = datasette.get_database(DATABASE), {}
        if await db.table_exists(COPIES):
            found = await db.execute(f"SELECT source_id, archive_path FROM {COPIES}"
                                     " ORDER BY source_id, role = 'primary', archive_path DESC")
            copies = {r[0]: r[1] for r in found.rows}  # the last row per source wins: its primary copy
        links = {name: {k["column"]: (name, k["other_table"], k["other_column"]) for k in keys["outgoing"]}
                 for name, keys in sorted((await db.get_all_foreign_keys()).items())}
        links[None] = {column: link for by_column in links.values() for column, link in by_column.items()
                       if column == link[2]}
        held = _held.setdefault(datasette, {"copies": copies, "links": links})
    return held


async def _quote_link(datasette, source_id: str, quote: str) -> Markup | None:
    """The quote (truncated as other cells are, in full as a tooltip) linking to its passage, marked."""
    path = (await _holds(datasette))["copies"].get(source_id)
    if path is None:
        return None
    limit = datasette.setting("truncate_cells_html") or len(quote)
    shown = quote if len(quote) <= limit else quote[:limit] + "\u2026"
    href = datasette.urls.path(f"{MOUNT}/{path}") + "?" + urllib.parse.urlencode({"quote": quote}) + "#quote"
    return Markup(f'<a href="{escape(href)}" title="{escape(quote)}">{escape(shown)}</a>')


async def _foreign_link(datasette, table: str | None, column: str, value: str) -> Markup | None:
    """`label id` linking to the referenced row, as Datasette shows foreign keys on table pages (and with its
    label lookup, `expand_foreign_keys`)."""
    owner, other, _ = (await _holds(datasette))["links"].get(table, {}).get(column, (None, None, None))
    if owner is None:
        return None
    label = (await datasette.expand_foreign_keys(DATABASE, owner, column, [value])).get((column, value))
    href = escape(datasette.urls.row(DATABASE, other, tilde_encode(value)))
    text = f"{escape(label)}&nbsp;<em>{escape(value)}</em>" if label and label != value else escape(value)
    return Markup(f'<a href="{href}">{text}</a>')


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
