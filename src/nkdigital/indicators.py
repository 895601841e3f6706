"""The list of indicators for a package without an `indicators` resource."""

from __future__ import annotations

import pandas as pd

COLUMNS = ("indicator_id", "title", "unit", "definition", "claim_types", "caveats")


def indicator_list(observations: pd.DataFrame, version: str) -> pd.DataFrame:
    """One row per allowed indicator value, with the units and claim types its observations use (space-separated)
    and empty title, definition and caveats."""
    obs = observations.astype({"indicator": "string", "unit": "string", "claim_type": "string"})
    used = obs.groupby("indicator")[["unit", "claim_type"]].agg(lambda v: " ".join(sorted(set(v.dropna()))))
    ids = sorted(observations["indicator"].cat.categories)
    frame = pd.DataFrame({column: pd.array([""] * len(ids), dtype="string") for column in COLUMNS})
    frame["indicator_id"] = pd.array(ids, dtype="string")
    frame["unit"] = frame["indicator_id"].map(used["unit"]).fillna("").astype("string")
    frame["claim_types"] = frame["indicator_id"].map(used["claim_type"]).fillna("").astype("string")
    frame.attrs = {"resource": "indicators", "title": "Indicators", "description": "", "fields": {},
                   "package_version": version}
    return frame
