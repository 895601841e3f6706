"""Helpers that break a scratch copy of the data package in one precise way.

Rows are addressed by line number (header = 1), as problems report them. Every helper works on a copy:
never point them at the real `datapackage/`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path


def descriptor(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write_descriptor(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def resource(path: Path, name: str) -> dict:
    return next(r for r in descriptor(path)["resources"] if r["name"] == name)


def csv_file(path: Path, name: str) -> Path:
    return path.parent / resource(path, name)["path"]


def read_rows(path: Path, name: str) -> list[list[str]]:
    """Header and rows of one resource."""
    return list(csv.reader(io.StringIO(csv_file(path, name).read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, name: str, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    csv_file(path, name).write_bytes(out.getvalue().encode("utf-8"))


def records(path: Path, name: str) -> list[dict[str, str]]:
    """Rows as dicts with their line number under the key '#'."""
    header, *rows = read_rows(path, name)
    return [{"#": number, **dict(zip(header, row, strict=True))} for number, row in enumerate(rows, start=2)]


def set_cell(path: Path, name: str, row: int, field: str, value: str) -> None:
    rows = read_rows(path, name)
    rows[row - 1][rows[0].index(field)] = value
    write_rows(path, name, rows)


def rehash(path: Path) -> None:
    """Record every resource's current hash and size, as `nkdigital refresh` would, but without validating."""
    data = descriptor(path)
    for entry in data["resources"]:
        file = path.parent / entry["path"]
        if file.is_file() and ".." not in file.parts:
            content = file.read_bytes()
            entry["hash"], entry["bytes"] = "sha256:" + hashlib.sha256(content).hexdigest(), len(content)
    write_descriptor(path, data)


def input_ids(path: Path) -> set[str]:
    """Ids of every row some derived row computes from."""
    ids = set()
    for entry in descriptor(path)["resources"]:
        for row in records(path, entry["name"]):
            ids.update((row.get("input_ids") or "").split())
    return ids


def source_use(path: Path) -> dict[str, int]:
    """How many rows cite each source."""
    counts: dict[str, int] = {}
    for entry in descriptor(path)["resources"]:
        if entry["name"] != "sources":
            for row in records(path, entry["name"]):
                counts[row["source_id"]] = counts.get(row["source_id"], 0) + 1
    return counts
