"""Headline rows as stated: one row per group with the sources' own words and range, never a midpoint.

A row draws figures from the data only: a range as a bar from its low to its high bound, a single figure as a
mark, an open end ('up to', 'more than') as an arrow. Its printed label is the words and range a source states;
a share converted to people is printed beside the share it comes from and marked as our computation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from nkdigital.charts import house, overlay, ranges
from nkdigital.charts.markup import esc
from nkdigital.charts.skeleton import FIGURES, records
from nkdigital.charts.style import rgba
from nkdigital.metadata.colours import TEXT
from nkdigital.text import missing

BAR_PX = 9  # thickness of a range bar
FADED = 0.35


@dataclass
class Row:
    """One headline row: its label, the statements drawn on it (in people), the one printed and its text."""

    key: str  # names the row's annotations ('label: <key>')
    label: str
    colour: str
    drawn: pd.DataFrame  # value/low/high/qualifier in the axis unit, one row per statement
    text: str  # printed beside the row (escaped markup)
    lead: int | None = None  # the index label of the statement printed, drawn strong; the rest are light


def bounds(row: dict) -> tuple[float | None, float | None]:
    """The lowest and highest figure a statement gives (None where it gives none)."""
    figures = [float(row[c]) for c in FIGURES if not missing(row[c])]
    return (min(figures), max(figures)) if figures else (None, None)


def commonest(frame: pd.DataFrame) -> int:
    """The index label of the statement whose figures most statements give; ties go to the latest, then the id."""
    key = pd.Series([tuple(None if missing(r[c]) else round(float(r[c]), 6) for c in FIGURES)
                     for r in records(frame, FIGURES)], index=frame.index)
    ranked = frame.assign(_n=key.map(key.value_counts()), _date=frame["ref_date"])
    ranked = ranked.sort_values(["_n", "_date", ranked.columns[0]], ascending=[False, False, True], kind="stable")
    return ranked.index[0]


def draw(fig: house.HouseFigure, rows: list[Row], *, log: bool) -> None:
    """Each row's statements on line k: ranges as bars (light, the printed one strong), single figures and
    open ends as marks with arrows; the row's text above its line."""
    annotations = []
    for k, row in enumerate(rows):
        read = [*FIGURES, "qualifier", "_id", *(["_weak"] if "_weak" in row.drawn else [])]
        for i, statement in zip(row.drawn.index, records(row.drawn, read), strict=True):
            strong = i == row.lead
            colour = row.colour if strong else rgba(row.colour, 0.45)
            opacity = FADED if statement.get("_weak") is True else 1.0  # a weak row, drawn on request
            low, high = bounds(statement)
            if low is None:
                continue
            customdata = [esc(statement["_id"])]
            if low != high and missing(statement["value"]):  # a stated range: a bar from bound to bound
                fig.add_scatter(x=[low, high], y=[k, k], mode="lines", opacity=opacity, showlegend=False,
                                line={"color": colour, "width": BAR_PX if strong else 4},
                                customdata=customdata * 2, name=esc(row.label), hoverinfo="skip")
                continue
            span = ranges.span(statement["value"], statement["low"], statement["high"], statement["qualifier"])
            fig.add_scatter(x=[span.mark], y=[k], mode="markers", opacity=opacity, showlegend=False,
                            marker={"size": 13 if strong else 8, "color": colour, "symbol": "circle"},
                            customdata=customdata, name=esc(row.label), hoverinfo="skip",
                            error_x=ranges.range_band([span], colour) if span.has_range else None)
            annotations += ranges.open_end_arrows(span, span.mark, k, colour, statement["_id"], horizontal=True,
                                                  length=18)
        if row.text:
            annotations.append({"x": 0, "xref": "paper", "y": k, "yref": "y", "yshift": 17, "xanchor": "left",
                                "yanchor": "bottom", "text": row.text, "showarrow": False, "align": "left",
                                "font": {"size": 12, "color": TEXT}, "name": f"label: {esc(row.key)}"})
    if log:
        for a in annotations:  # annotations on a log axis take log10 positions
            if a.get("xref") == "x":
                a["x"] = round(math.log10(a["x"]), 4) if a["x"] > 0 else 0
    overlay.add(fig, annotations)
    house.set_layout(fig, yaxis={"tickvals": list(range(len(rows))), "ticktext": [f"<b>{r.label}</b>" for r in rows],
                                 "range": [len(rows) - 0.5, -0.9], "showgrid": False, "fixedrange": True,
                                 "tickfont": {"size": 13}, "zeroline": False}, showlegend=False)
