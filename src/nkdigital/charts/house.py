"""The house figure: a plotly Figure that shows with the house config, and :func:`finish`, which lays out title,
subtitle, notes, source line and terms and records the figure's meta.

Figures fill their container on screen (``autosize``); exported images get an explicit size from
``meta["width"]`` and ``meta["height"]`` (see :func:`image_size`). Every text in ``layout.meta`` is HTML-escaped.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.basedatatypes import BasePlotlyType

from nkdigital.api.package import Package
from nkdigital.charts import style
from nkdigital.charts.credits import Credit, credit
from nkdigital.charts.markup import esc, fit, line_px
from nkdigital.charts.style import FONT, GREY, PAD, WIDTH
from nkdigital.core.limits import MAX_IMAGE_PX

__all__ = ["FONT", "Box", "HouseFigure", "Words", "config", "finish", "image_size", "resolve"]

MIMETYPE = "application/vnd.plotly.v1+json"
TITLE_DROP = 0.7  # em: how far plotly lowers a one-line title from its y (its `dy`), and not a multi-line one


def resolve(package: Package | None) -> Package:
    """`package`, or the bundled package when None."""
    if package is not None:
        return package
    from nkdigital.api.package import bundled

    return bundled()


def in_ipython_kernel() -> bool:
    """True inside a Jupyter/IPython kernel (not a terminal IPython, not plain Python)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def image_size(fig: go.Figure, width: int | None = None, height: int | None = None) -> tuple[int, int]:
    """The size (px) an image of `fig` is exported at: as asked, else the house width and the figure's height.

    A size asked for is 1 to MAX_IMAGE_PX pixels (a PNG doubles it); anything else is a ValueError."""
    for name, value in (("width", width), ("height", height)):
        if value is not None and (type(value) is not int or not 1 <= value <= MAX_IMAGE_PX):
            raise ValueError(f"image {name} must be a whole number of pixels from 1 to {MAX_IMAGE_PX}; got {value!r}")
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return (int(width or meta.get("width") or fig.layout.width or WIDTH),
            int(height or meta.get("height") or fig.layout.height or 600))


