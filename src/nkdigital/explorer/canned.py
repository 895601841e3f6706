"""The explorer's canned queries: each restates one library call, with named columns and a title in words.

`figures_for_indicator_and_year` is `pkg.observations(indicator, geo=geo, start=year, end=year)`: the same default
geo (read from the method's signature) and the same period-overlap rule, over the periods the library computed
(`observation_periods`). `conflicting_figures` is `pkg.conflicts(geo=geo)`, stored at build time (`conflicts`).
`search` is one full-text search over every table, best match first.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from nkdigital.api.package import Package
from nkdigital.explorer.names import CONFLICTS, FROM_SOURCES, PERIODS, SNIPPET
from nkdigital.export.tables import sqlite_quote
from nkdigital.metadata.roles import ROLES, having

DEFAULT_GEO = inspect.signature(Package.observations).parameters["geo"].default
FIGURE = ("ref_date", "date_phrase", "indicator", "geo", *ROLES["quantity"], "claim_type", *FROM_SOURCES,
          *ROLES["evidence"], "observation_id")
ABOUT = ROLES["about"]  # the column that says what a row is about, in order of preference (else the first)


def _geo(alias: str) -> str:
    default = "'" + DEFAULT_GEO.replace("'", "''") + "'"
    return f"(:geo = 'all' OR {alias}.geo = coalesce(nullif(:geo, ''), {default}))"


def queries(columns: dict[str, list[str]]) -> dict[str, dict]:
    """Canned queries for the questions people ask, each only where its tables and columns exist."""
    return _queries(columns, sqlite_quote)


def _queries(columns: dict[str, list[str]], ident: Callable[[str], str]) -> dict[str, dict]:
    found = {}
    observations = columns.get("observations", [])
    if set(FIGURE) <= set(observations) and PERIODS in columns:
        found["figures_for_indicator_and_year"] = _figures()
    if CONFLICTS in columns and set(FIGURE) <= set(observations):
        found["conflicting_figures"] = _conflicts()
    quoted = {t: names for t, names in columns.items()
              if t not in ("sources", CONFLICTS) and {"source_id", "quote", "original_outlet"} <= set(names)}
    if quoted:
        found["what_one_outlet_says"] = _outlet(quoted, ident)
    if {"category", "event_date", "title"} <= set(columns.get("events", [])) and "event_attestations" in columns:
        found["law_timeline"] = _laws(columns["event_attestations"])
    searched = {t: names for t, names in columns.items()
                if t not in (CONFLICTS, PERIODS) and having("searchable", names)}
    if searched:
        found["search"] = _search(searched, ident)
    return found


def _figures() -> dict:
    listed = ", ".join(f"o.{c}" for c in FIGURE)
    return {
        "title": "Every figure for one indicator and year",
        "description": "All sources' figures for an indicator (e.g. mobile_subscriptions) whose period overlaps a"
                       f" year (e.g. 2013), for one country code (empty: {DEFAULT_GEO}; `all`: every country), as"
                       f" pkg.observations(indicator, geo=geo, start=year, end=year) returns them.",
        "sql": f"SELECT {listed} FROM observations AS o JOIN {PERIODS} AS p ON p.observation_id = o.observation_id"
               f" WHERE o.indicator = :indicator AND {_geo('o')}"
               " AND o.ref_date <= :year || '-12-31' AND p.period_end >= :year || '-01-01'"
               " ORDER BY o.ref_date, o.observation_id",
        "hide_sql": True,
    }


def _conflicts() -> dict:
    return {
        "title": "Conflicting figures",
        "description": "Groups where at least two sources give different figures for the same indicator, country"
                       f" and period (empty country: {DEFAULT_GEO}; `all`: every country), exactly as"
                       " pkg.conflicts(geo=geo) returns them: the group's number, its spread, then each row.",
        "sql": "SELECT c.conflict, c.indicator, c.geo, c.period_start, c.period_end, c.sources, c.spread_min,"
               " c.spread_max, c.spread_ratio, c.unit, c.ref_date, c.date_phrase, c.value, c.low, c.high,"
               " o.original_outlet, o.strength, c.source_id, c.quote, c.observation_id"
               f" FROM {CONFLICTS} AS c JOIN observations AS o ON o.observation_id = c.observation_id"
               f" WHERE {_geo('c')} ORDER BY c.geo, c.position",
        "hide_sql": True,
    }


def _outlet(quoted: dict[str, list[str]], ident: Callable[[str], str]) -> dict:
    parts = []
    for table, names in quoted.items():
        about = next((c for c in ABOUT if c in names), names[0])
        name = "'" + table.replace("'", "''") + "'"
        parts.append(f"SELECT {name} AS resource, t.{ident(names[0])} AS row_id, t.{ident(about)} AS about,"
                     f" t.original_outlet, t.strength, t.source_id, t.quote FROM {ident(table)} AS t"
                     " WHERE :outlet <> '' AND t.original_outlet LIKE '%' || :outlet || '%'")
    return {
        "title": "Everything one outlet says",
        "description": "Every quoted row whose source's original outlet contains the text given (e.g. 38 North).",
        "sql": "SELECT resource, row_id, about, original_outlet, strength, source_id, quote FROM ("
               + " UNION ALL ".join(parts) + ") ORDER BY resource, row_id",
        "hide_sql": True,
    }


def _laws(attestations: list[str]) -> dict:
    outlet = ", a.original_outlet, a.strength" if "original_outlet" in attestations else ""
    return {
        "title": "Timeline of laws",
        "description": "Every event of category law, oldest first, with each source's account: the date and"
                       " actor as that source states them, and its quote.",
        "sql": "SELECT e.event_date, e.title, e.event_date_precision, e.is_disputed, a.stated_date,"
               f" a.actor AS stated_actor{outlet}, a.source_id, a.quote, e.event_id FROM events AS e"
               " JOIN event_attestations AS a ON a.event_id = e.event_id"
               " WHERE e.category = 'law' ORDER BY e.event_date, e.event_id, a.stated_date, a.source_id",
        "hide_sql": True,
    }


def _search(searched: dict[str, list[str]], ident: Callable[[str], str]) -> dict:
    parts = []
    start, end = SNIPPET
    for table, names in searched.items():
        fts, about = ident(f"{table}_fts"), next((c for c in ABOUT if c in names), names[0])
        name = "'" + table.replace("'", "''") + "'"
        parts.append(f"SELECT {name} AS resource, t.{ident(names[0])} AS row_id, t.{ident(about)} AS about,"
                     f" snippet({fts}, -1, char({ord(start)}), char({ord(end)}), '…', 12) AS found,"
                     f" bm25({fts}) AS score FROM {fts} JOIN {ident(table)} AS t ON t.rowid = {fts}.rowid"
                     f" WHERE {fts} MATCH fts_words(:q)")
    return {
        "title": "Search every table",
        "description": "Rows of any table (or of one: resource) that contain every word given (e.g. Koryolink"
                       " subscribers), best match first; the words found are marked.",
        "sql": "SELECT resource, row_id, about, found FROM (" + " UNION ALL ".join(parts) + ")"
               " WHERE coalesce(:resource, '') IN ('', resource) ORDER BY score, resource, row_id LIMIT 200",
        "hide_sql": True,
    }

