"""The house style shared by every chart: template, palette, escaping, number and date wording,
source line, notes, description, export config and the figure class that shows with that config.

Every string that comes from the data goes through :func:`esc` (or :func:`wrap`) before plotly sees it.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from nkdigital.load import Package

# Okabe & Ito (2008), "Color Universal Design": safe for the common colour-vision deficiencies.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "black": "#000000",
    "yellow": "#F0E442",
}
PALETTE = list(OKABE_ITO.values())  # yellow last: weakest contrast on white
GREY = "#595959"
LIGHT_GREY = "#d9d9d9"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"

WIDTH = 1100  # every house figure is this wide (px); its height follows from its content
PAD = 16  # px between the figure edge and title, notes and source line
TITLE_FONT, SUBTITLE_FONT = 20, 14
NOTE_FONT, SOURCE_FONT = 11, 10
LINE_SPACING = 1.3  # plotly.js puts lines of text this many font sizes apart
CHAR_PX = 0.52  # average glyph width as a share of the font size (Arial-like), for wrapping
BOLD_CHAR_PX = 0.6  # the same for bold text (titles)
MAX_NOTE_LINES = 3  # notes stay short: detail goes to hover text and meta["description"]
SUBTITLE_CHARS = 140  # a comfortable measure for the subtitle, well inside the figure width


def line_px(font_size: float) -> float:
    """Height of one line of text in plotly.js at `font_size`."""
    return font_size * LINE_SPACING


def text_px(text: str, font_size: float, bold: bool = False) -> float:
    """Estimated width of raw (unescaped, untagged) `text` at `font_size`."""
    return len(text) * font_size * (BOLD_CHAR_PX if bold else CHAR_PX)


# Claim types we show as estimates (hollow markers, dashed lines): analysts' figures, our own arithmetic,
# and survey shares (sample-based).
ESTIMATE_CLAIMS = frozenset({"analyst_estimate", "derived", "survey"})
# One colour per claim type, the same in every chart.
CLAIM_COLOURS = {
    "operator_report": OKABE_ITO["blue"],
    "official_statement": OKABE_ITO["reddish_purple"],
    "international_statistic": OKABE_ITO["bluish_green"],
    "media_report": OKABE_ITO["sky_blue"],
    "analyst_estimate": OKABE_ITO["orange"],
    "derived": OKABE_ITO["vermillion"],
    "survey": OKABE_ITO["black"],
    "testimony": "#B8A200",  # Okabe-Ito yellow darkened for contrast on white
}
CLAIM_NAMES = {
    "operator_report": "Operator report",
    "official_statement": "Official (DPRK) statement",
    "international_statistic": "International statistic",
    "media_report": "Media report",
    "analyst_estimate": "Analyst estimate",
    "derived": "Derived by nkdigital",
    "survey": "Survey",
    "testimony": "Testimony",
}
ESTIMATE_WHAT = "(analyst estimates, surveys, figures nkdigital derived from other rows)"


def estimate_note(estimates: bool, lines: bool) -> str:
    """What filled and hollow marks (and solid and dashed lines, when the chart has lines) mean; '' when the
    chart draws no estimate."""
    if not estimates:
        return ""
    if lines:
        return f"Hollow markers, dashed lines: estimates {ESTIMATE_WHAT}; filled markers, solid lines: as reported."
    return f"Hollow markers: estimates {ESTIMATE_WHAT}; filled markers: figures as reported."


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

TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT, "size": 13, "color": "#222222"},
        "colorway": PALETTE,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"family": FONT, "size": 12}, "align": "left", "bgcolor": "#ffffff"},
        "hovermode": "closest",
        "xaxis": {"showgrid": True, "gridcolor": "#ebebeb", "zeroline": False, "showline": True,
                  "linecolor": "#8c8c8c", "ticks": "outside", "tickcolor": "#8c8c8c", "automargin": False},
        "yaxis": {"showgrid": True, "gridcolor": "#ebebeb", "zeroline": False, "showline": False,
                  "ticks": "", "automargin": False},
        "legend": {"font": {"size": 12}, "bgcolor": "rgba(255,255,255,0.85)", "tracegroupgap": 4},
    }
)

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SINGULAR = {"hours": "hour", "days": "day", "weeks": "week", "months": "month", "years": "year",
            "minutes": "minute", "authorities": "authority", "people": "person", "subscriptions": "subscription",
            "devices": "device", "pages": "page", "sites": "site", "addresses": "address", "blocks": "block",
            "respondents": "respondent", "base_stations": "base station", "users": "user", "families": "family"}


# ----------------------------------------------------------------------------------------- text and numbers

def missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas.NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def esc(value: object) -> str:
    """`value` as HTML-escaped text ('' when missing), safe to hand to plotly."""
    return "" if missing(value) else html.escape(str(value), quote=False)  # plotly shows &quot; literally


def wrap(value: object, width: int, sep: str = "<br>") -> str:
    """Escaped text wrapped at word boundaries onto lines of about `width` characters."""
    if missing(value):
        return ""
    lines = textwrap.wrap(str(value), width, break_long_words=False, break_on_hyphens=False) or [""]
    return sep.join(esc(line) for line in lines)


def shorten(value: object, width: int) -> str:
    """Raw (unescaped) text cut at a word boundary to at most `width` characters, with an ellipsis."""
    text = "" if missing(value) else " ".join(str(value).split())
    return text if len(text) <= width else textwrap.shorten(text, width, placeholder="…")


def pack(items: Sequence[str], width: int, sep: str = " · ") -> list[str]:
    """Greedy line packing of already-escaped `items`, never breaking inside an item."""
    lines: list[str] = []
    for item in items:
        if lines and len(html.unescape(lines[-1] + sep + item)) <= width:
            lines[-1] += sep + item
        else:
            lines.append(item)
    return lines


def tidy(value: object, digits: int = 6) -> float | int | None:
    """A number for plotting: whole numbers exact (as int), others rounded to `digits` significant digits."""
    if missing(value):
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    if number.is_integer() and abs(number) < 1e15:
        return int(number)
    rounded = float(f"{number:.{digits}g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 1e15 else rounded


def number(value: float, unit: object = None) -> str:
    """A figure in words and digits: 6,353,150 · 24.13 · 58.5% (shares)."""
    if str(unit) == "share":
        return f"{float(value) * 100:.4g}%"
    value = tidy(value, 4 if abs(float(value)) < 1000 else 9)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4g}"


def compact(value: float, unit: object = None) -> str:
    """A short label for counts: 6.35 million, 20,000, 850; shares as percentages."""
    value = float(value)
    if str(unit) == "share":
        return f"{value * 100:.3g}%"
    for size, suffix in ((1e9, " billion"), (1e6, " million")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{tidy(value, 3):,}"


def unit_words(unit: object, value: object = None) -> str:
    """'hours', 'hour' (for 1), 'per 100 people'; '' for shares and missing units."""
    if missing(unit) or str(unit) == "share":
        return ""
    unit = str(unit)
    if unit == "per_100_people":
        return "per 100 people"
    if not missing(value) and float(value) == 1:
        return SINGULAR.get(unit, unit.replace("_", " "))
    return unit.replace("_", " ")


def quantity(value: object, low: object, high: object, unit: object, qualifier: object = None,
             fmt=number) -> str:
    """The stated quantity in words, e.g. 'at least 2,000,000', '3–9 authorities', 'about 2 days'.

    Returns raw text (escape before use); '' when no figure is stated.
    """
    qualifier = "" if missing(qualifier) else str(qualifier)
    words = unit_words(unit, value if not missing(value) else high if not missing(high) else low)
    tail = f" {words}" if words else ""
    if missing(value):
        if not missing(low) and not missing(high):
            first, second = fmt(low, unit), fmt(high, unit)
            if " " in first and first.rsplit(" ", 1)[1] == second.rsplit(" ", 1)[-1]:
                first = first.rsplit(" ", 1)[0]  # '6.5–7 million', not '6.5 million–7 million'
            return f"{first}–{second}{tail}"
        if not missing(low):
            return f"at least {fmt(low, unit)}{tail}"
        if not missing(high):
            return f"up to {fmt(high, unit)}{tail}"
        return ""
    prefix = {"about": "about ", "at_least": "at least ", "up_to": "up to "}.get(qualifier, "")
    text = f"{prefix}{fmt(value, unit)}{tail}"
    if qualifier not in ("at_least", "up_to") and not (missing(low) and missing(high)):
        span = f"{fmt(low, unit) if not missing(low) else '…'}–{fmt(high, unit) if not missing(high) else '…'}"
        text += f" (range {span})"
    return text


def when(date: object, precision: object) -> str:
    """A date as precisely as it is known: '13 July 2021', 'July 2021', '2021', 'date not stated'."""
    if missing(date):
        return "date not stated"
    stamp = pd.Timestamp(date)
    if str(precision) == "year":
        return str(stamp.year)
    if str(precision) == "month":
        return f"{MONTHS[stamp.month - 1]} {stamp.year}"
    return f"{stamp.day} {MONTHS[stamp.month - 1]} {stamp.year}"


def iso(date: object, shift_days: float = 0) -> str:
    """ISO date string (day resolution) for a plotly date axis, optionally shifted by whole days."""
    stamp = pd.Timestamp(date) + pd.Timedelta(days=round(shift_days))
    return stamp.strftime("%Y-%m-%d")


def period_end(date: object, precision: object) -> dt.date:
    """Last day of the period a month- or year-precision date stands for (the date itself for days)."""
    stamp = pd.Timestamp(date)
    if str(precision) == "year":
        return dt.date(stamp.year, 12, 31)
    if str(precision) == "month":
        return (stamp + pd.offsets.MonthEnd(0)).date()
    return stamp.date()


def label(value: object) -> str:
    """An enum value as words: 'monitored_global_internet' -> 'Monitored global internet'."""
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


def capital(value: object) -> str:
    """Raw text with its first letter capitalised (the rest untouched)."""
    text = "" if missing(value) else str(value)
    return text[:1].upper() + text[1:]


def rgba(colour: str, alpha: float) -> str:
    colour = colour.lstrip("#")
    red, green, blue = (int(colour[i: i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def is_estimate(claim_type: object) -> bool:
    return not missing(claim_type) and str(claim_type) in ESTIMATE_CLAIMS


def hollow(symbol: str, estimate: bool) -> str:
    """The marker symbol, open (hollow) for estimates."""
    return f"{symbol}-open" if estimate and not symbol.endswith("-open") else symbol


def claim_legend(fig: go.Figure, claims: Iterable[str], legend: str = "legend") -> None:
    """Legend-only entries, one per claim type (filled or hollow circle in its colour), grouped with the
    data traces whose ``legendgroup`` is the claim type, so a click hides all of that kind."""
    for claim in claims:
        colour = CLAIM_COLOURS.get(claim, GREY)
        fig.add_scatter(x=[None], y=[None], mode="markers", name=esc(CLAIM_NAMES.get(claim, label(claim))),
                        legendgroup=claim, legend=legend, hoverinfo="skip",
                        marker={"symbol": hollow("circle", is_estimate(claim)), "size": 9, "color": colour,
                                "line": {"color": colour, "width": 1.5}})


# ------------------------------------------------------------------------------------------- ranges

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


def range_band(spans: Sequence[Span], colour: str) -> dict:
    """Thick translucent horizontal error bars that draw each span's low-high range as a band."""
    return {"type": "data", "symmetric": False, "array": [s.plus for s in spans],
            "arrayminus": [s.minus for s in spans], "color": rgba(colour, 0.45), "thickness": 9, "width": 0,
            "visible": True}


