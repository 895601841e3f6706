"""A house figure fitted into a narrow export: the label column left of the plot narrows (its labels wrap), data
labels that would pass the image's edge turn to the other side of their mark or wrap, and a horizontal legend
gets the rows it now needs. Used by :mod:`nkdigital.charts.resize`."""

from __future__ import annotations

import html
import itertools
import math
import re

import pandas as pd

from nkdigital.charts import placement
from nkdigital.charts.markup import CHAR_PX, label_px, line_px, text_px
from nkdigital.charts.style import PAD

LABEL_SHARE = 0.4  # the most of a narrow image's width the label column left of the plot may take
LEGEND_ROW_PX = 22
LABEL_GAP = 9  # px between a range bar's end and its label
ROW_GAP = 10  # px between a text set above a row and the marks of the row above it
TICK_GAP = 4  # px between two wrapped y tick labels
LEGEND_SLACK = 0.85  # plotly.js breaks a legend row somewhat before the estimate does


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def _break(line: str, chars: int) -> str:
    """Markup `line` with ``<br>`` put at spaces outside its tags so no line runs past about `chars` characters."""
    out, used = "", 0
    for part in re.split(r"(<[^>]*>)", line):
        if part.startswith("<"):
            out += part
            continue
        for i, word in enumerate(part.split(" ")):
            size = len(html.unescape(word))
            if i and used and used + 1 + size > chars:
                out, used = out + "<br>" + word, size
            else:
                out, used = out + (" " if i else "") + word, used + (1 if i else 0) + size
    return out


def _rewrap(label: str, chars: int) -> str:
    """`label` (markup, lines split by ``<br>``) with each line over `chars` characters wrapped."""
    return "<br>".join(line if len(plain(line)) <= chars else _break(line, chars) for line in label.split("<br>"))


def label_column(fig, width: int) -> int:
    """Narrow a label column wider than LABEL_SHARE of `width`, wrapping the y tick labels into it; the px the
    plot must grow in height so the wrapped labels do not run into each other."""
    margin = fig.layout.margin
    most, old = round(LABEL_SHARE * width), margin.l or 0
    if old <= most:
        return 0
    old_plot, plot = width - old - (margin.r or 0), width - most - (margin.r or 0)
    for note in [n for n in fig.layout.annotations or () if n.xref == "paper"]:
        at = old + (note.x or 0) * old_plot + (note.xshift or 0)
        if at < old:  # it starts in the label column: it keeps its place
            note.xshift = round(at - most - (note.x or 0) * plot)
    margin.l = most
    plot_height, grow = fig.layout.height - (margin.t or 0) - (margin.b or 0), 0
    for axis in [key for key in fig.layout if key.startswith("yaxis")]:
        ticks = fig.layout[axis].ticktext
        size = fig.layout[axis].tickfont.size or 12
        if ticks:
            chars = max(8, int((most - 16) / (size * CHAR_PX)))
            fig.layout[axis].ticktext = [_rewrap(t, chars) for t in ticks]
            tallest = max(t.count("<br>") + 1 for t in fig.layout[axis].ticktext)
            grow = max(grow, math.ceil(len(ticks) * (tallest * line_px(size) + 6) - plot_height))
    return grow


def _to_px(fig, axis: str, value) -> float | None:
    """Pixel x (from the image's left) of data value `value` on x-axis `axis`, or None where it cannot tell."""
    layout = fig.layout[axis]
    if layout.range is None or value is None:
        return None
    if layout.type == "date":
        low, high, value = (pd.Timestamp(v).value for v in (*layout.range, value))
    else:
        low, high = layout.range
    left, right = fig.layout.margin.l or 0, fig.layout.margin.r or 0
    domain = layout.domain or (0, 1)
    plot = (fig.layout.width - left - right)
    return left + plot * (domain[0] + (domain[1] - domain[0]) * (float(value) - low) / (high - low))


