"""Atomic writes: build the result in a private temporary folder beside the target, then rename it into place.

A failed or killed write leaves the previous target untouched, and every helper file (SQLite journals, DuckDB
WAL files) stays inside the temporary folder, which is removed on any error. Folders the caller did not ask for
are never created, and a symlinked target is written through to the file it points at. A folder we write carries a
marker file listing everything in it; the next write replaces the folder only while it holds nothing else, so a
file a user adds to it (or a folder that merely looks like ours) is never deleted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
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


MARKER_LIMIT = 1 << 20  # bytes of a marker read at most: ours list a few hundred paths
# the whole text of a marker written before markers listed what they mark (the report's, up to nkdigital 0.1): it
# vouches for all of its folder, so a site built then is still replaced by the next build, as it was then
UNLISTED_MARKERS = frozenset({"built by nkdigital report; this folder is replaced by the next build\n"})


def listing(folder: Path) -> list[str]:
    """Every path under `folder` (files, folders, links; links not followed), relative, sorted."""
    found = []
    for root, folders, files in os.walk(folder):
        here = Path(root).relative_to(folder)
        found += [(here / name).as_posix() for name in folders + files]
    return sorted(found)


def mark(folder: Path, marker: str) -> None:
    """Write `marker` into `folder`: a note and the list of everything the folder holds."""
    note = "written by nkdigital; the next run replaces this folder only while it holds nothing but:\n"
    (folder / marker).write_text(note + "".join(f"{path}\n" for path in listing(folder)), encoding="utf-8")


def unlisted(folder: Path, marker: str) -> list[str] | None:
    """What `folder` holds that its `marker` does not list; None if it carries no (readable) marker of ours."""
    note = folder / marker
    if note.is_symlink() or not note.is_file() or note.stat().st_size > MARKER_LIMIT:
        return None
    text = note.read_text(encoding="utf-8", errors="replace")
    if text in UNLISTED_MARKERS:
        return []
    listed = set(text.splitlines()[1:]) | {marker}
    return [path for path in listing(folder) if path not in listed]


def refusal(target: Path, marker: str, what: str) -> str:
    """Why `target` is not replaced by a new `what` ("an export"): a non-empty folder we did not write, or one we
    wrote that holds more than we wrote."""
    extra = unlisted(target, marker) if target.is_dir() and not target.is_symlink() else None
    if extra:
        shown = ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else "")
        return (f"{target} is {what} built by nkdigital, but holds files it did not write ({shown}): move them, or"
                " choose a new folder")
    return f"{target} is neither empty nor {what} built by nkdigital (no {marker} file in it): choose a new folder"


def replaceable_folder(target: Path, marker: str) -> bool:
    """Whether `target` is missing, an empty folder, or a folder we wrote that holds nothing else (never a symlink
    or a file)."""
    return not target.is_symlink() and (not target.exists() or (target.is_dir() and (
        not any(target.iterdir()) or unlisted(target, marker) == [])))


@contextmanager
def atomic_folder(target: str | os.PathLike, marker: str, what: str = "an export") -> Iterator[Path]:
    """Yield an empty folder; on success it carries `marker` and takes the place of `target` (an earlier result
    is then removed).

    `target` must not exist yet, be empty, or be a folder an earlier run marked that holds nothing unlisted, so no
    other folder or file is ever replaced; it is checked again just before the swap.
    """
    target = Path(target)
    if not replaceable_folder(target, marker):
        raise FileExistsError(refusal(target, marker, what))
    with scratch_beside(target) as scratch:
        fresh, previous = scratch / "new", scratch / "previous"
        fresh.mkdir()
        yield fresh
        mark(fresh, marker)
        fresh.chmod(0o755)
        if not replaceable_folder(target, marker):  # something else took the name meanwhile
            raise FileExistsError(f"{target} changed while it was written and is no longer {what} built by"
                                  " nkdigital; nothing was replaced")
        if target.exists():
            os.replace(target, previous)  # both renames stay on one file system; the old copy goes with scratch
        os.replace(fresh, target)


def atomic_write_bytes(target: str | os.PathLike, data: bytes) -> None:
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
