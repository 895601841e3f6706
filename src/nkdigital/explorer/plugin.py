"""Datasette hooks for the explorer: foreign keys linked on row and query pages, values shown with their unit,
archive paths linked to the archived text, archived text served as UTF-8."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils import tilde_encode
from markupsafe import Markup, escape

from nkdigital.explorer.metadata import DATABASE, VALUES
from nkdigital.explorer.serve import MOUNT

_links: dict[str | None, dict[str, tuple[str, str]]] = {}  # table (None: any query) -> column -> (table, column)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Archive paths as links; value, low and high with the row's unit; plain foreign key values as links."""
    if database != DATABASE or value is None or value == "":
        return None
    if column == "archive_path":
        links = [f'<a href="{escape(datasette.urls.path(f"{MOUNT}/{path}"))}">{escape(path)}</a>'
                 for path in str(value).splitlines() if path]
        return Markup("<br>".join(links))
    # `in row` would test a sqlite3.Row's values, hence keys()
    if column in VALUES and isinstance(value, int | float) and "unit" in row.keys() and row["unit"]:  # noqa: SIM118
        return f"{_number(value)} {row['unit'].replace('_', ' ')}"
    if isinstance(value, str):  # table pages expand foreign keys themselves (as dicts); row pages do not
        return _foreign_link(datasette, table, column, value)
    return None


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
        found = await db.execute(f'SELECT "{label_column}" FROM "{other}" WHERE "{key}" = ?', [value])
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
def asgi_wrapper(datasette):
    """Serve the archived texts as UTF-8 (Datasette's static files say only `text/plain`)."""
    prefix = datasette.urls.path(f"{MOUNT}/")

    def wrap(app):
        async def utf8_archive(scope, receive, send):
            if scope.get("type") != "http" or not scope.get("path", "").startswith(prefix):
                return await app(scope, receive, send)

            async def send_utf8(event):
                if event["type"] == "http.response.start":
                    event = {**event, "headers": [
                        (k, b"text/plain; charset=utf-8" if k.lower() == b"content-type" and v == b"text/plain" else v)
                        for k, v in event["headers"]]}
                await send(event)

            return await app(scope, receive, send_utf8)

        return utf8_archive

    return wrap
