"""Rendered images kept per content: a figure drawn before, at the same format and size, is copied, not drawn again.

The key is the SHA-256 of the figure's JSON, the render options and the versions of plotly and kaleido; the files
live in `$XDG_CACHE_HOME/nkdigital/images/`. A cache that cannot be read or written is only skipped.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib.metadata import version
from pathlib import Path

from nkdigital.core.kept import keep, read_kept

FOLDER = "images"


def key_of(spec: dict) -> str:
    """The key of one kaleido spec (`fig` and `opts`)."""
    from plotly.utils import PlotlyJSONEncoder

    text = json.dumps([spec["fig"], spec["opts"], *_versions()], cls=PlotlyJSONEncoder, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def _versions() -> tuple[str, str]:
    """The versions of plotly and kaleido, looked up once (importlib.metadata scans the installed packages)."""
    return version("plotly"), version("kaleido")


def fetch(key: str, fmt: str, path: Path) -> bool:
    """Copy the image kept for `key` to `path`; False when there is none."""
    data = read_kept(FOLDER, f"{key}.{fmt}")
    if data is None:
        return False
    path.write_bytes(data)
    return True


def keep_image(key: str, fmt: str, path: Path) -> None:
    """Keep the image just rendered at `path` for `key`."""
    keep(FOLDER, f"{key}.{fmt}", path.read_bytes())
