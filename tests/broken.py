"""Helpers that break a scratch copy of the data package in one precise way.

Rows are addressed as problems report them: header = 1, first data row = 2. Every helper works on a copy
(the `package_copy` fixture or `copy_package`): never point them at the real `datapackage/`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from .conftest import PACKAGE_DIR

Record = dict[str, str]


def copy_package(target: Path) -> Path:
    """A fresh copy of the real package at `target`; returns its datapackage.json."""
    shutil.copytree(PACKAGE_DIR, target)
    return target / "datapackage.json"


def descriptor(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write_descriptor(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def edit_descriptor(path: Path, change: Callable[[dict], object]) -> None:
    data = descriptor(path)
    change(data)
    write_descriptor(path, data)


def resource(path: Path, name: str) -> dict:
    return next(r for r in descriptor(path)["resources"] if r["name"] == name)


def csv_file(path: Path, name: str) -> Path:
    return path.parent / resource(path, name)["path"]


def label(path: Path, name: str) -> str:
    """The file name problems use for a resource, e.g. 'data/events.csv'."""
    return resource(path, name)["path"]


def read_rows(path: Path, name: str) -> list[list[str]]:
    """Header and rows of one resource."""
    return list(csv.reader(io.StringIO(csv_file(path, name).read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, name: str, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    csv_file(path, name).write_bytes(out.getvalue().encode("utf-8"))


def records(path: Path, name: str) -> list[Record]:
    """Rows as dicts, each with its row number under the key '#'."""
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
        if file.is_file():
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


def pick(path: Path, name: str, where: Callable[[Record], bool] = lambda row: True) -> Record:
    """The first row of `name` matching `where` that no derived row computes from and that is not derived itself,
    so editing it can break nothing but the row itself."""
    inputs = input_ids(path)
    for row in records(path, name):
        row_id = list(row.values())[1]  # the first column, after the row number
        if row_id not in inputs and row.get("claim_type") != "derived" and where(row):
            return row
    raise LookupError(f"no row of {name} fits this case; the data changed, so adapt the corpus")


# hostile copies: markup that the text rules let through (entities, quotes, Markdown links) in every free text

HOSTILE_TEXTS = ("&lt;img src=x onerror=alert(1)&gt;", '" onmouseover="alert(2)" x="',
                 "[click](javascript:alert(3))", "&#60;svg onload=alert(4)&#62;", "' onfocus='alert(5)' autofocus='")
# free text that no check reads figures, dates or names from
# outlets and titles are checked against INDEX.csv and the archived headers, so hostile text there is refused
HOSTILE_FIELDS = {"events": ["title", "description"], "sources": ["strength_reason", "note"],
                  "observations": ["note"], "access_tiers": ["group_name"], "indicators": ["title"],
                  "rights_framework": ["relevance"]}


def hostile_copy(target: Path) -> Path:
    """A copy of the package (at `target`, its archive beside it) whose free texts carry markup and script that
    the text rules cannot see as such; it validates. Returns its datapackage.json."""
    from .conftest import ROOT

    path = copy_package(target)
    shutil.copytree(ROOT / "archive", target.parent / "archive")
    for name, fields in HOSTILE_FIELDS.items():
        rows = read_rows(path, name)
        for number, row in enumerate(rows[1:]):
            for field in fields:
                cell = rows[0].index(field)
                if row[cell] and row[cell] != "unknown":  # "unknown" outlet is a value the rules read
                    row[cell] = f"{row[cell]} {HOSTILE_TEXTS[number % len(HOSTILE_TEXTS)]}"
        write_rows(path, name, rows)
    rehash(path)
    return path