def open_end_arrow(x: object, y: object, direction: str, colour: str, row_id: str,
                   xref: str = "x", yref: str = "y", length: int = 26) -> dict:
    """An arrow of fixed pixel length from a mark towards an unstated bound (up, down or right)."""
    offsets = {"up": (0, -length), "down": (0, length), "right": (length, 0), "left": (-length, 0)}
    ax, ay = offsets[direction]
    return {
        "x": x, "y": y, "xref": xref, "yref": yref, "ax": ax, "ay": ay, "axref": "pixel", "ayref": "pixel",
        "text": "", "showarrow": True, "arrowside": "start", "arrowhead": 2, "arrowsize": 1.2, "arrowwidth": 1.5,
        "arrowcolor": colour, "startstandoff": 0, "standoff": 5, "name": f"open-ended {direction}: {esc(row_id)}",
    }


def open_end_arrows(span: Span, x: object, y: object, colour: str, row_id: str, *, horizontal: bool,
                    length: int) -> list[dict]:
    """Arrows towards a span's unstated bounds: right/left on a horizontal value axis, up/down on a vertical one."""
    sides = ("right", "left") if horizontal else ("up", "down")
    return [open_end_arrow(x, y, side, colour, row_id, length=length)
            for side, is_open in zip(sides, (span.open_up, span.open_down), strict=True) if is_open]


