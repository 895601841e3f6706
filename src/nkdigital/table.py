"""Reading one resource's CSV into a typed DataFrame, collecting every problem with its location."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from nkdigital.errors import Problem

_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_INTEGER = re.compile(r"-?\d+")
_YEAR = re.compile(r"\d{4}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "1": True,
             "false": False, "False": False, "FALSE": False, "0": False}


def _parse_number(cell: str) -> float:
    if not _NUMBER.fullmatch(cell):
        raise ValueError("is not a plain number (digits with an optional decimal point)")
    return float(cell)


def _parse_integer(cell: str) -> int:
    if not _INTEGER.fullmatch(cell):
        raise ValueError("is not a whole number")
    return int(cell)


def _parse_year(cell: str) -> int:
    if not _YEAR.fullmatch(cell):
        raise ValueError("is not a four-digit year")
    return int(cell)


def _parse_date(cell: str) -> dt.date:
    if not _DATE.fullmatch(cell):
        raise ValueError("is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(cell)
    except ValueError:
        raise ValueError("is not a real calendar date") from None


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


def decode(file: Path, label: str) -> tuple[str | None, list[Problem]]:
    """The file's text, plus problems with its encoding and line endings."""
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return None, [Problem(label, None, None, "resource file is missing")]
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(label, 1, None, "file starts with a byte-order mark (BOM); save as UTF-8 without BOM"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(label, line, None, f"not valid UTF-8 (byte {raw[error.start]:#04x}); save as UTF-8")]
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append(Problem(label, line, None, "Windows (CRLF) line endings; save with LF line endings"))
    if not text.strip():
        problems.append(Problem(label, None, None, "file is empty"))
    elif not text.endswith("\n"):
        problems.append(Problem(label, text.count("\n") + 1, None, "last line does not end with a newline (truncated file?)"))
    return text, problems


def _header_problems(header: list[str], expected: list[str], label: str) -> list[Problem]:
    if header == expected:
        return []
    if len(header) == len(expected):
        return [
            Problem(label, 1, found, f"column {i + 1} is named '{found}' but the schema expects '{want}'")
            for i, (found, want) in enumerate(zip(header, expected, strict=True))
            if found != want
        ]
    problems = [Problem(label, 1, name, "column is missing") for name in expected if name not in header]
    problems += [Problem(label, 1, name, "column is not in the schema") for name in header if name not in expected]
    return problems or [Problem(label, 1, None, "columns are not in the schema's order: " + ", ".join(expected))]


def read_table(base: Path, resource: dict) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read `resource` (a descriptor dict) relative to `base`; return the typed frame (None if unusable)."""
    label = resource["path"]
    text, problems = decode(base / label, label)
    if text is None:
        return None, problems
    fields = resource["schema"]["fields"]
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        return None, problems
    header_problems = _header_problems(records[0], [f["name"] for f in fields], label)
    if header_problems:
        return None, problems + header_problems
    columns: list[list[object]] = [[] for _ in fields]
    for row_number, record in enumerate(records[1:], start=2):
        if len(record) != len(fields):
            problems.append(Problem(label, row_number, None, f"row has {len(record)} cells, expected {len(fields)}"))
            for column in columns:  # keep frame index == row number - 2 for later checks
                column.append(None)
            continue
        for column, field, cell in zip(columns, fields, record, strict=True):
            column.append(_convert(cell, field, label, row_number, problems))
    frame = pd.DataFrame({f["name"]: _typed(col, f) for f, col in zip(fields, columns, strict=True)})
    return frame, problems


def _convert(cell: str, field: dict, label: str, row: int, problems: list[Problem]) -> object:
    constraints = field.get("constraints", {})
    if cell == "":
        if constraints.get("required"):
            problems.append(Problem(label, row, field["name"], "required value is empty"))
        return None
    try:
        value = PARSERS[field.get("type", "string")](cell)
    except ValueError as error:
        problems.append(Problem(label, row, field["name"], f"'{cell}' {error}"))
        return None
    allowed = constraints.get("enum")
    if allowed is not None and value not in allowed:
        problems.append(Problem(label, row, field["name"], f"'{cell}' is not one of: {', '.join(allowed)}"))
        return None
    return value


def _typed(values: list[object], field: dict) -> pd.api.extensions.ExtensionArray | pd.Series:
    kind = field.get("type", "string")
    if kind == "string" and "enum" in field.get("constraints", {}):
        return pd.Categorical(values, categories=field["constraints"]["enum"])
    if kind == "date":
        return pd.to_datetime(pd.Series(values, dtype="object"))
    dtype = {"string": "string", "number": "Float64", "integer": "Int64", "year": "Int64", "boolean": "boolean"}
    return pd.array(values, dtype=dtype[kind])
