"""Timeline: dated events by category, marker style showing how precisely each date is known."""

from __future__ import annotations

import pandas as pd

from nkdigital import text
from nkdigital.api.package import Package
from nkdigital.charts import callouts, credits, house, overlay, palette, placement, skeleton
from nkdigital.charts.markup import esc, iso, shorten, wrap
from nkdigital.charts.style import GREY, LIGHT_GREY, WIDTH
from nkdigital.metadata.colours import DISPUTED, WHITE

LANE_PX = 18
MAX_HOVER_SOURCES = 8  # vertical space per lane of events
CATEGORY_GAP = 0.9  # extra lanes of space between categories
MARGIN_LEFT, MARGIN_RIGHT = 190, 30
DISPUTED_NAME = "Disputed date or actor"
AXIS_PX = 40  # date ticks under the plot
KEY_CHARS, NARROW_KEY_CHARS = 48, 30  # a key event's label: its date, then its title cut to this many characters
KEY_LINES, NARROW_KEY_LINES = 12, 4  # at most this many key events share one box of labels, wide and narrow
NARROW_WIDTH = 640  # px: the narrow layout's width (an article column)


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


HOVER = ["event_id", "title", "event_date", "event_date_precision", "event_date_end", "category", "_disputed",
         "description", "actor", "stated_date", "stated_date_precision", "stated_date_end", "date_phrase",
         "stated_actor", "source_id"]  # what _hover reads of an event's accounts


def _hover(group: list[dict], labels: dict[str, str]) -> str:
    """The event in our words, then what each source says (`group`: its rows, one per account): its date and,
    where it names one, its actor."""
    row = group[0]
    parts = [
        f"<b>{wrap(row['title'], 60)}</b>",
        f"{esc(text.when(row['event_date'], row['event_date_precision'], row.get('event_date_end')))}"
        f" · {esc(palette.name('category', row['category']))}" + (" · <b>disputed</b>" if row["_disputed"] else ""),
        wrap(row["description"], 60),
    ]
    if not text.missing(row.get("actor")):
        parts.append(f"Actor: {wrap(row['actor'], 60)}")
    parts.append(f"What {len(group)} source{'s' if len(group) > 1 else ''} say:")
    for account in group[:MAX_HOVER_SOURCES]:
        said = text.when(account["stated_date"], account["stated_date_precision"], account.get("stated_date_end"),
                         account.get("date_phrase"))
        actor = "" if text.missing(account.get("stated_actor")) else f", {account['stated_actor']}"
        parts.append(f"• {esc(labels[account['source_id']])}: {wrap(said + actor, 56)}")
    if len(group) > MAX_HOVER_SOURCES:
        parts.append(f"… and {len(group) - MAX_HOVER_SOURCES} more")
    return "<br>".join(parts)


def _precision_name(precision: str) -> str:
    """The legend name of a date precision: its label, saying that a line spans a month or a year."""
    spans = {"month": " (line spans the month)", "year": " (line spans the year)", "range": " (line spans it)"}
    return palette.legend_name("precision", precision) + spans.get(precision, "")


def _key_labels(fig: house.HouseFigure, marks: pd.DataFrame, x0: pd.Timestamp, x1: pd.Timestamp,
                width: int, layout: str = "") -> tuple[pd.DataFrame, int]:
    """Label the key events (``is_key``) in the image: a dotted line through each and, above the plot, boxes
    listing their titles and dates, none overlapping. Where a box would hold too many lines (a narrow layout),
    the events that more sources report are kept; `layout` 'narrow' adds them hidden, for a narrow embed to show.
    Returns (the labelled events, px the boxes take)."""
    key = marks[marks["key"]].sort_values(["_mid", "event_id"], kind="stable").reset_index(drop=True)
    plot_px = width - MARGIN_LEFT - MARGIN_RIGHT
    chars = KEY_CHARS if width >= WIDTH else NARROW_KEY_CHARS
    texts = [_key_text(r, chars) for r in skeleton.records(key, key.columns)]
    positions = [(d - x0) / (x1 - x0) * plot_px for d in key["_mid"]]
    placed = callouts.boxes(positions, texts, key["sources"].astype(float).tolist(),
                            (8 - MARGIN_LEFT, plot_px + MARGIN_RIGHT - 4),
                            KEY_LINES if width >= WIDTH else NARROW_KEY_LINES)
    kept = sorted(i for box in placed for i in box.members)
    used = callouts.draw(fig, [iso(d) for d in key["_mid"]], texts, key["event_id"].tolist(), placed,
                         lines=not layout, layout=layout)
    return key.iloc[kept], used


