"""The reader's fast path: a plainly valid CSV file read by pyarrow and checked column by column.

`read_plain` returns the typed frame `nkdigital.table.read_table` would build, or None as soon as anything is
not plainly valid (a quoting or layout pyarrow and Python's csv module might read differently, a header off the
schema, a cell breaking its type, `required`, `enum` or `pattern`, a control or invisible character): the
cell-by-cell reader then finds and words every problem. Each rule is one vectorised pass over a column.
"""

from __future__ import annotations

import functools
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


def plain_lines(text: str) -> int | None:
    """The number of lines of `text` (a decoded CSV file without problems so far), or None when a blank line, a
    missing final newline or a refused character leaves it to the careful reader to word the problem."""
    if not text.endswith("\n") or "\n\n" in text or text.startswith("\n") or _REFUSED.search(text):
        return None
    return text.count("\n")


def read_plain(raw: bytes, lines: int, fields: list[dict], label: str) -> pd.DataFrame | None:
    """The typed frame of a CSV file of `lines` lines (its bytes `raw`; see :func:`plain_lines`), or None if it is
    not plainly valid."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = [f["name"] for f in fields]
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
    if table.column_names != names or not rows or lines != rows + 1 or (rows + 1) * len(names) > MAX_CELLS:
        return None
    columns = []
    for field in fields:
        column = _typed(table.column(field["name"]), field)
        if column is None:
            return None
        columns.append(column)
    del table  # its columns live on in `columns` where unchanged
    frame = pa.table(columns, names=names).to_pandas(types_mapper=_dtypes().get)
    frame.attrs["path"] = label
    return frame


@functools.cache
def _categories(allowed: tuple[str, ...]):
    """An enum's values as an arrow array, built once per process."""
    import pyarrow as pa

    return pa.array(allowed, pa.string())


def _typed(cells, field: dict):
    """The column's values as an arrow array that converts to the frame's dtype (an enum as a dictionary array
    over its allowed values, which converts to a Categorical of them), or None if a cell is not plainly valid."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind, constraints = field.get("type", "string"), field.get("constraints", {})
    if constraints.get("required") and cells.null_count:
        return None
    present = cells.drop_null() if cells.null_count else cells
    allowed = constraints.get("enum")
    if allowed is not None:
        values = _categories(tuple(allowed))
        codes = pc.index_in(cells, value_set=values)
        if codes.null_count != cells.null_count:  # a value the enum does not allow
            return None
        codes = codes.cast(pa.int32())
    if kind in _FORMS and not _all_match(present, _FORMS[kind]):
        return None
    if kind in _LONGEST and len(present) and pc.max(pc.utf8_length(present)).as_py() > _LONGEST[kind]:
        return None
    pattern = constraints.get("pattern")
    if kind == "string" and pattern and not _all_match(present, pattern):
        return None
    if kind == "string" and allowed is not None:
        return pa.chunked_array([pa.DictionaryArray.from_arrays(c, values) for c in codes.chunks],
                                pa.dictionary(pa.int32(), pa.string()))
    return _converted(cells, kind)


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
    """`values` cast to the arrow type that converts to the frame's dtype (see _DTYPES), or None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        if kind == "string":
            return values
        if kind == "number":
            return values.cast(pa.float64())
        if kind in ("integer", "year"):
            return values.cast(pa.int64())
        if kind == "date":  # an impossible day (2021-02-30) fails the cast
            return values.cast(pa.date32()).cast(pa.timestamp("s"))
        if kind == "boolean":
            if not _all(pc.is_in(values.drop_null(), value_set=pa.array(_TRUE + _FALSE))):
                return None
            truth = pc.is_in(values, value_set=pa.array(_TRUE))
            return pc.if_else(pc.is_null(values), pa.scalar(None, pa.bool_()), truth)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OverflowError):
        return None
    return None


@functools.cache
def _dtypes() -> dict:
    """The frame's dtype of each arrow type a column converts from (dates and enums convert by themselves)."""
    import pyarrow as pa

    return {pa.string(): pd.StringDtype("pyarrow"), pa.float64(): pd.Float64Dtype(), pa.int64(): pd.Int64Dtype(),
            pa.bool_(): pd.BooleanDtype()}