def stagger(positions: Sequence[float], widths: Sequence[float], bounds: tuple[float, float], gap: float = 8,
            offset: float = 3, levels: int = 10) -> list[tuple[int, str]]:
    """(level, xanchor) for labels on leader lines rising from `positions` (px along the plot's x axis).

    A label `widths[i]` px wide runs right of its leader (``xanchor`` 'left', `offset` px away) or left of it;
    level 0 is nearest the plot. A leader rising to level k crosses levels 0 … k-1, so a label may neither
    overlap another label on its level, nor sit across the leader of a label placed higher, nor have its own
    leader cross a label placed lower. Labels are placed right to left, each on the lowest such level,
    preferring sides that stay within `bounds` (px, may reach into the margins) and that do not cover the
    leader of a label still to be placed (which would then have to climb above it).
    """
    placed: list[tuple[int, float, float, float]] = []  # level, leader x, label extent
    result: list[tuple[int, str]] = [(0, "left")] * len(positions)
    order = sorted(range(len(positions)), key=lambda i: (-positions[i], i))
    for rank, i in enumerate(order):
        x, size = float(positions[i]), float(widths[i])
        pending = [float(positions[j]) for j in order[rank + 1:] if float(positions[j]) != x]
        options = []
        for level in range(levels):
            for side, anchor in enumerate(("left", "right")):
                low, high = (x + offset, x + offset + size) if anchor == "left" else (x - offset - size, x - offset)
                free = all(
                    (other != level or high + gap <= lo or low - gap >= hi)
                    and (other >= level or not lo - 1 <= x <= hi + 1)  # my leader through a lower label
                    and (other <= level or not low - 1 <= lx <= high + 1)  # a higher leader through me
                    for other, lx, lo, hi in placed)
                if free:
                    covers = any(low - 1 <= px <= high + 1 for px in pending)
                    outside = low < bounds[0] or high > bounds[1]
                    options.append((covers, outside, level, side, low, high))
        if options:
            _, _, level, side, low, high = min(options)
            anchor = ("left", "right")[side]
        else:  # nowhere free: the top level, to the right
            level, anchor, low, high = levels - 1, "left", x + offset, x + offset + size
        placed.append((level, x, low, high))
        result[i] = (level, anchor)
    return result


