"""One chart to one file, the format picked by the suffix: .png (scale 2), .svg, .pdf, .html (self-contained) or
.csv (the rows drawn and the inputs of derived ones, with their figures, outlets, URLs, quotes, the chart's source
line and reuse terms)."""

from __future__ import annotations

import html
import io
import os
from pathlib import Path

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.core.atomic import atomic_write_bytes
from nkdigital.export.formats import CHART_FILE_FORMATS
from nkdigital.metadata.fields import FIELDS
from nkdigital.metadata.roles import ROLES, dated_by, precision_of
from nkdigital.metadata.terms import restricts_reuse

COLUMNS = ["row_id", "in_chart", "resource", "date", "date_precision", "value", "low", "high", "unit", "qualifier",
           "claim_type", "formula", "input_ids", "outlet", "url", "strength", "quote", "source_id", "usage_terms",
           "restricts_reuse", "chart", "chart_source_line", "chart_terms"]
FROM_ROW = (*ROLES["quantity"], "claim_type", "formula", "input_ids", *ROLES["evidence"])
DRAWN, INPUT = "drawn", "input of a derived row"  # `in_chart`: a row the chart draws, or one computed from
FROM_SOURCE = [c for c in COLUMNS if c in FIELDS and c not in FROM_ROW]  # the source's url and usage_terms


def format_of(out: str | os.PathLike) -> str:
    """The format `out`'s suffix asks for, or a ValueError naming the suffixes there are."""
    fmt = Path(out).suffix.lstrip(".").lower()
    if fmt not in CHART_FILE_FORMATS:
        raise ValueError(f"cannot tell the format of {out}: its suffix must be one of"
                         f" {', '.join('.' + f for f in CHART_FILE_FORMATS)}")
    return fmt


def chart_rows(fig, package: Package) -> pd.DataFrame:
    """The rows a chart draws (``meta["rows"]``) and, transitively, the rows its derived rows are computed from
    (`in_chart` says which), one line each, with their source's outlet, URL and terms; a derived row's
    `claim_type`, `formula` and `input_ids` say that its figures are our computation and from what."""
    from nkdigital.charts.credits import outlet

    meta = fig.layout.meta or {}
    drawn = set(meta.get("rows", []))
    sources = package.source_rows
    parts = []
    for name, frame in package.rows_by_id(package.with_inputs(drawn)).items():
        if name == "sources":
            continue
        ids = frame.iloc[:, 0].astype(str)
        part = pd.DataFrame({"row_id": ids, "in_chart": [DRAWN if i in drawn else INPUT for i in ids],
                             "resource": name})
        date = dated_by(frame.columns, "date")
        precision = precision_of(date) if date else None
        part["date"] = frame[date].dt.strftime("%Y-%m-%d") if date else None
        part["date_precision"] = frame[precision].astype("string") if precision else None
        for column in FROM_ROW:
            part[column] = frame.get(column)
        parts.append(part)
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    rows["outlet"] = [outlet(sources[i]) for i in rows["source_id"]]
    for column in FROM_SOURCE:
        rows[column] = [sources[i].get(column) for i in rows["source_id"]]
    rows["restricts_reuse"] = [restricts_reuse(t) for t in rows["usage_terms"]]
    rows["chart"] = meta.get("filename", "")
    rows["chart_source_line"] = html.unescape(meta.get("source_line", ""))
    rows["chart_terms"] = html.unescape("; ".join(meta.get("terms", [])))
    return rows[COLUMNS].sort_values(["date", "row_id"], na_position="first", kind="stable").reset_index(drop=True)


def write_frame_csv(frame: pd.DataFrame, out: str | os.PathLike) -> Path:
    """Write `frame` to `out` as UTF-8 CSV without its index, atomically."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    out = Path(out)
    atomic_write_bytes(out, buffer.getvalue().encode("utf-8"))
    return out


def write_chart_csv(fig, out: str | os.PathLike, package: Package) -> Path:
    """Write :func:`chart_rows` to `out` as UTF-8 CSV."""
    return write_frame_csv(chart_rows(fig, package), out)


def write_chart(fig, out: str | os.PathLike, package: Package, width: int | None = None,
                height: int | None = None) -> Path:
    """Write `fig` to `out` in the format its suffix names; images at `width` × `height` px when given."""
    from nkdigital.export.html import write_chart_html
    from nkdigital.export.images import write_image

    fmt = format_of(out)
    out = Path(out)
    if not out.parent.is_dir():
        raise FileNotFoundError(f"no folder {out.parent} to write {out.name} into")
    if fmt == "html":
        return write_chart_html(fig, out)
    if fmt == "csv":
        return write_chart_csv(fig, out, package)
    return write_image(fig, out, width, height)
