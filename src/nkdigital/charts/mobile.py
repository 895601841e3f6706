"""Mobile subscriptions over time: every source's figure, conflicts visible, ranges and key events."""

from __future__ import annotations

import re

import pandas as pd

from nkdigital.charts import house
from nkdigital.charts.house import esc, label, wrap
from nkdigital.cite import _bundled
from nkdigital.load import Package

PER_100 = "mobile_subscriptions_per_100"
ABSOLUTE = ("mobile_subscriptions", "mobile_users", "active_mobile_users")
NAMES = {
    "mobile_subscriptions": "Mobile subscriptions",
    "mobile_users": "Mobile users",
    "active_mobile_users": "Active mobile users",
    PER_100: "Mobile subscriptions per 100 people",
}
SYMBOLS = {"mobile_subscriptions": "circle", "mobile_users": "square", "active_mobile_users": "diamond",
           PER_100: "circle"}
MARGIN_LEFT, MARGIN_RIGHT = 76, 220
WIDTH_PLOT = house.WIDTH - MARGIN_LEFT - MARGIN_RIGHT
PLOT_HEIGHT = 440
EVENT_FONT = 11
EVENT_STEP = 17  # px between levels of event labels above the plot
EVENT_RISE = 10  # px from the plot's top edge to the first level of event labels
LEGEND_ITEM_PX, LEGEND_TITLE_PX = 24, 26  # legend rows at font size 12 (with the 4 px group gap), and title
SERIES_MIN = 3  # a source's figures for one indicator are joined by a line from this many points on

KEY_CATEGORIES = ("network",)
KEY_SUBJECT = re.compile(r"mobile|koryolink|byol|kang ?song|3g|4g|lte|cell", re.IGNORECASE)
KEY_ACTION = re.compile(r"launch|start|begin|began|chosen|second|first|opened to the public|adoption", re.IGNORECASE)


def key_events(events: pd.DataFrame) -> pd.DataFrame:
    """Network events that start or add mobile service: launches, first services, a second operator, 4G.

    The rule: category ``network``; subject or title about mobile telephony (Koryolink, Byol, Kang Song,
    3G/4G/LTE, mobile, cell); title about a start (launch, start, first, second, opened to the public …).
    """
    subject = events["subject"].astype("string").fillna("")
    title = events["title"].astype("string").fillna("")
    keep = (events["category"].astype(str).isin(KEY_CATEGORIES)
            & (subject + " " + title).str.contains(KEY_SUBJECT) & title.str.contains(KEY_ACTION))
    return events[keep.fillna(False).astype(bool)]


def _rows(observations: pd.DataFrame, per_100: bool) -> pd.DataFrame:
    wanted = (PER_100,) if per_100 else ABSOLUTE
    frame = observations[observations["indicator"].astype(str).isin(wanted) & observations["ref_date"].notna()]
    frame = frame[frame[["value", "low", "high"]].notna().any(axis=1)].copy()
    if frame.empty:
        view = "per-100" if per_100 else "absolute"
        other = "" if per_100 else " (pass per_100=True for mobile_subscriptions_per_100)"
        raise ValueError(f"no {', '.join(wanted)} rows with a date and a figure for the {view} view{other}")
    frame["indicator"] = frame["indicator"].astype(str)
    frame["claim_type"] = frame["claim_type"].astype("string").fillna("media_report").astype(str)
    frame["_order"] = frame["indicator"].map({name: i for i, name in enumerate(wanted)})
    claims = list(house.CLAIM_COLOURS)
    frame["_claim_order"] = frame["claim_type"].map(lambda c: claims.index(c) if c in claims else len(claims))
    frame["_estimate"] = frame["claim_type"].map(house.is_estimate).astype(bool)
    return frame.sort_values(["_order", "_claim_order", "ref_date", "source_id", "observation_id"],
                             kind="stable").reset_index(drop=True)


