"""Reading one resource's CSV into a typed pyarrow Table, collecting every problem with its location."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from nkdigital.core import arrow
from nkdigital.core.errors import Problem, shown
from nkdigital.core.limits import MAX_CELLS, MAX_INTEGER_DIGITS, MAX_NUMBER_CHARS
from nkdigital.core.patterns import all_match, fullmatch, pattern_message
from nkdigital.reading import scan
from nkdigital.reading.arrow_table import arrow_type, enum_values, kept, schema

# ASCII digits only: `\d` would also accept Arabic-Indic and other scripts' digits
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_INTEGER = re.compile(r"-?[0-9]+")
_YEAR = re.compile(r"[0-9]{4}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# invisible characters that reorder or hide text: bidirectional overrides, isolates and marks; zero-width space,
# non-joiner and joiner, word joiner, byte-order mark (zero-width no-break space) and soft hyphen; and lone
# surrogates (half a character, which no UTF-8 file can hold but a JSON escape can)
INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]")


def invisible(character: str) -> str:
    """How a message names a character INVISIBLE matches, and what to do."""
    if "\ud800" <= character <= "\udfff":
        return f"a lone surrogate U+{ord(character):04X} (half of a character); remove it"
    return f"the invisible formatting character U+{ord(character):04X}; remove it"


_BOOLEANS = {"true": True, "True": True, "TRUE": True, "1": True,
             "false": False, "False": False, "FALSE": False, "0": False}


def _parse_number(cell: str) -> float:
    if not _NUMBER.fullmatch(cell):
        raise ValueError("is not a plain number (ASCII digits with an optional decimal point)")
    if len(cell) > MAX_NUMBER_CHARS or not math.isfinite(float(cell)):
        raise ValueError(f"is too long a number (at most {MAX_NUMBER_CHARS} characters)")
    return float(cell)


def _parse_integer(cell: str) -> int:
    if not _INTEGER.fullmatch(cell):
        raise ValueError("is not a whole number")
    if len(cell.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"is too large a whole number (at most {MAX_INTEGER_DIGITS} digits)")
    return int(cell)


def _parse_year(cell: str) -> int:
    if not _YEAR.fullmatch(cell):
        raise ValueError("is not a four-digit year")
    return int(cell)


def _parse_date(cell: str) -> dt.date:
    if not _DATE.fullmatch(cell):
        raise ValueError("is not a date in the form YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(cell)
    except ValueError:
        raise ValueError("is not a real calendar date") from None
    if not 1678 <= day.year <= 2261:  # the years pandas timestamps can hold
        raise ValueError("is not a date between the years 1678 and 2261")
    return day


def _parse_boolean(cell: str) -> bool:
    if cell not in _BOOLEANS:
        raise ValueError("is not true or false")
    return _BOOLEANS[cell]


PARSERS: dict[str, Callable[[str], object]] = {
    "string": str,
    "number": _parse_number,
    "integer": _parse_integer,
    "year": _parse_year,
    "date": _parse_date,
    "boolean": _parse_boolean,
}


def read_bytes(file: Path, label: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or None and the problem when it is missing, not a regular file, too large or
    unreadable."""
    try:
        problem = scan.unusable(file, label)
        if problem is not None:
            return None, [problem]
        return file.read_bytes(), []
    except OSError as error:
        return None, [scan.unreadable(error, label)]


def decode(raw: bytes, label: str) -> tuple[str | None, list[Problem]]:
    """The file's text (None when unusable), and problems with its encoding and line endings."""
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(label, 1, None, "file starts with a byte-order mark (BOM); save as UTF-8 without BOM"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(label, line, None, f"not valid UTF-8 (byte {raw[error.start]:#04x}); save as UTF-8")]
    if b"\r" in raw:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append(Problem(label, line, None, "Windows (CRLF) line endings; save with LF line endings"))
    if not text or text.isspace():
        return None, [*problems, Problem(label, None, None, "file is empty")]
    return text, problems


