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


def drop_columns(descriptor: Path, name: str, columns: list[str]) -> None:
    """Remove `columns` from resource `name` (schema and file)."""
    package = _descriptor(descriptor)
    resource = next(r for r in package["resources"] if r["name"] == name)
    rows = read_rows(descriptor, name)
    resource["schema"]["fields"] = [f for f in resource["schema"]["fields"] if f["name"] not in columns]
    resource["schema"].pop("foreignKeys", None)
    descriptor.write_text(json.dumps(package, indent=2), encoding="utf-8")
    set_rows(descriptor, name, rows)


def add_resource(descriptor: Path, name: str, fields: list[str], rows: list[dict]) -> None:
    """Add a resource of text fields keyed by its first field."""
    package = _descriptor(descriptor)
    package["resources"].append({
        "name": name, "path": f"data/{name}.csv", "format": "csv", "encoding": "utf-8",
        "schema": {"fields": [{"name": f, "type": "string"} for f in fields], "missingValues": [""],
                   "primaryKey": [fields[0]]},
    })
    descriptor.write_text(json.dumps(package, indent=2), encoding="utf-8")
    _write(descriptor.parent / "data" / f"{name}.csv", fields, rows)
