"""Column-wise integrity checks on the typed frames: value limits, keys, foreign keys and recorded hashes.

These are the rules of the Table Schema our reader does not apply while reading (it checks types, `required`,
`enum` and `pattern`): `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength`,
`unique`, the primary key, foreign keys, and the resource's `hash` and `bytes`. Each rule is one vectorised pass
over a column; only the few rows that break a rule are looked at one by one, to word the problem with its file,
row and field. A cell the reader already refused is empty in the frame, so it is never reported twice.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
from collections.abc import Callable, Collection
from pathlib import Path

import numpy as np
import pandas as pd

from nkdigital.core.errors import Problem, shown

HASH_CHANGED = "file changed since its hash was recorded; check the edit, then run `nkdigital refresh`"

# a limit: how a value breaks it, and how the message words it (cell and limit as written in the file and schema)
_LIMITS: dict[str, tuple[Callable, str]] = {
    "minimum": (lambda values, limit: values < limit, "{cell} is below the minimum {limit}"),
    "maximum": (lambda values, limit: values > limit, "{cell} is above the maximum {limit}"),
    "exclusiveMinimum": (lambda values, limit: values <= limit, "{cell} is not above the exclusive minimum {limit}"),
    "exclusiveMaximum": (lambda values, limit: values >= limit, "{cell} is not below the exclusive maximum {limit}"),
}
_LENGTHS: dict[str, tuple[Callable, str]] = {
    "minLength": (lambda lengths, limit: lengths < limit, "{cell} is shorter than {limit} characters"),
    "maxLength": (lambda lengths, limit: lengths > limit, "{cell} is longer than {limit} characters"),
}


class RawCells:
    """The cells of one CSV file as written (read only when a message needs one that is not text in the frame)."""

    def __init__(self, file: Path) -> None:
        self.file = file

    @functools.cached_property
    def _records(self) -> list[list[str]]:
        text = self.file.read_text(encoding="utf-8-sig", errors="replace")
        return list(csv.reader(io.StringIO(text, newline="")))

    def cell(self, row: int, column: int) -> str:
        """The cell of `row` (header = 1) in `column` (from 0); empty if the file has no such cell."""
        records = self._records
        record = records[row - 1] if 0 < row <= len(records) else []
        return record[column] if column < len(record) else ""


def _text(frame: pd.DataFrame, raw: RawCells, fields: list[str], name: str, position: int) -> str:
    """How a message shows the cell of `name` at frame `position`: the frame's text, or the file's for a
    non-text column (a number or date as written, not as parsed)."""
    value = frame[name].iloc[position]
    if isinstance(value, str):
        return value
    return raw.cell(position + 2, fields.index(name))


def limit_problems(frame: pd.DataFrame, resource: dict, raw: RawCells) -> list[Problem]:
    """A problem for each cell beyond its field's `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`,
    `minLength` or `maxLength` (the first rule it breaks, in that order)."""
    label, fields = resource["path"], resource["schema"]["fields"]
    names = [f["name"] for f in fields]
    problems = []
    for field in fields:
        constraints = field.get("constraints", {})
        kind = field.get("type", "string")
        rules = _LENGTHS if kind == "string" else _LIMITS
        if not any(rule in constraints for rule in rules):
            continue
        column = frame[field["name"]]
        values = column.astype("string").str.len() if kind == "string" else column
        broken = np.zeros(len(column), dtype=bool)
        for rule, (breaks, message) in rules.items():
            if rule not in constraints:
                continue
            limit = np.datetime64(constraints[rule], "s") if kind == "date" else constraints[rule]
            hits = breaks(values, limit).fillna(False).to_numpy(dtype=bool) & ~broken
            for position in hits.nonzero()[0]:
                cell = shown(_text(frame, raw, names, field["name"], position))
                problems.append(Problem(label, int(position) + 2, field["name"],
                                        message.format(cell=cell, limit=constraints[rule])))
            broken |= hits
    return problems


def key_problems(frame: pd.DataFrame, resource: dict, raw: RawCells) -> list[Problem]:
    """A problem for each row repeating the primary key, or the value of a `unique` field, of a row above it
    (named as the nearest such row); rows whose key cells are all empty were refused by the reader already."""
    schema, label = resource["schema"], resource["path"]
    names = [f["name"] for f in schema["fields"]]
    keys = [list(schema["primaryKey"])] if schema.get("primaryKey") else []
    keys += [[f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    problems = []
    for key in keys:
        present = frame[key].notna().any(axis=1)
        repeated = (frame[key].duplicated(keep=False) & present).to_numpy().nonzero()[0]
        last: dict[tuple, int] = {}
        for position in repeated:
            cells = tuple(None if pd.isna(v) else v for v in frame[key].iloc[position])
            if cells in last:
                cell = shown(_text(frame, raw, names, key[0], position))
                problems.append(Problem(label, int(position) + 2, key[0],
                                        f"{cell} is also in row {last[cells]}; {key[0]} must be unique"))
            last[cells] = int(position) + 2
    return problems


def foreign_key_problems(frames: dict[str, pd.DataFrame], resource: dict, raw: RawCells,
                         refused: Collection[tuple], raws: dict[str, RawCells]) -> list[Problem]:
    """A problem for each row whose foreign key is not a key of the resource it refers to (when that resource
    could be read). `refused` locates the rows and cells (file, row, field) the reader refused: their keys still
    count as written in the file, so a broken row referred to is one problem, not one more for each reference."""
    frame, label = frames[resource["name"]], resource["path"]
    names = [f["name"] for f in resource["schema"]["fields"]]
    problems = []
    for foreign in resource["schema"].get("foreignKeys", []):
        fields, target = foreign["fields"], foreign["reference"]
        other = frames.get(target["resource"])
        if other is None:
            continue
        allowed = _referenced(other, target["fields"], refused, raws[target["resource"]])
        rows = frame[fields]
        present = rows.notna().any(axis=1).to_numpy()
        if len(fields) == 1:
            found = rows[fields[0]].isin([v[0] for v in allowed]).to_numpy()
        else:
            found = pd.Series([tuple(None if pd.isna(v) else v for v in row) in allowed
                               for row in rows.itertuples(index=False)], dtype=bool).to_numpy()
        for position in (present & ~found).nonzero()[0]:
            value = shown(_text(frame, raw, names, fields[0], position))
            problems.append(Problem(label, int(position) + 2, fields[0],
                                    f"{fields[0]} {value} is not in {target['resource']}"))
    return problems


def _referenced(frame: pd.DataFrame, fields: list[str], refused: Collection[tuple], raw: RawCells) -> set[tuple]:
    """The keys `frame` holds in `fields` (rows with all of them empty aside), with the keys as written in a row
    the reader refused, or whose key cell it refused: such a row stays a row, and its one problem is reported."""
    label = frame.attrs.get("path")
    columns = [frame[f].astype(object).where(frame[f].notna(), None) for f in fields]
    keys = {cells for cells in zip(*columns, strict=True) if any(c is not None for c in cells)}
    names = list(frame.columns)
    for file, row, field in refused:
        if file == label and row and row > 1 and (field is None or field in fields):
            keys.add(tuple(raw.cell(row, names.index(f)) for f in fields))
    return keys


def seal(raw: bytes, resource: dict) -> tuple[int, str | None]:
    """The size of a resource file's bytes `raw` and their hex digest by the algorithm of its recorded `hash`
    (None when it records none)."""
    algorithm, _, recorded = str(resource.get("hash", "")).partition(":")
    return len(raw), hashlib.new(algorithm, raw).hexdigest() if recorded else None


def hash_problem(sealed: tuple[int, str | None], resource: dict) -> Problem | None:
    """HASH_CHANGED when a file's size and digest (see :func:`seal`) no longer match the resource's recorded
    `bytes` or `hash`."""
    size, digest = sealed
    if ("bytes" in resource and resource["bytes"] != size) or (
            digest is not None and digest != resource["hash"].partition(":")[2]):
        return Problem(resource["path"], None, None, HASH_CHANGED)
    return None
