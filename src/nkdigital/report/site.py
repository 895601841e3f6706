"""The report as a static site: a page per notebook, every house chart as HTML, PNG and SVG, and an index."""

from __future__ import annotations

import html
import math
import os
import shutil
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nkdigital.core.atomic import atomic_folder, refusal, replaceable_folder
from nkdigital.export.csp import with_policy
from nkdigital.report.chart_page import NO_BASE_URL
from nkdigital.report.notebooks import notebook_paths
from nkdigital.report.render import TEMPLATES, exporter, neighbours, render

COLUMN_PX = 640  # a typical article column; below the house width, so the embed shows its narrow layout
# (export.html): title and subtitle above the plot, notes and caption below it, as page text wrapped at:
TEXT_CHARS = {"title": 55, "subtitle": 85, "caption": 90, "credits": 105}  # per line at 18, 14, 14, 12 px
LINE_PX = {"title": 24, "subtitle": 20, "caption": 20, "credits": 17}  # line heights (line-height 1.3-1.4)
PADDING_PX = 12 + 4 + 16 + 16  # header padding, title margin, caption padding


def embed_height(fig) -> int:
    """Pixels an iframe needs to show a chart page in an article column (COLUMN_PX) without scrolling: the
    narrow figure with its title, subtitle, notes and caption as page text."""
    from nkdigital.export.reflow import narrow_height

    meta = fig.layout.meta or {}
    if "narrow_margins" not in meta:
        return int(fig.layout.height or 520) + 2 * LINE_PX["caption"] + PADDING_PX

    def lines(text: str, kind: str) -> int:
        return math.ceil(len(html.unescape(text)) / TEXT_CHARS[kind]) if text else 0

    caption = [" ".join(meta.get("notes", [])), meta.get("description", ""), meta.get("source_line", "")]
    credits = ["; ".join(meta.get("sources", [])), "; ".join(meta.get("terms", []))]
    text_px = (LINE_PX["title"] * lines(meta["title"], "title") + LINE_PX["subtitle"] * lines(meta["subtitle"],
               "subtitle") + LINE_PX["caption"] * sum(lines(t, "caption") for t in caption)
               + LINE_PX["credits"] * sum(lines(t, "credits") for t in credits))
    return int(narrow_height(fig, COLUMN_PX) + text_px + PADDING_PX)