def legend_rows(names: Sequence[str], width_px: float, font_size: float = 12, title: str = "") -> int:
    """Rows a horizontal legend of `names` (raw text) needs in `width_px`: symbol and gap plus text per item."""
    rows, used = 1, text_px(title, font_size) + 10 if title else 0
    for name in names:
        item = 40 + text_px(name, font_size) + 12
        if used and used + item > width_px:
            rows, used = rows + 1, text_px(title, font_size) + 10 if title else 0
        used += item
    return rows


# --------------------------------------------------------------------------------------------- sources

def source_frame(*frames: pd.DataFrame | None) -> pd.DataFrame:
    """Row id (a frame's ``_id`` column, else its first column), source_id and input_ids of every drawn row.

    This is what a chart credits: :meth:`Package.source_ids` of it gives the sources behind the chart,
    including the inputs of derived rows.
    """
    parts = []
    for frame in frames:
        if frame is None or len(frame) == 0:
            continue
        ids = frame["_id"] if "_id" in frame else frame.iloc[:, 0]
        part = pd.DataFrame({"row_id": ids.astype("string"),
                             "source_id": frame["source_id"].astype("string")})
        part["input_ids"] = frame["input_ids"].astype("string") if "input_ids" in frame else pd.NA
        parts.append(part.astype("string"))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in ("row_id", "source_id", "input_ids")})
    return pd.concat(parts, ignore_index=True)


