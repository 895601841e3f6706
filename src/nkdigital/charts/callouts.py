"""Key-event callouts above a time axis: a dotted line at each event and, above the plot, boxes listing the
events in date order, one line each, that never overlap: events whose labels would collide share a box."""

from __future__ import annotations

from dataclasses import dataclass

from nkdigital.charts import overlay
from nkdigital.charts.markup import esc, line_px, text_px
from nkdigital.charts.style import GREY, rgba
from nkdigital.metadata.colours import CALLOUT_TEXT, WHITE

FONT_SIZE = 11
RISE = 8  # px between the plot's top edge and the bottom of the boxes
GAP = 10  # px between two boxes


@dataclass
class Box:
    """Events sharing one callout: their indices (in date order), the box's x anchor and its pixel extent."""

    members: list[int]
    anchor: str = "left"
    low: float = 0.0
    high: float = 0.0


def _options(box: Box, positions: list[float], widths: list[float]) -> list[Box]:
    """The box left of its last event's line, or right of its first event's line."""
    width = max(widths[i] for i in box.members)
    first, last = positions[box.members[0]], positions[box.members[-1]]
    return [Box(box.members, "right", last - width, last), Box(box.members, "left", first, first + width)]


def _place(box: Box, before: Box | None, positions: list[float], widths: list[float],
           bounds: tuple[float, float]) -> Box | None:
    """The first option for `box` inside `bounds` that clears the box `before` it, or None."""
    for option in _options(box, positions, widths):
        if bounds[0] <= option.low and option.high <= bounds[1] and (before is None
                                                                    or before.high + GAP <= option.low):
            return option
    return None


def boxes(positions: list[float], texts: list[str], priority: list[float], bounds: tuple[float, float],
          most_lines: int) -> list[Box]:
    """Non-overlapping boxes for events at `positions` (px along the plot, ascending) with raw label `texts`,
    placed left to right: an event whose box cannot clear the previous one joins it. A box keeps at most
    `most_lines` events, those with the highest `priority`; a box that fits nowhere is left out."""
    widths = [text_px(t, FONT_SIZE) + 8 for t in texts]
    placed: list[Box] = []
    for i in range(len(texts)):
        box = Box([i])
        while True:
            before = placed[-1] if placed else None
            found = _place(box, before, positions, widths, bounds)
            if found is not None or before is None:
                break
            box = Box(placed.pop().members + box.members)
        if found is not None:
            placed.append(found)
    kept = []
    for box in placed:
        best = Box(sorted(sorted(box.members, key=lambda i: (-priority[i], i))[:most_lines]))
        found = _place(best, kept[-1] if kept else None, positions, widths, bounds)
        if found is not None:
            kept.append(found)
    return kept


def draw(fig, dates: list, texts: list[str], ids: list[str], placed: list[Box], *, lines: bool = True,
         layout: str = "") -> int:
    """Dotted lines at every kept event (unless not `lines`), and the boxes above the plot (raw `texts` are
    escaped). Boxes of another `layout` (say 'narrow') start hidden, named '<layout> key events: …', for a
    relayout to show. Returns the px the boxes need above the plot."""
    annotations, shapes, tallest = [], [], 0
    for box in placed:
        lines = [texts[i] for i in box.members]
        height = RISE + line_px(FONT_SIZE) * len(lines) + 4
        tallest = max(tallest, height)
        at = box.members[0] if box.anchor == "left" else box.members[-1]
        annotations.append(dict(
            x=dates[at], xref="x", y=1, yref="paper", yshift=RISE, xshift=3 if box.anchor == "left" else -3,
            xanchor=box.anchor, yanchor="bottom", align="left", showarrow=False,
            text="<br>".join(esc(line) for line in lines), font={"size": FONT_SIZE, "color": CALLOUT_TEXT},
            bgcolor=rgba(WHITE, 0.9), visible=not layout,
            name=f"{layout} key events: ".lstrip() + " ".join(esc(ids[i]) for i in box.members)))
        if lines:
            shapes += [overlay.vline(dates[i], {"color": GREY, "width": 1, "dash": "dot"}) for i in box.members]
    overlay.add(fig, annotations, shapes)
    return int(tallest)
