"""Atomic writes: build the result in a private temporary folder beside the target, then rename it into place.

A failed or killed write leaves the previous target untouched, and every helper file (SQLite journals, DuckDB
WAL files) stays inside the temporary folder, which is removed on any error. Folders the caller did not ask for
are never created, and a symlinked target is written through to the file it points at.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def _existing_parent(target: Path) -> Path:
    if not target.parent.is_dir():
        raise FileNotFoundError(f"cannot write {target}: folder {target.parent} does not exist")
    return target.parent


@contextmanager
def scratch_beside(target: Path) -> Iterator[Path]:
    """A fresh private folder beside `target` (a name nobody else holds), removed with all it holds on exit."""
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=_existing_parent(target)))
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a path for a new file; on success it replaces `target` (or the file a symlink `target` points at).

    Only a regular file is ever replaced: a folder, FIFO, device or socket named as `target` is refused."""
    target = Path(target)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.exists() and not target.is_file():
        kind = "a folder" if target.is_dir() else "a FIFO, device or socket"
        raise FileExistsError(f"cannot write {target}: it is {kind}, not a regular file; name a new file")
    with scratch_beside(target) as scratch:
        temporary = scratch / target.name
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)


def _is_data_package(folder: Path) -> bool:
    return (folder / "datapackage.json").is_file()


def replaceable_folder(target: Path, earlier: Callable[[Path], bool] = _is_data_package) -> bool:
    """Whether `target` is missing, an empty folder, or a folder `earlier` recognises as an earlier result (never
    a symlink or a file)."""
    return not target.is_symlink() and (not target.exists() or (target.is_dir() and (earlier(target)
                                                                                   or not any(target.iterdir()))))


@contextmanager
def atomic_folder(target: str | os.PathLike, earlier: Callable[[Path], bool] = _is_data_package) -> Iterator[Path]:
    """Yield an empty folder; on success it takes the place of `target` (an earlier result is then removed).

    `target` must not exist yet, be empty, or be a folder `earlier` recognises as an earlier export, so no other
    folder is ever replaced; it is checked again just before the swap.
    """
    target = Path(target)
    if not replaceable_folder(target, earlier):
        raise FileExistsError(f"{target} exists and is not an earlier export; choose a new folder")
    with scratch_beside(target) as scratch:
        fresh, previous = scratch / "new", scratch / "previous"
        fresh.mkdir()
        yield fresh
        fresh.chmod(0o755)
        if not replaceable_folder(target, earlier):  # something else took the name meanwhile
            raise FileExistsError(f"{target} changed while it was written and is no earlier export; nothing was"
                                  " replaced")
        if target.exists():
            os.replace(target, previous)  # both renames stay on one file system; the old copy goes with scratch
        os.replace(fresh, target)


def atomic_write_bytes(target: str | os.PathLike, data: bytes) -> None:
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
