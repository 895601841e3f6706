"""Credits: which rows a chart may draw (non-weak sources by default), the original outlets behind them, the
printed source line (at most 160 characters) and the third-party terms that restrict reuse.

A source is credited by its original outlet (``sources.original_outlet``), never by the host of a mirror; an
outlet the archive does not name is the 'original outlet not named', never 'unknown'. The host appears only in the
hover's full name ('… via host'). The full citation of a chart's sources is
``nk.cite(fig.layout.meta["source_ids"], style=...)``.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.charts.markup import esc, shorten
from nkdigital.metadata.provenance import UNKNOWN_OUTLET, UNNAMED_OUTLET, outlet_credit
from nkdigital.metadata.roles import ROLES
from nkdigital.metadata.terms import restricts_reuse
from nkdigital.reading.links import via_host
from nkdigital.text import listing

MAX_LINE = 160  # characters of the printed source line, escaped
WEAK_HINT = " (rows from weak sources are left out unless include_weak=True)"
TERMS_LISTED = 3  # terms shared by more outlets than this name a count instead


ACCOUNT = {"attestation_id": "_id", "source_id": "source_id", "stated_date": "stated_date",
           "stated_date_precision": "stated_date_precision", "stated_date_end": "stated_date_end",
           "date_phrase": "date_phrase", "actor": "stated_actor", "quote": "quote"}


def accounts(events: pd.DataFrame, package: Package) -> pd.DataFrame:
    """Events with one row per attestation: the event's columns, the attesting source_id, and the date, actor
    (``stated_actor``) and quote as that source gives them; ``_id`` is the attestation's id, which credits
    name."""
    attestations = package.resource("event_attestations")[[*ACCOUNT, "event_id"]].rename(columns=ACCOUNT)
    return events.merge(attestations, on="event_id", how="inner", validate="one_to_many")


_SOURCES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _sources(package: Package) -> tuple[dict[str, dict], frozenset[str]]:
    """Each source's row of the package's source table as a dict, by source id, and the ids of weak sources: read
    from the table once per package (every chart reads them, a lookup per credited source)."""
    found = _SOURCES.get(package)
    if found is None:
        table = package.source_table
        weak = frozenset(table.index[table["strength"].astype(str) == "weak"])
        found = _SOURCES[package] = (table.to_dict("index"), weak)
    return found


def select(frame: pd.DataFrame, package: Package, include_weak: bool = False) -> pd.DataFrame:
    """The rows of `frame` a chart draws: those from non-weak sources, or all with ``include_weak``.

    Events (which carry no source of their own) become one row per attestation first. The result has a boolean
    ``_weak`` column (True only for rows kept by ``include_weak``).
    """
    if "source_id" not in frame and "event_id" in frame:
        frame = accounts(frame, package)
    weak = _sources(package)[1]
    is_weak = frame["source_id"].astype(str).isin(weak).to_numpy()
    rows = frame if include_weak else frame[~is_weak]
    # text columns as Python objects: a chart filters and groups its few hundred rows many times, and each
    # operation on an Arrow-backed column pays a fixed cost that dwarfs the work at this size
    columns = {name: pd.Series(column.array.to_numpy(dtype=object, na_value=pd.NA), index=rows.index, dtype=object)
               if isinstance(column.dtype, pd.StringDtype) else column for name, column in rows.items()}
    out = pd.DataFrame({**columns, "_weak": is_weak if include_weak else False}, index=rows.index)
    out.attrs = {**frame.attrs}
    return out


def in_geo(frame: pd.DataFrame, geo: str = "PRK") -> pd.DataFrame:
    """The rows about one country (ISO 3166-1 alpha-3; North Korea by default), where the frame has a geo."""
    return frame[frame["geo"].astype(str) == geo] if "geo" in frame else frame


def source_frame(*frames: pd.DataFrame | None) -> pd.DataFrame:
    """Row id (a frame's ``_id`` column, else its first column), source_id and input_ids of every drawn row."""
    parts = []
    for frame in frames:
        if frame is None or len(frame) == 0:
            continue
        ids = frame["_id"] if "_id" in frame else frame.iloc[:, 0]
        part = pd.DataFrame({"row_id": ids.astype("string"), "source_id": frame["source_id"].astype("string")})
        part["input_ids"] = frame["input_ids"].astype("string") if "input_ids" in frame else pd.NA
        parts.append(part.astype("string"))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in ("row_id", "source_id", "input_ids")})
    return pd.concat(parts, ignore_index=True)


UNNAMED = UNNAMED_OUTLET