def _records(text: str, label: str) -> tuple[list[list[str]], list[Problem]]:
    """CSV records of `text`; a problem for a row that cannot be parsed or that the end of the file cuts off."""
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline="")):
            records.append(record)
    except csv.Error as error:
        return records, [Problem(label, len(records) + 1, None, f"row cannot be read as CSV ({error})")]
    if not text.endswith("\n"):
        message = "file ends in the middle of this row (truncated?); a complete file ends with a newline"
        return records, [Problem(label, len(records), None, message)]
    return records, []


def _header_problems(header: list[str], expected: list[str], label: str) -> list[Problem]:
    if header == expected:
        return []
    if len(header) == len(expected):
        return [
            Problem(label, 1, found, f"column {i + 1} is named {shown(found)} but the schema expects '{want}'")
            for i, (found, want) in enumerate(zip(header, expected, strict=True))
            if found != want
        ]
    problems = [Problem(label, 1, name, "column is missing") for name in expected if name not in header]
    problems += [Problem(label, 1, name, "column is not in the schema") for name in header if name not in expected]
    return problems or [Problem(label, 1, None, "columns are not in the schema's order: " + ", ".join(expected))]


def read_table(base: Path, resource: dict, seen: Callable[[tuple], object] | None = None,
               pruned: Mapping[str, str | None] | None = None) -> tuple:
    """Read `resource` (a checked descriptor dict) relative to `base`; return the typed pyarrow Table (None if
    unusable; column types as :mod:`nkdigital.checking.columns` lists them, schema metadata `path` its file) and
    the problems found.

    Every cell that breaks its field's type, `required` or `enum` becomes null in the table and one problem.
    `seen`, if given, is called with the size and digest of the bytes read (see :func:`scan.seal`; validation
    compares them with the recorded ones). The columns `pruned` names are read and checked, then thinned or left
    out (see :func:`arrow_table.kept`). A plain file is read in blocks (see :mod:`nkdigital.reading.scan`);
    only a file that is not is read whole, and decoded, and read cell by cell.
    """
    label = resource["path"]
    file = base / label
    if not file.resolve().is_relative_to(base.resolve()):
        return None, [Problem(label, None, None, "resource file lies outside the package folder")]
    fast, problems = scan.read_fast(file, resource, seen, pruned)
    if fast is not None or problems:
        return fast, problems
    raw, problems = read_bytes(file, label)
    if raw is None:
        return None, problems
    if seen is not None:
        seen(scan.seal(raw, resource))
    fields = resource["schema"]["fields"]
    text, problems = decode(raw, label)
    del raw  # the text is the careful reader's copy
    if text is None:
        return None, problems
    records, cut = _records(text, label)
    problems += cut
    cut_rows = {p.row for p in cut}
    if not records or 1 in cut_rows:
        return None, problems
    if len(records) == 1:
        return None, [*problems, Problem(label, None, None, "file has a header but no rows (cut off?)")]
    if len(records) * len(fields) > MAX_CELLS:
        return None, [*problems, Problem(label, None, None, f"file has more than {MAX_CELLS:,} cells")]
    header_problems = _header_problems(records[0], [f["name"] for f in fields], label)
    if header_problems:
        return None, problems + header_problems
    blank = [None] * len(fields)  # a broken row keeps its place, so position == row number - 2
    rows = []
    for row_number, record in enumerate(records[1:], start=2):
        if row_number in cut_rows or len(record) != len(fields):
            if row_number not in cut_rows:
                found = f"row has {len(record)} cells, but the header has {len(fields)}"
                problems.append(Problem(label, row_number, None, found if record else "row is blank; remove it"))
            record = blank
        rows.append(record)
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in fields]
    holds = _patterns_hold(fields, columns)
    import pyarrow as pa

    arrays = [_typed(_fast(cells, f, held) or _slow(cells, f, label, problems), f)
              for f, cells, held in zip(fields, columns, holds, strict=True)]
    return pa.Table.from_arrays(kept(fields, arrays, pruned), schema=schema(fields, label, pruned)), problems


_PATTERNS = {"number": _NUMBER, "integer": _INTEGER, "year": _YEAR, "date": _DATE}