def _key_text(row: dict, chars: int = 60) -> str:
    """A key event's label: its date (a day printed as its month, to keep it short), then its title cut to
    `chars` characters."""
    precision = "month" if row["event_date_precision"] == "day" else row["event_date_precision"]
    return f"{text.when(row['event_date'], precision, row['event_date_end'])}: {shorten(row['title'], chars)}"


def timeline(events: pd.DataFrame, *, package: Package | None = None, include_weak: bool = False,
             width: int = WIDTH) -> house.HouseFigure:
    """Events by category (y) over time (x): one mark per happening; hover gives what each source says.

    The mark sits at the event's best-supported date, drawn larger the more sources attest it. Marker symbol
    and colour show the date's precision; month, year and range dates sit in the middle of a line spanning the
    period. A disputed event (its sources disagree on the date or the actor) has a thick dark outline and a
    legend entry of its own. Marks crowded in time are spread over several lanes within their category. Key events
    (``is_key``) get a dotted line and a label above the plot; at a narrow `width` (px) only the labels that fit
    without overlapping are kept, those more sources report first.
    Accounts from weak sources are left out unless ``include_weak``; an event only weak sources attest is then
    drawn faded.
    """
    package = house.resolve(package)
    frame = _accounts(events, package, include_weak)
    marks = _marks(frame)
    first, last = marks["_start"].min(), marks["_end"].max()
    span_days = max((last - first).days, 365)
    yaxis, separators, lanes_total = _lanes_by_category(marks, _categories(frame), span_days)
    fig = house.HouseFigure()
    _draw_marks(fig, frame, marks, credits.source_labels(package, frame["source_id"].unique(), width=48))
    overlay.add(fig, shapes=[overlay.hline(sep, {"color": LIGHT_GREY, "width": 1}) for sep in separators])
    pad = pd.Timedelta(days=span_days * 0.02)
    plot_height = int(lanes_total * LANE_PX + 30)
    house.set_layout(fig, yaxis=yaxis)
    house.set_layout(fig, xaxis={"type": "date", "range": [iso(first - pad), iso(last + pad)], "title": {"text": None}},
                     legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -AXIS_PX / plot_height,
                             "yanchor": "top"})
    labelled, levels = _key_labels(fig, marks, first - pad, last + pad, width)
    if width >= WIDTH:  # the labels of a narrow embed, hidden until it shows them (meta["narrow_relayout"])
        _key_labels(fig, marks, first - pad, last + pad, NARROW_WIDTH, layout="narrow")
    legend = [_precision_name(p) for p in marks["event_date_precision"].value_counts().index]
    legend += [DISPUTED_NAME] if marks["disputed"].any() else []
    fig = house.finish(fig, _words(frame, marks, labelled), house.Box(
        plot_height=plot_height, margin_left=MARGIN_LEFT, margin_right=MARGIN_RIGHT, width=width,
        # the legend under the axis: plotly wraps a horizontal legend at the plot's width
        axis_band=AXIS_PX + 8 + 22 * placement.legend_rows(legend, width - MARGIN_LEFT - MARGIN_RIGHT),
        top_extra=levels, narrow_steps=True), drawn=credits.source_frame(frame), package=package)
    fig.layout.meta = {**fig.layout.meta, "narrow_relayout": narrow_relayout(fig)}
    return fig


