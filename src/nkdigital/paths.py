"""Where the bundled data package and the source archive live."""

from __future__ import annotations

import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ARCHIVE_ENV = "NKDIGITAL_ARCHIVE"


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


def default_archive(descriptor: Path | None = None) -> Path | None:
    """The source archive: $NKDIGITAL_ARCHIVE, else `../shared/sources` beside the checkout, else None."""
    if os.environ.get(ARCHIVE_ENV):
        return Path(os.environ[ARCHIVE_ENV])
    roots = [Path.cwd()]
    if descriptor is not None:
        roots.insert(0, descriptor.resolve().parent.parent)
    for root in roots:
        candidate = root.parent / "shared" / "sources"
        if (candidate / "INDEX.csv").is_file():
            return candidate
    return None
