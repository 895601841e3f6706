"""Timeline: dated events by category, marker style showing how precisely each date is known."""

from __future__ import annotations

import pandas as pd

from nkdigital import text
from nkdigital.charts import credits, house, palette, placement
from nkdigital.charts.markup import esc, iso, wrap
from nkdigital.charts.style import LIGHT_GREY, WIDTH
from nkdigital.load import Package

LANE_PX = 18
MAX_HOVER_SOURCES = 8  # vertical space per lane of events
CATEGORY_GAP = 0.9  # extra lanes of space between categories
MARGIN_LEFT, MARGIN_RIGHT = 190, 30


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


def _hover(group: pd.DataFrame, labels: dict[str, str]) -> str:
    row = group.iloc[0]
    parts = [
        f"<b>{wrap(row['title'], 60)}</b>",
        f"{esc(text.date_of(row, 'event_date'))} · {esc(palette.name('category', row['category']))}",
        f"Subject: {wrap(row['subject'], 60)}",
        wrap(row["description"], 60),
    ]
    if not text.missing(row.get("actor")):
        parts.append(f"Actor: {wrap(row['actor'], 60)}")
    names = list(dict.fromkeys(labels[s] for s in group["source_id"]))
    if len(group) == 1:
        parts.append(f"Source: {esc(names[0])} ({esc(row['source_id'])})")
    else:
        shown = [f"• {esc(n)}" for n in names[:MAX_HOVER_SOURCES]]
        if len(names) > MAX_HOVER_SOURCES:
            shown.append(f"… and {len(names) - MAX_HOVER_SOURCES} more")
        parts.append(f"Same subject and date in {len(group)} rows from {len(names)} sources:")
        parts += shown
    return "<br>".join(parts)


def _precision_name(precision: str) -> str:
    """The legend name of a date precision: its label, saying that a line spans a month or a year."""
    spans = {"month": " (line spans the month)", "year": " (line spans the year)", "range": " (line spans it)"}
    return palette.name("precision", precision) + spans.get(precision, "")


