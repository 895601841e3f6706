"""Charts as self-contained, offline, responsive HTML pages with alt text and caption, and the plotly.js they need."""

from __future__ import annotations

import functools
import html
import json
import os
from pathlib import Path

from nkdigital.core.atomic import atomic_write_bytes
from nkdigital.export.csp import with_policy
from nkdigital.export.reflow import TITLE_CHAR_PX, reflow_settings

VENDOR = Path(__file__).resolve().parent / "vendor"
BASIC_BUNDLE = VENDOR / "plotly-basic.min.js"
BASIC_TRACES = frozenset({"bar", "pie", "scatter"})  # the trace types the vendored basic bundle holds
FIGURE_STYLE = (  # a house chart's figure, caption and the page text it moves out of the figure when narrow
    "figcaption{{font-family:{font}}}figure{{margin:0;max-width:100%}}.plotly-graph-div{{max-width:100%}}"
    "figcaption{{font-size:14px;line-height:1.4;color:#444;padding:8px 16px;overflow-wrap:anywhere}}"
    ".nk-head,.nk-notes{{display:none}}.nk-narrow .nk-head{{display:block;padding:12px 16px 0}}"
    ".nk-narrow .nk-notes{{display:inline}}.nk-title{{font-size:18px;font-weight:bold;line-height:1.3;margin:0 0 4px}}"
    ".nk-subtitle{{font-size:14px;line-height:1.4;color:#555;margin:0}}"
)
PAGE_STYLE = "html,body{{margin:0}}body{{font-family:{font};color:#222}}" + FIGURE_STYLE
# Below the house width the in-figure title, subtitle, notes and source line (wrapped for WIDTH px) give way to
# page text that wraps at any width; the figure keeps its plot, legend and axes (see reflow_settings).
REFLOW_SCRIPT = r"""<script>(function () {{
  var gd = document.getElementById({div_id}), figure = gd.closest("figure"), narrow = null, measure = null;
  var step;  // the step (settings.steps) whose layout the narrow figure has: laid out for the widest it reaches
  var settings = {settings}, names = gd.data.map(function (t) {{ return t.name; }});
  function wrap(name, chars) {{  // a legend name on lines of at most `chars` characters, broken between words
    if (!name || name.length <= chars) return name;
    var lines = [""];
    name.split(" ").forEach(function (word) {{
      var last = lines[lines.length - 1];
      if (last && (last + " " + word).length > chars) lines.push(word);
      else lines[lines.length - 1] = last ? last + " " + word : word;
    }});
    return lines.join("<br>");
  }}
  function fitNames() {{  // legend names wrap to the figure's width (12 px text, symbol and margin beside it)
    var chars = Math.max(16, Math.floor((figure.clientWidth - 70) / 6.5));
    if (chars === measure) return;
    measure = chars;
    var wrapped = names.map(function (n) {{ return wrap(n, chars); }});
    if (wrapped.some(function (n, i) {{ return n !== gd.data[i].name; }})) Plotly.restyle(gd, {{name: wrapped}});
  }}
  var sides = {{l: gd.layout.margin.l, r: gd.layout.margin.r}};
  var shifts = (gd.layout.annotations || []).map(function (a) {{ return a.xshift || 0; }});
  var texts = (gd.layout.annotations || []).map(function (a) {{ return a.text; }});
  var axes = Object.keys(gd.layout).filter(function (k) {{ return /^xaxis\d*$/.test(k) && gd.layout[k].title; }});
  var titles = axes.map(function (k) {{ var t = gd.layout[k].title; return typeof t === "string" ? t : t.text; }});
  function pick(width) {{  // the widest step not wider than `width` (else the narrowest); none at the house width
    var found = null;
    if (narrow && width < settings.house) settings.steps.forEach(function (s) {{
      if (!found || s.width <= width) found = s;
    }});
    return found;
  }}
  function at(key, value) {{  // a layout value as the current step has it, else as the figure was written
    return step && key in step.layout ? step.layout[key] : value;
  }}
  function fitTexts(update, width) {{  // an axis title wider than its plot becomes page text under the figure;
    var moved = [];              // labels start where their own position says
    axes.forEach(function (k, i) {{
      var domain = gd._fullLayout[k].domain;  // the plot's length once relaid out at `width`
      var length = (width - at("margin.l", sides.l) - at("margin.r", sides.r)) * (domain[1] - domain[0]);
      var out = narrow && titles[i] && (step ? at(k + ".title.text", titles[i]) === ""
                                            : titles[i].length * {title_char_px} > length);
      update[k + ".title.text"] = out ? "" : at(k + ".title.text", titles[i]);
      var plain = new DOMParser().parseFromString(titles[i].replace(/<br>/g, " "), "text/html");  // inert
      if (out) moved.push(plain.body.textContent);
    }});
    var note = figure.querySelector(".nk-axis");
    if (note) note.textContent = moved.length ? "Horizontal axis: " + moved.join("; ") + ". " : "";
    shifts.forEach(function (x, i) {{ var key = "annotations[" + i + "].xshift"; update[key] = at(key, x); }});
    texts.forEach(function (t, i) {{ var key = "annotations[" + i + "].text"; if (t) update[key] = at(key, t); }});
    update["margin.l"] = at("margin.l", sides.l);
    update["margin.r"] = at("margin.r", sides.r);
  }}
  function wrapMarkup(text, chars) {{  // break text at spaces outside its tags, lines of about `chars` characters
    var out = "", line = 0;
    text.split(/(<[^>]*>|\s+)/).forEach(function (part) {{
      if (!part) return;
      if (part.charAt(0) === "<") {{ out += part; if (/^<br/i.test(part)) line = 0; return; }}
      if (/^\s+$/.test(part)) {{ out += " "; line += 1; return; }}
      if (line && line + part.length > chars) {{ out = out.replace(/ $/, "") + "<br>"; line = 0; }}
      out += part;
      line += part.length;
    }});
    return out;
  }}
  function keepLabelsInside(wrapped) {{  // a label wider than the figure wraps; one past its edge moves inside
    var edge = gd.getBoundingClientRect(), update = {{}}, wraps = {{}};
    if (!wrapped) gd.querySelectorAll(".annotation").forEach(function (node) {{
      var i = +node.getAttribute("data-index"), box = node.getBoundingClientRect(), text = texts[i];
      if (!text || box.width <= edge.width - 8) return;
      var visible = Math.max.apply(null, text.split(/<br\s*\/?>/i).map(function (line) {{
        return line.replace(/<[^>]*>/g, "").length; }}));  // the longest line sets the box's width
      wraps["annotations[" + i + "].text"] = wrapMarkup(text, Math.floor(visible * (edge.width - 16) / box.width));
    }});
    if (Object.keys(wraps).length) return Plotly.relayout(gd, wraps).then(function () {{ keepLabelsInside(true); }});
    gd.querySelectorAll(".annotation").forEach(function (node) {{
      var i = +node.getAttribute("data-index"), box = node.getBoundingClientRect();
      var shift = box.right > edge.right - 2 ? edge.right - 2 - box.right
        : box.left < edge.left + 2 ? edge.left + 2 - box.left : 0;
      if (box.width && shift) update["annotations[" + i + "].xshift"] = (gd.layout.annotations[i].xshift || 0) + shift;
    }});
    var above = 0;  // a label above the figure's top (a wrapped one grows upwards): the top margin grows
    gd.querySelectorAll(".annotation").forEach(function (node) {{
      var box = node.getBoundingClientRect();
      if (box.height) above = Math.max(above, edge.top + 2 - box.top);
    }});
    if (above > 0) {{
      var grown = gd._fullLayout.height + Math.ceil(above);
      update["margin.t"] = gd._fullLayout.margin.t + Math.ceil(above);
      update.height = grown;
      gd.parentElement.style.height = grown + "px";
    }}
    var over = {{l: 0, r: 0}};  // trace text past an edge: the margin on that side grows to hold it
    gd.querySelectorAll(".scatterlayer .textpoint text").forEach(function (t) {{
      var r = t.getBoundingClientRect();
      if (!r.width) return;
      over.l = Math.max(over.l, edge.left + 2 - r.left);
      over.r = Math.max(over.r, r.right - edge.right + 2);
    }});
    ["l", "r"].forEach(function (side) {{
      if (over[side] > 0) update["margin." + side] = gd._fullLayout.margin[side] + Math.ceil(over[side]);
    }});
    if (Object.keys(update).length) Plotly.relayout(gd, update);
  }}
  function fit() {{  // a relayout of the height turns plotly's autosize off: the width is set here too
    var width = gd.parentElement.clientWidth, now = figure.clientWidth < {width}, update = {{width: width}};
    if (!width) return;  // hidden (a closed tab): fitted when shown
    fitNames();
    var was = [narrow, step];
    narrow = now;
    step = pick(width);
    if (was[0] !== narrow || was[1] !== step) {{
      var chosen = Object.assign({{}}, now ? settings.narrow : settings.wide, step ? step.layout : {{}});
      figure.classList.toggle("nk-narrow", now);
      gd.parentElement.style.height = chosen.height + "px";  // plotly's wrapper keeps the height it was written with
      Object.assign(update, chosen);
    }} else if (width === gd._fullLayout.width) return;
    fitTexts(update, width);  // after the step's layout: an axis title too wide for the plot leaves it
    Plotly.relayout(gd, update).then(function () {{ return keepLabelsInside(false); }});
  }}
  window.addEventListener("resize", fit);
  fit();
}})();</script>"""


