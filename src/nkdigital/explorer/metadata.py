"""Datasette metadata for the explorer, generated from the package descriptor and the tables that exist.

Titles, descriptions, licence and field descriptions come from `datapackage.json`; facets, search and label
columns from the column roles (`nkdigital.metadata.roles`); canned queries (`canned.py`) restate the library's
own rules. New tables and columns are picked up and missing ones are skipped.
"""

from __future__ import annotations

from nkdigital.explorer.canned import queries
from nkdigital.explorer.names import DATABASE, HELPERS, VALUES
from nkdigital.metadata.roles import having

UNIT_NOTE = " Shown with the row's `unit`."
# Columns only the explorer adds (the others are described by the descriptor).
EXPLORER_COLUMNS = {
    "citation": "How to cite the source (APA): the text `nk.cite(source_id, style=\"apa\")` and"
                " `nkdigital cite SOURCE_ID --style apa` print.",
    "archive_path": "Archived copies of the source (one per line), each linking to its text.",
}
DEFAULT_FACETS = 4  # facets shown on a table page before any is asked for (more with ?_facet=)

__all__ = ["DATABASE", "VALUES", "metadata", "queries"]


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
    database = {**about, "tables": tables, "queries": queries(columns), "allow_sql": False}
    return {**about, "databases": {DATABASE: database}}


def _table(name: str, resource: dict, names: list[str], shared: dict[str, str], searched: list[str]) -> dict:
    if name in HELPERS:
        return {"hidden": True}
    own = {f["name"]: f.get("description", "") for f in resource.get("schema", {}).get("fields", [])}
    described = {c: own.get(c) or shared.get(c) or EXPLORER_COLUMNS.get(c, "") for c in names}
    if "unit" in names:
        described.update({c: described[c] + UNIT_NOTE for c in VALUES if c in names})
    table = {
        "title": resource.get("title", name),
        "description": resource.get("description", ""),
        "columns": {c: text for c, text in described.items() if text},
        "facets": having("facet", names)[:DEFAULT_FACETS],
    }
    label = next(iter(having("label", names)), None)
    if label:
        table["label_column"] = label
    if searched:
        table["fts_table"] = f"{name}_fts"
        table["description"] += f" Search covers {', '.join(searched)}."
    return table
