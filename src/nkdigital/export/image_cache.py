"""Rendered images kept per content: a figure drawn before, at the same format and size, is copied, not drawn again.

The key is the SHA-256 of the figure's JSON, the render options and the versions of plotly and kaleido; the files
live in `$XDG_CACHE_HOME/nkdigital/images/`. A cache that cannot be read or written is only skipped.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from importlib.metadata import version
from pathlib import Path

from nkdigital.core.atomic import atomic_path
from nkdigital.core.paths import cache_dir

FOLDER = "images"


def key_of(spec: dict) -> str:
    """The key of one kaleido spec (`fig` and `opts`)."""
    from plotly.utils import PlotlyJSONEncoder

    text = json.dumps([spec["fig"], spec["opts"], version("plotly"), version("kaleido")], cls=PlotlyJSONEncoder,
                      sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cached(key: str, fmt: str) -> Path:
    return cache_dir() / FOLDER / f"{key}.{fmt}"


def fetch(key: str, fmt: str, path: Path) -> bool:
    """Copy the image kept for `key` to `path`; False when there is none (or it is not a regular file)."""
    cached = _cached(key, fmt)
    try:
        if cached.is_symlink() or not cached.is_file():
            return False
        shutil.copyfile(cached, path)
    except OSError:
        return False
    return True


def keep(key: str, fmt: str, path: Path) -> None:
    """Keep the image just rendered at `path` for `key`."""
    cached = _cached(key, fmt)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with atomic_path(cached) as temporary:
            shutil.copyfile(path, temporary)
    except OSError:
        pass
