"""The reader's fast path: a plainly valid CSV file read by pyarrow and checked column by column.

`read_plain` returns the typed frame `nkdigital.table.read_table` would build, or None as soon as anything is
not plainly valid (a quoting or layout pyarrow and Python's csv module might read differently, a header off the
schema, a cell breaking its type, `required`, `enum` or `pattern`, a control or invisible character): the
cell-by-cell reader then finds and words every problem. Each rule is one vectorised pass over a column.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from nkdigital.core.limits import MAX_CELLS, MAX_INTEGER_DIGITS, MAX_NUMBER_CHARS

# what the cell-by-cell reader refuses anywhere in a file: control characters other than the line break that
# ends a row (CONTROL) and invisible formatting characters (INVISIBLE; a decoded file holds no lone surrogate)
_REFUSED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_FORMS = {"number": r"-?[0-9]+(\.[0-9]+)?", "integer": r"-?[0-9]+", "year": r"[0-9]{4}",
          "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}"}
_LONGEST = {"number": MAX_NUMBER_CHARS, "integer": MAX_INTEGER_DIGITS}
_TRUE, _FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")


def read_plain(text: str, raw: bytes, fields: list[dict], label: str) -> pd.DataFrame | None:
    """The typed frame of a CSV file (`text`, decoded from `raw`, without problems so far), or None if it is not
    plainly valid."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = [f["name"] for f in fields]
    # a blank line, a missing final newline or a refused character: the careful reader words the problem
    if not text.endswith("\n") or "\n\n" in text or text.startswith("\n") or _REFUSED.search(text):
        return None
    try:
        table = pcsv.read_csv(
            io.BytesIO(raw),
            parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names}, null_values=[""],
                                                strings_can_be_null=True))  # an empty cell, quoted or not
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    rows = table.num_rows
    # a line break inside a cell is a control character; rows + header lines must account for every break
    if table.column_names != names or not rows or text.count("\n") != rows + 1 or (rows + 1) * len(names) > MAX_CELLS:
        return None
    columns = {}
    for field in fields:
        column = _typed(table.column(field["name"]).combine_chunks(), field)
        if column is None:
            return None
        columns[field["name"]] = column
    frame = pd.DataFrame(columns)
    frame.attrs["path"] = label
    return frame


def _typed(cells, field: dict):
    """The column's values in the frame's dtype, or None if a cell is not plainly valid."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind, constraints = field.get("type", "string"), field.get("constraints", {})
    if constraints.get("required") and cells.null_count:
        return None
    present = cells.drop_null() if cells.null_count else cells
    allowed = constraints.get("enum")
    if allowed is not None and not _all(pc.is_in(present, value_set=pa.array(allowed, pa.string()))):
        return None
    if kind in _FORMS and not _all_match(present, _FORMS[kind]):
        return None
    if kind in _LONGEST and len(present) and pc.max(pc.utf8_length(present)).as_py() > _LONGEST[kind]:
        return None
    pattern = constraints.get("pattern")
    if kind == "string" and pattern and not _all_match(present, pattern):
        return None
    values = cells
    if kind == "string" and allowed is not None:
        codes = pc.index_in(values, value_set=pa.array(allowed, pa.string())).fill_null(-1)
        return pd.Categorical.from_codes(codes.to_numpy(), dtype=pd.CategoricalDtype(list(allowed)))
    return _converted(values, kind)


def _all(flags) -> bool:
    """Every flag is true (an empty column holds no false one)."""
    import pyarrow.compute as pc

    return pc.all(flags).as_py() is not False


def _all_match(cells, pattern: str) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return _all(pc.match_substring_regex(cells, pattern=f"^(?:{pattern})$"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False


def _converted(values, kind: str):
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        if kind == "string":
            return pd.array(values, dtype="string")
        if kind == "number":
            return pd.array(values.cast(pa.float64()), dtype="Float64")
        if kind in ("integer", "year"):
            return pd.array(values.cast(pa.int64()), dtype="Int64")
        if kind == "date":  # an impossible day (2021-02-30) fails the cast
            days = values.cast(pa.date32()).cast(pa.timestamp("s"))
            return pd.Series(days.to_numpy(zero_copy_only=False).astype("datetime64[s]"))
        if kind == "boolean":
            if not _all(pc.is_in(values.drop_null(), value_set=pa.array(_TRUE + _FALSE))):
                return None
            truth = pc.is_in(values, value_set=pa.array(_TRUE)).to_numpy(zero_copy_only=False)
            return pd.arrays.BooleanArray(truth, values.is_null().to_numpy(zero_copy_only=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OverflowError):
        return None
    return None