def escape_once(text: str) -> str:
    """HTML-escape text that may already be escaped (chart meta is), without double-escaping it."""
    return html.escape(html.unescape(text))


def trace_types(figure) -> set[str]:
    """The trace types of a plotly Figure or of a figure dict (a notebook's plotly output)."""
    data = figure.get("data", []) if isinstance(figure, dict) else figure.data
    return {(trace.get("type") if isinstance(trace, dict) else trace.type) or "scatter" for trace in data}


def plotly_js_path(*figures) -> Path:
    """The smallest plotly.js that draws all `figures`: the vendored basic bundle, else plotly.py's full one."""
    if set().union(*map(trace_types, figures)) <= BASIC_TRACES:
        return BASIC_BUNDLE
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def responsive(figure) -> dict:
    """A Figure or figure dict as a dict that fills the width of its container (its height stays)."""
    spec = dict(figure) if isinstance(figure, dict) else figure.to_dict()
    layout = {key: value for key, value in spec.get("layout", {}).items() if key != "width"}
    return {**spec, "layout": {**layout, "autosize": True}}


def figure_block(fig, narrow_below: int | None = None, div_id: str | None = None) -> str:
    """A house chart as an HTML ``<figure>``: the plotly div (plotly.js loaded elsewhere; id `div_id`, default the
    chart's file name), its description as alt text and caption, and the script that moves title, subtitle and
    notes out of the figure into page text when the figure is narrower than `narrow_below` px (default: the
    house width)."""
    import plotly.io as pio

    from nkdigital.charts.house import config
    from nkdigital.charts.style import WIDTH

    meta = fig.layout.meta or {}
    description, source_line = (escape_once(meta.get(key, "")) for key in ("description", "source_line"))
    div_id = div_id or meta.get("filename", "nkdigital-chart")
    div = pio.to_html(responsive(fig), full_html=False, validate=False, config={**config(fig), "responsive": True},
                      include_plotlyjs=False, div_id=div_id)
    head = reflow = notes_html = ""
    if "narrow_margins" in meta:  # a house chart: its texts can leave the figure in a narrow embed
        head = (f'<header class="nk-head"><p class="nk-title">{escape_once(meta["title"])}</p>'
                f'<p class="nk-subtitle">{escape_once(meta["subtitle"])}</p></header>\n')
        reflow = "\n" + REFLOW_SCRIPT.format(div_id=script_json(div_id),
                                             width=narrow_below or WIDTH, title_char_px=TITLE_CHAR_PX,
                                             settings=script_json(reflow_settings(fig)))
        notes = meta.get("notes") or []
        notes_html = (f'<span class="nk-notes"><b>{"Notes" if len(notes) > 1 else "Note"}:</b> '
                      + " ".join(escape_once(n) for n in notes) + "<br></span>") if notes else ""
    return (f'<figure role="img" aria-label="{description}">\n{head}{div}\n'
            f'<figcaption><span class="nk-axis"></span>{notes_html}{description}<br>{source_line}{_credits(meta)}'
            f"</figcaption>\n</figure>{reflow}")


