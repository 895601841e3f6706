"""Access tiers: a share says what it is a share of, so only a share of the population becomes people."""

from __future__ import annotations

from nkdigital.checking import columns
from nkdigital.checking.checks import _flagged
from nkdigital.core.errors import Problem

NEEDED = "a share needs share_of: population or households, as the quote says"
UNWANTED = "only a share has share_of; leave it empty"


def check_share_of(tables: dict) -> list[Problem]:
    """`share_of` is filled exactly on rows whose unit is share."""
    tiers = tables.get("access_tiers")
    if tiers is None or not columns.has(tiers, "share_of"):
        return []
    is_share = columns.texts(tiers, "unit") == "share"
    has_denominator = columns.texts(tiers, "share_of") != None  # noqa: E711 (element-wise)
    return _flagged(columns.label("access_tiers", tiers), is_share != has_denominator, "share_of",
                    lambda p: UNWANTED if has_denominator[p] else NEEDED)
