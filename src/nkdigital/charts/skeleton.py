"""The steps chart builders share: the rows a chart draws (the preamble every builder starts with) and the package
look-ups more than one chart needs."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.charts import credits
from nkdigital.metadata.roles import ROLES

FIGURES = list(ROLES["figure"])  # the columns of a stated figure: value, low, high (in the order ranges.span takes)
# what a figure's label or hover reads of its row: quantity, claim and date (text.quantity_of, ranges.is_estimate,
# text.date_of)
SHOWN = [*ROLES["quantity"], "claim_type", "ref_date", "ref_date_precision", "ref_date_end", "date_phrase"]


def records(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict]:
    """The `columns` `frame` has of each of its rows as a dict, the values ``to_dict("records")`` gives (pandas.NA
    as None): a chart's rows carry twenty or more columns, and to_dict converts every one, value by value."""
    columns = [c for c in columns if c in frame]
    values = zip(*([None if v is pd.NA else v for v in frame[c].tolist()] for c in columns), strict=True)
    return [dict(zip(columns, row, strict=True)) for row in values]


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


def stated_share(package: Package, row: dict) -> pd.Series | None:
    """The stated share a derived owner figure multiplies (its input in device_estimates), if any."""
    shares = package.device_estimates().set_index("estimate_id")
    ids = [i for i in str(row.get("input_ids") or "").split() if i in shares.index]
    found = shares.loc[ids]
    found = found[found["unit"].astype(str) == "share"]
    return found.iloc[0] if len(found) else None