def _fit_annotation(fig, note, width: int) -> None:
    """Turn or wrap a data label (an annotation at a data x) that would pass the image's left or right edge. A
    label right of a range bar turns to the bar's other end; one left of a mark keeps out of the label column."""
    if not note.text or note.xref is None or note.xref.endswith("domain"):
        return
    if note.xref == "paper":
        left = fig.layout.margin.l or 0
        at = left + (note.x or 0) * (width - left - (fig.layout.margin.r or 0))
    else:
        at = _to_px(fig, "xaxis" + note.xref[1:], note.x)
    if at is None:
        return
    at += (note.xshift or 0) + (note.ax or 0 if note.showarrow and note.axref == "pixel" else 0)
    size = note.font.size or 12
    longest = max(text_px(plain(line), size) for line in note.text.split("<br>"))
    anchor = note.xanchor or "center"
    start = _bar_start(fig, note) if anchor == "left" and note.xref != "paper" else None
    edge = (fig.layout.margin.l or 0) if anchor == "right" and _left_of_mark(fig, note) else PAD
    room_right, room_left = width - PAD - at, at - edge
    if start is not None:  # the other side of a range bar: left of its low end, inside the plot
        start_px = _to_px(fig, "xaxis" + note.xref[1:], start[0])
        room_left = start_px - start[1] - (fig.layout.margin.l or 0) if start_px is not None else 0
    fits = {"left": longest <= room_right, "right": longest <= room_left,
            "center": longest / 2 <= min(room_left, room_right)}
    if fits[anchor]:
        return
    if anchor == "center":
        note.xanchor = anchor
        note.text = _rewrap(note.text, max(8, int(2 * min(room_left, room_right) / (size * CHAR_PX))))
        return
    if fits["right" if anchor == "left" else "left"]:
        _turn(note, start)
        return
    note.text = _rewrap(note.text, max(8, int(max(room_right, room_left) / (size * CHAR_PX))))
    if room_right < room_left and start is not None:
        _turn(note, start)
    else:  # wrapped on the side with more room
        note.xanchor = "left" if room_right >= room_left else "right"


def _turn(note, start: tuple[float, int] | None) -> None:
    """Put a data label on the other side of its mark, or left of the low end of its range bar (`start`)."""
    if start is not None:
        note.update(x=start[0], xanchor="right", xshift=-start[1])
        return
    note.xanchor = "right" if note.xanchor == "left" else "left"
    if note.xshift:
        note.xshift = -note.xshift


def _left_of_mark(fig, note) -> bool:
    """Whether data label `note` is set at the left end of a mark in its row (a point, or the low end of its
    horizontal range bar, error_x)."""
    log = fig.layout["xaxis" + note.xref[1:]].type == "log"
    for trace in fig.data:
        if (trace.xaxis or "x") != note.xref or trace.x is None or trace.y is None:
            continue
        bars = trace.error_x
        minus = (bars.arrayminus if bars.arrayminus is not None else bars.array) or [0] * len(trace.x)
        for x, y, less in zip(trace.x, trace.y, minus, strict=False):
            low = x - (less or 0) if isinstance(x, (int, float)) else None  # (a date axis has no range bars)
            if y == note.y and low is not None and (low > 0 or not log) and math.isclose(
                    math.log10(low) if log else low, note.x, rel_tol=1e-3, abs_tol=1e-9):
                return True
    return False