def _nudges(frame: pd.DataFrame, step: float) -> pd.Series:
    """Days to shift each row so that different sources' figures for the same date sit side by side."""
    shift = pd.Series(0.0, index=frame.index)
    for _, group in frame.groupby(["indicator", "ref_date"], sort=False):
        sources = sorted(group["source_id"].unique())
        if len(sources) > 1:
            rank = {s: i - (len(sources) - 1) / 2 for i, s in enumerate(sources)}
            shift[group.index] = group["source_id"].map(rank) * step
    return shift


def _hover(row: pd.Series, source_name: str) -> str:
    figure = house.quantity(row["value"], row["low"], row["high"], row["unit"], row["qualifier"])
    parts = [
        f"<b>{esc(NAMES[row['indicator']])}: {esc(figure)}</b>",
        f"{esc(house.when(row['ref_date'], row['ref_date_precision']))} · "
        f"{esc(house.CLAIM_NAMES.get(row['claim_type'], label(row['claim_type'])))}",
    ]
    if not house.missing(row["phrase"]):
        parts.append(f"Wording: “{wrap(row['phrase'], 60)}”")
    if not house.missing(row["attributed_to"]):
        parts.append(f"Attributed to: {wrap(row['attributed_to'], 60)}")
    if row["claim_type"] == "derived" and not house.missing(row["input_ids"]):
        parts.append(f"Derived from: {wrap(row['input_ids'], 60)}")
    parts.append(f"Source: {esc(source_name)}")
    parts.append(f"({esc(row['source_id'])})")
    return "<br>".join(parts)


