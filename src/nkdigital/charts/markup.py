"""Text as plotly draws it: escaping (every string from the data goes through :func:`esc` or :func:`wrap`),
wrapping, and the estimated size of text in px for layout."""

from __future__ import annotations

import html
import textwrap

import pandas as pd

from nkdigital.text import missing

LINE_SPACING = 1.3  # plotly.js puts lines of text this many font sizes apart
CHAR_PX = 0.52  # average glyph width as a share of the font size (Arial-like), for wrapping
BOLD_CHAR_PX = 0.6  # the same for bold text (titles)


def line_px(font_size: float) -> float:
    """Height of one line of text in plotly.js at `font_size`."""
    return font_size * LINE_SPACING


def text_px(text: str, font_size: float, bold: bool = False) -> float:
    """Estimated width of raw (unescaped, untagged) `text` at `font_size`."""
    return len(text) * font_size * (BOLD_CHAR_PX if bold else CHAR_PX)


# Advance widths (share of the font size) of Liberation Sans, metric-compatible with Arial, by kind of glyph: a
# short label (a tick label) is measured glyph by glyph, where the average of CHAR_PX would be off by a fifth.
GLYPH_EM = {**dict.fromkeys("ijl.,:;'|!", 0.222), **dict.fromkeys("ftI -()/", 0.278), "r": 0.333,
            **dict.fromkeys("mwMW", 0.833)}
BODY_EM, UPPER_EM, OTHER_EM = 0.556, 0.667, 0.5  # digits and other lower-case letters, capitals, the rest


def label_px(text: str, font_size: float) -> float:
    """Estimated width of a short raw `text` (a tick label) at `font_size`, glyph by glyph."""
    return font_size * sum(GLYPH_EM.get(c, BODY_EM if c.isdigit() or c.islower() else
                                        UPPER_EM if c.isupper() else OTHER_EM) for c in text)


def chars(width_px: float, font_size: float, bold: bool = False) -> int:
    """How many characters of text fit `width_px` at `font_size`."""
    return int(width_px / (font_size * (BOLD_CHAR_PX if bold else CHAR_PX)))


def esc(value: object) -> str:
    """`value` as HTML-escaped text ('' when missing), safe to hand to plotly (which shows &quot; literally)."""
    return "" if missing(value) else html.escape(str(value), quote=False)


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


def _line_count(raw: str, measure: int) -> int:
    return len(textwrap.wrap(raw, measure, break_long_words=False, break_on_hyphens=False))


def _balanced(raw: str, measure: int, narrowest: int = 20) -> int:
    """The narrowest measure (not below `narrowest`) that needs no more lines than `measure`: no short last line.
    Greedy wrapping never needs more lines at a wider measure, so a binary search finds it."""
    count = _line_count(raw, measure)
    low, high = min(narrowest, measure), measure
    while low < high:
        middle = (low + high) // 2
        if _line_count(raw, middle) <= count:
            high = middle
        else:
            low = middle + 1
    return high


def fit(text: str, font_size: float, width_px: float, bold: bool = False, most: int | None = None) -> list[str]:
    """Escaped `text` (its own ``<br>`` breaks kept) wrapped into balanced lines that fit `width_px`."""
    measure = chars(width_px, font_size, bold)
    measure = min(measure, most) if most else measure
    lines: list[str] = []
    for part in text.split("<br>"):
        raw = html.unescape(part)
        lines += wrap(raw, _balanced(raw, measure), sep="\n").split("\n")
    return lines


def iso(date: object, shift_days: float = 0) -> str:
    """ISO date string (day resolution) for a plotly date axis, optionally shifted by whole days."""
    stamp = pd.Timestamp(date) + pd.Timedelta(days=round(shift_days))
    return stamp.strftime("%Y-%m-%d")
