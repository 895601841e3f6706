"""Timeline: dated events by category, marker style showing how precisely each date is known."""

from __future__ import annotations

import pandas as pd

from nkdigital.charts import house
from nkdigital.charts.house import esc, wrap
from nkdigital.cite import _bundled
from nkdigital.load import Package

PRECISIONS = {  # precision: (legend name, symbol, colour)
    "day": ("Exact day known", "circle", house.OKABE_ITO["blue"]),
    "month": ("Month known (line spans the month)", "square", house.OKABE_ITO["orange"]),
    "year": ("Year known (line spans the year)", "diamond", house.OKABE_ITO["bluish_green"]),
}
LANE_PX = 17  # vertical space per lane of events
CATEGORY_GAP = 0.9  # extra lanes of space between categories


def _categories(events: pd.DataFrame) -> list[str]:
    present = set(events["category"].astype(str))
    column = events["category"]
    order = [str(c) for c in column.cat.categories] if hasattr(column, "cat") else sorted(present)
    return [c for c in order if c in present]


def _lanes(frame: pd.DataFrame, min_gap_days: float) -> list[int]:
    """Greedy lanes so that events whose periods (plus a marker's width) overlap sit on separate lanes."""
    ends: list[pd.Timestamp] = []
    lanes = []
    for start, end in zip(frame["_start"], frame["_end"], strict=True):
        for lane, last in enumerate(ends):
            if start > last + pd.Timedelta(days=min_gap_days):
                ends[lane] = end
                lanes.append(lane)
                break
        else:
            ends.append(end)
            lanes.append(len(ends) - 1)
    return lanes


def _hover(row: pd.Series, package: Package) -> str:
    parts = [
        f"<b>{wrap(row['title'], 60)}</b>",
        f"{house.when(row['event_date'], row['event_date_precision'])} · {esc(house.label(row['category']))}",
        f"Subject: {wrap(row['subject'], 60)}",
        wrap(row["description"], 60),
    ]
    if not house.missing(row.get("actor")):
        parts.append(f"Actor: {wrap(row['actor'], 60)}")
    parts.append(f"Source: {esc(house.source_label(package, row['source_id']))} ({esc(row['source_id'])})")
    return "<br>".join(parts)


def timeline(events: pd.DataFrame, *, package: Package | None = None) -> house.HouseFigure:
    """Events by category (y) over time (x), one mark per event row; hover gives title, description, source.

    Marker symbol and colour show the date's precision; month- and year-precision events sit in the middle
    of a line spanning the whole month or year. Events crowded in time are spread over several lanes.
    """
    package = package or _bundled()
    frame = events[events["event_date"].notna()].copy()
    if frame.empty:
        raise ValueError("no dated events to draw")
    frame["event_date_precision"] = frame["event_date_precision"].astype("string").fillna("day")
    frame["_start"] = pd.to_datetime(frame["event_date"])
    frame["_end"] = [pd.Timestamp(house.period_end(d, p)) for d, p in
                     zip(frame["_start"], frame["event_date_precision"], strict=True)]
    frame["_mid"] = frame["_start"] + (frame["_end"] - frame["_start"]) / 2
    frame = frame.sort_values(["_start", "event_id"], kind="stable").reset_index(drop=True)

    first, last = frame["_start"].min(), frame["_end"].max()
    span_days = max((last - first).days, 365)
    min_gap = span_days / 70

    categories = _categories(frame)
    frame["_y"] = 0.0
    tickvals, ticktext, separators, y = [], [], [], 0.0
    for category in categories:
        rows = frame.index[frame["category"].astype(str) == category]
        lanes = _lanes(frame.loc[rows], min_gap)
        frame.loc[rows, "_y"] = [y + lane for lane in lanes]
        count = max(lanes) + 1
        tickvals.append(y + (count - 1) / 2)
        ticktext.append(f"{esc(house.label(category))} ({len(rows)})")
        y += count + CATEGORY_GAP
        separators.append(y - (CATEGORY_GAP + 1) / 2)

    fig = house.HouseFigure()
    for precision, (name, symbol, colour) in PRECISIONS.items():
        rows = frame[frame["event_date_precision"] == precision]
        if rows.empty:
            continue
        if precision != "day":
            xs, ys = [], []
            for _, row in rows.iterrows():
                xs += [house.iso(row["_start"]), house.iso(row["_end"]), None]
                ys += [row["_y"], row["_y"], None]
            fig.add_scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 2}, hoverinfo="skip",
                            legendgroup=precision, showlegend=False, name=f"{name}: period")
        fig.add_scatter(
            x=[house.iso(d) for d in rows["_mid"]], y=rows["_y"].tolist(), mode="markers", name=name,
            legendgroup=precision,
            marker={"symbol": symbol, "size": 9, "color": colour, "line": {"color": "#ffffff", "width": 1}},
            customdata=[esc(i) for i in rows["event_id"]],
            hovertext=[_hover(row, package) for _, row in rows.iterrows()],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    for sep in separators[:-1]:
        fig.add_hline(y=sep, line={"color": house.LIGHT_GREY, "width": 1})

    lanes_total = y - CATEGORY_GAP
    fig.update_yaxes(tickvals=tickvals, ticktext=ticktext, range=[lanes_total - 0.4, -0.6], showgrid=False,
                     fixedrange=True)
    pad = pd.Timedelta(days=span_days * 0.02)
    fig.update_xaxes(type="date", range=[house.iso(first - pad), house.iso(last + pad)], title_text=None)
    fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"})

    counts = frame["category"].astype(str).value_counts()
    by_category = ", ".join(f"{house.label(c).lower()} {counts[c]}" for c in categories)
    precisions = frame["event_date_precision"].value_counts()
    description = esc(
        f"Timeline of {len(frame)} dated events from {first.year} to {last.year}, one row of marks per category"
        f" ({by_category}). Each mark is one event as one source dates it, so an event reported by several"
        f" sources, or dated differently by them, appears more than once."
        f" {precisions.get('day', 0)} dates are known to the day, {precisions.get('month', 0)} to the month and"
        f" {precisions.get('year', 0)} only to the year."
    )
    notes = [
        "Each mark is one event as one source dates it; conflicting dates from different sources are separate"
        " marks. Month and year dates are drawn in the middle of a line spanning the period.",
    ]
    return house.finish(
        fig, chart="timeline", package=package, drawn=house.source_frame(frame),
        title="Digital access in North Korea: a timeline of networks, laws and reviews",
        subtitle=f"Dated events by category, {first.year}–{last.year}; number of events in brackets",
        description=description, notes=notes, plot_height=int(lanes_total * LANE_PX + 30), margin_left=190,
        margin_right=30, axis_band=40, top_extra=28,
    )
