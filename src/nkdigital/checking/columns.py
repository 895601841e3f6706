"""A read resource (a pyarrow Table, see `reading.table`) as the numpy arrays the checks compare, and where a row sits.

Column types by Table Schema field type: string as `large_string`, an enum as a dictionary of its allowed values
(in the schema's order), number as `float64`, integer and year as `int64`, boolean as `bool_`, date as `date32`;
a missing or refused cell is null. The table's schema metadata `path` names its file.
"""

from __future__ import annotations

import numpy as np


def label(name: str, table) -> str:
    """The file a resource's problems name: its `path`, else `data/NAME.csv`."""
    path = (table.schema.metadata or {}).get(b"path")
    return path.decode() if path is not None else f"data/{name}.csv"


def row(position: int) -> int:
    """The row number a problem names for the row at `position` (the header is row 1)."""
    return int(position) + 2


def has(table, *columns: str) -> bool:
    """Every one of `columns` is in the table."""
    return set(columns) <= set(table.column_names)


def texts(table, column: str) -> np.ndarray:
    """A text or enum column as an object array of str, missing as None."""
    import pyarrow as pa

    cells = table[column]
    if pa.types.is_dictionary(cells.type) or pa.types.is_null(cells.type):
        cells = cells.cast(pa.large_string())
    return np.array(cells.to_pylist(), dtype=object)


def floats(table, column: str) -> np.ndarray:
    """A number column as float64, missing as NaN (so every comparison with a missing value is False)."""
    import pyarrow as pa

    cells = table[column].cast(pa.float64(), safe=False).combine_chunks()  # beyond 2**53: the nearest float
    values = _values(cells, np.float64).copy()
    values[~_valid(cells)] = np.nan
    return values


def mask(table, column: str) -> np.ndarray:
    """A boolean column as a numpy mask, missing as False."""
    import pyarrow as pa

    cells = table[column].cast(pa.bool_()).combine_chunks()
    return _bits(cells.buffers()[1], cells.offset, len(cells)) & _valid(cells)


def dates(table, column: str) -> np.ndarray:
    """A date column as datetime64[D], missing as NaT."""
    import pyarrow as pa

    cells = table[column].cast(pa.date32()).combine_chunks()
    days = _values(cells, np.int32).astype("datetime64[D]")
    days[~_valid(cells)] = np.datetime64("NaT")
    return days


def given(table, column: str) -> np.ndarray:
    """A mask of the cells of `column` that are not missing."""
    import pyarrow.compute as pc

    valid = pc.is_valid(table[column]).combine_chunks()
    return _bits(valid.buffers()[1], valid.offset, len(valid))


def codes(table, column: str) -> tuple[np.ndarray, list]:
    """A column as int64 codes (-1 where missing) of its distinct values, and those values (for grouping and for
    looking at each distinct value once)."""
    import pyarrow as pa

    cells = table[column]
    if pa.types.is_dictionary(cells.type) or pa.types.is_null(cells.type):
        cells = cells.cast(pa.large_string())
    encoded = cells.combine_chunks().dictionary_encode()
    numbers = _values(encoded.indices, np.int32).astype(np.int64)
    numbers[~_valid(encoded.indices)] = -1
    return numbers, encoded.dictionary.to_pylist()


def records(table, columns: list[str] | None = None) -> list[dict]:
    """The rows as dicts of Python values (for the small tables checked row by row: sources, events, rights)."""
    return (table if columns is None else table.select(columns)).to_pylist()


# Without Array.to_numpy: pyarrow's conversion to numpy imports pandas (~100 MiB) to set up its missing values,
# which validate must never load. A primitive array's bytes are read as they are.

def _values(cells, dtype) -> np.ndarray:
    """The values buffer of a primitive array (any value where a cell is missing)."""
    data = cells.buffers()[1]
    if data is None or not len(cells):
        return np.zeros(len(cells), dtype)
    return np.frombuffer(data, dtype, count=cells.offset + len(cells))[cells.offset:]


def _valid(cells) -> np.ndarray:
    """Where an array's cells are not missing."""
    validity = cells.buffers()[0]
    if validity is None:  # no bitmap: none missing, or (an array of nulls) all
        return np.full(len(cells), cells.null_count == 0)
    return _bits(validity, cells.offset, len(cells))


def _bits(buffer, offset: int, length: int) -> np.ndarray:
    """A bitmap (least significant bit first) as a bool array."""
    count = (offset + length + 7) // 8
    return np.unpackbits(np.frombuffer(buffer, np.uint8, count=count), bitorder="little")[offset:offset + length] \
        .astype(bool)
