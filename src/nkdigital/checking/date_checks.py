"""Date checks: no date in the future, each date agrees with its precision, a range's end follows its start."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from nkdigital.checking.checks import _by_row, _flagged, _mask
from nkdigital.core.errors import Problem


def check_dates(frame: pd.DataFrame, label: str, today: dt.date) -> list[Problem]:
    """No date in the future; each date agrees with its precision column."""
    problems = []
    for column in [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]:
        problems += _by_row(_date_problems(frame, label, column, today))
    return problems


def _date_problems(frame: pd.DataFrame, label: str, column: str, today: dt.date) -> list[Problem]:
    stamps = frame[column]
    precision_column = f"{column}_precision"
    precision = frame.get(precision_column)
    dated = _mask(stamps.notna())
    has_precision = _mask(precision.notna()) if precision is not None else np.zeros(len(frame), dtype=bool)
    day = lambda i: stamps.iloc[i].date()  # noqa: E731
    problems = _flagged(label, frame, ~dated & has_precision, precision_column,
                        lambda i: "precision given without a date")
    problems += _flagged(label, frame, dated & _mask(stamps >= pd.Timestamp(today) + pd.Timedelta(days=1)), column,
                         lambda i: f"{day(i)} is in the future")
    if precision is not None:
        named = precision.astype(object)
        problems += _flagged(label, frame, dated & ~has_precision, precision_column,
                             lambda i: "a date needs its precision")
        problems += _flagged(label, frame, dated & _mask(named == "month") & _mask(stamps.dt.day != 1), column,
                             lambda i: f"{day(i)} has month precision, so the day must be 01")
        problems += _flagged(label, frame, dated & _mask(named == "year")
                             & _mask((stamps.dt.month != 1) | (stamps.dt.day != 1)), column,
                             lambda i: f"{day(i)} has year precision, so it must be YYYY-01-01")
    return problems + _range_end_problems(frame, label, column, dated)


def _range_end_problems(frame: pd.DataFrame, label: str, column: str, dated: np.ndarray) -> list[Problem]:
    """A `range` precision needs the period's last day in `<column>_end`, on or after the date; others leave it
    empty."""
    end_column, precision_column = f"{column}_end", f"{column}_precision"
    if end_column not in frame:
        return []
    ends, stamps = frame[end_column], frame[column]
    precision = frame.get(precision_column)
    ranged = _mask(precision.astype(object) == "range") if precision is not None else np.zeros(len(frame), bool)
    has_end = _mask(ends.notna())
    problems = _flagged(label, frame, dated & ranged & ~has_end, end_column,
                        lambda i: "range precision needs the last day of the range")
    problems += _flagged(label, frame, dated & ranged & has_end & _mask(ends < stamps), end_column,
                         lambda i: f"{ends.iloc[i].date()} is before {stamps.iloc[i].date()}")
    shown = (lambda i: precision.iloc[i]) if precision is not None else (lambda i: None)
    problems += _flagged(label, frame, dated & ~ranged & has_end, end_column,
                         lambda i: f"only a range precision has an end date, not {shown(i)}")
    return problems
