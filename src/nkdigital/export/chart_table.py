"""The rows a chart draws as a reader's table (labels and units, not ids and snake_case) and as a wide
Year × Series table, as a chart page shows them and as CSV."""

from __future__ import annotations

import pandas as pd

from nkdigital import text
from nkdigital.api.package import Package
from nkdigital.metadata.enums import ENUMS
from nkdigital.metadata.fields import FIELDS
from nkdigital.metadata.resources import RESOURCES
from nkdigital.metadata.roles import ROLES, having

WHAT = {r["name"]: r["what"] for r in RESOURCES if "what" in r}  # what a row is about, as readers name it
# A row sorts by its value, else the upper bound of its range, else the lower.
SORTED_BY = (*ROLES["figure"][:1], *reversed(ROLES["bounds"]))
TABLE_COLUMNS = ["Date", "What", "Figure", "Source", "Strength", "row_id", "date_key", "value_key"]
OUR_COMPUTATION = "Our computation from "  # how a derived row is credited: the outlets behind its inputs follow


def _titles(package: Package) -> dict[str, str]:
    """Readers' names of indicators and events, by id."""
    indicators, events = package.indicators(), package.events()
    return {**dict(zip(indicators["indicator"], indicators["title"], strict=True)),
            **dict(zip(events["event_id"], events["title"], strict=True))}


def _what(titles: dict[str, str], resource: str, row: dict) -> str:
    """The row's subject in words: an indicator's or event's title, enum labels, a group's name."""
    from nkdigital.charts.palette import name

    if resource == "observations":
        place = "" if text.missing(row.get("geo")) or row["geo"] == "PRK" else f" ({row['geo']})"
        return f"{titles.get(row['indicator'], row['indicator'])}{place}"
    if resource == "event_attestations":
        return titles.get(row["event_id"], row["event_id"])
    parts = [name(column, row[column]) if column in ENUMS else str(row[column])
             for column in WHAT.get(resource, ()) if column in row and not text.missing(row[column])]
    return ": ".join(parts)


def _date(row: dict) -> tuple[str, str]:
    """The row's date in words and as an ISO sort key ('' when undated)."""
    for column in (c for c in having("date", list(row)) if not text.missing(row[c])):
        if FIELDS[column]["type"] == "year":
            return str(row[column]), f"{int(row[column]):04d}"
        return text.date_of(row, column), pd.Timestamp(row[column]).strftime("%Y-%m-%d")
    return "", ""


def reader_rows(fig, package: Package) -> pd.DataFrame:
    """One line per row drawn: its date and subject in words, its figure with its unit as stated, its source's
    outlet and strength (a derived row: "Our computation from" the outlets behind its inputs), and sort keys
    (ISO date, number) for a sortable table. Sorted by date, then row id."""
    from nkdigital.charts.credits import outlet

    wanted = set((fig.layout.meta or {}).get("rows", []))
    sources = package.source_rows
    titles = _titles(package)
    lines = []
    for resource, frame in package.rows_by_id(wanted).items():
        if resource == "sources":
            continue
        for row in frame.to_dict("records"):
            row_id = str(row[frame.columns[0]])
            date, date_key = _date(row)
            figure = text.quantity_of(row) if "unit" in row else ""
            number = next((row[c] for c in SORTED_BY if c in row and not text.missing(row[c])), None)
            source = sources[row["source_id"]] if not text.missing(row.get("source_id")) else None
            credit = outlet(source) if source is not None else ""
            if str(row.get("claim_type", "")) == "derived":  # never credited to one source as if it said so
                behind = sorted({outlet(sources[i]) for i in package.source_ids(row_id)})
                credit = OUR_COMPUTATION + text.listing(behind)
            lines.append({"Date": date, "What": _what(titles, resource, row), "Figure": figure,
                          "Source": credit,
                          "Strength": str(source["strength"]) if source is not None else "",
                          "row_id": row_id, "date_key": date_key,
                          "value_key": None if number is None else float(number)})
    table = pd.DataFrame(lines, columns=TABLE_COLUMNS)
    return table.sort_values(["date_key", "row_id"], kind="stable").reset_index(drop=True)


def wide_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows drawn (`table`: :func:`reader_rows`) as a wide table: one line per year (or per subject when the
    chart draws no dates), one column per series (subject, then source), each cell the figure as stated
    ('low–high' for a range, never a midpoint); figures of one series in one year are joined with '; '."""
    rows = table[table["Figure"] != ""]
    if rows.empty:
        return pd.DataFrame(columns=["Year"])
    dated = rows["date_key"] != ""
    index = ("Year", rows["date_key"].str[:4]) if dated.all() else ("Subject", rows["What"])
    series = rows["What"] + " — " + rows["Source"] if dated.all() else rows["Source"]
    long = pd.DataFrame({index[0]: index[1], "series": series, "figure": rows["Figure"]})
    wide = long.groupby([index[0], "series"], sort=True)["figure"].agg("; ".join).unstack("series")
    return wide.reset_index().rename_axis(columns=None)
