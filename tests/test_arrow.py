"""core.arrow: pyarrow arrays built from Python values and read into numpy through their buffers, never importing
pandas (pyarrow's own pa.array, pa.scalar and to_numpy do)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np
import pyarrow as pa
import pytest

from nkdigital.core import arrow

VALUES = {
    "large_string": (pa.large_string(), ["a", None, "\ubd81\ud55c \u2014", "", "z"]),
    "double": (pa.float64(), [1.5, None, -2.0, 0.0, 1e300]),
    "int64": (pa.int64(), [1, None, 2**62, -5, 0]),
    "int32": (pa.int32(), [0, None, 3, 1, -7]),
    "bool": (pa.bool_(), [True, None, False, True, False, True, True, False, None, True]),
    "date32": (pa.date32(), [dt.date(2020, 2, 29), None, dt.date(1500, 1, 1), dt.date(2261, 12, 31),
                             dt.date(1970, 1, 1)]),
}


@pytest.mark.parametrize("name", VALUES)
def test_an_array_built_from_values_holds_them(name):
    kind, values = VALUES[name]
    built = arrow.array(values, kind)
    built.validate(full=True)
    assert built.type == kind and built.to_pylist() == values and built.null_count == values.count(None)
    assert arrow.scalar(values[0], kind).as_py() == values[0] and arrow.scalar(None, kind).as_py() is None


@pytest.mark.parametrize("name", [n for n in VALUES if n != "large_string"])
def test_a_sliced_chunked_column_reads_as_numpy_with_missing_cells_filled(name):
    kind, values = VALUES[name]
    column = pa.chunked_array([arrow.array(values, kind).slice(1), arrow.array(values, kind).slice(2, 2)])
    expected = values[1:] + values[2:4]
    assert arrow.valid(column).tolist() == [v is not None for v in expected]
    dtype, missing = ("datetime64[D]", np.datetime64("NaT")) if name == "date32" else (object, "missing")
    read = arrow.stored(column, dtype, missing)
    if name == "date32":
        assert read.tolist() == [v if v is not None else None for v in expected]
    else:
        assert read.tolist() == [v if v is not None else "missing" for v in expected]


def test_texts_and_codes_of_a_dictionary_column_never_read_a_missing_cell_as_a_value():
    words = arrow.array(["yes", "no"], pa.large_string())
    column = pa.chunked_array([pa.DictionaryArray.from_arrays(arrow.array([1, None, 0], pa.int32()), words)] * 2)
    assert arrow.texts(column).tolist() == ["no", None, "yes"] * 2
    assert arrow.codes(column).tolist() == [1, -1, 0] * 2


def test_building_and_reading_arrays_never_imports_pandas():
    code = ("import sys, datetime; import pyarrow as pa; from nkdigital.core import arrow;"
            " a = arrow.array([1.5, None], pa.float64());"
            " d = arrow.array([datetime.date(2020, 1, 1), None], pa.date32());"
            " t = arrow.array(['x', None], pa.large_string());"
            " print(arrow.stored(a, float, 0.0).tolist(), arrow.stored(d, 'datetime64[D]', 0).dtype,"
            " arrow.texts(t).tolist(), 'pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["[1.5,", "0.0]", "datetime64[D]", "['x',", "None]", "False"], done.stderr