def outlet(row: pd.Series | dict) -> str:
    """The original outlet of a source row (raw); 'original outlet not named' where the archive names none (never
    'unknown', never the host of the copy it was read from)."""
    found = " ".join(str(row["original_outlet"]).split())
    return UNNAMED if found == UNKNOWN_OUTLET else found


def short_outlet(name: str) -> str:
    """An outlet's name for a legend: without its bracketed parts ('World Bank (World Development Indicators)' is
    'World Bank'); the full name stays in the notes, hover and source line."""
    short = " ".join(re.sub(r"\s*\([^()]*\)", "", name).split())
    return short or name


def _label(row: dict, width: int) -> str:
    name = outlet(row)
    if name == UNNAMED:  # described as every citation describes it
        name = outlet_credit(None, row["host"])
    elif isinstance(host := via_host(row), str) and host:
        name = f"{name} via {host}"
    if str(row["strength"]) == "weak":
        name += " [weak source]"
    return shorten(name, width)


def _source_rows(package: Package, source_ids: Iterable[str], columns: list[str]) -> dict[str, dict]:
    """`columns` of each source in `source_ids` (sorted, once each), as the source table gives them."""
    records = _sources(package)[0]
    return {i: {column: records[i][column] for column in columns} for i in sorted(set(source_ids))}


def source_labels(package: Package, source_ids: Iterable[str], width: int = 60) -> dict[str, str]:
    """Short raw names of sources for hover text: 'Outlet via host' for copies, '[weak source]' when weak; names
    shared by several ids get the id appended."""
    rows = _source_rows(package, source_ids, ["original_outlet", "copy", "host", "strength", "url"])
    names = {i: _label(row, width) for i, row in rows.items()}
    counts = Counter(names.values())
    return {i: f"{name} ({i})" if counts[name] > 1 else name for i, name in names.items()}


@dataclass(frozen=True)
class Credit:
    """What a chart credits: source ids, outlets (most drawn first), the printed line and restrictive terms."""

    source_ids: list[str]
    outlets: list[str]  # raw
    line: str  # escaped, at most MAX_LINE characters
    terms: list[str]  # raw: 'terms (outlets)'
    weak: int  # credited sources rated weak


def _weights(package: Package, drawn: pd.DataFrame) -> Counter:
    """Drawn rows per source id, counting a derived row for each source behind its inputs too."""
    weights: Counter = Counter(drawn["source_id"].dropna().astype(str))
    derived = drawn[drawn["input_ids"].notna()]
    for row_id, source_id in zip(derived["row_id"], derived["source_id"], strict=True):
        weights.update(set(package.source_ids(row_id)) - {source_id})
    return weights


def line_for(outlets: list[str], version: str) -> str:
    """'Sources: A, B and 12 others. Chart: nkdigital v0.1.0', escaped, with as many outlets as fit."""
    tail = f". Chart: nkdigital v{version}"
    word = "Source" if len(outlets) == 1 else "Sources"
    for shown in range(len(outlets), 0, -1):
        rest = len(outlets) - shown
        names = outlets[:shown] + ([f"{rest} other{'s' * (rest != 1)}"] if rest else [])
        line = esc(f"{word}: {listing(names)}{tail}")
        if len(line) <= MAX_LINE:
            return line
    return esc(f"{word}: {len(outlets)} outlets (see the chart's data){tail}")


def credit(package: Package, drawn: pd.DataFrame) -> Credit:
    """The credit for the rows in `drawn` (see :func:`source_frame`), derived rows' inputs included."""
    ids = package.source_ids(drawn[list(ROLES["provenance"])])
    table = package.source_table
    unknown = sorted(set(ids) - set(table.index))
    if unknown:
        raise KeyError(f"unknown source id {unknown[0]!r}: not in the package's sources")
    weights = _weights(package, drawn)
    rows = _source_rows(package, ids, [*ROLES["credit"], "usage_terms"])
    by_outlet: Counter = Counter()
    for i in ids:
        by_outlet[outlet(rows[i])] += weights.get(i, 0) or 1
    outlets = sorted(by_outlet, key=lambda name: (-by_outlet[name], name.casefold(), name))
    restricted: dict[str, list[str]] = {}
    for i in ids:
        terms = rows[i]["usage_terms"]
        if restricts_reuse(terms):
            restricted.setdefault(" ".join(str(terms).split()), []).append(outlet(rows[i]))
    terms = []
    for text, names in sorted(restricted.items()):
        names = sorted(set(names), key=str.casefold)
        who = listing(names) if len(names) <= TERMS_LISTED else f"{len(names)} outlets"
        terms.append(f"{text} ({who})")
    weak = sum(str(rows[i]["strength"]) == "weak" for i in ids)
    return Credit(ids, outlets, line_for(outlets, package.version), terms, weak)
