"""reading.frames.to_frame: a read table as the typed frame nk.load returns."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa

from nkdigital.core import arrow
from nkdigital.reading.frames import to_frame


def test_each_column_type_becomes_the_frames_dtype_with_missing_cells_as_na():
    words = arrow.array(["low", "high"], pa.large_string())
    table = pa.table({
        "text": arrow.array(["a", None], pa.large_string()),
        "level": pa.DictionaryArray.from_arrays(arrow.array([1, None], pa.int32()), words),
        "number": arrow.array([1.5, None], pa.float64()),
        "count": arrow.array([None, 3], pa.int64()),
        "flag": arrow.array([True, None], pa.bool_()),
        "day": arrow.array([dt.date(2020, 2, 29), None], pa.date32()),
    }).replace_schema_metadata({"path": "data/x.csv"})
    frame = to_frame(table)
    assert frame.attrs == {"path": "data/x.csv"}
    assert frame["text"].dtype == pd.StringDtype("pyarrow") and frame["text"].tolist() == ["a", pd.NA]
    assert list(frame["level"].cat.categories) == ["low", "high"] and frame["level"].tolist()[0] == "high"
    assert frame["level"].isna().tolist() == [False, True]
    assert frame["number"].dtype == pd.Float64Dtype() and frame["number"].tolist() == [1.5, pd.NA]
    assert frame["count"].dtype == pd.Int64Dtype() and frame["count"].tolist() == [pd.NA, 3]
    assert frame["flag"].dtype == pd.BooleanDtype() and frame["flag"].tolist() == [True, pd.NA]
    assert frame["day"].dtype == np.dtype("datetime64[s]")
    assert frame["day"].iloc[0] == pd.Timestamp("2020-02-29") and frame["day"].isna().tolist() == [False, True]
