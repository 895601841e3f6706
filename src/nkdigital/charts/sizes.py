"""Sizes of access tiers in people: a share of the population becomes people with the population figure nearest in
time; the access-tiers chart and its headline both draw them."""

from __future__ import annotations

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.charts import credits
from nkdigital.charts.skeleton import FIGURES
from nkdigital.text import missing, number

LOG_AXIS_TITLE = "People (log scale: each step is ten times more)"


def population_rows(package: Package) -> pd.DataFrame:
    rows = credits.select(credits.in_geo(package.observations("population")), package)
    rows = rows[rows["value"].notna() & rows["ref_date"].notna()].copy()
    rows["_official"] = ~rows["claim_type"].astype(str).eq("international_statistic")
    return rows


def nearest(population: pd.DataFrame, date: object) -> pd.Series:
    """The population row nearest in time to `date` (international statistics first, then by id)."""
    when = pd.Timestamp(date) if not missing(date) else population["ref_date"].max()
    distance = (population["ref_date"] - when).abs()
    ranked = population.assign(_distance=distance).sort_values(["_official", "_distance", "observation_id"])
    return ranked.iloc[0]


def sized_rows(tiers: pd.DataFrame, population: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows with a size in people (shares of the population converted with the population nearest in time), and
    the rest (a share of households is no number of people: it stays as stated, off the people axis)."""
    has_size = tiers[FIGURES].notna().any(axis=1)
    unit = tiers["unit"].astype(str)
    of_people = (tiers["share_of"].isna() | (tiers["share_of"].astype(str) == "population")) if "share_of" in tiers \
        else True
    sized = tiers[has_size & ((unit == "people") | ((unit == "share") & of_people))].copy()
    rest = tiers[~tiers.index.isin(sized.index)].copy()
    sized["input_ids"] = pd.Series(pd.NA, index=sized.index, dtype="string")
    sized["_converted"] = False
    sized["_population"] = ""
    for i in sized.index[sized["unit"].astype(str) == "share"]:
        pop = nearest(population, sized.at[i, "ref_date"])
        for column in FIGURES:
            if not missing(sized.at[i, column]):
                sized.at[i, column] = round(float(sized.at[i, column]) * float(pop["value"]))
        sized.at[i, "input_ids"] = pop["observation_id"]
        sized.at[i, "_converted"] = True
        sized.at[i, "_population"] = (f"{number(pop['value'])} people"
                                      f" ({pop['ref_date'].year}, {pop['observation_id']})")
    return sized, rest
