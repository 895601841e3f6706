"""Charts as PNG and SVG through kaleido and the system Chromium, and the whole gallery in one call."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from nkdigital.export.common import guard, steps
from nkdigital.export.html import write_chart_html
from nkdigital.load import Package

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str:
    """Path of a Chrome/Chromium for kaleido, or a RuntimeError saying how to install one."""
    found = os.environ.get("BROWSER_PATH") or next(filter(None, map(shutil.which, BROWSERS)), None)
    if not found:
        raise RuntimeError("PNG and SVG export need Chromium or Chrome; install it (Debian: apt-get install"
                           " chromium) or set BROWSER_PATH to the browser")
    return found


@contextmanager
def _browser_quiet() -> Iterator[None]:
    """Keep the headless browser's own log lines (it writes to the inherited stderr) out of the caller's output.

    Anything written while kaleido runs is shown only if the export fails.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured, contextlib.redirect_stderr(io.StringIO()) as python_level:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            captured.seek(0)
            sys.__stderr__.write(python_level.getvalue() + captured.read().decode("utf-8", "replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


IMAGE_FORMATS = ("png", "svg")


def write_images(figures: dict, folder: str | os.PathLike, formats: str | Sequence[str] = "png") -> list[Path]:
    """Render figures to PNG (scale 2) and/or SVG with kaleido, every file in one browser session."""
    import plotly.io as pio

    formats = [formats] if isinstance(formats, str) else list(formats)
    unknown = [f for f in formats if f not in IMAGE_FORMATS]
    if unknown:
        raise ValueError(f"unknown image format {unknown[0]!r}; choose png or svg")
    find_browser()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(stem, fig, fmt) for fmt in formats for stem, fig in figures.items()]
    targets = [folder / f"{stem}.{fmt}" for stem, _, fmt in jobs]
    temporaries = [folder / f".{stem}.tmp.{fmt}" for stem, _, fmt in jobs]
    try:
        figs = [fig for _, fig, _ in jobs]  # batch writing ignores each figure's own size unless given
        with _browser_quiet():
            pio.write_images(figs, temporaries, format=[fmt for *_, fmt in jobs],
                             scale=[2 if fmt == "png" else 1 for *_, fmt in jobs],
                             width=[f.layout.width for f in figs], height=[f.layout.height for f in figs])
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
    return targets


def write_charts(package: Package, out: str | os.PathLike, formats: Iterable[str] = ("html",),
                 progress: bool = False) -> list[Path]:
    """Write every house chart as HTML (self-contained), PNG and/or SVG into the folder `out`."""
    from nkdigital import charts

    out = Path(out)
    guard(out, package)
    out.mkdir(exist_ok=True)  # the folder asked for; never its parents
    formats = list(formats)
    unknown = [f for f in formats if f != "html" and f not in IMAGE_FORMATS]
    if unknown:
        raise ValueError(f"unknown chart format {unknown[0]!r}; choose html, png or svg")
    figures = charts.gallery(package)
    images = [f for f in formats if f in IMAGE_FORMATS]
    jobs = (["html"] if "html" in formats else []) + ([images] if images else [])
    paths = []
    for step in steps(jobs, progress, "charts"):
        if step == "html":
            paths += [write_chart_html(fig, out / f"{stem}.html") for stem, fig in figures.items()]
        else:
            paths += write_images(figures, out, step)
    return paths