def _event_lines(events: pd.DataFrame | None, first: pd.Timestamp,
                 last: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events in the window as (lines, members): one line per subject and year, at the most precise date
    any source gives; members are all the event rows behind the lines."""
    if events is None or events.empty:
        return events.iloc[0:0] if events is not None else None, None
    frame = events[events["event_date"].notna()]
    frame = frame[(frame["event_date"] >= first) & (frame["event_date"] <= last)].copy()
    rank = {"day": 0, "month": 1, "year": 2}
    frame["_precision"] = frame["event_date_precision"].astype(str).map(rank).fillna(3)
    frame["_year"] = frame["event_date"].dt.year
    frame = frame.sort_values(["subject", "_year", "_precision", "event_date", "event_id"], kind="stable")
    lines = frame.drop_duplicates(["subject", "_year"]).sort_values(["event_date", "event_id"], kind="stable")
    return lines.reset_index(drop=True), frame


def _listing(names: list[str]) -> str:
    """'A', 'A and b', 'A, b and c'."""
    names = [names[0], *(n.lower() for n in names[1:])]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def subscribers(observations: pd.DataFrame, per_100: bool = False, events: pd.DataFrame | None = None, *,
                package: Package | None = None) -> house.HouseFigure:
    """Mobile subscriptions over time: every source's figure, coloured by the kind of claim.

    ``per_100=False`` (default) draws mobile_subscriptions, with mobile_users and active_mobile_users as
    separate traces (square and diamond markers); ``per_100=True`` draws mobile_subscriptions_per_100.
    Every row is its own mark: figures from different sources for the same date are nudged sideways so that
    none hides another. A source with several figures for one indicator is joined by a line. Ranges are
    error bars; 'more than' and 'up to' figures get an arrow towards the open side; a dash marks a range with
    no single figure. Estimates (analyst estimates, survey, derived) are hollow, their lines dashed.
    ``events`` (for example :func:`key_events` of ``package.events()``) become labelled vertical lines,
    one per subject and year.
    """
    package = package or _bundled()
    frame = _rows(observations, per_100)
    labels = house.source_labels(package, frame["source_id"].unique(), width=70)
    indicators = list(dict.fromkeys(frame["indicator"]))

    first, last = frame["ref_date"].min(), frame["ref_date"].max()
    span_days = max((last - first).days, 365)
    frame["_x"] = [house.iso(d, n) for d, n in zip(frame["ref_date"], _nudges(frame, span_days / 170),
                                                    strict=True)]
    spans = {i: house.span(r["value"], r["low"], r["high"], r["qualifier"]) for i, r in frame.iterrows()}

    fig = house.HouseFigure()
    # Lines first (under the marks): one per source with a run of figures for one indicator.
    for (indicator, source_id), rows in frame.groupby(["indicator", "source_id"], sort=True):
        if len(rows) < SERIES_MIN:
            continue
        rows = rows.sort_values(["ref_date", "observation_id"], kind="stable")
        claims = set(rows["claim_type"])
        colour = house.CLAIM_COLOURS.get(claims.pop(), house.GREY) if len(claims) == 1 else house.GREY
        fig.add_scatter(
            x=rows["_x"].tolist(), y=[spans[i].mark for i in rows.index], mode="lines", hoverinfo="skip",
            name=esc(f"{NAMES[indicator]}: {labels[source_id]} (line)"), showlegend=False,
            line={"color": colour, "width": 1.2, "dash": "dash" if rows["_estimate"].all() else "solid"},
            opacity=0.7,
        )
    # The legend: one entry per kind of claim (click to hide), and the marker shape per indicator.
    house.claim_legend(fig, dict.fromkeys(frame["claim_type"]))
    if len(indicators) > 1:
        for indicator in indicators:
            fig.add_scatter(x=[None], y=[None], mode="markers", name=esc(NAMES[indicator]), legend="legend2",
                            marker={"symbol": SYMBOLS[indicator], "size": 9, "color": house.GREY})
    arrows = []
    for (indicator, claim), rows in frame.groupby(["indicator", "claim_type"], sort=False):
        colour = house.CLAIM_COLOURS.get(claim, house.GREY)
        estimate = house.is_estimate(claim)
        row_spans = [spans[i] for i in rows.index]
        symbol = house.hollow(SYMBOLS[indicator], estimate)
        name = f"{NAMES[indicator]}: {house.CLAIM_NAMES.get(claim, label(claim))}"
        trace = {
            "x": rows["_x"].tolist(), "y": [s.mark for s in row_spans], "mode": "markers", "name": esc(name),
            "legendgroup": claim, "showlegend": False,
            "marker": {"symbol": [symbol if s.has_value else "line-ew-open" for s in row_spans], "size": 8,
                       "color": colour, "line": {"color": colour, "width": 1.5}},
            "customdata": [esc(i) for i in rows["observation_id"]],
            "hovertext": [_hover(row, labels[row["source_id"]]) for _, row in rows.iterrows()],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
        if any(s.has_range for s in row_spans):
            trace["error_y"] = {"type": "data", "symmetric": False, "array": [s.plus for s in row_spans],
                                "arrayminus": [s.minus for s in row_spans], "color": colour, "thickness": 1.5,
                                "width": 3, "visible": True}
        fig.add_scatter(**trace)
        for x, s, row_id in zip(rows["_x"], row_spans, rows["observation_id"], strict=True):
            arrows += house.open_end_arrows(s, x, s.mark, colour, row_id, horizontal=False, length=16)
    for arrow in arrows:
        fig.add_annotation(**arrow)

    pad = pd.Timedelta(days=span_days * 0.02)
    lines, shown_events = _event_lines(events, first - pd.Timedelta(days=180), last + pd.Timedelta(days=180))
    lines = lines if lines is not None else pd.DataFrame(columns=["event_id", "event_date", "title"])
    x0, x1 = first - pad, last + pad
    texts = [f"{house.shorten(row['title'], 40)} ({row['event_date'].year})" for _, row in lines.iterrows()]
    placed = house.stagger([(row["event_date"] - x0) / (x1 - x0) * WIDTH_PLOT for _, row in lines.iterrows()],
                           [house.text_px(t, EVENT_FONT) + 6 for t in texts],
                           (4 - MARGIN_LEFT, WIDTH_PLOT + MARGIN_RIGHT - 4))
    for (_, row), text, (level, anchor) in zip(lines.iterrows(), texts, placed, strict=True):
        x = house.iso(row["event_date"])
        fig.add_vline(x=x, line={"color": house.GREY, "width": 1, "dash": "dot"})
        # the label sits above the plot on its level, joined to its line by a leader
        fig.add_annotation(
            x=x, xref="x", y=1, yref="paper", ax=0, ay=-(EVENT_RISE + EVENT_STEP * level), axref="pixel",
            ayref="pixel", showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=house.GREY, standoff=0,
            xanchor=anchor, yanchor="middle", text=esc(text), align="left",
            font={"size": EVENT_FONT, "color": "#333333"}, name=f"event: {esc(row['event_id'])}",
        )
    levels = 1 + max((level for level, _ in placed), default=-1)

    highest = max(max(s.mark + s.plus for s in spans.values()), 1)
    fig.update_yaxes(title_text="Per 100 people" if per_100 else "Subscriptions or people",
                     range=[-0.04 * highest, 1.06 * highest], tickformat=",.0f" if per_100 else "~s")
    fig.update_xaxes(type="date", range=[house.iso(x0), house.iso(x1)])
    fig.update_layout(
        legend={"x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top", "title": {"text": "Kind of claim"}},
        legend2={"x": 1.02, "xanchor": "left", "y": 0, "yanchor": "bottom", "title": {"text": "Shape"},
                 "itemclick": False, "itemdoubleclick": False},
    )

    shown = ", ".join(NAMES[i].lower() for i in indicators)
    top = frame.loc[frame[["value", "low", "high"]].max(axis=1).idxmax()]
    top_value = max(x for x in (top["value"], top["low"], top["high"]) if not house.missing(x))
    sources = frame["source_id"].nunique()
    description = esc(
        f"Chart of {shown} in North Korea from {first.year} to {last.year}: {len(frame)} figures from"
        f" {sources} sources, coloured by kind of claim. The highest figure is {house.number(top_value)}"
        f" ({house.when(top['ref_date'], top['ref_date_precision'])}, {labels[top['source_id']]})."
        f" {int(frame['_estimate'].sum())} figures are estimates or derived by nkdigital and drawn hollow."
        + (f" {len(lines)} key events are marked as vertical lines." if len(lines) else "")
    )
    nudged = bool((frame["_x"] != [house.iso(d) for d in frame["ref_date"]]).any())
    first_note = " ".join(x for x in (
        house.estimate_note(bool(frame["_estimate"].any()), lines=True),
        "Figures from different sources for one date are nudged apart." if nudged else "") if x)
    second_note = " ".join(x for x in (
        house.range_note(spans.values()), "Dotted lines: key events (one per subject and year)." if len(lines) else "")
        if x)
    notes = [n for n in (first_note, second_note) if n] or ["Every figure is its own mark; hover for its source."]
    if len(notes) == 2 and len(" ".join(notes)) <= 150:
        notes = [" ".join(notes)]
    what = _listing([NAMES[i] for i in indicators])
    # the two legends (top and bottom of the right margin) never meet: the plot is at least as tall as both
    claims = frame["claim_type"].nunique()
    legends = LEGEND_TITLE_PX + LEGEND_ITEM_PX * claims + 30 + (
        LEGEND_TITLE_PX + LEGEND_ITEM_PX * len(indicators) if len(indicators) > 1 else 0)
    return house.finish(
        fig, chart="subscribers-per-100" if per_100 else "subscribers", package=package,
        drawn=house.source_frame(frame, shown_events), title=f"{esc(what)} in North Korea",
        subtitle=f"{sources} sources' figures, {first.year}–{last.year}, by kind of claim",
        description=description, notes=notes, plot_height=max(PLOT_HEIGHT, legends), margin_left=MARGIN_LEFT,
        margin_right=MARGIN_RIGHT, top_extra=EVENT_RISE + EVENT_STEP * levels if levels else 0,
    )
