"""A read resource (a pyarrow Table, see `reading.table`) as the numpy arrays the checks compare, and where a row sits.

Column types by Table Schema field type: string as `large_string`, an enum as a dictionary of its allowed values
(in the schema's order), number as `float64`, integer and year as `int64`, boolean as `bool_`, date as `date32`;
a missing or refused cell is null. The table's schema metadata `path` names its file.
"""

from __future__ import annotations

import numpy as np

from nkdigital.core import arrow


def label(name: str, table) -> str:
    """The file a resource's problems name: its `path`, else `data/NAME.csv`."""
    path = (table.schema.metadata or {}).get(b"path")
    return path.decode() if path is not None else f"data/{name}.csv"


def row(position: int) -> int:
    """The row number a problem names for the row at `position` (the header is row 1)."""
    return int(position) + 2


def has(table, *columns: str) -> bool:
    """Every one of `columns` is in the table. Asking for a column validation left out (see
    :func:`nkdigital.reading.arrow_table.schema`) is a mistake in a check, never a missing column: LookupError."""
    left_out = set(pruned(table)) & set(columns)
    if left_out:
        raise LookupError(f"a check reads {sorted(left_out)}, which validation leaves out of the table: take it out"
                          " of the free_text role (nkdigital/metadata/roles.py)")
    return set(columns) <= set(table.column_names)


def pruned(table) -> list[str]:
    """The columns validation read and checked, then left out of `table`."""
    return (table.schema.metadata or {}).get(b"pruned", b"").decode().split()


def texts(table, column: str) -> np.ndarray:
    """A text or enum column as an object array of str, missing as None."""
    return arrow.texts(table[column])


def floats(table, column: str) -> np.ndarray:
    """A number column as float64, missing as NaN (so every comparison with a missing value is False)."""
    import pyarrow as pa

    return arrow.stored(table[column].cast(pa.float64(), safe=False), np.float64, np.nan)  # beyond 2**53: nearest


def mask(table, column: str) -> np.ndarray:
    """A boolean column as a numpy mask, missing as False."""
    import pyarrow as pa

    return arrow.stored(table[column].cast(pa.bool_()), bool, False)


def dates(table, column: str) -> np.ndarray:
    """A date column as datetime64[D], missing as NaT."""
    import pyarrow as pa

    return arrow.stored(table[column].cast(pa.date32()), "datetime64[D]", np.datetime64("NaT"))


def given(table, column: str) -> np.ndarray:
    """A mask of the cells of `column` that are not missing."""
    return arrow.valid(table[column])


def codes(table, column: str) -> tuple[np.ndarray, list]:
    """A column as int64 codes (-1 where missing) of its distinct values, and those values (for grouping and for
    looking at each distinct value once)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = table[column]
    if pa.types.is_dictionary(cells.type) or pa.types.is_null(cells.type):
        cells = cells.cast(pa.large_string())
    values = pc.unique(cells).drop_null()  # in order of first appearance; a column in pieces is never joined
    return arrow.stored(pc.index_in(cells, value_set=values), np.int64, -1), values.to_pylist()


def records(table, columns: list[str] | None = None) -> list[dict]:
    """The rows as dicts of Python values (for the small tables checked row by row: sources, events, rights)."""
    return (table if columns is None else table.select(columns)).to_pylist()

