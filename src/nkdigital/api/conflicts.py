"""Conflicting figures: different sources giving different figures for the same quantity, place and period.

Tolerance (documented in the README): each row states an interval — `low` (else `value`) to `high` (else
`value`), open above for `at_least` and open below for `up_to` — and a group is a conflict only when no single
figure lies in every row's interval. "2,000,000" and "at least 2 million" agree. Intervals that miss each other
by at most ROUNDING (relative) differ only by rounding (26,232,530 against 26,232,534): such a group has kind
`rounding` and is left out unless asked for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nkdigital.core.periods import period_end
from nkdigital.metadata.resources import RESOURCES, primary_key
from nkdigital.metadata.roles import ROLES, having

GROUP = ["indicator", "geo", "unit", "period_start", "period_end"]  # `conflict` numbers these groups from 1
SPREAD = ["sources", "spread_min", "spread_max", "spread_ratio"]
ROUNDING = 1e-3  # figures within 0.1 % of each other differ only by rounding
QUANTITY = [*ROLES["quantity"], "phrase", "claim_type", *ROLES["evidence"]]
# How each resource whose figures count something (`counts` in its metadata) is keyed for `across`: its id column,
# what it counts, and its date column.
KEYS = {r["name"]: (primary_key(r["name"])[0], r["counts"], having("date", r["fields"])[0])
        for r in RESOURCES if "counts" in r}


def _kinds(frame: pd.DataFrame) -> np.ndarray:
    """Each row's group's kind: 'agree' when one figure lies in every row's interval of the group, 'rounding' when
    that holds within ROUNDING, else 'conflict' (one pass over all groups)."""
    qualifier = frame["qualifier"].astype(object)
    top = frame["_high"].astype(float).where(qualifier != "at_least", np.inf)
    bottom = frame["_low"].astype(float).where(qualifier != "up_to", 0.0)
    keys = [frame[column] for column in GROUP]
    floor = bottom.groupby(keys, observed=True, dropna=False, sort=False).transform("max").to_numpy(dtype=float)
    ceiling = top.groupby(keys, observed=True, dropna=False, sort=False).transform("min").to_numpy(dtype=float)
    rounding = np.where(floor - ceiling <= ROUNDING * np.abs(floor), "rounding", "conflict")
    return np.where(floor <= ceiling, "agree", rounding).astype(object)


def conflicts(observations: pd.DataFrame, include_rounding: bool = False) -> pd.DataFrame:
    """One row per observation in a conflict group, with the group's number (`conflict`), key and spread in front
    and its `kind` (conflict, or rounding when asked for) at the end.

    A group is the observations (derived rows excluded) of one indicator, geo and unit whose reference periods are
    the same (same ref_date and the same period end); it is reported when at least two sources stand behind it and
    their figures do not agree within the tolerance above. Rows without any figure are left out. The spread is
    the lowest and highest figure and their ratio (max/min, empty when min is 0).
    """
    frame = _conflicting(observations, include_rounding)
    frame = frame.sort_values(["period_start", "indicator", "geo", "unit", "period_end", "observation_id"])
    frame = frame.assign(conflict=_numbered(frame, GROUP))
    columns = ["conflict", *GROUP, *SPREAD, *(c for c in observations.columns if c not in GROUP), "kind"]
    result = frame[columns].reset_index(drop=True)
    result.attrs = {**observations.attrs, "resource": "observations"}
    return result


def _numbered(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Group numbers from 1 for rows sorted so that each group's rows are consecutive."""
    key = frame[columns].astype(str)
    return (key != key.shift()).any(axis=1).cumsum()


def _conflicting(observations: pd.DataFrame, include_rounding: bool) -> pd.DataFrame:
    """The rows of `conflicts`, with key, spread and kind, neither numbered nor sorted."""
    obs = observations[observations["claim_type"].astype(object) != "derived"]
    low, high = obs["low"].fillna(obs["value"]), obs["high"].fillna(obs["value"])
    has_figure = (low.notna() | high.notna()).to_numpy(dtype=bool)
    obs, low, high = obs[has_figure], low[has_figure], high[has_figure]
    frame = obs.assign(period_start=obs["ref_date"], period_end=period_end(obs, "ref_date"),
                       _low=low.fillna(high), _high=high.fillna(low))
    groups = frame.groupby(GROUP, observed=True, dropna=False, sort=False)
    frame["sources"] = groups["source_id"].transform("nunique")
    frame = frame[frame["sources"] >= 2]
    frame = frame.assign(kind=_kinds(frame)) if len(frame) else frame.assign(kind=pd.Series(dtype=object))
    wanted = {"conflict", "rounding"} if include_rounding else {"conflict"}
    frame = frame[frame["kind"].isin(wanted)]
    groups = frame.groupby(GROUP, observed=True, dropna=False, sort=False)
    frame = frame.assign(spread_min=groups["_low"].transform("min"), spread_max=groups["_high"].transform("max"))
    ratio = frame["spread_max"] / frame["spread_min"].where(frame["spread_min"] != 0)
    return frame.assign(spread_ratio=ratio.astype("Float64"))


def _as_observations(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a quantity resource in the shape `conflicts` groups: what they count joined into `indicator`
    (e.g. 'mobile_phone / devices / DPRK (whole country)'), their id as `observation_id`, geo PRK where the
    resource has none."""
    id_column, counted, date = KEYS[name]
    what = frame[counted].astype(str).agg(" / ".join, axis=1) if len(frame) else pd.Series(dtype=object)
    shaped = frame.assign(indicator=what, observation_id=frame[id_column], ref_date=frame[date],
                          geo=frame.get("geo", "PRK"))
    if "claim_type" not in shaped:
        shaped = shaped.assign(claim_type=pd.NA)
    keep = ["observation_id", "indicator", "geo", "ref_date", "ref_date_precision", "ref_date_end", *QUANTITY]
    return shaped[keep].assign(resource=name, indicator=shaped["indicator"].astype(object))


def across(frames: dict[str, pd.DataFrame], include_rounding: bool = False) -> pd.DataFrame:
    """Conflicts within each of observations, device estimates and access tiers (same rules and tolerance as
    `conflicts`); `resource` says where a row comes from, `observation_id` holds its id whatever the resource."""
    parts = [_conflicting(_as_observations(name, frames[name]), include_rounding).assign(resource=name)
             for name in KEYS if name in frames]
    result = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else parts[0]
    result = result.rename(columns={"observation_id": "row_id"})
    result = result.sort_values(["period_start", "resource", "indicator", "row_id"], kind="stable")
    result = result.assign(conflict=_numbered(result, ["resource", *GROUP]))
    columns = ["conflict", "resource", *GROUP, *SPREAD, "row_id", *QUANTITY, "kind"]
    return result[columns].reset_index(drop=True)