def timeline(events: pd.DataFrame, *, package: Package | None = None,
             include_weak: bool = False) -> house.HouseFigure:
    """Events by category (y) over time (x); hover gives title, description and sources.

    One mark per category, subject, date and precision: rows from several sources that give the same subject
    the same date share a mark, drawn larger the more sources give it, while a different date from another
    source is a separate mark. Marker symbol and colour show the date's precision; month- and year-precision
    marks sit in the middle of a line spanning the whole month or year. Marks crowded in time are spread
    over several lanes within their category. Rows from weak sources are left out unless ``include_weak``.
    """
    package = house.resolve(package)
    frame = credits.select(events[events["event_date"].notna()], package, include_weak)
    if frame.empty:
        raise ValueError(f"no dated events to draw{credits.WEAK_HINT}")
    frame["category"] = frame["category"].astype(str)
    frame["event_date_precision"] = frame["event_date_precision"].astype("string").fillna("day").astype(str)
    frame["subject"] = frame["subject"].astype("string").fillna("")
    frame = frame.sort_values(["event_date", "event_id"], kind="stable").reset_index(drop=True)
    labels = credits.source_labels(package, frame["source_id"].unique(), width=60)

    keys = ["category", "subject", "event_date", "event_date_precision"]
    marks = frame.groupby(keys, sort=False).agg(
        event_ids=("event_id", lambda ids: " ".join(sorted(ids))), rows=("event_id", "size"),
        sources=("source_id", "nunique"), weak=("_weak", "all")).reset_index()
    marks["_start"] = pd.to_datetime(marks["event_date"])
    marks["_end"] = [pd.Timestamp(text.period_end(d, p)) for d, p in
                     zip(marks["_start"], marks["event_date_precision"], strict=True)]
    marks["_mid"] = marks["_start"] + (marks["_end"] - marks["_start"]) / 2
    marks = marks.sort_values(["_start", "event_ids"], kind="stable").reset_index(drop=True)

    first, last = marks["_start"].min(), marks["_end"].max()
    span_days = max((last - first).days, 365)
    categories = _categories(frame)
    marks["_y"] = 0.0
    tickvals, ticktext, separators, y = [], [], [], 0.0
    for category in categories:
        rows = marks.index[marks["category"] == category]
        lanes = _lanes(marks.loc[rows], span_days / 70)
        marks.loc[rows, "_y"] = [y + lane for lane in lanes]
        count = max(lanes) + 1
        tickvals.append(y + (count - 1) / 2)
        ticktext.append(f"{esc(palette.name('category', category))} ({int(marks.loc[rows, 'rows'].sum())})")
        y += count + CATEGORY_GAP
        separators.append(y - (CATEGORY_GAP + 1) / 2)

    fig = house.HouseFigure()
    by_key = {key: group for key, group in frame.groupby(keys, sort=False)}
    for precision in palette.order("precision"):
        rows = marks[marks["event_date_precision"] == precision]
        if rows.empty:
            continue
        name, colour = _precision_name(precision), palette.colour("precision", precision)
        if precision != "day":
            xs, ys = [], []
            for _, row in rows.iterrows():
                xs += [iso(row["_start"]), iso(row["_end"]), None]
                ys += [row["_y"], row["_y"], None]
            fig.add_scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 2}, hoverinfo="skip",
                            legendgroup=precision, showlegend=False, name=f"{name}: period")
        fig.add_scatter(
            x=[iso(d) for d in rows["_mid"]], y=rows["_y"].tolist(), mode="markers", name=name,
            legendgroup=precision,
            marker={"symbol": palette.symbol("precision", precision),
                    "size": [round(8 + 3 * (n - 1) ** 0.5, 1) for n in rows["sources"]],
                    "opacity": [0.35 if weak else 1.0 for weak in rows["weak"]],
                    "color": colour, "line": {"color": "#ffffff", "width": 1}},
            customdata=[esc(i) for i in rows["event_ids"]],
            hovertext=[_hover(by_key[tuple(row[k] for k in keys)], labels) for _, row in rows.iterrows()],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    for sep in separators[:-1]:
        fig.add_hline(y=sep, line={"color": LIGHT_GREY, "width": 1})

    lanes_total = y - CATEGORY_GAP
    fig.update_yaxes(tickvals=tickvals, ticktext=ticktext, range=[lanes_total - 0.4, -0.6], showgrid=False,
                     fixedrange=True)
    pad = pd.Timedelta(days=span_days * 0.02)
    fig.update_xaxes(type="date", range=[iso(first - pad), iso(last + pad)], title_text=None)
    fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"})

    counts = frame["category"].value_counts()
    by_category = ", ".join(f"{palette.name('category', c).lower()} {counts[c]}" for c in categories)
    precisions = frame["event_date_precision"].value_counts()
    busiest = marks.sort_values(["sources", "_start"], ascending=[False, True], kind="stable").iloc[0]
    description = esc(
        f"Timeline of {len(frame)} dated event reports from {first.year} to {last.year}, one row of marks per"
        f" category ({by_category}). Reports of the same subject on the same date share a mark; the most"
        f" widely reported is {busiest['subject']}"
        f" ({text.when(busiest['event_date'], busiest['event_date_precision'])}, {busiest['sources']} sources)."
        f" {precisions.get('day', 0)} dates are known to the day,"
        f" {precisions.get('month', 0)} to the month and {precisions.get('year', 0)} only to the year."
    )
    notes = [
        "One mark per subject and date; a larger mark means more sources give that date. The same event dated"
        " differently by different sources appears as separate marks. Month and year dates sit in the middle"
        " of a line spanning the period. Numbers in brackets: event rows per category.",
    ]
    return house.finish(
        fig, chart="timeline", package=package, drawn=credits.source_frame(frame),
        title="Digital access in North Korea: a timeline of networks, laws and reviews",
        subtitle=f"Dated events by category, {first.year}–{last.year}, as the sources date them",
        description=description, notes=notes, plot_height=int(lanes_total * LANE_PX + 30),
        margin_left=MARGIN_LEFT, margin_right=MARGIN_RIGHT, axis_band=40,
        # the legend above the plot: plotly wraps a horizontal legend at the plot's width
        top_extra=8 + 22 * placement.legend_rows([_precision_name(p) for p in precisions.index],
                                                 WIDTH - MARGIN_LEFT - MARGIN_RIGHT),
    )
