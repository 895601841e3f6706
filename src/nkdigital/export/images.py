"""Charts as PNG, SVG and PDF through kaleido and the system Chromium, and the whole gallery in one call."""

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

from nkdigital.api.package import Package
from nkdigital.core.atomic import atomic_path, scratch_beside
from nkdigital.export import image_cache
from nkdigital.export.common import counter, guard
from nkdigital.export.formats import CHART_FORMATS, IMAGE_FORMATS, unknown
from nkdigital.export.html import write_chart_html
from nkdigital.export.settle import settle

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str:
    """Path of a Chrome/Chromium for kaleido, or a RuntimeError saying how to install one."""
    found = os.environ.get("BROWSER_PATH") or next(filter(None, map(shutil.which, BROWSERS)), None)
    if not found:
        raise RuntimeError("PNG, SVG and PDF export need Chromium or Chrome; install it (Debian: apt-get install"
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


def write_image(fig, out: str | os.PathLike, width: int | None = None, height: int | None = None) -> Path:
    """Render one figure to `out` (.png at scale 2, .svg or .pdf) at its export size or the size given."""
    from nkdigital.charts.house import image_size

    out = Path(out)
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in IMAGE_FORMATS:
        raise unknown("image", fmt, IMAGE_FORMATS)
    size = image_size(fig, width, height)  # a size out of bounds is refused before anything starts
    if width:  # texts wrap to the width asked for
        from nkdigital.charts.resize import resized

        fig = resized(fig, size[0], int(height) if height else None)
        size = image_size(fig, width, height)
    find_browser()
    if not out.parent.is_dir():
        raise FileNotFoundError(f"no folder {out.parent} to write {out.name} into")
    with atomic_path(out) as temporary:
        _render([(fig, temporary, fmt, size)])
    return out


def _render(jobs: list[tuple]) -> None:
    """Render each (figure, path, format, (width, height)) with kaleido's batch API: one Chromium session for all
    images not kept from an earlier run (`image_cache`), PNG at scale 2, SVG and PDF settled to the same bytes on
    every run. MathJax is off: kaleido would otherwise load it from a CDN (no network at run time), and no house
    chart sets LaTeX. The first failed image raises."""
    specs = [{"fig": _numbered_traces(fig.to_dict()), "path": path,
              "opts": {"format": fmt, "scale": 2 if fmt == "png" else 1, "width": size[0], "height": size[1]}}
             for fig, path, fmt, size in jobs]
    keys = [image_cache.key_of(spec) for spec in specs]
    todo = [(spec, key) for spec, key in zip(specs, keys, strict=True)
            if not image_cache.fetch(key, spec["opts"]["format"], Path(spec["path"]))]
    if not todo:
        return
    import kaleido

    with _browser_quiet():
        kaleido.write_fig_from_object_sync([spec for spec, _ in todo], kopts={"mathjax": False}, cancel_on_error=True)
    for spec, key in todo:
        settle(Path(spec["path"]), spec["opts"]["format"])
        image_cache.keep_image(key, spec["opts"]["format"], Path(spec["path"]))


def _numbered_traces(spec: dict) -> dict:
    """Traces without a `uid` get their position as one (plotly.js would draw a random one into the SVG)."""
    for number, trace in enumerate(spec.get("data", [])):
        trace.setdefault("uid", f"trace-{number}")
    return spec


def write_images(figures: dict, folder: str | os.PathLike, formats: str | Sequence[str] = "png") -> list[Path]:
    """Render figures to PNG (scale 2), SVG and/or PDF with kaleido, every file in one browser session."""
    from nkdigital.charts.house import image_size

    formats = [formats] if isinstance(formats, str) else list(formats)
    wrong = [f for f in formats if f not in IMAGE_FORMATS]
    if wrong:
        raise unknown("image", wrong[0], IMAGE_FORMATS)
    find_browser()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(stem, fig, fmt) for fmt in formats for stem, fig in figures.items()]
    targets = [folder / f"{stem}.{fmt}" for stem, _, fmt in jobs]
    for target in targets:  # only regular files are replaced, never a FIFO, device, socket or folder
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise FileExistsError(f"cannot write {target}: it is not a regular file; remove it or choose another"
                                  " folder")
    # rendered into a fresh private folder, so no name a stranger placed (a symlink) is ever written through
    with scratch_beside(folder / ".images") as scratch:
        temporaries = [scratch / target.name for target in targets]
        _render([(fig, temporary, fmt, image_size(fig))  # each figure at its own export size
                 for (_, fig, fmt), temporary in zip(jobs, temporaries, strict=True)])
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    return targets


def write_charts(package: Package, out: str | os.PathLike, formats: Iterable[str] = ("html",),
                 progress: bool = False) -> list[Path]:
    """Write every house chart as HTML (self-contained), PNG, SVG and/or PDF into the folder `out`."""
    from nkdigital import charts

    out = Path(out)
    guard(out, package)
    out.mkdir(exist_ok=True)  # the folder asked for; never its parents
    formats = list(formats)
    wrong = [f for f in formats if f not in CHART_FORMATS]
    if wrong:
        raise unknown("chart", wrong[0], CHART_FORMATS)
    figures = charts.gallery(package)
    images = [f for f in formats if f in IMAGE_FORMATS]
    paths = []
    with counter(len(figures) * len(set(formats)), progress, "charts") as bar:
        if "html" in formats:
            for stem, fig in figures.items():
                paths.append(write_chart_html(fig, out / f"{stem}.html"))
                bar.update(1)
        if images:  # one browser session for every image
            paths += write_images(figures, out, images)
            bar.update(len(figures) * len(images))
    return paths