def _accounts(events: pd.DataFrame, package: Package, include_weak: bool) -> pd.DataFrame:
    """One row per account of a dated event (an event and a source that attests it), in date order."""
    frame = skeleton.drawable(events[events["event_date"].notna()], package, include_weak, "dated events")
    frame["category"] = frame["category"].astype(str)
    frame["event_date_precision"] = frame["event_date_precision"].astype(str)
    frame["_disputed"] = frame["is_disputed"].astype("boolean").fillna(False).astype(bool)
    frame["_key"] = (frame["is_key"].astype("boolean").fillna(False).astype(bool) if "is_key" in frame
                     else False)
    return frame.sort_values(["event_date", "event_id", "source_id"], kind="stable").reset_index(drop=True)


def _marks(frame: pd.DataFrame) -> pd.DataFrame:
    """One mark per event: its date as a period (``_start`` to ``_end``, drawn at ``_mid``) and its sources."""
    marks = frame.groupby("event_id", sort=False).agg(
        category=("category", "first"), subject=("subject", "first"), event_date=("event_date", "first"),
        event_date_precision=("event_date_precision", "first"), event_date_end=("event_date_end", "first"),
        disputed=("_disputed", "first"), sources=("source_id", "nunique"), weak=("_weak", "all"),
        key=("_key", "first"), title=("title", "first"),
        accounts=("_id", lambda ids: " ".join(sorted(ids)))).reset_index()
    marks["_start"] = pd.to_datetime(marks["event_date"])
    marks["_end"] = [pd.Timestamp(text.period_end(d, p, e)) for d, p, e in
                     zip(marks["_start"], marks["event_date_precision"], marks["event_date_end"], strict=True)]
    marks["_mid"] = marks["_start"] + (marks["_end"] - marks["_start"]) / 2
    return marks.sort_values(["_start", "event_id"], kind="stable").reset_index(drop=True)


def _lanes_by_category(marks: pd.DataFrame, categories: list[str],
                       span_days: int) -> tuple[dict, list[float], float]:
    """Give each mark its y (``_y``: its category's block, then its lane); the y axis (a tick per category), the
    separators between categories and the number of lanes in all."""
    marks["_y"] = 0.0
    tickvals, ticktext, separators, y = [], [], [], 0.0
    for category in categories:
        rows = marks.index[marks["category"] == category]
        lanes = _lanes(marks.loc[rows], span_days / 70)
        marks.loc[rows, "_y"] = [y + lane for lane in lanes]
        count = max(lanes) + 1
        tickvals.append(y + (count - 1) / 2)
        ticktext.append(f"{esc(palette.name('category', category))}<br><span style='font-size:11px;color:{GREY}'>"
                        f"{len(rows)} event{'s' * (len(rows) != 1)}</span>")
        y += count + CATEGORY_GAP
        separators.append(y - (CATEGORY_GAP + 1) / 2)
    lanes_total = y - CATEGORY_GAP
    return {"tickvals": tickvals, "ticktext": ticktext, "range": [lanes_total - 0.4, -0.6], "showgrid": False,
            "fixedrange": True}, separators[:-1], lanes_total


