"""Column-wise integrity checks on the typed tables (see `checking.columns`): value limits, keys, foreign keys and
recorded hashes.

These are the rules of the Table Schema our reader does not apply while reading (it checks types, `required`,
`enum` and `pattern`): `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength`,
`unique`, the primary key, foreign keys, and the resource's `hash` and `bytes`. Each rule is one vectorised pass
over a column; only the few rows that break a rule are looked at one by one, to word the problem with its file,
row and field. A cell the reader already refused is null in the table, so it is never reported twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Collection
from pathlib import Path

import numpy as np

from nkdigital.checking import columns
from nkdigital.core import arrow
from nkdigital.core.errors import Problem, shown

HASH_CHANGED = "file changed since its hash was recorded; check the edit, then run `nkdigital refresh`"

# a limit: the pyarrow.compute comparison a value breaking it passes, and how the message words it (cell and limit
# as written in the file and schema)
_LIMITS: dict[str, tuple[str, str]] = {
    "minimum": ("less", "{cell} is below the minimum {limit}"),
    "maximum": ("greater", "{cell} is above the maximum {limit}"),
    "exclusiveMinimum": ("less_equal", "{cell} is not above the exclusive minimum {limit}"),
    "exclusiveMaximum": ("greater_equal", "{cell} is not below the exclusive maximum {limit}"),
}
_LENGTHS: dict[str, tuple[str, str]] = {
    "minLength": ("less", "{cell} is shorter than {limit} characters"),
    "maxLength": ("greater", "{cell} is longer than {limit} characters"),
}


class RawCells:
    """The cells of one CSV file as written (read only when a message needs one that is not text in the table)."""

    def __init__(self, file: Path) -> None:
        self.file = file

    @functools.cached_property
    def _records(self) -> list[list[str]]:
        text = self.file.read_text(encoding="utf-8-sig", errors="replace")
        return list(csv.reader(io.StringIO(text, newline="")))

    def cell(self, row: int, name: str) -> str:
        """The cell of `row` (header = 1) in the column headed `name`; empty if the file has no such cell."""
        records = self._records
        header = records[0] if records else []
        record = records[row - 1] if 0 < row <= len(records) else []
        column = header.index(name) if name in header else len(record)
        return record[column] if column < len(record) else ""


def _text(table, raw: RawCells, name: str, position: int) -> str:
    """How a message shows the cell of `name` at `position`: the table's text (an enum's value too), or the
    file's for a non-text column (a number or date as written, not as parsed)."""
    value = table[name][int(position)].as_py()
    if isinstance(value, str):
        return value
    return raw.cell(columns.row(position), name)


