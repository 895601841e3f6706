"""Files kept between runs in our cache folder (`core.paths.cache_dir`), one folder per kind: validation verdicts,
rendered images, citation entries. A cache that cannot be read or written is only skipped, never an error."""

from __future__ import annotations

import contextlib
from pathlib import Path

from nkdigital.core.atomic import atomic_write_bytes
from nkdigital.core.paths import cache_dir


def kept_file(folder: str, name: str) -> Path:
    """Where `name` of the kind `folder` is kept."""
    return cache_dir() / folder / name


def keep(folder: str, name: str, data: bytes) -> None:
    """Keep `data` as `name` (written beside and renamed into place; the folder private to this user)."""
    target = kept_file(folder, name)
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_bytes(target, data)


def is_kept(folder: str, name: str) -> bool:
    """Whether `name` is kept: a regular file, not a link to one (a mark whose presence is the whole verdict)."""
    path = kept_file(folder, name)
    return not path.is_symlink() and path.is_file()


def read_kept(folder: str, name: str) -> bytes | None:
    """The bytes kept as `name`, or None when there are none (or they are not a regular file)."""
    try:
        return kept_file(folder, name).read_bytes() if is_kept(folder, name) else None
    except OSError:
        return None
