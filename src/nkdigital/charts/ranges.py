"""Range geometry: where a row with value, low and high is drawn, its error bar, and arrows towards open ends."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nkdigital.charts import palette
from nkdigital.charts.markup import esc, iso
from nkdigital.charts.style import rgba
from nkdigital.text import capital, missing, tidy


@dataclass(frozen=True)
class Span:
    """Where a row with value/low/high is drawn: the mark, its error bar and any open end."""

    mark: float | None
    plus: float
    minus: float
    open_up: bool  # only a lower bound is known (at least …)
    open_down: bool  # only an upper bound is known (up to …)
    has_value: bool

    @property
    def has_range(self) -> bool:
        return self.plus > 0 or self.minus > 0


def span(value: object, low: object, high: object, qualifier: object = None, log: bool = False) -> Span:
    """The mark for a figure: its value, or the middle of a value-less range (geometric on log axes).

    Error-bar lengths run from the mark to each stated bound; a side with no bound is 0 and, when the
    wording is open-ended ('more than', 'up to'), flagged so the chart can draw an arrow that way.
    """
    qualifier = "" if missing(qualifier) else str(qualifier)
    value, low, high = (None if missing(x) else float(x) for x in (value, low, high))
    if value is not None:
        mark = value
    elif low is not None and high is not None:
        mark = math.sqrt(low * high) if log and low > 0 else (low + high) / 2
    else:
        mark = low if low is not None else high
    if mark is None:
        return Span(None, 0, 0, False, False, False)
    mark = tidy(mark)  # bars are measured from the rounded mark, so mark ± bar is the bound itself
    plus = high - mark if high is not None else 0.0
    minus = mark - low if low is not None else 0.0
    open_up = high is None and (qualifier == "at_least" or (value is None and low is not None))
    open_down = low is None and (qualifier == "up_to" or (value is None and high is not None))
    return Span(mark, tidy(plus, 9) or 0, tidy(minus, 9) or 0, open_up, open_down, value is not None)


def error_bars(spans: Sequence[Span], colour: str) -> dict:
    """Thin error bars from each span's mark to its stated bounds."""
    return {"type": "data", "symmetric": False, "array": [s.plus for s in spans],
            "arrayminus": [s.minus for s in spans], "color": colour, "thickness": 1.5, "width": 3, "visible": True}


def range_band(spans: Sequence[Span], colour: str) -> dict:
    """Thick translucent error bars that draw each span's low-high range as a band."""
    return {"type": "data", "symmetric": False, "array": [s.plus for s in spans],
            "arrayminus": [s.minus for s in spans], "color": rgba(colour, 0.45), "thickness": 9, "width": 0,
            "visible": True}


def open_end_arrow(x: object, y: object, direction: str, colour: str, row_id: str,
                   xref: str = "x", yref: str = "y", length: int = 26) -> dict:
    """An arrow of fixed pixel length from a mark towards an unstated bound (up, down, right or left)."""
    offsets = {"up": (0, -length), "down": (0, length), "right": (length, 0), "left": (-length, 0)}
    ax, ay = offsets[direction]
    return {
        "x": x, "y": y, "xref": xref, "yref": yref, "ax": ax, "ay": ay, "axref": "pixel", "ayref": "pixel",
        "text": "", "showarrow": True, "arrowside": "start", "arrowhead": 2, "arrowsize": 1.2, "arrowwidth": 1.5,
        "arrowcolor": colour, "startstandoff": 0, "standoff": 5, "name": f"open-ended {direction}: {esc(row_id)}",
    }


def open_end_arrows(span_: Span, x: object, y: object, colour: str, row_id: str, *, horizontal: bool,
                    length: int) -> list[dict]:
    """Arrows towards a span's unstated bounds: right/left on a horizontal value axis, up/down on a vertical one."""
    sides = ("right", "left") if horizontal else ("up", "down")
    return [open_end_arrow(x, y, side, colour, row_id, length=length)
            for side, is_open in zip(sides, (span_.open_up, span_.open_down), strict=True) if is_open]


def range_note(spans: Iterable[Span], up: str = "up", down: str = "down") -> str:
    """The parts of 'bars: …; a dash: …; arrows: …' that the chart's `spans` actually draw ('' for none)."""
    spans = list(spans)
    parts = []
    if any(s.has_range for s in spans):
        parts.append("bars: a range from its low to its high bound")
    if any(s.has_range and not s.has_value for s in spans):
        parts.append("a dash: a range with no single figure")
    arrows = [f"'more than' ({up})" if any(s.open_up for s in spans) else "",
              f"'up to' ({down})" if any(s.open_down for s in spans) else ""]
    if any(arrows):
        parts.append("arrows: " + " or ".join(a for a in arrows if a))
    return capital("; ".join(parts) + ".") if parts else ""


ESTIMATE_QUALIFIERS = frozenset({"about", "range"})


def is_estimate(row: dict) -> bool:
    """A figure the data mark as an estimate: an estimating claim (analyst estimate, survey, derived) or a
    qualifier that says so ('about', a range)."""
    return palette.is_estimate(row.get("claim_type")) or str(row.get("qualifier")) in ESTIMATE_QUALIFIERS


def gapped(dates: Sequence, marks: Sequence, precisions: Sequence, xs: Sequence | None = None) -> tuple[list, list]:
    """x and y of a line that breaks where a yearly series skips a year (a gap is drawn as a gap); x is `xs`
    when given (nudged positions), else the dates in ISO form."""
    xs = [iso(d) for d in dates] if xs is None else list(xs)
    out_x, out_y, previous = [], [], None
    for date, x, mark, precision in zip(dates, xs, marks, precisions, strict=True):
        if previous is not None and str(precision) == "year" and date.year - previous.year > 1:
            out_x.append(None)
            out_y.append(None)
        out_x.append(x)
        out_y.append(mark)
        previous = date
    return out_x, out_y