def _bar_start(fig, note) -> tuple[float, int] | None:
    """For a label at the high end of a horizontal range bar (error_x of a marker): the bar's low end (in the
    label's x units: log10 on a log axis) and the px to keep from it (past an open end's arrow); else None."""
    log = fig.layout["xaxis" + note.xref[1:]].type == "log"
    for trace in fig.data:
        bars = trace.error_x
        if (trace.xaxis or "x") != note.xref or trace.x is None or trace.y is None or bars.array is None:
            continue
        minus = bars.arrayminus if bars.arrayminus is not None else bars.array
        for x, y, plus, less in zip(trace.x, trace.y, bars.array, minus, strict=False):
            high = None if x is None or plus is None else x + plus
            if y != note.y or high is None or high <= 0 or not math.isclose(
                    math.log10(high) if log else high, note.x, rel_tol=1e-3, abs_tol=1e-9):
                continue
            low = x - (less or 0)
            if log and low <= 0:
                return None
            arrows = [-(a.ax or 0) for a in fig.layout.annotations
                      if a.showarrow and a.y == note.y and (a.ax or 0) < 0 and (a.ay or 0) == 0]
            return (round(math.log10(low), 4) if log else low), (max(arrows) + 6 if arrows else LABEL_GAP)
    return None


def _fit_trace_text(fig, trace, width: int) -> None:
    """Put a trace's text left of its mark where, right of it, the text would pass the image's edge."""
    if not trace.mode or "text" not in trace.mode or trace.text is None or trace.x is None:
        return
    texts = trace.text if isinstance(trace.text, (list, tuple)) else [trace.text] * len(trace.x)
    positions = trace.textposition
    positions = list(positions) if isinstance(positions, (list, tuple)) else [positions or "middle right"] * len(texts)
    size = (trace.textfont.size if trace.textfont and not isinstance(trace.textfont.size, tuple) else None) or 12
    axis = "xaxis" + (trace.xaxis or "x")[1:]
    for i, (x, label) in enumerate(zip(trace.x, texts, strict=False)):
        at = _to_px(fig, axis, x)
        if at is not None and label and str(positions[i]).endswith("right") \
                and at + 10 + text_px(plain(str(label)), size) > width - PAD:
            positions[i] = str(positions[i]).replace("right", "left")
    trace.textposition = positions


def data_labels(fig, width: int) -> None:
    """Keep every data label (annotation or trace text) inside the image's width."""
    saved = fig.layout.width
    fig.layout.width = width
    for note in fig.layout.annotations or ():
        if note.name not in ("notes", "footer"):
            _fit_annotation(fig, note, width)
    for trace in fig.data:
        _fit_trace_text(fig, trace, width)
    fig.layout.width = saved


def legend_inside(fig, width: int) -> None:
    """A horizontal legend under or over the plot starts at the image's padding and wraps at its width."""
    legend = fig.layout.legend
    if legend.orientation == "h" and legend.xref != "container" and (legend.x or 0) <= 0:
        legend.update(xref="container", x=PAD / width, xanchor="left")


def legend_rows(fig, width: int) -> int:
    """Rows a horizontal legend of `fig` needs at `width` (0 for any other legend)."""
    legend = fig.layout.legend
    names = [plain(t.name) for t in fig.data if t.name and t.showlegend is not False]
    if legend.orientation != "h" or not names or fig.layout.showlegend is False:
        return 0
    room = width if legend.xref == "container" else width - (fig.layout.margin.l or 0) - (fig.layout.margin.r or 0)
    return placement.legend_rows(names, room * LEGEND_SLACK, title=plain(legend.title.text or ""))


def legend_px(fig, rows_before: int, width: int) -> tuple[int, int]:
    """(px above, px below the plot) the horizontal legend needs more at `width` than its `rows_before`."""
    px = max(0, legend_rows(fig, width) - rows_before) * LEGEND_ROW_PX
    return (px, 0) if (fig.layout.legend.y or 0) >= 1 else (0, px)


