"""Where the bundled data package and its source archive live."""

from __future__ import annotations

import os
from pathlib import Path

_HERE = Path(__file__).resolve().parents[1]  # the nkdigital package folder
ARCHIVE_ENV = "NKDIGITAL_ARCHIVE"
ARCHIVE_DIR = "archive"


def bundled_descriptor() -> Path:
    """Path of the `datapackage.json` shipped in the wheel, or of the checkout's `datapackage/`."""
    for candidate in (_HERE / "datapackage", _HERE.parents[1] / "datapackage"):
        if (candidate / "datapackage.json").is_file():
            return candidate / "datapackage.json"
    raise FileNotFoundError("no bundled datapackage/datapackage.json found beside the nkdigital package")


def resolve_descriptor(path: str | os.PathLike | None) -> Path:
    """The descriptor for a user path (a `datapackage.json` or its folder), or the bundled one."""
    if path is None:
        return bundled_descriptor()
    path = Path(path)
    return path / "datapackage.json" if path.is_dir() else path


def default_archive(descriptor: Path | None = None) -> Path:
    """The archive quotes are checked against: $NKDIGITAL_ARCHIVE, else `archive/` inside the package folder (a
    CSV export), else `archive/` beside it.

    The checkout keeps `archive/` next to `datapackage/`; the wheel ships both inside `nkdigital/`.
    """
    if os.environ.get(ARCHIVE_ENV):
        return Path(os.environ[ARCHIVE_ENV])
    folder = (descriptor if descriptor is not None else bundled_descriptor()).resolve().parent
    inside = folder / ARCHIVE_DIR
    return inside if inside.is_dir() else folder.parent / ARCHIVE_DIR



def cache_dir() -> Path:
    """Our cache folder: $XDG_CACHE_HOME/nkdigital, else ~/.cache/nkdigital."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nkdigital"


def bundled_notebooks() -> Path:
    """The narrative notebooks: `notebooks/` shipped in the wheel, or the checkout's."""
    for candidate in (_HERE / "notebooks", _HERE.parents[1] / "notebooks"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("no notebooks/ folder found beside the nkdigital package")
