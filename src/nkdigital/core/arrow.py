"""numpy arrays from pyarrow columns, and pyarrow arrays from Python values, without importing pandas.

pyarrow imports pandas (when it is installed, 100 MiB) in `pa.array`, `pa.scalar`, every `to_numpy` and every
compute call handed a Python value; validation never needs pandas, so it reads a column through its buffers (the
values and the validity bitmap, which pyarrow documents as its columnar format) and builds an array the same way.
Only the types of a read resource and of sort indices are handled: large_string, dictionary of large_string,
float64, int64, uint64, int32, bool and date32.
"""

from __future__ import annotations

import numpy as np

_STORAGE = {"double": np.float64, "int64": np.int64, "uint64": np.uint64, "int32": np.int32, "date32[day]": np.int32}


def _chunks(column) -> list:
    """The arrays of a column: a ChunkedArray's chunks, an Array itself, a list as it is."""
    if isinstance(column, list):
        return column
    return column.chunks if hasattr(column, "chunks") else [column]


def _bits(buffer, offset: int, length: int) -> np.ndarray:
    """`length` bits of a bitmap buffer from bit `offset`, least significant bit first, as bools."""
    if not length:
        return np.zeros(0, dtype=bool)
    bits = np.unpackbits(np.frombuffer(buffer, dtype=np.uint8), bitorder="little")
    return bits[offset:offset + length].astype(bool)


def _valid(chunk) -> np.ndarray:
    validity = chunk.buffers()[0] if chunk.null_count else None
    if validity is None:  # no bitmap: none missing, or (an array of nulls) all
        return np.full(len(chunk), not chunk.null_count, dtype=bool)
    return _bits(validity, chunk.offset, len(chunk))


def valid(column) -> np.ndarray:
    """Per cell: it is not missing."""
    return np.concatenate([_valid(c) for c in _chunks(column)] or [np.zeros(0, dtype=bool)])


def _stored(chunk) -> np.ndarray:
    """The stored values of a primitive chunk (a missing cell's slot holds any value)."""
    if str(chunk.type) == "bool":
        return _bits(chunk.buffers()[1], chunk.offset, len(chunk))
    dtype = _STORAGE[str(chunk.type)]
    if not len(chunk):
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(chunk.buffers()[1], dtype=dtype)[chunk.offset:chunk.offset + len(chunk)]


def stored(column, dtype, missing) -> np.ndarray:
    """A primitive column (float64, int64, int32, bool, date32) as a new numpy array of `dtype`, a missing cell as
    `missing`."""
    parts = []
    for chunk in _chunks(column):
        values = _stored(chunk).astype(dtype)
        if chunk.null_count:
            values[~_valid(chunk)] = missing
        parts.append(values)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def codes(column) -> np.ndarray:
    """A dictionary column's indices as int64, a missing cell as -1."""
    import pyarrow as pa

    chunks = [c.indices if pa.types.is_dictionary(c.type) else c for c in _chunks(column)]
    return stored(chunks, np.int64, -1)


def texts(column) -> np.ndarray:
    """A text or dictionary column as an object array of str, a missing cell as None."""
    import pyarrow as pa

    if pa.types.is_dictionary(column.type):  # decoded by a cast, so a missing cell's index is never read
        column = column.cast(pa.large_string())
    values = column.to_pylist()
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def array(values: list, kind):
    """A pyarrow array of `kind` (large_string, float64, int64, int32, bool or date32) holding `values`, None for
    a missing one; dates as `datetime.date`."""
    import pyarrow as pa

    present = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    validity = None if present.all() else pa.py_buffer(np.packbits(present, bitorder="little").tobytes())
    nulls = int(len(values) - present.sum())
    if pa.types.is_large_string(kind):
        data = [v.encode("utf-8") if v is not None else b"" for v in values]
        offsets = np.zeros(len(data) + 1, dtype=np.int64)
        np.cumsum([len(d) for d in data], out=offsets[1:])
        buffers = [validity, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(data))]
        return pa.Array.from_buffers(kind, len(values), buffers, null_count=nulls)
    if pa.types.is_date32(kind):  # days since 1970-01-01, the 719,163rd day of the proleptic Gregorian calendar
        filled = [v.toordinal() - 719_163 if v is not None else 0 for v in values]
    else:
        filled = [v if v is not None else 0 for v in values]
    if pa.types.is_boolean(kind):
        data = np.packbits(np.array(filled, dtype=bool), bitorder="little").tobytes()
    else:
        data = np.array(filled, dtype=_STORAGE[str(kind)]).tobytes()
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(data)], null_count=nulls)


def bools(mask: np.ndarray):
    """A numpy mask as an Arrow boolean array (for `Table.filter`)."""
    import pyarrow as pa

    bits = pa.py_buffer(np.packbits(np.asarray(mask, dtype=bool), bitorder="little"))
    return pa.Array.from_buffers(pa.bool_(), len(mask), [None, bits])


def scalar(value, kind):
    """A pyarrow scalar of `kind` (see :func:`array`) holding `value` (None: a missing one)."""
    return array([value], kind)[0]
