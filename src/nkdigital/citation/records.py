"""One citation record per source, as CSL-JSON (the common input of every style), built from `sources`,
`source_copies` (the host a copy was read from) and `creators` (structured names).

Rules (issue 20): names are the `creators` rows, never parsed from text; an outlet recorded as unknown is never
printed (the host the copy was read from is named instead); a copy not on the publisher's own site is credited
"via" its host; dates keep the precision the archive gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from nkdigital.metadata.provenance import UNKNOWN_OUTLET, outlet_credit
from nkdigital.metadata.resources import primary_key
from nkdigital.reading.links import via_host

if TYPE_CHECKING:  # type hints only: citation sits below the API layer (tests/test_layout.py)
    from nkdigital.api.package import Package

CSL_TYPES = {"news": "article-newspaper", "blog": "post-weblog", "international_statistic": "dataset",
             "dataset": "dataset", "research": "report", "ngo_report": "report", "government": "report",
             "operator": "report", "encyclopedia": "entry-encyclopedia", "forum": "post", "state_media": "article",
             "legal_text": "legislation"}
PRECISION_PARTS = {"day": 3, "month": 2, "year": 1, "range": 1}


def _present(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def name(creator: dict) -> dict:
    """A CSL name object: ``{"family", "given"}`` for a person, ``{"literal"}`` for an organisation."""
    if _present(creator.get("literal")):
        return {"literal": creator["literal"]}
    return {"family": creator["family"], **({"given": creator["given"]} if _present(creator.get("given")) else {})}


def date_parts(stamp: object, precision: object) -> dict | None:
    """CSL date with as many parts as the precision gives (day, month or year)."""
    if stamp is None or pd.isna(stamp):
        return None
    parts = [stamp.year, stamp.month, stamp.day][: PRECISION_PARTS.get(str(precision), 1)]
    return {"date-parts": [parts]}


def publisher(row: pd.Series) -> str | None:
    """The original outlet as credited; None where the archive does not name it (never 'unknown')."""
    outlet = " ".join(str(row["original_outlet"]).split())
    return None if outlet == UNKNOWN_OUTLET or not outlet else outlet


def creators_of(package: Package) -> dict[str, list[dict]]:
    """Creator rows per source id, in the document's order."""
    if "creators" not in package.resource_names:
        return {}
    frame = package.resource("creators").sort_values(primary_key("creators"))
    found: dict[str, list[dict]] = {}
    for row in frame.astype(object).where(frame.notna(), None).to_dict("records"):
        found.setdefault(row["source_id"], []).append(row)
    return found


def record(source_id: str, row: pd.Series, creators: list[dict]) -> dict:
    """The CSL-JSON item of one source."""
    roles = {role: [name(c) for c in creators if c["creator_role"] == role]
             for role in ("author", "editor", "contributor", "data_producer", "repository_maintainer")}
    authors = roles["author"] or roles["data_producer"]
    item: dict = {"id": source_id, "type": CSL_TYPES.get(str(row["source_type"]), "webpage"),
                  "title": str(row["title"]), "URL": str(row["url"])}
    if authors:
        item["author"] = authors
    if roles["editor"]:
        item["editor"] = roles["editor"]
    outlet = publisher(row)
    host = via_host(row) if outlet else (row.get("host") if isinstance(row.get("host"), str) else None)
    if outlet:
        item["container-title" if item["type"] != "dataset" else "publisher"] = outlet
    issued = date_parts(row["published_date"], row.get("published_date_precision"))
    if issued:
        item["issued"] = issued
    accessed = date_parts(row.get("accessed_date"), "day")
    if accessed:
        item["accessed"] = accessed
    notes = _notes(roles, host, outlet, str(row["strength"]))
    if item["type"] == "dataset" and issued and accessed:  # a series changes: its access date is part of it
        stamp = row["accessed_date"]
        notes = ". ".join(filter(None, (f"Accessed {stamp:%B} {stamp.day}, {stamp.year}", notes)))
    if notes:
        item["note"] = notes
    return item


def _notes(roles: dict, host: str | None, outlet: str | None, strength: str) -> str:
    """What the style's own fields cannot hold: data producers beside an author, the copy's host, weakness."""
    parts = []
    if roles["author"] and roles["data_producer"]:
        parts.append("Data produced by " + ", ".join(n.get("literal") or n["family"] for n in roles["data_producer"]))
    if roles["contributor"]:
        parts.append("With contributions from " + ", ".join(
            " ".join(filter(None, (n.get("given"), n.get("family")))) or n["literal"] for n in roles["contributor"]))
    if roles["repository_maintainer"]:
        hosts = roles["repository_maintainer"]
        parts.append("Re-hosted by " + ", ".join(n.get("literal") or n["family"] for n in hosts))
    if not outlet:
        parts.append(outlet_credit(None, host))
    elif host:
        parts.append(f"Read via {host}")
    if strength == "weak":
        parts.append("Weak source")
    return ". ".join(parts)


def records(package: Package, source_ids: list[str]) -> list[dict]:
    """CSL-JSON items for `source_ids`, in that order; each source's item is built once per package (the report
    cites every chart's sources in six styles)."""
    kept = package.citation_records
    for i in source_ids:
        if i not in kept:
            kept[i] = record(i, package.source_table.loc[i], package.creators_by_source.get(i, []))
    return [kept[i] for i in source_ids]
