"""Links between rows and their sources: the source table with its archived copy, and source fields on any frame."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import pandas as pd

from nkdigital.core.urls import clean_url
from nkdigital.metadata.provenance import OWN_SITE_COPIES
from nkdigital.metadata.roles import ROLES

SOURCE_FIELDS = ROLES["credit"]  # original_outlet, url, strength
COPY_FIELDS = ROLES["copy"]  # archive_path, copy, host, copy_url, sha256


def source_table(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Sources indexed by source_id, URLs cleaned, with the fields of each source's primary archived copy."""
    table = frames["sources"].copy()
    table["url"] = table["url"].map(clean_url, na_action="ignore").astype("string")
    copies = frames["source_copies"]
    primary = copies[copies["role"].astype(object) == "primary"]
    table = table.merge(primary[["source_id", *COPY_FIELDS]], on="source_id", how="left")
    return table.set_index("source_id")


def with_sources(frame: pd.DataFrame, table: pd.DataFrame, fields: Iterable[str] | None = None) -> pd.DataFrame:
    """A copy of `frame` with `fields` of each row's source added at the end (default: those of SOURCE_FIELDS
    the sources have).

    A field whose name the frame already uses (e.g. `title`) is added as `source_<field>`.
    """
    if "source_id" not in frame:
        raise ValueError("the frame has no source_id column to attach sources by")
    if fields is None:
        fields = [f for f in SOURCE_FIELDS if f in table]
    fields = [fields] if isinstance(fields, str) else list(fields)
    unknown = [f for f in fields if f not in table]
    if unknown:
        raise ValueError(f"unknown source field {unknown[0]!r}; choose from {list(table.columns)}")
    result = frame.copy()
    for field in fields:
        name = field if field not in result else f"source_{field}"
        result[name] = result["source_id"].map(table[field])
    result.attrs = {**frame.attrs}
    return result


def row_links(frames: Mapping[str, pd.DataFrame], keys: Mapping[str, str]) -> dict[str, tuple[set[str], list[str]]]:
    """Row id -> (the row's own source ids, the input row ids of a derived row), for every resource.

    A resource without `source_id` (events, whose sources are in `event_attestations`) takes the sources of the
    rows that refer to it by its key.
    """
    found: dict[str, tuple[set[str], list[str]]] = {}
    for name, frame in frames.items():
        key = keys[name]
        children = [child for child in frames.values() if key in child and "source_id" in child]
        inputs = frame["input_ids"].tolist() if "input_ids" in frame else [None] * len(frame)
        for row_id, cell in zip(frame[key].tolist(), inputs, strict=True):
            found[row_id] = (set(), cell.split() if isinstance(cell, str) else [])
        for child in children:
            for row_id, source in zip(child[key].tolist(), child["source_id"].tolist(), strict=True):
                if row_id in found and isinstance(source, str):
                    found[row_id][0].add(source)
    return found


def via_host(row: pd.Series) -> str | None:
    """The host a source's primary copy was read from, where that copy is not the publisher's own (else None):
    not an original or an excerpt of it, nor a faithful copy read on the host of the source's own address."""
    copy, host = row.get("copy"), row.get("host")
    if pd.isna(copy) or pd.isna(host) or not host or str(copy) in OWN_SITE_COPIES:
        return None
    url = row.get("url")
    if str(copy) == "faithful_copy" and isinstance(url, str) and urlsplit(url).netloc.lower() == str(host).lower():
        return None
    return str(host)
