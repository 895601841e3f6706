"""checking.columns: a read resource's Arrow columns as the numpy arrays the checks compare."""

import datetime as dt

import numpy as np
import pyarrow as pa

from nkdigital.checking import columns


def _table():
    enum = pa.DictionaryArray.from_arrays(pa.array([1, None, 0], pa.int32()), pa.array(["a", "b"], pa.large_string()))
    return pa.table({
        "text": pa.array(["x", None, "z"], pa.large_string()), "enum": enum, "number": pa.array([1.5, None, -2.0]),
        "integer": pa.array([3, None, 4], pa.int64()), "flag": pa.array([True, None, False]),
        "day": pa.array([dt.date(2020, 1, 2), None, dt.date(1999, 12, 31)], pa.date32()),
    }).replace_schema_metadata({"path": "data/t.csv"})


def test_missing_cells_read_as_none_nan_false_and_nat():
    table = _table()
    assert columns.texts(table, "text").tolist() == ["x", None, "z"]
    assert columns.texts(table, "enum").tolist() == ["b", None, "a"]  # a null's index is not read as a value
    np.testing.assert_array_equal(columns.floats(table, "number"), [1.5, np.nan, -2.0])
    np.testing.assert_array_equal(columns.floats(table, "integer"), [3.0, np.nan, 4.0])
    assert columns.mask(table, "flag").tolist() == [True, False, False]
    assert columns.dates(table, "day").astype(str).tolist() == ["2020-01-02", "NaT", "1999-12-31"]


def test_labels_rows_and_records():
    table = _table()
    assert columns.label("t", table) == "data/t.csv"
    assert columns.label("t", table.replace_schema_metadata(None)) == "data/t.csv"
    assert columns.label("u", table.replace_schema_metadata(None)) == "data/u.csv"
    assert columns.row(0) == 2
    assert columns.has(table, "text", "enum") and not columns.has(table, "text", "nope")
    assert columns.records(table, ["enum", "integer"]) == [
        {"enum": "b", "integer": 3}, {"enum": None, "integer": None}, {"enum": "a", "integer": 4}]
