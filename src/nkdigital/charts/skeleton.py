"""The steps chart builders share: the rows a chart draws (the preamble every builder starts with) and the package
look-ups more than one chart needs."""

from __future__ import annotations

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.charts import credits


def drawable(rows: pd.DataFrame, package: Package, include_weak: bool, what: str) -> pd.DataFrame:
    """The rows of `rows` a chart draws: from non-weak sources, or all with `include_weak` (flagged ``_weak``).
    None left is a ValueError: 'no `what` to draw'."""
    frame = credits.select(rows, package, include_weak)
    if frame.empty:
        raise ValueError(f"no {what} to draw{credits.WEAK_HINT}")
    return frame


def indicator_names(package: Package) -> dict[str, str]:
    """Each indicator's display name: its title in the package's `indicators` resource."""
    table = package.indicators()
    return dict(zip(table["indicator"].astype(str), table["title"].astype(str), strict=True))