def publishers(package: Package, source_ids: Iterable[str]) -> list[str]:
    """Publisher names (raw) of the sources, deduplicated and sorted case-insensitively."""
    table = package.sources().set_index("source_id")
    ids = list(source_ids)
    unknown = sorted(set(ids) - set(table.index))
    if unknown:
        raise KeyError(f"unknown source id {unknown[0]!r}: not in the package's sources")
    names = {" ".join(str(table.at[i, "publisher"]).split()) for i in ids}
    return sorted(names, key=lambda name: (name.casefold(), name))


def source_label(package: Package, source_id: str, width: int = 60) -> str:
    """A short raw name for a source in legends and hover: 'Outlet via Publisher' for reposts."""
    row = package.sources().set_index("source_id").loc[source_id]
    publisher = " ".join(str(row["publisher"]).split(";")[0].split())
    if len(publisher) > 40 and " (" in publisher:
        publisher = publisher.split(" (")[0]
    outlet = row["original_outlet"]
    name = f"{outlet} via {publisher}" if not missing(outlet) else publisher
    if str(row["strength"]) == "weak":
        name += " [weak source]"
    return shorten(name, width)


def source_labels(package: Package, source_ids: Iterable[str], width: int = 60) -> dict[str, str]:
    """:func:`source_label` for each id; names shared by several ids get the id appended."""
    ids = sorted(set(source_ids))
    names = {i: source_label(package, i, width) for i in ids}
    repeated = {name for name in names.values() if list(names.values()).count(name) > 1}
    return {i: f"{name} ({i})" if name in repeated else name for i, name in names.items()}


def source_line(package: Package, source_ids: Sequence[str]) -> str:
    """'Sources: A · B · nkdigital v0.1.0' from the publishers of `source_ids` (escaped, one line)."""
    names = [esc(name) for name in publishers(package, source_ids)]
    word = "Source" if len(names) == 1 else "Sources"
    return f"{word}: " + " · ".join([*names, f"nkdigital v{esc(package.version)}"])


# -------------------------------------------------------------------------------------------- figure

