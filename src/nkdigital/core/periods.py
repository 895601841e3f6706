"""Periods of dated rows and the `start`/`end` window: a row is selected when its period overlaps the window.

A row's period runs from its date to the last day its precision allows: the same day (day), the last day of the
month (month), 31 December (year), or the `<date>_end` column (range). A window bound may be a year ("2024"), a
year-month ("2024-09") or a date ("2024-09-30"); `start` means the first day of that period, `end` its last day.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from nkdigital.core.spans import last_days

Bound = str | int | dt.date | None
_BOUND = re.compile(r"(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2}))?)?")


def bound(value: Bound, side: str) -> pd.Timestamp | None:
    """The first (side="start") or last (side="end") day of the period `value` names; None stays None."""
    if value is None:
        return None
    if value is pd.NaT or isinstance(value, float | bool | np.floating | np.bool_):
        raise TypeError(f"{side} must be a year (YYYY or 2024), a month (YYYY-MM), a date (YYYY-MM-DD) or a"
                        f" datetime.date; got {value!r}")
    if isinstance(value, dt.date):  # also datetime and pd.Timestamp
        return pd.Timestamp(value).normalize()
    match = _BOUND.fullmatch(str(value).strip())
    try:
        if match is None:
            raise ValueError
        year, month, day = (int(match[part]) if match[part] else None for part in ("year", "month", "day"))
        first = pd.Timestamp(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"{side} {value!r} is not a year (YYYY), a month (YYYY-MM) or a date (YYYY-MM-DD)") from None
    if side == "start" or day is not None:
        return first
    return first + (pd.offsets.MonthEnd(0) if month is not None else pd.offsets.YearEnd(0))


def window(start: Bound, end: Bound) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The window's first and last day; ValueError when it ends before it starts."""
    first, last = bound(start, "start"), bound(end, "end")
    if first is not None and last is not None and first > last:
        raise ValueError(f"start {start!r} is after end {end!r}")
    return first, last


def period_end(frame: pd.DataFrame, column: str) -> pd.Series:
    """Last day of each row's period in `column` (see the module docstring); NaT where the date is empty."""
    dates = frame[column]
    ends = frame[f"{column}_end"].to_numpy("datetime64[D]") if f"{column}_end" in frame else None
    last = last_days(dates.to_numpy("datetime64[D]"), frame[f"{column}_precision"].to_numpy(object), ends)
    return pd.Series(last, index=frame.index, name=dates.name).astype(dates.dtype)


def overlapping(frame: pd.DataFrame, column: str, start: Bound, end: Bound) -> np.ndarray | None:
    """Which rows of `frame` have a period in `column` that overlaps the window from `start` to `end` (either may
    be None): a boolean mask, or None when there is no window."""
    first, last = window(start, end)
    if first is None and last is None:
        return None
    keep = frame[column].notna()
    if last is not None:
        keep &= frame[column] <= last
    if first is not None:
        keep &= period_end(frame, column) >= first
    return keep.to_numpy(dtype=bool)
