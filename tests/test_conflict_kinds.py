"""The tolerance of `conflicts` on each kind of interval: open above (`at_least`), open below (`up_to`), a stated
range, a single value, and figures apart only by rounding."""

from __future__ import annotations

import pandas as pd
import pytest

from nkdigital.api import conflicts


def _rows(*figures: tuple[str, float | None, float | None, float | None, str | None]) -> pd.DataFrame:
    """One observation per (source, value, low, high, qualifier), all for one indicator, geo and year."""
    return pd.DataFrame({
        "observation_id": [f"obs-{n}" for n in range(len(figures))],
        "indicator": "mobile_subscriptions", "geo": "PRK", "unit": "subscriptions",
        "ref_date": pd.Timestamp("2010-01-01"), "ref_date_precision": "year", "claim_type": "estimate",
        "source_id": [f[0] for f in figures],
        "value": pd.array([f[1] for f in figures], dtype="Float64"),
        "low": pd.array([f[2] for f in figures], dtype="Float64"),
        "high": pd.array([f[3] for f in figures], dtype="Float64"),
        "qualifier": [f[4] for f in figures],
    })


@pytest.mark.parametrize(("figures", "kind"), [
    ([("a", 2_000_000, None, None, None), ("b", 2_000_000, None, None, "at_least")], None),  # 2 million fits "at least"
    ([("a", 1_000_000, None, None, None), ("b", 2_000_000, None, None, "at_least")], "conflict"),
    ([("a", 500, None, None, None), ("b", 1_000, None, None, "up_to")], None),
    ([("a", 2_000, None, None, None), ("b", 1_000, None, None, "up_to")], "conflict"),
    ([("a", 150, None, None, None), ("b", None, 100, 200, "range")], None),
    ([("a", None, 100, 140, "range"), ("b", None, 150, 200, "range")], "conflict"),
    ([("a", 26_232_530, None, None, None), ("b", 26_232_534, None, None, None)], "rounding"),
    ([("a", 100, None, None, None), ("a", 400, None, None, None)], None),  # one source does not conflict with itself
])
def test_a_group_conflicts_only_when_no_figure_fits_every_interval(figures, kind):
    found = conflicts.conflicts(_rows(*figures), include_rounding=True)
    assert (set(found["kind"]) or {None}) == {kind}
    assert len(found) == (len(figures) if kind else 0)
    assert conflicts.conflicts(_rows(*figures)).empty == (kind != "conflict")