def config(fig: go.Figure) -> dict:
    """plotly's display config for a house figure: no logo, PNG export at scale 2 named after the chart."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    width, height = image_size(fig)
    image = {"format": "png", "scale": 2, "filename": meta.get("filename", "nkdigital-chart"), "width": width,
             "height": height}
    return {"displaylogo": False, "toImageButtonOptions": image, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


NOWHERE_TO_SHOW = ("fig.show() displays nothing outside Jupyter here (plotly found no renderer): open the chart in"
                   " Jupyter (./run lab), write it with fig.write_html('chart.html') or"
                   " nkdigital.export.write_chart_html(fig, 'chart.html'), or run `nkdigital chart NAME chart.html`")


class HouseFigure(go.Figure):
    """A plotly Figure whose ``show()`` uses the house config and, inside a kernel, plotly's JSON mimetype.

    The mimetype output (what plotly's ``plotly_mimetype`` renderer displays) carries no random div id, so saved
    notebooks stay reproducible. In a kernel it is displayed directly: plotly's renderer module imports nbformat
    and jsonschema on first use only to check nbformat's version, which cost 0.4–2.4 s in every kernel.
    """

    def __init__(self, data=None, layout=None, frames=None, skip_invalid=False, **kwargs):
        """As ``go.Figure``; a new figure (no `data`, no `layout`) starts with the house template."""
        if data is None and layout is None:
            layout = {"template": style.TEMPLATE}
        super().__init__(data, layout, frames, skip_invalid, **kwargs)

    def add_scatter(self, row=None, col=None, secondary_y=None, **kwargs) -> HouseFigure:
        """As ``go.Figure.add_scatter``, validated once: plotly's builds a Scatter, then validates a copy of it."""
        return self.add_trace({"type": "scatter", **kwargs}, row=row, col=col, secondary_y=secondary_y)

    def show(self, *args, **kwargs):
        kwargs["config"] = {**config(self), **kwargs.get("config", {})}
        if not args and set(kwargs) == {"config"} and in_ipython_kernel():
            from IPython.display import display

            bundle = {**json.loads(self.to_json(validate=False, remove_uids=False)), "config": kwargs["config"]}
            display({MIMETYPE: bundle}, raw=True)
            return None
        if not args and "renderer" not in kwargs and not in_ipython_kernel():
            import plotly.io as pio

            if not pio.renderers.default:
                warnings.warn(NOWHERE_TO_SHOW, stacklevel=2)
        return super().show(*args, **kwargs)


def set_layout(fig: go.Figure, **props) -> None:
    """Set layout properties as ``update_layout`` does (a dict merges into a property with sub-properties, such as
    an axis; any other value, ``meta`` included, replaces what is there), one assignment each.

    plotly's ``update_layout``, ``update_xaxes`` and ``update_yaxes`` re-dispatch every property through
    ``batch_update`` (about 5 ms a call); assigning a whole property once costs about 0.5 ms.
    """
    for key, value in props.items():
        current = fig.layout[key]
        merge = isinstance(value, dict) and isinstance(current, BasePlotlyType)
        fig.layout[key] = _merged(current.to_plotly_json(), value) if merge else value


def _merged(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        both = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _merged(merged[key], value) if both else value
    return merged


def footer_lines(notes: Sequence[str], line: str, measure: float = style.FOOTER_PX) -> tuple[list[str], list[str]]:
    """The wrapped footer: note lines (each note starts a line; the first opens with 'Note:') and source lines,
    both `measure` px wide (default: the footer's measure, the figure's width inside its padding)."""
    lines: list[str] = []
    for number, note in enumerate(notes):
        head = ("Notes: " if len(notes) > 1 else "Note: ") if number == 0 else ""
        wrapped = fit(head + note, style.NOTE_FONT, measure)
        if number == 0:
            wrapped[0] = wrapped[0].replace(head.strip(), f"<b>{head.strip()}</b>", 1)
        lines += wrapped
    sources = fit(line, style.SOURCE_FONT, measure)
    head = line.split(": ", 1)[0]
    sources[0] = sources[0].replace(f"{head}:", f"<b>{head}:</b>", 1)
    return lines, sources


def readable_text(fig: go.Figure, added: Sequence[dict] = ()) -> None:
    """Append the `added` annotations, then give every coloured label (annotations, trace text) a colour of its hue
    that reads on white (WCAG AA); marks keep the palette's colours, which stay colour-blind safe.

    The annotations are assigned once, as dicts: setting each one's font colour re-validated it, and appending
    re-validated all of them again (together a third of `finish`)."""
    from nkdigital.charts.palette import text_colour

    annotations = [*(a.to_plotly_json() for a in fig.layout.annotations), *added]
    for annotation in annotations:
        font = annotation.get("font")
        if font and isinstance(font.get("color"), str):
            annotation["font"] = {**font, "color": text_colour(font["color"])}
    if annotations:
        fig.layout.annotations = annotations
    for trace in fig.data:
        font = getattr(trace, "textfont", None)
        if font is not None and isinstance(font.color, str) and text_colour(font.color) != font.color:
            font.color = text_colour(font.color)


def _below_plot(name: str, lines: list[str], size: int, left: int, drop: int) -> dict:
    """Grey text under the plot: `left` px from the plot's left edge, `drop` px below the plot area."""
    return dict(text="<br>".join(lines), xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
                xshift=left, yshift=-drop, align="left", showarrow=False, font={"size": size, "color": GREY},
                name=name)


@dataclass(frozen=True)
class Words:
    """What a chart says: its registry name, title, subtitle, plain-text description and notes (each already
    escaped where it holds data)."""

    chart: str
    title: str
    subtitle: str
    description: str
    notes: Sequence[str] = ()


@dataclass(frozen=True)
class Box:
    """The room a chart takes (px): the plot's height, the margins beside it, `axis_band` under it (tick labels
    and axis title), `top_extra` over it (legends or labels above the plot), and the `width` it is laid out for
    (its exported images' width). With `narrow_steps` its narrow embed takes, at a few widths, the layout its
    images have at that width (label column, wrapped labels, rows grown for them: export.reflow)."""

    plot_height: int = 420
    margin_left: int = 80
    margin_right: int = 40
    axis_band: int = 56
    top_extra: int = 0
    width: int = WIDTH
    narrow_steps: bool = False


def finish(fig: HouseFigure, words: Words, box: Box, *, drawn: pd.DataFrame, package: Package) -> HouseFigure:
    """Apply the house template, title, subtitle, notes, source line, terms, height and meta to `fig`.

    `drawn` (see :func:`~nkdigital.charts.credits.source_frame`) holds every row the chart shows.
    Notes gain a line for rows from weak sources; third-party terms go to ``meta["terms"]`` (the caption, a
    page's Sources tab, the CSV), not into the figure. The height is the plot's plus the space the wrapped
    title and subtitle, the box's `top_extra` and `axis_band`, notes and source line take.
    """
    given = credit(package, drawn)
    notes = [*words.notes, *_weak_note(given.weak)]
    note_lines, source_lines = footer_lines(notes, given.line)
    title_lines = fit(words.title, style.TITLE_FONT, box.width - 2 * PAD, bold=True)
    subtitle_lines = fit(words.subtitle, style.SUBTITLE_FONT, box.width - 2 * PAD, most=style.SUBTITLE_CHARS)
    top = math.ceil(PAD + line_px(style.TITLE_FONT) * len(title_lines) + 4
                    + line_px(style.SUBTITLE_FONT) * len(subtitle_lines) + 14 + box.top_extra)
    notes_px = line_px(style.NOTE_FONT) * len(note_lines)
    sources_at = math.ceil(box.axis_band + notes_px + (8 if note_lines else 0))
    bottom = math.ceil(sources_at + line_px(style.SOURCE_FONT) * len(source_lines) + PAD)
    height = top + box.plot_height + bottom
    # plotly sets each line of a multi-line title at the title's y, dropping the 0.7em a single line is lowered by
    # (its top edge then sat 0-2 px from the figure's edge): lower such a title by that much
    title_y = PAD + (TITLE_DROP * style.TITLE_FONT if len(title_lines) > 1 else 0)
    set_layout(
        fig, autosize=True, height=height,
        margin={"l": box.margin_left, "r": box.margin_right, "t": top, "b": bottom, "autoexpand": False},
        title={"text": "<br>".join(f"<b>{t}</b>" for t in title_lines), "x": PAD / box.width, "xanchor": "left",
               "xref": "container", "y": 1 - title_y / height, "yanchor": "top", "yref": "container",
               "font": {"size": style.TITLE_FONT},
               "subtitle": {"text": "<br>".join(subtitle_lines), "font": {"size": style.SUBTITLE_FONT, "color": GREY}}},
    )
    left = PAD - box.margin_left
    notes_text = [_below_plot("notes", note_lines, style.NOTE_FONT, left, box.axis_band)] if note_lines else []
    readable_text(fig, [*notes_text, _below_plot("footer", source_lines, style.SOURCE_FONT, left, round(sources_at))])
    fig.layout.meta = _meta(words, box, given, notes, drawn, height, title_lines, subtitle_lines)
    return fig


def _weak_note(weak: int) -> list[str]:
    """The note a chart gains when it draws rows from `weak` weak sources (none when it draws none)."""
    return [f"Faded marks, or '(N weak)' beside a figure: rows from {weak} weak"
            f" source{'s' * (weak != 1)} (reposts, mirrors, forums), drawn on request."] if weak else []


def _meta(words: Words, box: Box, given: Credit, notes: list[str], drawn: pd.DataFrame, height: int,
          title_lines: list[str], subtitle_lines: list[str]) -> dict:
    """The figure's ``layout.meta``: its texts, credits, rows and size."""
    return {
        "description": words.description,
        "source_line": given.line,
        "sources": [esc(name) for name in given.outlets],
        "source_ids": given.source_ids,
        "terms": [esc(t) for t in given.terms],
        "filename": f"nkdigital-{words.chart}",
        "notes": notes,
        "rows": sorted(set(drawn["row_id"].dropna())),
        "width": box.width,
        "height": height,
        "title": " ".join(title_lines),
        "subtitle": " ".join(subtitle_lines),
        # an embed narrower than WIDTH shows title, notes and source line as page text (export.html): the figure
        # then keeps only the room for legends or labels above the plot and for the axis below it
        "narrow_margins": {"t": math.ceil(PAD + box.top_extra), "b": math.ceil(box.axis_band + PAD)},
        **({"narrow_steps": True} if box.narrow_steps else {}),
    }