def _compared(table, field: dict):
    """What a field's limits compare: a text's length in characters, else the values themselves."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = table[field["name"]]
    if field.get("type", "string") != "string":
        return cells
    return pc.utf8_length(cells.cast(pa.large_string()) if pa.types.is_dictionary(cells.type) else cells)


def _limit(field: dict, limit):
    """A limit as the Arrow scalar its column is compared with (a date's limit is written YYYY-MM-DD)."""
    import pyarrow as pa

    if field.get("type", "string") == "date":
        return arrow.scalar(dt.date.fromisoformat(limit), pa.date32())
    return arrow.scalar(limit, pa.float64() if isinstance(limit, float) else pa.int64())


def limit_problems(table, resource: dict, raw: RawCells) -> list[Problem]:
    """A problem for each cell beyond its field's `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`,
    `minLength` or `maxLength` (the first rule it breaks, in that order)."""
    import pyarrow.compute as pc

    label = resource["path"]
    problems = []
    for field in resource["schema"]["fields"]:
        constraints = field.get("constraints", {})
        rules = _LENGTHS if field.get("type", "string") == "string" else _LIMITS
        if not any(rule in constraints for rule in rules):
            continue
        values = _compared(table, field)
        broken = np.zeros(len(values), dtype=bool)
        for rule, (breaks, message) in rules.items():
            if rule not in constraints:
                continue
            hits = arrow.stored(getattr(pc, breaks)(values, _limit(field, constraints[rule])), bool, False) & ~broken
            for position in hits.nonzero()[0]:
                cell = shown(_text(table, raw, field["name"], position))
                problems.append(Problem(label, columns.row(position), field["name"],
                                        message.format(cell=cell, limit=constraints[rule])))
            broken |= hits
    return problems


def _repeats(table, names: list[str]) -> list[tuple[int, int]]:
    """(position, position of the nearest row above with the same key) for each row repeating the key in `names`
    (a missing cell equals a missing cell; a row with every cell of the key missing repeats nothing), by position.
    Found by one stable sort of the key: equal keys end up side by side, each run in the order of the rows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = pa.table({n: table[n].cast(pa.large_string()) if pa.types.is_dictionary(table[n].type) else table[n]
                     for n in names})
    count = keys.num_rows
    if count < 2:
        return []
    order = pc.sort_indices(keys, sort_keys=[(n, "ascending") for n in names])
    same, present = np.ones(count - 1, dtype=bool), np.zeros(count, dtype=bool)
    for name in names:
        cells = keys[name].take(order)
        valid = arrow.valid(cells)
        equal = arrow.stored(pc.equal(cells.slice(1), cells.slice(0, count - 1)), bool, False)
        same &= equal | (~valid[1:] & ~valid[:-1])
        present |= valid
    positions = arrow.stored(order, np.int64, -1)
    at = np.flatnonzero(same & present[1:])
    return sorted(zip(positions[at + 1].tolist(), positions[at].tolist(), strict=True))


def key_problems(table, resource: dict, raw: RawCells) -> list[Problem]:
    """A problem for each row repeating the primary key, or the value of a `unique` field, of a row above it
    (named as the nearest such row); rows whose key cells are all empty were refused by the reader already."""
    schema, label = resource["schema"], resource["path"]
    keys = [list(schema["primaryKey"])] if schema.get("primaryKey") else []
    keys += [[f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    problems = []
    for key in keys:
        for position, above in _repeats(table, key):
            cell = shown(_text(table, raw, key[0], position))
            problems.append(Problem(label, columns.row(position), key[0],
                                    f"{cell} is also in row {columns.row(above)}; {key[0]} must be unique"))
    return problems


def _values(table, name: str) -> np.ndarray:
    """A column's cells as an object array of Python values (an enum's as its text), missing as None."""
    import pyarrow as pa

    cells = table[name]
    if pa.types.is_dictionary(cells.type) or pa.types.is_large_string(cells.type):
        return columns.texts(table, name)
    return np.array(cells.to_pylist(), dtype=object)


def foreign_key_problems(tables: dict, resource: dict, raw: RawCells, refused: Collection[tuple],
                         raws: dict[str, RawCells]) -> list[Problem]:
    """A problem for each row whose foreign key is not a key of the resource it refers to (when that resource
    could be read). `refused` locates the rows and cells (file, row, field) the reader refused: their keys still
    count as written in the file, so a broken row referred to is one problem, not one more for each reference."""
    table, label = tables[resource["name"]], resource["path"]
    problems = []
    for foreign in resource["schema"].get("foreignKeys", []):
        fields, target = foreign["fields"], foreign["reference"]
        other = tables.get(target["resource"])
        if other is None:
            continue
        allowed = _referenced(other, target, refused, raws[target["resource"]])
        present = np.logical_or.reduce([arrow.valid(table[f]) for f in fields])
        for position in (present & ~_found(table, fields, allowed)).nonzero()[0]:
            value = shown(_text(table, raw, fields[0], position))
            problems.append(Problem(label, columns.row(position), fields[0],
                                    f"{fields[0]} {value} is not in {target['resource']}"))
    return problems


def _found(table, fields: list[str], allowed: set[tuple]) -> np.ndarray:
    """Per row: its cells in `fields` are one of the `allowed` keys (a text key in one pass over the column)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = table[fields[0]]
    texts = [key[0] for key in allowed if isinstance(key[0], str)]
    if len(fields) == 1 and (pa.types.is_dictionary(cells.type) or pa.types.is_large_string(cells.type)):
        found = pc.is_in(cells.cast(pa.large_string()), value_set=arrow.array(texts, pa.large_string()))
        return arrow.stored(found, bool, False)
    rows = zip(*(_values(table, f) for f in fields), strict=True)
    return np.fromiter((cells in allowed for cells in rows), dtype=bool, count=table.num_rows)


def _referenced(table, target: dict, refused: Collection[tuple], raw: RawCells) -> set[tuple]:
    """The keys `table` (the resource `target` refers to) holds in the referred fields (rows with all of them empty
    aside), with the keys as written in a row the reader refused, or whose key cell it refused: such a row stays a
    row, and its one problem is reported."""
    fields, label = target["fields"], columns.label(target["resource"], table)
    keys = {cells for cells in zip(*(_values(table, f) for f in fields), strict=True)
            if any(c is not None for c in cells)}
    for file, row, field in refused:
        if file == label and row and row > 1 and (field is None or field in fields):
            keys.add(tuple(raw.cell(row, f) for f in fields))
    return keys


def hash_problem(sealed: tuple[int, str | None], resource: dict) -> Problem | None:
    """HASH_CHANGED when a file's size and digest (see :func:`nkdigital.reading.scan.seal`) no longer match the
    resource's recorded `bytes` or `hash`."""
    size, digest = sealed
    if ("bytes" in resource and resource["bytes"] != size) or (
            digest is not None and digest != resource["hash"].partition(":")[2]):
        return Problem(resource["path"], None, None, HASH_CHANGED)
    return None