def rows_px(fig) -> int:
    """px the plot must grow so that, on a y axis of rows read top to bottom, no wrapped y tick label runs into
    its neighbour and no text set above a row (an annotation anchored at its bottom to the row's y) runs into
    the row above."""
    axis = fig.layout.yaxis
    if axis.range is None or axis.range[0] <= axis.range[1]:
        return 0
    margin = fig.layout.margin
    plot = fig.layout.height - (margin.t or 0) - (margin.b or 0)
    ticks = sorted(zip(axis.tickvals or (), axis.ticktext or (), strict=False))
    tick_px = line_px(axis.tickfont.size or 13)
    need = [((a.count("<br>") + b.count("<br>") + 2) * tick_px / 2 + TICK_GAP) / (y2 - y1)
            for (y1, a), (y2, b) in itertools.pairwise(ticks) if y2 > y1]
    for note in fig.layout.annotations or ():
        if note.yref != "y" or note.yanchor != "bottom" or note.showarrow or not note.text:
            continue
        above = [y for y, _ in ticks if y < note.y]
        room = note.y - (above[-1] if above else axis.range[1])
        text_px_ = (note.yshift or 0) + (note.text.count("<br>") + 1) * line_px(note.font.size or 12)
        if room > 0:
            need.append((text_px_ + (ROW_GAP if above else 0)) / room)
    return max(0, math.ceil(max(need, default=0) * (axis.range[0] - axis.range[1]) - plot))


TICK_ANGLES = (0, 30, 90)  # plotly.js's auto tick angles, tried in this order


def _tick_angle(fig, axis: str, width: int) -> tuple[int, float]:
    """The angle the tick labels of x-axis `axis` are drawn at, at `width` (its own `tickangle`, else plotly.js's
    rule: flat while neighbours do not touch, else the first angle whose labels clear each other) and the px they
    then take under the plot. Only for an axis with its own tick labels (tickvals, ticktext) and range; else 0."""
    layout = fig.layout[axis]
    if layout.ticktext is None or layout.tickvals is None or layout.range is None or layout.showticklabels is False:
        return 0, 0.0
    log, (low, high) = layout.type == "log", layout.range
    plot = (width - (fig.layout.margin.l or 0) - (fig.layout.margin.r or 0)) * abs(
        (layout.domain or (0, 1))[1] - (layout.domain or (0, 1))[0])
    at = [math.log10(v) if log else v for v in layout.tickvals if v is not None and (not log or v > 0)]
    shown = [(x, plain(t)) for x, t in zip(at, layout.ticktext, strict=False) if min(low, high) <= x <= max(low, high)]
    size = layout.tickfont.size or fig.layout.font.size or 13
    if len(shown) < 2:
        return 0, line_px(size)
    px = [(plot * (x - low) / (high - low), max(label_px(line, size) for line in t.split("<br>")), t.count("<br>") + 1)
          for x, t in shown]
    spacing = abs(px[-1][0] - px[0][0]) / (len(px) - 1)
    lines, widest = max(p[2] for p in px), max(p[1] for p in px)
    fits = spacing / math.hypot(spacing, size * 1.25 * lines)
    angle = layout.tickangle if isinstance(layout.tickangle, (int, float)) \
        else 0 if all((a[1] + b[1]) / 2 + 2 < abs(b[0] - a[0]) for a, b in itertools.pairwise(px)) \
        else next((a for a in TICK_ANGLES if abs(math.cos(math.radians(a))) <= fits), TICK_ANGLES[-1])
    turn = math.radians(angle)
    return angle, widest * abs(math.sin(turn)) + line_px(size) * lines * abs(math.cos(turn))


def tick_px(fig, width: int) -> float:
    """px the x tick labels of `fig` take under the plot at `width` (the most of any x axis)."""
    return max((_tick_angle(fig, axis, width)[1] for axis in fig.layout if axis.startswith("xaxis")), default=0.0)


def turn_ticks(fig, width: int) -> float:
    """Turn x tick labels that do not fit flat at `width` as plotly.js would, said in `tickangle` so the figure
    draws what is measured here; the px they then take under the plot (see :func:`tick_px`)."""
    for axis in [key for key in fig.layout if key.startswith("xaxis")]:
        angle, _ = _tick_angle(fig, axis, width)
        if angle and fig.layout[axis].tickangle is None:
            fig.layout[axis].tickangle = angle
    return tick_px(fig, width)
