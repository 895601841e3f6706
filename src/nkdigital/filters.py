"""The row filters behind the package's accessors (`pkg.observations(indicator, geo=...)` and the rest)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

Choice = str | Iterable[str] | None
ALL_GEOS = "all"
_GEO = re.compile(r"[A-Z]{3}")


def by_value(frame: pd.DataFrame, column: str, choice: Choice) -> pd.DataFrame:
    """Rows whose `column` is `choice` (one value or several); None keeps every row. A value an enum column
    cannot hold is a ValueError that lists the values it can."""
    if choice is None:
        return frame
    wanted = [choice] if isinstance(choice, str) else list(choice)
    unknown = set(wanted) - set(frame[column].dropna().unique())
    categories = getattr(frame[column], "cat", None)
    if unknown and categories is not None:
        invalid = unknown - set(categories.categories)
        if invalid:
            raise ValueError(f"unknown {column} {sorted(invalid)}; choose from {list(categories.categories)}")
    return frame[frame[column].isin(wanted)]


def by_geo(frame: pd.DataFrame, geo: Choice) -> pd.DataFrame:
    """Rows of the given geo code(s); None or "all" keeps every geo."""
    if geo is None or geo == ALL_GEOS or "geo" not in frame:
        return frame
    wanted = [geo] if isinstance(geo, str) else list(geo)
    invalid = [g for g in wanted if not isinstance(g, str) or not _GEO.fullmatch(g)]
    if invalid:
        raise ValueError(f"geo {invalid[0]!r} is not an ISO 3166-1 alpha-3 code such as 'PRK' (or 'all')")
    return frame[frame["geo"].isin(wanted)]