def _draw_marks(fig: house.HouseFigure, frame: pd.DataFrame, marks: pd.DataFrame, labels: dict[str, str]) -> None:
    """Per date precision, the periods as lines and the marks; a legend entry for disputed events."""
    by_event: dict[str, list[dict]] = {}
    for account in skeleton.records(frame, HOVER):
        by_event.setdefault(account["event_id"], []).append(account)
    for precision in palette.order("precision"):
        rows = marks[marks["event_date_precision"] == precision]
        if rows.empty:
            continue
        name, colour = _precision_name(precision), palette.colour("precision", precision)
        if precision != "day":
            xs, ys = [], []
            for start, end, lane in zip(rows["_start"], rows["_end"], rows["_y"], strict=True):
                xs += [iso(start), iso(end), None]
                ys += [lane, lane, None]
            fig.add_scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 2}, hoverinfo="skip",
                            legendgroup=precision, showlegend=False, name=f"{name}: period")
        fig.add_scatter(
            x=[iso(d) for d in rows["_mid"]], y=rows["_y"].tolist(), mode="markers", name=name,
            legendgroup=precision,
            marker={"symbol": palette.symbol("precision", precision),
                    "size": [round(8 + 3 * (n - 1) ** 0.5, 1) for n in rows["sources"]],
                    "opacity": [0.35 if weak else 1.0 for weak in rows["weak"]], "color": colour,
                    "line": {"color": [DISPUTED if d else WHITE for d in rows["disputed"]],
                             "width": [3 if d else 1 for d in rows["disputed"]]}},
            customdata=[esc(i) for i in rows["accounts"]],
            hovertext=[_hover(by_event[i], labels) for i in rows["event_id"]],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    if marks["disputed"].any():
        fig.add_scatter(x=[None], y=[None], mode="markers", name=DISPUTED_NAME, legendgroup="disputed",
                        marker={"symbol": "circle", "size": 10, "color": WHITE,
                                "line": {"color": DISPUTED, "width": 3}}, hoverinfo="skip")


def _words(frame: pd.DataFrame, marks: pd.DataFrame, labelled: pd.DataFrame) -> house.Words:
    first, last = marks["_start"].min(), marks["_end"].max()
    counts = marks["category"].value_counts()
    by_category = ", ".join(f"{palette.name('category', c).lower()}: {counts[c]} events" for c in _categories(frame))
    precisions = marks["event_date_precision"].value_counts()
    busiest = marks.sort_values(["sources", "_start"], ascending=[False, True], kind="stable").iloc[0]
    description = esc(
        f"Timeline of {len(marks)} dated events from {first.year} to {last.year}, reported in {len(frame)}"
        f" accounts, one row of marks per category ({by_category}). The most widely reported is"
        f" {busiest['subject']} ({text.when(busiest['event_date'], busiest['event_date_precision'])},"
        f" {busiest['sources']} sources). {int(marks['disputed'].sum())} events are disputed: their sources"
        f" disagree on the date or the actor. Dates known to the day: {precisions.get('day', 0)} events; to the"
        f" month: {precisions.get('month', 0)} events; only to the year: {precisions.get('year', 0)} events; only"
        f" as a range: {precisions.get('range', 0)} events."
        + (" Labelled key events: "
           + "; ".join(_key_text(r) for r in skeleton.records(labelled, labelled.columns)) + "."
           if len(labelled) else "")
    )
    notes = [
        "One mark per event at its best-supported date; a larger mark means more sources report it, and a thick"
        " dark outline means the sources disagree on its date or actor (hover: what each source says). Month,"
        " year and range dates sit in the middle of a line spanning the period.",
    ]
    keys = int(marks["key"].sum())
    if keys:
        fit = (f" ({len(labelled)} of {keys} key events fit at this width: those more sources report)."
               if len(labelled) < keys else ".")
        notes.append("Dotted lines: key events, labelled above the plot" + fit)
    return house.Words(
        chart="timeline", title="Digital access in North Korea: a timeline of networks, laws and reviews",
        subtitle=f"Dated events by category, {first.year}–{last.year}: one mark per event, every source's account"
                 " in the hover", description=description, notes=notes)


def narrow_relayout(fig: house.HouseFigure) -> dict[str, bool]:
    """``Plotly.relayout`` changes for a narrow embed: show the narrow layout's key-event labels, hide the wide."""
    names = [a.name or "" for a in fig.layout.annotations]
    return {f"annotations[{i}].visible": name.startswith("narrow key events: ") for i, name in enumerate(names)
            if name.startswith(("key events: ", "narrow key events: "))}


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'timeline' drawn from `package`."""
    return timeline(package.events(), package=package, include_weak=include_weak)
