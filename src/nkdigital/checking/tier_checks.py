"""Access tiers: a share says what it is a share of, so only a share of the population becomes people."""

from __future__ import annotations

import pandas as pd

from nkdigital.checking.checks import _label, _row
from nkdigital.core.errors import Problem


def check_share_of(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """`share_of` is filled exactly on rows whose unit is share."""
    tiers = frames.get("access_tiers")
    if tiers is None or "share_of" not in tiers:
        return []
    label = _label("access_tiers", tiers)
    problems = []
    for index, unit, share_of in zip(tiers.index, tiers["unit"], tiers["share_of"], strict=True):
        is_share, has_denominator = unit == "share", not pd.isna(share_of)
        if is_share and not has_denominator:
            problems.append(Problem(label, _row(index), "share_of", "a share needs share_of: population or"
                                    " households, as the quote says"))
        elif has_denominator and not is_share:
            problems.append(Problem(label, _row(index), "share_of", "only a share has share_of; leave it empty"))
    return problems
