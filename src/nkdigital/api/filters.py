"""The row filters behind the package's accessors (`pkg.observations(indicator, geo=...)` and the rest).

Each returns a boolean mask over the frame's rows (None: no filter), so that an accessor takes its rows from the
stored frame once, however many filters it applies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

Choice = str | Iterable[str] | None
ALL_GEOS = "all"
_GEO = re.compile(r"[A-Z]{3}")


def choices(choice: Choice, argument: str) -> list[str]:
    """`choice` as a list of values: one text value, or an iterable (list, tuple, set, Series) of them; any other
    argument is a TypeError naming `argument`."""
    if isinstance(choice, str):
        return [choice]
    if isinstance(choice, Iterable) and not isinstance(choice, bytes | dict | pd.DataFrame):
        wanted = list(choice)
        if all(isinstance(value, str) for value in wanted):
            return wanted
    raise TypeError(f"{argument} must be a text value or a list of text values; got {choice!r:.80}")


def by_value(frame: pd.DataFrame, column: str, choice: Choice) -> np.ndarray | None:
    """Rows whose `column` is `choice` (one value or several); None keeps every row. A value an enum column
    cannot hold is a ValueError that lists the values it can."""
    if choice is None:
        return None
    wanted = choices(choice, column)
    categories = getattr(frame[column], "cat", None)
    if categories is not None:
        invalid = set(wanted) - set(categories.categories)
        if invalid:
            raise ValueError(f"unknown {column} {sorted(invalid)}; choose from {list(categories.categories)}")
    return frame[column].isin(wanted).to_numpy(dtype=bool)


def by_geo(frame: pd.DataFrame, geo: Choice) -> np.ndarray | None:
    """Rows of the given geo code(s); None or "all" keeps every geo."""
    if geo is None or geo == ALL_GEOS or "geo" not in frame:
        return None
    wanted = choices(geo, "geo")
    invalid = [g for g in wanted if not _GEO.fullmatch(g)]
    if invalid:
        raise ValueError(f"geo {invalid[0]!r} is not an ISO 3166-1 alpha-3 code such as 'PRK' (or 'all')")
    return frame["geo"].isin(wanted).to_numpy(dtype=bool)


def every(frame: pd.DataFrame, masks: Iterable[np.ndarray | None]) -> np.ndarray:
    """The rows that every mask keeps (all rows when every mask is None)."""
    keep = np.ones(len(frame), dtype=bool)
    for mask in masks:
        if mask is not None:
            keep &= mask
    return keep
