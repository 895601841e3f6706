"""Conflicting figures: different sources giving different figures for the same indicator, place and period."""

from __future__ import annotations

import pandas as pd

from nkdigital.periods import period_end

GROUP = ["indicator", "geo", "unit", "period_start", "period_end"]  # `conflict` numbers these groups from 1
SPREAD = ["sources", "spread_min", "spread_max", "spread_ratio"]


def conflicts(observations: pd.DataFrame) -> pd.DataFrame:
    """One row per observation in a conflict group, with the group's number (`conflict`), key and spread in front.

    A group is the observations (derived rows excluded) of one indicator, geo and unit whose reference periods are
    the same (same ref_date and the same period end); it is a conflict when at least two sources stand behind it
    and at least two figures differ. Each row's figure runs from `low` (else `value`) to `high` (else `value`);
    rows without any figure are left out. The spread is the lowest and highest figure and their ratio (max/min,
    empty when min is 0).
    """
    obs = observations[observations["claim_type"].astype(object) != "derived"]
    low, high = obs["low"].fillna(obs["value"]), obs["high"].fillna(obs["value"])
    has_figure = (low.notna() | high.notna()).to_numpy(dtype=bool)
    obs, low, high = obs[has_figure], low[has_figure], high[has_figure]
    figures = [f"{v}|{lo}|{hi}" for v, lo, hi in zip(obs["value"], obs["low"], obs["high"], strict=True)]
    frame = obs.assign(period_start=obs["ref_date"], period_end=period_end(obs, "ref_date"),
                       _low=low.fillna(high), _high=high.fillna(low), _figure=figures)
    groups = frame.groupby(GROUP, observed=True, dropna=False, sort=False)
    frame["sources"] = groups["source_id"].transform("nunique")
    frame = frame[(frame["sources"] >= 2) & (groups["_figure"].transform("nunique") >= 2)]
    groups = frame.groupby(GROUP, observed=True, dropna=False, sort=False)
    frame = frame.assign(spread_min=groups["_low"].transform("min"), spread_max=groups["_high"].transform("max"))
    ratio = frame["spread_max"] / frame["spread_min"].where(frame["spread_min"] != 0)
    frame = frame.assign(spread_ratio=ratio.astype("Float64"))
    columns = ["conflict", *GROUP, *SPREAD, *(c for c in observations.columns if c not in GROUP)]
    frame = frame.sort_values(["period_start", "indicator", "geo", "unit", "period_end", "observation_id"])
    frame["conflict"] = (frame[GROUP].astype(str) != frame[GROUP].astype(str).shift()).any(axis=1).cumsum()
    result = frame[columns].reset_index(drop=True)
    result.attrs = {**observations.attrs, "resource": "observations"}
    return result
