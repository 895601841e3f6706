"""The last day of dated rows' periods, on numpy arrays: the one rule `core.periods.period_end` applies to a frame
and the checks (which never import pandas) apply to a table's columns.

A row's period runs from its date to the last day its precision allows: the same day (day), the last day of the
month (month), 31 December (year), or its `<date>_end` (range, where that is given).
"""

from __future__ import annotations

import numpy as np


def last_days(dates: np.ndarray, precision: np.ndarray, ends: np.ndarray | None = None) -> np.ndarray:
    """Last day of each period: `dates` and `ends` as datetime64[D] (NaT missing), `precision` as an object array
    of its labels; NaT where the date is missing."""
    dates = dates.astype("datetime64[D]")
    last = dates.copy()
    month, year = precision == "month", precision == "year"
    last[month] = ((dates[month].astype("datetime64[M]") + 1).astype("datetime64[D]") - 1)
    last[year] = ((dates[year].astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1)
    if ends is not None:
        ranged = (precision == "range") & ~np.isnat(ends)
        last[ranged] = ends.astype("datetime64[D]")[ranged]
    return last