def _readable(folder: Path) -> None:
    """Modes any web server can read: folders 0755, files 0644."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


MARKER = ".nkdigital-report"  # lists what a site we built holds: only such a folder is replaced (core.atomic)


def _check_target(out: Path) -> None:
    """`out` may be missing, an empty folder, or a report we built (its MARKER lists everything in it); nothing
    else is replaced."""
    if replaceable_folder(out, MARKER):
        return
    if out.is_symlink() or not out.is_dir():
        raise ValueError(f"{out} is not a folder: choose a new folder for the report")
    raise ValueError(refusal(out, MARKER, "a report"))


def _chart_files(figures: dict, package, charts: Path, base_url: str, version: str,
                 images: bool) -> tuple[list[dict], set[str]]:
    """Every chart's page and CSV downloads into `charts`, the pages linking PNG, SVG and PDF too with `images`
    (rendered by the caller); what the index lists about each, and the ids of every source the charts draw on."""
    from nkdigital import export
    from nkdigital.export.chart_file import write_frame_csv
    from nkdigital.export.chart_table import reader_rows, wide_rows
    from nkdigital.report.chart_page import embed_snippet, unescaped, write_page

    suffixes = (".png", ".svg", ".pdf", ".csv") if images else (".csv",)
    listed, used = [], set()
    for stem, fig in figures.items():
        drawn, table = export.chart_rows(fig, package), reader_rows(fig, package)  # once each per chart
        used.update(package.source_ids(drawn))
        downloads = {suffix: f"{stem}{suffix}" for suffix in suffixes}
        write_frame_csv(drawn, charts / downloads[".csv"])
        wide = wide_rows(table)
        if len(wide):
            downloads["-wide.csv"] = f"{stem}-wide.csv"
            write_frame_csv(wide, charts / downloads["-wide.csv"])
        meta = fig.layout.meta
        title = unescaped(meta.get("title", stem))
        embed = embed_snippet(f"{base_url}charts/{stem}.html", title, embed_height(fig),
                              urllib.parse.urlsplit(base_url)._replace(path="", query="", fragment="").geturl()
                              ) if base_url else None
        write_page(fig, package, charts / f"{stem}.html", downloads, embed, version, drawn, table)
        listed.append({"stem": stem, "title": title, "description": unescaped(meta.get("description", stem)),
                       "source_line": unescaped(meta.get("source_line", "")), "downloads": downloads,
                       "embed": embed})
    return listed, used


def _archive(package, folder: Path, paths: set[str]) -> None:
    """Copy the archived texts the chart pages link to (`paths`, relative to the archive) into `folder`."""
    from nkdigital.core.paths import default_archive

    archive = Path(package.archive) if package.archive else default_archive(package.path)
    for path in sorted(paths):
        source = archive / path
        if source.is_file():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, folder / path)


def build_site(out: str | os.PathLike, notebooks: str | os.PathLike | None = None, base_url: str = "",
               package=None, images: bool = True) -> Path:
    """Build the report into `out`, replaced whole and only once complete; returns its path.

    `notebooks`: the folder of numbered notebooks (default: the bundled ones), rendered as stored.
    `base_url`: the absolute URL the site will be served from, for the embed snippets (without it, chart pages
    and the index say how to get one instead of showing a snippet).
    `images`: also each chart as PNG, SVG and PDF (needs Chromium); without them pages offer the CSVs only.
    """
    from nkdigital import charts, export
    from nkdigital.api.package import load
    from nkdigital.charts.house import FONT
    from nkdigital.core.version import VERSION
    from nkdigital.export.formats import IMAGE_FORMATS
    from nkdigital.export.html import FIGURE_STYLE, VENDOR, plotly_js_path
    from nkdigital.report.render import environment

    out = Path(out).resolve()
    _check_target(out)
    if base_url and not urllib.parse.urlsplit(base_url).netloc:
        raise ValueError(f"--base-url must be an absolute URL such as https://example.org/report/, not {base_url!r}")
    base_url = base_url.rstrip("/") + "/" if base_url else ""
    package = package or load(validate=True)
    package.require_valid()  # a package passed in is checked too: pages quote it and copy its archived texts
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_folder(out, MARKER, "a report") as staging, ThreadPoolExecutor(max_workers=1) as browser:
        figures = charts.gallery(package)
        (staging / "charts").mkdir()
        # Chromium renders every image (one session) while this thread renders the pages: both cores at work
        rendering = browser.submit(export.write_images, figures, staging / "charts", IMAGE_FORMATS) if images else None
        html_exporter = exporter()
        paths = notebook_paths(notebooks)
        pages = [render(path, html_exporter, *around) for path, around in zip(paths, neighbours(paths), strict=True)]
        for page in pages:
            (staging / page.file).write_text(with_policy(page.html, page.scripts), encoding="utf-8")
        charts_listed, used = _chart_files(figures, package, staging / "charts", base_url, VERSION, images)
        copies = package.resource("source_copies")
        _archive(package, staging / "archive", set(copies.loc[copies["source_id"].isin(used), "archive_path"]))

        assets = staging / "assets"
        assets.mkdir()
        shutil.copyfile(plotly_js_path(*figures.values(), *(f for page in pages for f in page.figures)),
                        assets / "plotly.min.js")
        shutil.copyfile(VENDOR / "plotly.js-LICENSE", assets / "plotly.js-LICENSE")
        shutil.copyfile(TEMPLATES / "report.js", assets / "report.js")
        (assets / "report.css").write_text((TEMPLATES / "report.css").read_text(encoding="utf-8")
                                           + FIGURE_STYLE.format(font=FONT) + "\n", encoding="utf-8")
        for name, text in html_exporter.stylesheets.items():
            (assets / name).write_text(text, encoding="utf-8")

        index = environment().get_template("index.html.j2").render(pages=pages, charts=charts_listed, images=images,
                                                                   version=VERSION, no_embed=NO_BASE_URL)
        (staging / "index.html").write_text(with_policy(index, []), encoding="utf-8")
        if rendering:
            rendering.result()  # the images are in place (or their error is raised) before the site is
        _readable(staging)
    return out
