"""Notebooks to HTML pages with nbconvert's HTMLExporter and our template (JupyterLab's, offline)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
PLOTLY_MIME = "application/vnd.plotly.v1+json"


@dataclass
class Page:
    """One rendered notebook: its file name in the site, title, HTML and the plotly figures it draws."""

    file: str
    title: str
    html: str
    figures: list[dict] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # the inline scripts we wrote (the page's CSP allows these)


def plotly_div(figure: dict, div_id: str) -> str:
    """A plotly output as a page shows it: a house chart as on its chart page (title, subtitle and notes as page
    text that wraps at any width), any other figure as plotly.py writes it, as wide as the page allows."""
    import plotly.graph_objects as go
    import plotly.io as pio

    from nkdigital.export.html import figure_block, responsive
    from nkdigital.report.chart_page import ALWAYS_NARROW

    if "narrow_margins" in (figure.get("layout", {}).get("meta") or {}):
        # not validated again: the output holds what plotly.py wrote from a validated figure (5 times faster)
        fig = go.Figure({key: value for key, value in figure.items() if key != "config"}, _validate=False)
        return figure_block(fig, narrow_below=ALWAYS_NARROW, div_id=div_id)
    div = pio.to_html(responsive(figure), config=figure.get("config"), include_plotlyjs=False, full_html=False,
                      validate=False, div_id=div_id)
    return f'<figure aria-label="Interactive chart">{div}</figure>'


_BARE_AMPERSAND = re.compile(r"&(?!#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")


def markdown_text(text: str) -> str:
    """Markdown whose raw HTML shows as text: every `<` and every `&` that does not start a character reference
    become entities, so no tag from the data is rendered (a character reference, as :func:`nkdigital.text.md`
    writes, stays the character it names); Markdown itself (emphasis, lists, quotes, code) still works."""
    return _BARE_AMPERSAND.sub("&amp;", text).replace("<", "&lt;")


def neighbours(paths: list[Path]) -> list[tuple[dict | None, dict | None]]:
    """For each notebook, the previous and the next page (file and title), None at either end."""
    import nbformat

    pages = [{"file": f"{p.stem}.html", "title": title_of(nbformat.read(p, as_version=4), p.stem)} for p in paths]
    return [(pages[i - 1] if i else None, pages[i + 1] if i + 1 < len(pages) else None) for i in range(len(pages))]


def title_of(notebook, fallback: str) -> str:
    """The text of the notebook's first `# ` heading."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def exporter():
    """nbconvert's HTMLExporter with our template; it ranks plotly outputs first and links stylesheets from assets/.

    The stylesheets it would inline in every page are collected in `exporter.stylesheets` (name: text), to be
    written into assets/ once.
    """
    import markupsafe
    from nbconvert import HTMLExporter

    from nkdigital.export.csp import inline_scripts
    from nkdigital.export.html import escape_once

    stylesheets: dict[str, str] = {}

    class SiteExporter(HTMLExporter):
        @property
        def default_config(self):
            config = super().default_config
            priority = config.NbConvertBase.display_data_priority
            config.NbConvertBase.display_data_priority = [PLOTLY_MIME, *priority]
            return config

        def _init_resources(self, resources):
            resources = super()._init_resources(resources)
            resources["include_css"] = link_css  # a function, not a method: nbconvert deep-copies resources
            return resources

    def link_css(name: str) -> markupsafe.Markup:
        stylesheets[Path(name).name] = html.environment.loader.get_source(html.environment, name)[0]
        return markupsafe.Markup(f'<link rel="stylesheet" href="assets/{Path(name).name}">')

    def recorded_plotly_div(figure: dict, div_id: str) -> str:
        div = plotly_div(figure, div_id)
        html.scripts += inline_scripts(div)
        return div

    html = SiteExporter(template_name="nkdigital", extra_template_basedirs=[str(TEMPLATES)])
    html.stylesheets = stylesheets
    html.scripts = []  # inline scripts of the page being rendered, recorded as the filter writes them
    html.register_filter("plotly_div", recorded_plotly_div)
    html.register_filter("escape_once", escape_once)
    html.register_filter("markdown_text", markdown_text)
    return html


def render(path: Path, html_exporter, previous: dict | None = None, following: dict | None = None) -> Page:
    """One notebook as a page of the site (as stored: nothing is executed), with links to the `previous` and
    `following` pages (file and title)."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    title = title_of(notebook, path.stem)
    html_exporter.scripts = []
    body, _ = html_exporter.from_notebook_node(notebook, resources={"metadata": {"name": title},
                                                                    "nk_prev": previous, "nk_next": following})
    figures = [output["data"][PLOTLY_MIME] for cell in notebook.cells for output in cell.get("outputs", [])
               if PLOTLY_MIME in output.get("data", {})]
    return Page(f"{path.stem}.html", title, body, figures, html_exporter.scripts)


@functools.cache
def environment():
    """The Jinja2 environment of the report's own templates (index, chart pages, embed snippet), autoescaping."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)
