"""The explorer's limits: Datasette settings, SQLite limits on every connection, and request bounds.

Arbitrary SQL is off unless `nkdigital serve --allow-sql`; then a query runs at most `sql_time_limit_ms`, returns
at most `max_returned_rows` rows of at most `SQLITE_LIMITS` columns, and no value it builds exceeds
SQLITE_LIMIT_LENGTH bytes (the largest cell of the package is far below it).
"""

from __future__ import annotations

import urllib.parse

MAX_QUERY_STRING = 4096  # bytes of one request's query string
MAX_FACETS = 10  # _facet, _facet_array and _facet_date parameters in one request

SETTINGS = {
    "sql_time_limit_ms": 1000,
    "max_returned_rows": 1000,
    "facet_time_limit_ms": 200,
    "default_facet_size": 5,
    "suggest_facets": False,
    "truncate_cells_html": 60,
    "allow_csv_stream": False,
    "max_csv_mb": 20,
    "num_sql_threads": 2,
}

SQLITE_LIMITS = {
    "SQLITE_LIMIT_LENGTH": 1_000_000,  # bytes in one string, blob or row built by a query
    "SQLITE_LIMIT_SQL_LENGTH": 100_000,  # bytes of one statement
    "SQLITE_LIMIT_COLUMN": 100,  # columns in one result (and one table, index or ORDER BY)
    "SQLITE_LIMIT_COMPOUND_SELECT": 50,  # terms of one UNION
}


def refusal(query_string: bytes) -> tuple[int, str] | None:
    """(status, one-line message) for a request over the limits, else None."""
    if len(query_string) > MAX_QUERY_STRING:
        return 414, f"The query string is longer than {MAX_QUERY_STRING:,} bytes.\n"
    names = [name for name, _ in urllib.parse.parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)]
    facets = sum(name in ("_facet", "_facet_array", "_facet_date") for name in names)
    if facets > MAX_FACETS:
        return 400, f"At most {MAX_FACETS} facets can be asked for in one request ({facets} were).\n"
    return None

