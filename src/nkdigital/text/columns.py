"""Writing a text column: a function applied once per distinct combination of a table's values, never a loop
over rows; the machinery behind :func:`nkdigital.text.dates`, :func:`~nkdigital.text.quantities` and
:func:`~nkdigital.text.fill`."""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd


def per_distinct(frame: pd.DataFrame, fields: Sequence[str], write: Callable[..., str]) -> pd.Series:
    """`write(*values)` once per distinct combination of `fields` in `frame`, as a text column with its index;
    a field `frame` lacks and every missing value (NaN, NaT, NA) reaches `write` as None.

    The combinations are found with a dict over the rows' tuples: a table a notebook prints has tens of rows, and
    each pandas step (reindex, astype, where, factorize) cost more than the whole loop."""
    columns = [_cells(frame[field]) if field in frame else [None] * len(frame) for field in fields]
    found: dict[tuple, int] = {}
    codes = np.fromiter((found.setdefault(row, len(found)) for row in zip(*columns, strict=True)), dtype=np.intp,
                        count=len(frame))
    words = np.asarray([write(*values) for values in found], dtype="object")
    return pd.Series(words[codes], index=frame.index, dtype="object")


def _cells(column: pd.Series) -> list:
    """A column's values as Python objects (dates as Timestamps), every missing value (NaN, NaT, NA) as None."""
    return [None if _missing(value) else value for value in column.astype("object").tolist()]


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array in a cell is a value
        return False


def aligned(columns: dict[str, object]) -> pd.DataFrame:
    """Named columns (Series of one table, or single values) side by side; Series from different rows refused."""
    series = [column for column in columns.values() if isinstance(column, pd.Series)]
    if not series or any(not column.index.equals(series[0].index) for column in series):
        raise ValueError("the columns must be Series of the same rows (one index)")
    return pd.DataFrame({name: column.to_numpy(dtype="object") if isinstance(column, pd.Series) else column
                         for name, column in columns.items()}, index=series[0].index)


class _RowFormatter(string.Formatter):
    """str.format for one row: a missing value (None) prints as '', each field passes through `escape` last."""

    def __init__(self, escape: Callable[[str], str] = str):
        self.escape = escape

    def format_field(self, value: object, format_spec: str) -> str:
        return "" if value is None else self.escape(super().format_field(value, format_spec))


def filled(template: str, columns: dict[str, object], escape: Callable[[str], str] = str) -> pd.Series:
    """`template` filled once per distinct row of `columns` (see :func:`nkdigital.text.fill`)."""
    names, formatter = list(columns), _RowFormatter(escape)
    return per_distinct(aligned(columns), names, lambda *values: formatter.format(
        template, **dict(zip(names, values, strict=True))))