def _patterns_hold(fields: list[dict], columns: list[list[str | None]]) -> list[bool]:
    """Per field: False only for a string field with a `pattern` that one of its cells breaks. Columns that share
    a pattern are checked in one pass; a pattern something breaks is then checked column by column."""
    by_pattern: dict[str, list[int]] = {}
    for i, field in enumerate(fields):
        pattern = field.get("constraints", {}).get("pattern")
        if pattern and field.get("type", "string") == "string":
            by_pattern.setdefault(pattern, []).append(i)
    holds = [True] * len(fields)
    for pattern, indexes in by_pattern.items():
        present = {i: [c for c in columns[i] if c] for i in indexes}
        if not all_match(pattern, [c for i in indexes for c in present[i]]):
            for i in indexes:
                holds[i] = all_match(pattern, present[i])
    return holds


def _fast(cells: list[str | None], field: dict, pattern_holds: bool) -> list[object] | None:
    """The column's values when every cell is plainly valid (the common case), else None."""
    constraints = field.get("constraints", {})
    kind = field.get("type", "string")
    present = [c for c in cells if c]
    allowed = constraints.get("enum")
    joined = "".join(present)
    if (kind not in _CONVERTERS or CONTROL.search(joined) or INVISIBLE.search(joined)
            or (constraints.get("required") and "" in cells)
            or (allowed is not None and not set(present) <= set(allowed))
            or (kind in _PATTERNS and not all(_PATTERNS[kind].fullmatch(c) for c in present))
            or (kind == "boolean" and not set(present) <= _BOOLEANS.keys())
            or (kind in _LONGEST and any(len(c) > _LONGEST[kind] for c in present))
            or not pattern_holds):
        return None
    convert = _CONVERTERS[kind]
    try:
        return [convert(c) if c else None for c in cells]
    except ValueError:  # e.g. 2021-02-30 matches the date pattern but is no calendar date
        return None


_LONGEST = {"number": MAX_NUMBER_CHARS, "integer": MAX_INTEGER_DIGITS}  # longer: the slow path says why


_CONVERTERS = {"string": str, "number": float, "integer": int, "year": int, "date": dt.date.fromisoformat,
               "boolean": _BOOLEANS.__getitem__}


def _slow(cells: list[str | None], field: dict, label: str, problems: list[Problem]) -> list[object]:
    """Cell by cell, with one problem for each cell that breaks its type, `required` or `enum`."""
    return [None if cell is None else _convert(cell, field, label, row, problems)
            for row, cell in enumerate(cells, start=2)]


def _convert(cell: str, field: dict, label: str, row: int, problems: list[Problem]) -> object:
    constraints = field.get("constraints", {})
    if cell == "":
        if constraints.get("required"):
            problems.append(Problem(label, row, field["name"], "required value is empty"))
        return None
    control = CONTROL.search(cell)
    if control:
        problems.append(Problem(label, row, field["name"], f"{shown(cell)} contains the control character "
                                f"{control.group()!r}; remove it"))
        return None
    hidden = INVISIBLE.search(cell)
    if hidden:
        problems.append(Problem(label, row, field["name"], f"{shown(cell)} contains {invisible(hidden.group())}"))
        return None
    try:
        value = PARSERS[field.get("type", "string")](cell)
    except ValueError as error:
        problems.append(Problem(label, row, field["name"], f"{shown(cell)} {error}"))
        return None
    allowed = constraints.get("enum")
    if allowed is not None and cell not in allowed:
        problems.append(Problem(label, row, field["name"], f"{shown(cell)} is not one of: {', '.join(allowed)}"))
        return None
    pattern = constraints.get("pattern") if field.get("type", "string") == "string" else None
    if pattern and not fullmatch(pattern, cell):
        problems.append(Problem(label, row, field["name"], pattern_message(shown(cell), pattern)))
        return None
    return value


def _typed(values: list[object], field: dict):
    """The converted values (None: missing or refused) as the field's arrow array (see `arrow_type`)."""
    import pyarrow as pa

    kind = arrow_type(field)
    if pa.types.is_dictionary(kind):
        allowed = enum_values(tuple(field["constraints"]["enum"]))
        codes = {value: code for code, value in enumerate(allowed.to_pylist())}
        return pa.DictionaryArray.from_arrays(arrow.array([codes.get(v) for v in values], pa.int32()), allowed)
    return arrow.array(values, kind)
