"""A chart page as a newsroom needs it, generated from the chart's own metadata and the rows it draws:
Chart · Table · Sources · Download · Cite · Embed, in one self-contained HTML file (plotly.js inlined)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import markupsafe
import pandas as pd

from nkdigital import text
from nkdigital.api.package import Package
from nkdigital.report.render import TEMPLATES

ALWAYS_NARROW = 10**6  # on a page the title, subtitle and notes are page text at every width: they wrap
# The files a page offers, by suffix: (label, MIME type the server should send).
DOWNLOADS = {".png": ("Image (PNG)", "image/png"), ".svg": ("Vector image (SVG)", "image/svg+xml"),
             ".pdf": ("Print (PDF)", "application/pdf"), ".csv": ("Rows drawn (CSV)", "text/csv"),
             "-wide.csv": ("Year × series (CSV)", "text/csv")}
NO_BASE_URL = ("Embed code needs the address the report is served from: build it with"
               " nkdigital report OUT --base-url https://example.org/report/")


@dataclass(frozen=True)
class Source:
    """One publication behind a chart, as its Sources tab shows it."""

    outlet: str
    title: str
    published: str
    strength: str
    url: str
    terms: str
    archived: list[dict]  # path (in the archive) and kind of each archived copy
    quotes: list[str]


def unescaped(value: object) -> str:
    """Chart meta text (HTML-escaped for plotly) as raw text, for an autoescaping template."""
    return "" if text.missing(value) else html.unescape(str(value))


def sources_of(package: Package, drawn: pd.DataFrame) -> list[Source]:
    """Every source of the rows drawn (`drawn`: :func:`nkdigital.export.chart_rows`; inputs of derived rows
    included), sorted by outlet, with the quotes of the drawn rows it gives and the archived copies it was read
    from."""
    from nkdigital.charts.credits import outlet
    from nkdigital.charts.palette import name

    ids = package.source_ids(drawn) if len(drawn) else []
    quotes: dict[str, set[str]] = {}
    for source_id, quote in zip(drawn["source_id"].tolist(), drawn["quote"].tolist(), strict=True):
        if not pd.isna(quote):
            quotes.setdefault(source_id, set()).add(quote)
    copies = package.resource("source_copies")
    copies = copies[copies["source_id"].isin(ids)].sort_values("archive_path", kind="stable")
    archived: dict[str, list[dict]] = {}
    for copy in copies.to_dict("records"):
        archived.setdefault(copy["source_id"], []).append(
            {"path": copy["archive_path"], "kind": name("copy", copy["copy"]).lower()})
    found = []
    for source_id in ids:
        row = package.source_rows[source_id]
        found.append(Source(
            outlet=outlet(row), title=str(row["title"]),
            published=text.when(row["published_date"], row["published_date_precision"]),
            strength=str(row["strength"]), url=str(row["url"]),
            terms="" if text.missing(row["usage_terms"]) else str(row["usage_terms"]),
            archived=archived.get(source_id, []), quotes=sorted(quotes.get(source_id, ()))))
    return sorted(found, key=lambda s: (s.outlet.casefold(), s.title))


def data_as_of(fig, package: Package) -> str:
    """The day the newest source of the chart was read (its access date, else its publication date)."""
    meta = fig.layout.meta or {}
    sources = package.sources()
    sources = sources[sources["source_id"].isin(meta.get("source_ids", []))]
    dates = sources["accessed_date"].fillna(sources["published_date"]).dropna()
    return text.when(dates.max(), "day") if len(dates) else "date not stated"


def citations(fig, package: Package, drawn: pd.DataFrame) -> list[dict]:
    """The chart (as part of the package) and the sources of the rows it draws (`drawn`) in every citation style
    :func:`nkdigital.citation.cite` has."""
    from nkdigital.citation import cite, cite_records, source_ids
    from nkdigital.citation.records import records
    from nkdigital.citation.styles import STYLES

    title = unescaped((fig.layout.meta or {}).get("title"))
    items = records(package, source_ids(drawn, package)) if len(drawn) else []  # once for every style
    return [{"style": style, "about": about, "chart": cite(None, style, package=package),
             "sources": cite_records(items, style) if len(drawn) else "", "title": title}
            for style, about in STYLES.items()]


def embed_snippet(src: str, title: str, height: int, origin: str) -> str:
    """An iframe for `src` and a few lines of script that set its height to what the page reports."""
    from nkdigital.report.render import environment

    return environment().get_template("embed.html.j2").render(src=src, title=title, height=height,
                                                               origin=origin).strip()


def render_page(fig, package: Package, stem: str, downloads: dict[str, str], embed: str | None,
                version: str, drawn: pd.DataFrame | None = None, table: pd.DataFrame | None = None) -> str:
    """The complete chart page. `downloads`: suffix → file name beside the page (see :data:`DOWNLOADS`);
    `embed`: the embed snippet, or None when the report has no base URL; `drawn` and `table`: the chart's
    :func:`~nkdigital.export.chart_rows` and :func:`~nkdigital.export.chart_table.reader_rows` if the caller
    has them already."""
    from nkdigital.charts.house import FONT
    from nkdigital.export.chart_file import chart_rows
    from nkdigital.export.chart_table import reader_rows
    from nkdigital.export.html import PAGE_STYLE, figure_block, plotly_script
    from nkdigital.metadata import package as facts
    from nkdigital.report.render import environment

    meta = fig.layout.meta or {}
    drawn = chart_rows(fig, package) if drawn is None else drawn
    table = reader_rows(fig, package) if table is None else table
    context = {
        "stem": stem, "version": version, "font": FONT,
        "title": unescaped(meta.get("title", stem)), "subtitle": unescaped(meta.get("subtitle")),
        "description": unescaped(meta.get("description")),
        "figure": markupsafe.Markup(figure_block(fig, narrow_below=ALWAYS_NARROW)),
        "figure_style": markupsafe.Markup(PAGE_STYLE.format(font=FONT)),
        "plotly": markupsafe.Markup(plotly_script(fig)),
        "rows": table.to_dict("records"), "sources": sources_of(package, drawn),
        "terms": [unescaped(t) for t in meta.get("terms", [])],
        "downloads": [{"href": name, "label": DOWNLOADS[suffix][0], "type": DOWNLOADS[suffix][1]}
                      for suffix, name in downloads.items()],
        "citations": citations(fig, package, drawn), "embed": embed, "no_embed": NO_BASE_URL,
        "as_of": data_as_of(fig, package), "licence": facts.LICENCE_TITLE, "licence_url": facts.LICENCE_URL,
    }
    return environment().get_template("chart.html.j2").render(**context)


def write_page(fig, package: Package, out: Path, downloads: dict[str, str], embed: str | None,
               version: str, drawn: pd.DataFrame | None = None, table: pd.DataFrame | None = None) -> Path:
    """Write :func:`render_page` to `out`."""
    from nkdigital.core.atomic import atomic_write_bytes
    from nkdigital.export.csp import with_policy

    page = with_policy(render_page(fig, package, out.stem, downloads, embed, version, drawn, table))  # autoescaped:
    atomic_write_bytes(out, page.encode("utf-8"))                                        # every inline script is ours
    return out


__all__ = ["DOWNLOADS", "TEMPLATES", "embed_snippet", "render_page", "write_page"]