def in_ipython_kernel() -> bool:
    """True inside a Jupyter/IPython kernel (not a terminal IPython, not plain Python)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def config(fig: go.Figure) -> dict:
    """plotly's display config for a house figure: no logo, PNG export at scale 2 named after the chart."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    image = {"format": "png", "scale": 2, "filename": meta.get("filename", "nkdigital-chart")}
    if fig.layout.width and fig.layout.height:
        image.update(width=fig.layout.width, height=fig.layout.height)
    return {"displaylogo": False, "toImageButtonOptions": image,
            "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


class HouseFigure(go.Figure):
    """A plotly Figure whose ``show()`` uses the house config and, inside a kernel, the mimetype renderer.

    The mimetype output carries no random div id, so saved notebooks stay reproducible.
    """

    def show(self, *args, **kwargs):
        kwargs["config"] = {**config(self), **kwargs.get("config", {})}
        if not args and "renderer" not in kwargs and in_ipython_kernel():
            kwargs["renderer"] = "plotly_mimetype"
        return super().show(*args, **kwargs)


def fit(text: str, font_size: float, width_px: float, bold: bool = False, most: int | None = None) -> list[str]:
    """Escaped `text` (its own ``<br>`` breaks kept) wrapped into lines that fit `width_px` at `font_size`."""
    chars = int(width_px / (font_size * (BOLD_CHAR_PX if bold else CHAR_PX)))
    chars = min(chars, most) if most else chars
    lines: list[str] = []
    for part in text.split("<br>"):
        raw = html.unescape(part)
        count = len(textwrap.wrap(raw, chars, break_long_words=False, break_on_hyphens=False))
        balanced = chars  # the narrowest measure that needs no more lines: no short last line
        while balanced > 20 and len(textwrap.wrap(raw, balanced - 1, break_long_words=False,
                                                  break_on_hyphens=False)) <= count:
            balanced -= 1
        lines += wrap(raw, balanced, sep="\n").split("\n")
    return lines


def footer_lines(notes: Sequence[str], line: str, width_px: int = WIDTH) -> tuple[list[str], list[str]]:
    """The wrapped footer: note lines (each note starts a line; the first opens with 'Note:') and source lines
    (the source line packed so that no publisher is split)."""
    note_chars = int((width_px - 2 * PAD) / (NOTE_FONT * CHAR_PX))
    source_chars = int((width_px - 2 * PAD) / (SOURCE_FONT * CHAR_PX))
    lines: list[str] = []
    for number_, note in enumerate(notes):
        head = ("Notes: " if len(notes) > 1 else "Note: ") if number_ == 0 else ""
        wrapped = wrap(head + html.unescape(note), note_chars, sep="\n").split("\n")
        if number_ == 0:
            wrapped[0] = wrapped[0].replace(head.strip(), f"<b>{head.strip()}</b>", 1)
        lines += wrapped
    head, _, rest = line.partition(": ")
    items = rest.split(" · ")
    packed = pack([f"{head}: {items[0]}", *items[1:]], source_chars)
    packed[0] = packed[0].replace(f"{head}:", f"<b>{head}:</b>", 1)
    return lines, packed


def finish(fig: HouseFigure, *, chart: str, title: str, subtitle: str, drawn: pd.DataFrame, package: Package,
           description: str, notes: Sequence[str] = (), plot_height: int = 420, margin_left: int = 80,
           margin_right: int = 40, axis_band: int = 56, top_extra: int = 0) -> HouseFigure:
    """Apply the house template, title, subtitle, notes, source line, size and meta to `fig`.

    `title`, `subtitle`, `description` and `notes` must already be escaped where they hold data;
    `drawn` (see :func:`source_frame`) holds every row the chart shows as a mark, a label or in a note.

    The figure is :data:`WIDTH` wide; its height is the plot's (`plot_height`) plus the space the wrapped
    title and subtitle, `top_extra` (legends or labels above the plot), `axis_band` (tick labels and axis
    title under the plot), the notes and the source line take, so that none of them overlaps another.
    """
    ids = package.source_ids(drawn[["source_id", "input_ids"]])
    line = source_line(package, ids)
    note_lines, source_lines = footer_lines(notes, line)
    text_width = WIDTH - 2 * PAD
    title_lines = fit(title, TITLE_FONT, text_width, bold=True)
    subtitle_lines = fit(subtitle, SUBTITLE_FONT, text_width, most=SUBTITLE_CHARS)
    top = math.ceil(PAD + line_px(TITLE_FONT) * len(title_lines) + 4 + line_px(SUBTITLE_FONT) * len(subtitle_lines)
                    + 14 + top_extra)
    notes_px = line_px(NOTE_FONT) * len(note_lines)
    sources_at = axis_band + notes_px + (8 if note_lines else 0)
    bottom = math.ceil(sources_at + line_px(SOURCE_FONT) * len(source_lines) + PAD)
    height = top + plot_height + bottom
    fig.update_layout(
        template=TEMPLATE,
        width=WIDTH,
        height=height,
        margin={"l": margin_left, "r": margin_right, "t": top, "b": bottom, "autoexpand": False},
        title={"text": "<br>".join(f"<b>{t}</b>" for t in title_lines), "x": PAD / WIDTH, "xanchor": "left",
               "xref": "container", "y": 1 - PAD / height, "yanchor": "top", "yref": "container",
               "font": {"size": TITLE_FONT},
               "subtitle": {"text": "<br>".join(subtitle_lines), "font": {"size": SUBTITLE_FONT, "color": GREY}}},
    )
    if note_lines:
        fig.add_annotation(
            text="<br>".join(note_lines), xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
            xshift=PAD - margin_left, yshift=-axis_band, align="left", showarrow=False,
            font={"size": NOTE_FONT, "color": GREY}, name="notes",
        )
    fig.add_annotation(
        text="<br>".join(source_lines), xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
        xshift=PAD - margin_left, yshift=-round(sources_at), align="left", showarrow=False,
        font={"size": SOURCE_FONT, "color": GREY}, name="footer",
    )
    fig.layout.meta = {
        "description": description,
        "source_line": line,
        "sources": ids,
        "filename": f"nkdigital-{chart}",
        "notes": list(notes),
        "rows": sorted(set(drawn["row_id"].dropna())),
    }
    return fig
