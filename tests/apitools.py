"""Editing a scratch copy of the package for API tests: replace rows, drop columns, add resources."""

from __future__ import annotations

import csv
import json
from pathlib import Path


def _descriptor(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows([{key: row.get(key, "") for key in header} for row in rows])


def read_rows(descriptor: Path, name: str) -> list[dict]:
    with (descriptor.parent / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def set_rows(descriptor: Path, name: str, rows: list[dict]) -> None:
    """Replace the rows of resource `name`; cells a row does not give stay empty."""
    resource = next(r for r in _descriptor(descriptor)["resources"] if r["name"] == name)
    _write(descriptor.parent / resource["path"], [f["name"] for f in resource["schema"]["fields"]], rows)
