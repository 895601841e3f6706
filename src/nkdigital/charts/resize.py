"""A house figure laid out again for another export width: title, subtitle, notes, source line, legend names and
axis titles wrapped to it, and the margins and height grown or shrunk by the lines they gain or lose."""

from __future__ import annotations

import copy
import html
import math

from nkdigital.charts import narrow, style
from nkdigital.charts.house import footer_lines
from nkdigital.charts.markup import CHAR_PX, fit, line_px, wrap
from nkdigital.charts.style import PAD

LEGEND_SYMBOL_PX = 70  # a legend entry's symbol, gap and padding beside its text
MULTILINE_DROP = 0.7  # plotly.js sets a title of several lines this many font sizes higher than one line: undone


def _count(text: str | None) -> int:
    return len(text.split("<br>")) if text else 0


def _axis_titles(fig, width: int) -> int:
    """Wrap every x-axis title to its plot's width at `width`; the number of lines they gained (at most)."""
    plot_px = width - (fig.layout.margin.l or 0) - (fig.layout.margin.r or 0)
    gained = 0
    for axis in [key for key in fig.layout if key.startswith("xaxis")]:
        title = fig.layout[axis].title.text
        if not title:
            continue
        raw = html.unescape(title.replace("<br>", " "))
        size = fig.layout[axis].title.font.size or 13
        lines = wrap(raw, max(12, int(max(plot_px, 1) / (size * CHAR_PX)))).split("<br>")
        gained = max(gained, len(lines) - _count(title))
        fig.layout[axis].title.text = "<br>".join(lines)
    return gained


def _legend_names(fig, width: int) -> None:
    """Wrap legend names to the room right of where their legend starts (a legend over the plot starts at its
    left edge; one beside it, where its `x` puts it)."""
    plot_px = width - (fig.layout.margin.l or 0) - (fig.layout.margin.r or 0)
    for trace in fig.data:
        legend = fig.layout[trace.legend or "legend"]
        x = legend.x if legend.x is not None else 1.02
        start = max(0, (fig.layout.margin.l or 0) + x * plot_px) if legend.xref != "container" else x * width
        chars = max(12, int((width - start - LEGEND_SYMBOL_PX + 30) / (12 * CHAR_PX)))
        if trace.name and len(html.unescape(trace.name)) > chars:
            trace.name = wrap(html.unescape(trace.name.replace("<br>", " ")), chars)


def resized(fig, width: int, height: int | None = None):
    """A copy of house figure `fig` laid out for `width` px (and `height` px, else the height its texts need)."""
    return laid_out(fig, width, height)[0]


def laid_out(fig, width: int, height: int | None = None) -> tuple:
    """:func:`resized`, and the room (px, top and bottom margins) the figure keeps at `width` for what sits above
    and below its plot once title, notes and source line leave it (its narrow embed, export.reflow)."""
    meta = fig.layout.meta or {}
    if "narrow_margins" not in meta or width == meta.get("width"):
        return fig, meta.get("narrow_margins")
    new = copy.deepcopy(fig)
    rows_before, taller = narrow.legend_rows(new, meta["width"]), 0
    ticks_before = narrow.tick_px(new, meta["width"])
    if width < meta["width"]:
        taller = narrow.label_column(new, width)
        narrow.legend_inside(new, width)
    narrow.data_labels(new, width)
    taller = max(taller, narrow.rows_px(new))
    above, below = narrow.legend_px(new, rows_before, width)
    margin, measure = new.layout.margin, width - 2 * PAD
    titles = fit(meta["title"], style.TITLE_FONT, measure, bold=True)
    subtitles = fit(meta["subtitle"], style.SUBTITLE_FONT, measure, most=style.SUBTITLE_CHARS)
    top = margin.t + above + line_px(style.TITLE_FONT) * (len(titles) - _count(new.layout.title.text)) \
        + line_px(style.SUBTITLE_FONT) * (len(subtitles) - _count(new.layout.title.subtitle.text))
    footer = {a.name: a for a in new.layout.annotations if a.name in ("notes", "footer")}
    notes, sources = footer_lines(meta.get("notes", []), meta["source_line"], measure)
    old_notes = _count(footer["notes"].text) if "notes" in footer else 0
    gained = _axis_titles(new, width)
    ticks = math.ceil(narrow.turn_ticks(new, width) - ticks_before)
    grown = line_px(13) * gained + below + ticks  # px more under the plot: axis title lines, legend, tick labels
    axis_band = -footer["footer"].yshift - line_px(style.NOTE_FONT) * old_notes - (8 if old_notes else 0) + grown
    sources_at = math.ceil(axis_band + line_px(style.NOTE_FONT) * len(notes) + (8 if notes else 0))
    bottom = math.ceil(sources_at + line_px(style.SOURCE_FONT) * len(sources) + PAD)
    drop = MULTILINE_DROP * style.TITLE_FONT if len(titles) > 1 else 0
    top = math.ceil(top + drop)
    total = height or int(new.layout.height - margin.t - margin.b + top + bottom + taller)
    new.layout.title.text = "<br>".join(f"<b>{t}</b>" for t in titles)
    new.layout.title.subtitle.text = "<br>".join(subtitles)
    new.layout.title.x, new.layout.title.y = PAD / width, 1 - (PAD + drop) / total
    if "notes" in footer:
        footer["notes"].update(text="<br>".join(notes), yshift=-round(axis_band))
    footer["footer"].update(text="<br>".join(sources), yshift=-round(sources_at))
    _legend_names(new, width)
    new.layout.update(height=total, margin={"t": top, "b": bottom})
    new.layout.meta = {**meta, "width": width, "height": total}
    kept = meta["narrow_margins"]
    return new, {"t": kept["t"] + above, "b": math.ceil(kept["b"] + grown)}
