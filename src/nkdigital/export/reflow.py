"""The layouts a house chart's HTML embed switches between (``Plotly.relayout``) as its width changes: wide, as
exported images look; narrow, its title, subtitle, notes and source line moved out into page text; and, below the
house width, for a chart that asks for it (``meta["narrow_steps"]``), narrow as
:func:`~nkdigital.charts.resize.resized` lays the figure out at a step width not above the figure's (label column,
wrapped tick labels, rows grown for them, data labels, tick angles and axis band)."""

from __future__ import annotations

import hashlib
import html
import json
import math

from nkdigital.core.fingerprint import code_fingerprint
from nkdigital.core.kept import keep, read_kept

STEPS = (280, 320, 360, 400, 440, 480, 560, 640, 800, 960)  # px: a narrow embed is laid out at the widest it reaches
TITLE_CHAR_PX = 7  # an axis title wider than its plot at this many px a character leaves a narrow figure


FOLDER = "reflow"
_KEPT: dict[str, dict] = {}  # settings by key, in this process


def reflow_settings(fig) -> dict:
    """:func:`settings_of` `fig`, kept per content: each step lays the figure out again (about a second for a
    chart with steps), and the report asks for the same figure's settings on its chart page and its notebook page.
    The key is the SHA-256 of the figure's JSON, our charts and export code and plotly's version; kept in this
    process and in `$XDG_CACHE_HOME/nkdigital/reflow/` (a cache that cannot be read or written is only skipped)."""
    import plotly

    text = fig.to_json(engine="json")
    digest = hashlib.sha256("\0".join([text, code_fingerprint("charts", "export"), plotly.__version__]).encode())
    key = digest.hexdigest()
    if key not in _KEPT:
        kept = read_kept(FOLDER, f"{key}.json")
        try:
            _KEPT[key] = json.loads(kept) if kept is not None else None
        except ValueError:
            _KEPT[key] = None
        if _KEPT[key] is None:
            _KEPT[key] = json.loads(json.dumps(settings_of(fig)))  # as read back from the cache: JSON types only
            keep(FOLDER, f"{key}.json", json.dumps(_KEPT[key], sort_keys=True).encode("utf-8"))
    return json.loads(json.dumps(_KEPT[key]))  # a copy: callers may change what they get


def settings_of(fig) -> dict:
    """The layout changes between a wide embed and a narrow one (no in-figure title, subtitle, notes or source
    line; margins that keep room only for what sits above and below the plot, and that may grow where a legend or
    tick labels need more room at that width), and `steps`: what a narrow embed changes from `width` px up."""
    meta = fig.layout.meta or {}
    margin, title = fig.layout.margin, fig.layout.title
    footer = [i for i, a in enumerate(fig.layout.annotations) if a.name in ("notes", "footer")]
    wide = {"title.text": title.text, "title.subtitle.text": title.subtitle.text, "margin.t": margin.t,
            "margin.b": margin.b, "margin.autoexpand": margin.autoexpand, "height": fig.layout.height,
            **{f"annotations[{i}].visible": True for i in footer}}
    narrow = {"title.text": "", "title.subtitle.text": "", **_narrow_box(fig), "margin.autoexpand": True,
              **{f"annotations[{i}].visible": False for i in footer}}
    extra = meta.get("narrow_relayout") or {}  # a chart's own narrow changes (the timeline's labels), undone wide
    shown = {f"annotations[{i}].visible": a.visible is not False for i, a in enumerate(fig.layout.annotations)}
    wide.update({key: shown[key] for key in extra if key in shown})
    narrow.update(extra)
    steps = [{"width": width, "layout": _step(fig, width)} for width in STEPS
             if width < meta["width"] and meta.get("narrow_steps")]
    house = {key: _value(fig, key) for step in steps for key in step["layout"] if key not in narrow}
    return {"wide": {**house, **wide}, "narrow": {**house, **narrow}, "steps": steps, "house": meta["width"]}


def narrow_height(fig, width: int) -> int:
    """The height (px) of `fig`'s narrow embed `width` px wide."""
    settings = reflow_settings(fig)
    steps = settings["steps"] if width < settings["house"] else []
    below = [s for s in steps if s["width"] <= width] or steps[:1]
    return (below[-1]["layout"] if below else settings["narrow"])["height"]


def _narrow_box(fig, kept: dict | None = None) -> dict:
    """Top and bottom margins and height of `fig` with only the room above and below its plot kept (`kept`, else
    its ``meta["narrow_margins"]``)."""
    margin, kept = fig.layout.margin, kept or fig.layout.meta["narrow_margins"]
    top, bottom = min(margin.t, kept["t"]), min(margin.b, kept["b"])
    return {"margin.t": top, "margin.b": bottom, "height": fig.layout.height - (margin.t - top) - (margin.b - bottom)}


ANNOTATION_KEYS = ("text", "x", "xanchor", "xshift")
AXIS_KEYS = {"xaxis": ("tickangle", "title.text"), "yaxis": ("ticktext",)}


def _step(fig, width: int) -> dict:
    """What the narrow embed of `fig` changes at `width` px: its narrow box and every label, margin, tick and
    legend setting :func:`~nkdigital.charts.resize.resized` changes for that width."""
    from nkdigital.charts.resize import laid_out

    laid, kept = laid_out(fig, width)
    keys = ["margin.l", "margin.r", "legend.x", "legend.xref", "legend.xanchor"]
    keys += [f"{axis}.{key}" for axis in fig.layout if axis.rstrip("0123456789") in AXIS_KEYS
             for key in AXIS_KEYS[axis.rstrip("0123456789")]]
    keys += [f"annotations[{i}].{key}" for i, note in enumerate(fig.layout.annotations)
             if note.name not in ("notes", "footer") for key in ANNOTATION_KEYS]
    step = {key: _value(laid, key) for key in keys if _value(laid, key) != _value(fig, key)}
    step.update(_narrow_box(laid, kept))
    return {**step, **_titles_out(laid, width, step)}


def _titles_out(fig, width: int, step: dict) -> dict:
    """An x-axis title too long for its plot at `width` leaves the figure (the page says it under the figure):
    its title set to '' and the bottom margin and height without its lines."""
    from nkdigital.charts.markup import line_px

    out, drop = {}, 0.0
    for axis in [key for key in fig.layout if key.startswith("xaxis") and fig.layout[key].title.text]:
        layout, margin = fig.layout[axis], fig.layout.margin
        domain = layout.domain or (0, 1)
        title = html.unescape(layout.title.text.replace("<br>", " "))
        if len(title) * TITLE_CHAR_PX > (width - margin.l - margin.r) * (domain[1] - domain[0]):
            out[f"{axis}.title.text"] = ""
            drop = max(drop, line_px(layout.title.font.size or 13) * (layout.title.text.count("<br>") + 1))
    drop = math.floor(drop)
    return {**out, "margin.b": step["margin.b"] - drop, "height": step["height"] - drop} if out else {}


def _value(fig, key: str):
    """The layout value at a ``Plotly.relayout`` key ('margin.l', 'annotations[3].text'), as JSON."""
    node = fig.layout
    for part in key.replace("]", "").replace("[", ".").split("."):
        node = node[int(part)] if part.isdigit() else node[part]
    return list(node) if isinstance(node, tuple) else node