_IN_SCRIPT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_json(value) -> str:
    """`value` as JSON to write inside a ``<script>`` element: `<`, `>` and `&` as JSON escapes, so no text in it (a
    chart's labels come from the data) can close the element or open a comment; the script reads the same value."""
    return json.dumps(value, sort_keys=True).translate(_IN_SCRIPT)


def plotly_script(*figures) -> str:
    """A ``<script>`` element holding the smallest plotly.js that draws `figures`, inlined."""
    return f"<script>{_bundle_text(plotly_js_path(*figures))}</script>\n"


@functools.lru_cache(maxsize=2)
def _bundle_text(path: Path) -> str:
    """A plotly.js bundle's text, read once per process (a report inlines it into every chart page)."""
    return path.read_text(encoding="utf-8")


def chart_html(fig, include_plotlyjs: bool | str = True) -> str:
    """A complete, offline HTML page for a house chart, 360-1200 px wide, with its description as alt text and caption.

    `include_plotlyjs`: True inlines the smallest plotly.js that draws the figure; a path ending in `.js` links it.
    """
    from nkdigital.charts.house import FONT

    meta = fig.layout.meta or {}
    title = escape_once(meta.get("filename", "nkdigital chart"))
    script = (plotly_script(fig) if include_plotlyjs is True
              else f'<script src="{html.escape(include_plotlyjs)}"></script>\n')
    return with_policy(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="icon" href="data:,">\n'
        f"<title>{title}</title>\n<style>{PAGE_STYLE.format(font=FONT)}</style>\n{script}</head>\n"
        f"<body>\n{figure_block(fig)}\n</body>\n</html>\n"
    )


def _credits(meta: dict) -> str:
    """The caption's full credits: every outlet the chart draws on, and the reuse terms that come with them."""
    parts = []
    if meta.get("sources"):
        parts.append("All sources: " + "; ".join(escape_once(s) for s in meta["sources"]) + ".")
    if meta.get("terms"):
        parts.append("Reuse terms: " + "; ".join(escape_once(t) for t in meta["terms"]) + ".")
    return "".join(f'<br><small class="credits">{part}</small>' for part in parts)


def write_chart_html(fig, out: str | os.PathLike, include_plotlyjs: bool | str = True) -> Path:
    """Write :func:`chart_html` to `out` (readable by any web server)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out, chart_html(fig, include_plotlyjs).encode("utf-8"))
    return out
