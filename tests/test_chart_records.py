"""charts.skeleton.records: the columns a chart reads of each row, as to_dict("records") gives them."""

from __future__ import annotations

import math

import pandas as pd

from nkdigital.charts import credits
from nkdigital.charts.skeleton import records


def _same(x, y) -> bool:
    if type(x) is not type(y):
        return False
    if isinstance(x, float) and math.isnan(x):
        return math.isnan(y)
    return x is y if x is None or x is pd.NaT else x == y


def test_records_read_what_to_dict_reads(package):
    frames = [package.resource(name) for name in package.resource_names]
    frames.append(credits.select(package.observations(geo="all"), package, include_weak=True))
    for frame in frames:
        columns = list(frame.columns)
        expected = frame.to_dict("records")
        assert len(records(frame, columns)) == len(expected)
        for got, want in zip(records(frame, columns), expected, strict=True):
            assert all(_same(got[c], want[c]) for c in columns), (frame.attrs.get("resource"), got, want)
    observations = package.observations(geo="all")
    assert any(v is None for v in observations["phrase"].to_dict().values())  # missing text is None in both
    picked = records(observations, ["value", "phrase"])
    assert list(picked[0]) == ["value", "phrase"] and records(observations.iloc[:0], ["value"]) == []
