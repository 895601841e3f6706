"""Key events on a time chart: which events start or add mobile service, and their labelled vertical lines."""

from __future__ import annotations

import re

import pandas as pd

from nkdigital.charts import overlay, placement
from nkdigital.charts.markup import esc, iso, shorten, text_px
from nkdigital.charts.style import GREY
from nkdigital.metadata.colours import CALLOUT_TEXT
from nkdigital.metadata.roles import chronological

FONT_SIZE = 11
STEP = 17  # px between levels of event labels above the plot
RISE = 10  # px from the plot's top edge to the first level of event labels
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


def event_lines(events: pd.DataFrame | None, first: pd.Timestamp,
                last: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Events in the window as (lines, members): one line per subject and year, at the most precise date
    any source gives; members are all the event rows behind the lines."""
    empty = pd.DataFrame(columns=["event_id", "event_date", "title", "source_id"])
    if events is None or events.empty:
        return empty, None
    frame = events[events["event_date"].notna()]
    frame = frame[(frame["event_date"] >= first) & (frame["event_date"] <= last)].copy()
    rank = {"day": 0, "month": 1, "year": 2}
    frame["_precision"] = frame["event_date_precision"].astype(str).map(rank).fillna(3)
    frame["_year"] = frame["event_date"].dt.year
    frame = frame.sort_values(["subject", "_year", "_precision", "event_date", "event_id"], kind="stable")
    lines = frame.drop_duplicates(["subject", "_year"]).sort_values(chronological("events"), kind="stable")
    return lines.reset_index(drop=True), frame


def draw(fig, events: pd.DataFrame | None, x0: pd.Timestamp, x1: pd.Timestamp, plot_px: float,
         margin_left: int, margin_right: int) -> tuple[pd.DataFrame, pd.DataFrame | None, int]:
    """Dotted vertical lines for `events` between `x0` and `x1`, labelled above the plot on staggered levels.

    Returns (lines, member rows to credit, levels of labels used).
    """
    lines, members = event_lines(events, x0 - pd.Timedelta(days=180), x1 + pd.Timedelta(days=180))
    lines = lines[(lines["event_date"] >= x0) & (lines["event_date"] <= x1)] if len(lines) else lines
    rows = lines.to_dict("records")
    texts = [f"{shorten(row['title'], 40)} ({row['event_date'].year})" for row in rows]
    positions = [(row["event_date"] - x0) / (x1 - x0) * plot_px for row in rows]
    placed = placement.stagger(positions, [text_px(t, FONT_SIZE) + 6 for t in texts],
                               (4 - margin_left, plot_px + margin_right - 4))
    label_lines(fig, rows, texts, placed)
    if members is not None and len(lines):
        members = members[members[["subject", "_year"]].apply(tuple, axis=1).isin(
            set(lines[["subject", "_year"]].apply(tuple, axis=1)))]
    return lines, (members if len(lines) else None), 1 + max((level for level, _ in placed), default=-1)


def label_lines(fig, rows: list[dict], texts: list[str], placed: list[tuple[int, str]]) -> None:
    """A dotted vertical line at each row's ``event_date`` and its label (raw `texts`) above the plot on its
    staggered level (`placed`: level and xanchor), joined to the line by a leader."""
    shapes, labels = [], []
    for row, text, (level, anchor) in zip(rows, texts, placed, strict=True):
        x = iso(row["event_date"])
        shapes.append(overlay.vline(x, {"color": GREY, "width": 1, "dash": "dot"}))
        labels.append(dict(
            x=x, xref="x", y=1, yref="paper", ax=0, ay=-(RISE + STEP * level), axref="pixel", ayref="pixel",
            showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=GREY, standoff=0, xanchor=anchor,
            yanchor="middle", text=esc(text), align="left", font={"size": FONT_SIZE, "color": CALLOUT_TEXT},
            name=f"event: {esc(row['event_id'])}",
        ))
    overlay.add(fig, labels, shapes)

