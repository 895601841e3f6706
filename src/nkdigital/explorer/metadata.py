"""Datasette metadata for the explorer, generated from the package descriptor and the tables that exist.

Titles, descriptions, licence and field descriptions come from `datapackage.json`; facets, search,
label columns and canned queries are chosen by column name, so new tables and columns are picked up
and missing ones are skipped.
"""

from __future__ import annotations

DATABASE = "nkdigital"
FACETS = ("indicator", "geo", "claim_type", "qualifier", "strength", "source_type", "original_outlet", "category",
          "is_disputed", "copy", "role", "tier", "step", "device", "measure", "instrument_type", "unit")
LABELS = ("title", "label", "name")
VALUES = ("value", "low", "high")
UNIT_NOTE = " Shown with the row's `unit`."
OUTLETS = ("original_outlet",)
# The column that says what a row is about, in order of preference (else the table's first column).
ABOUT = ("title", "indicator", "group_name", "step", "device", "instrument", "subject")


def metadata(descriptor: dict, columns: dict[str, list[str]], searched: dict[str, list[str]]) -> dict:
    """Datasette `metadata.json` content: instance and database `nkdigital`, its tables and canned queries."""
    licence = (descriptor.get("licenses") or [{}])[0]
    about = {
        "title": descriptor.get("title", DATABASE),
        "description": descriptor.get("description", ""),
        "license": licence.get("title") or licence.get("name", ""),
        "license_url": licence.get("path", ""),
        "source": f"nkdigital data package {descriptor.get('version', '')} (datapackage.json)",
        "source_url": descriptor.get("homepage", ""),
    }
    resources = {r["name"]: r for r in descriptor.get("resources", [])}
    shared = {}  # one definition per field name: a column the table's own schema lacks borrows it
    for resource in reversed(descriptor.get("resources", [])):
        shared.update({f["name"]: f.get("description", "") for f in resource["schema"]["fields"]})
    tables = {name: _table(name, resources.get(name, {}), names, shared, searched.get(name, []))
              for name, names in columns.items()}
    return {**about, "databases": {DATABASE: {**about, "tables": tables, "queries": queries(columns)}}}


def _table(name: str, resource: dict, names: list[str], shared: dict[str, str], searched: list[str]) -> dict:
    own = {f["name"]: f.get("description", "") for f in resource.get("schema", {}).get("fields", [])}
    described = {c: own.get(c) or shared.get(c, "") for c in names}
    if "unit" in names:
        described.update({c: described[c] + UNIT_NOTE for c in VALUES if c in names})
    table = {
        "title": resource.get("title", name),
        "description": resource.get("description", ""),
        "columns": {c: text for c, text in described.items() if text},
        "facets": [c for c in FACETS if c in names] + [c for c in names if c.endswith("_precision")],
    }
    label = next((c for c in LABELS if c in names), None)
    if label:
        table["label_column"] = label
    if searched:
        table["fts_table"] = f"{name}_fts"
        table["description"] += f" Search covers {', '.join(searched)}."
    return table


def queries(columns: dict[str, list[str]]) -> dict[str, dict]:
    """Canned queries for the questions people ask, each only where its tables and columns exist."""
    found = {}
    observations = set(columns.get("observations", []))
    sources = columns.get("sources", [])
    if {"indicator", "ref_date", "value", "source_id"} <= observations and "source_id" in sources:
        found["figures_for_indicator_and_year"] = _figures(sources)
        found["conflicting_figures"] = _conflicts(observations, sources)
    quoted = [t for t, names in columns.items() if t != "sources" and {"source_id", "quote"} <= set(names)]
    outlets = [c for c in OUTLETS if c in sources]
    if quoted and outlets:
        found["what_one_outlet_says"] = _outlet({t: columns[t] for t in quoted}, outlets)
    if {"category", "event_date"} <= set(columns.get("events", [])) and "event_attestations" in columns:
        found["law_timeline"] = {
            "title": "Timeline of laws",
            "description": "Every event of category law, oldest first, with each source's account: the date and"
                           " actor as that source states them, and its quote.",
            "sql": "SELECT e.event_id, e.event_date, e.event_date_precision, e.is_disputed, e.title, a.source_id,"
                   " a.stated_date, a.actor AS stated_actor, a.quote FROM events AS e"
                   " JOIN event_attestations AS a ON a.event_id = e.event_id"
                   " WHERE e.category = 'law' ORDER BY e.event_date, e.event_id, a.stated_date, a.source_id",
        }
    return found


def _source_columns(sources: list[str]) -> str:
    return "".join(f', s."{c}" AS "source_{c}"' for c in ("title", "original_outlet", "strength") if c in sources)


def _figures(sources: list[str]) -> dict:
    return {
        "title": "Every figure for one indicator and year",
        "description": "All sources' figures for an indicator (e.g. mobile_subscriptions) in a year (e.g. 2013).",
        "sql": f"SELECT o.*{_source_columns(sources)} FROM observations AS o"
               " LEFT JOIN sources AS s ON s.source_id = o.source_id"
               " WHERE o.indicator = :indicator AND substr(o.ref_date, 1, 4) = :year"
               " ORDER BY o.ref_date, o.value, o.source_id",
    }


def _conflicts(observations: set[str], sources: list[str]) -> dict:
    same = " AND ".join(f"p.{c} IS o.{c}" for c in ("indicator", "geo", "ref_date", "unit") if c in observations)
    return {
        "title": "Conflicting figures",
        "description": "Observations whose indicator and reference date (and geo and unit, where present) match"
                       " another source's row with a different value.",
        "sql": f"SELECT o.*{_source_columns(sources)} FROM observations AS o"
               " LEFT JOIN sources AS s ON s.source_id = o.source_id"
               f" WHERE EXISTS (SELECT 1 FROM observations AS p WHERE {same}"
               " AND p.value <> o.value AND p.source_id <> o.source_id)"
               " ORDER BY o.indicator, o.ref_date, o.value, o.source_id",
    }


def _outlet(quoted: dict[str, list[str]], outlets: list[str]) -> dict:
    match = " OR ".join(f"s.{c} LIKE '%' || :outlet || '%'" for c in outlets)
    parts = []
    for table, names in quoted.items():
        about = next((c for c in ABOUT if c in names), names[0])
        parts.append(f"SELECT '{table}' AS resource, t.\"{names[0]}\" AS row_id, t.\"{about}\" AS about, t.quote,"
                     f" t.source_id, s.title AS source_title, {', '.join('s.' + c for c in outlets)}"
                     f' FROM "{table}" AS t JOIN sources AS s ON s.source_id = t.source_id'
                     f" WHERE :outlet <> '' AND ({match})")
    return {
        "title": "Everything one outlet says",
        "description": "Every quoted row whose source's original outlet contains the text given"
                       " (e.g. 38 North).",
        "sql": "SELECT * FROM (" + " UNION ALL ".join(parts) + ") ORDER BY resource, row_id",
    }
