"""Date checks: no date in the future, each date agrees with its precision, a range's end follows its start."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from nkdigital.checking import columns
from nkdigital.checking.checks import _by_row, _cell, _filled, _flagged, _is
from nkdigital.core.errors import Problem


def check_dates(table, label: str, today: dt.date) -> list[Problem]:
    """No date in the future; each date agrees with its precision column."""
    problems = []
    for column in [f.name for f in table.schema if pa.types.is_date(f.type)]:
        problems += _by_row(_date_problems(table, label, column, today))
    return problems


def _date_problems(table, label: str, column: str, today: dt.date) -> list[Problem]:
    stamps = columns.dates(table, column)
    precision_column = f"{column}_precision"
    precision = columns.has(table, precision_column)
    dated = ~np.isnat(stamps)
    has_precision = _filled(table, precision_column) if precision else np.zeros(table.num_rows, dtype=bool)
    problems = _flagged(label, ~dated & has_precision, precision_column, lambda i: "precision given without a date")
    problems += _flagged(label, dated & (stamps > np.datetime64(today, "D")), column,
                         lambda i: f"{stamps[i]} is in the future")
    if precision:
        problems += _flagged(label, dated & ~has_precision, precision_column, lambda i: "a date needs its precision")
        first_of_month = stamps.astype("datetime64[M]").astype("datetime64[D]") == stamps
        problems += _flagged(label, dated & _is(table, precision_column, "month") & ~first_of_month, column,
                             lambda i: f"{stamps[i]} has month precision, so the day must be 01")
        first_of_year = stamps.astype("datetime64[Y]").astype("datetime64[D]") == stamps
        problems += _flagged(label, dated & _is(table, precision_column, "year") & ~first_of_year, column,
                             lambda i: f"{stamps[i]} has year precision, so it must be YYYY-01-01")
    return problems + _range_end_problems(table, label, column, dated)


def _range_end_problems(table, label: str, column: str, dated: np.ndarray) -> list[Problem]:
    """A `range` precision needs the period's last day in `<column>_end`, on or after the date; others leave it
    empty."""
    end_column, precision_column = f"{column}_end", f"{column}_precision"
    if not columns.has(table, end_column):
        return []
    ends, stamps = columns.dates(table, end_column), columns.dates(table, column)
    precision = columns.has(table, precision_column)
    ranged = _is(table, precision_column, "range") if precision else np.zeros(table.num_rows, dtype=bool)
    has_end = ~np.isnat(ends)
    problems = _flagged(label, dated & ranged & ~has_end, end_column,
                        lambda i: "range precision needs the last day of the range")
    problems += _flagged(label, dated & ranged & has_end & (ends < stamps), end_column,
                         lambda i: f"{ends[i]} is before {stamps[i]}")
    shown = (lambda i: _cell(table, precision_column, i)) if precision else (lambda i: None)
    problems += _flagged(label, dated & ~ranged & has_end, end_column,
                         lambda i: f"only a range precision has an end date, not {shown(i)}")
    return problems
