"""The devices headline: the share of adults sources say own a phone, what it would mean in people (our
computation, printed beside the share), against the latest counted subscriptions."""

from __future__ import annotations

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.charts import credits, house, palette, stated
from nkdigital.charts.fidelity import plain
from nkdigital.charts.markup import esc
from nkdigital.charts.skeleton import FIGURES, indicator_names, stated_share
from nkdigital.metadata.roles import chronological
from nkdigital.text import compact, date_of, quantity

NATIONAL_MIN = 1000  # owner figures below this are local counts, not national totals


def _owner_rows(package: Package, include_weak: bool) -> pd.DataFrame:
    owners = credits.select(package.device_estimates("mobile_phone", measure="owners"), package, include_weak)
    owners = owners[(owners["unit"].astype(str) == "people") & (owners[FIGURES].max(axis=1) >= NATIONAL_MIN)]
    return owners.assign(_id=owners["estimate_id"])


def _population_label(package: Package, row: dict) -> str:
    """The population a derived figure multiplies, named by its indicator and the source and year of its inputs."""
    observations = package.observations(geo="all").set_index("observation_id")
    ids = [i for i in str(row.get("input_ids") or "").split() if i in observations.index]
    if not ids:
        return ""
    pop = observations.loc[ids[0]]
    sources = package.sources().set_index("source_id")
    names = [credits.outlet(sources.loc[s]).split(" (")[0] for s in package.source_ids(ids[0])]
    what = indicator_names(package).get(str(pop["indicator"]), str(pop["indicator"])).lower()
    return f"× {what}, {pop['ref_date'].year}: {' and '.join(dict.fromkeys(names))}"


def owners(package: Package | None = None, *, include_weak: bool = False) -> house.HouseFigure:
    """Phone owners as a stated share of adults and what it would mean in people (nkdigital's computation with
    each population figure archived), against the latest counted subscriptions."""
    package = house.resolve(package)
    estimates = _owner_rows(package, include_weak)
    latest = _latest_count(package, include_weak)
    if estimates.empty or latest.empty:
        raise ValueError("no national estimates of mobile phone owners or no counted subscriptions to draw")
    records = estimates.to_dict("records")
    share = stated_share(package, records[0])
    estimate_text = _estimate_text(package, records, share)
    sub = latest.iloc[0]
    sub_text = esc(f"{quantity(sub['value'], sub['low'], sub['high'], sub['unit'], sub['qualifier'], fmt=compact)}"
                   f" ({date_of(sub)})")
    rows = [stated.Row("owners", "Phone owners if the<br>stated share holds", palette.colour("claim_type", "derived"),
                       estimates, estimate_text, estimates.index[0]),
            stated.Row("subscriptions", "Subscriptions counted", palette.colour("claim_type", str(sub["claim_type"])),
                       latest, sub_text, latest.index[0])]
    fig = house.HouseFigure()
    stated.draw(fig, rows, log=False)
    highest = max(stated.bounds(r)[1] for r in [*records, sub.to_dict()])
    house.set_layout(fig, xaxis={"range": [0, highest * 1.08], "tickformat": "~s", "rangemode": "tozero",
                                 "title": {"text": "People or subscriptions"}})
    title = _title(share, records[0], sub)
    notes = ["Our computation: the stated share of adults × people aged 15 and over from each archived population"
             " figure (bars: one per population figure); it is a rough range, not a count."
             " Subscriptions count SIM lines, not people."]
    words = house.Words(
        chart="devices-headline", title=esc(title),
        subtitle="A share of adults, as a source states it, and what it would mean in people",
        description=esc(" ".join(f"{plain(r.label)}: {plain(r.text)}." for r in rows)), notes=notes)
    return house.finish(fig, words, house.Box(plot_height=230, margin_left=190, margin_right=30, axis_band=72),
                        drawn=credits.source_frame(estimates, latest), package=package)


def _latest_count(package: Package, include_weak: bool) -> pd.DataFrame:
    """The latest counted subscriptions (the operator's or an international statistic), as a one-row frame."""
    counted = credits.select(credits.in_geo(package.observations("mobile_subscriptions")), package, include_weak)
    counted = counted[counted["ref_date"].notna() & counted[FIGURES].notna().any(axis=1)
                      & counted["claim_type"].astype(str).isin(["operator_report", "international_statistic"])]
    latest = counted.sort_values(chronological("observations"), kind="stable").iloc[-1:]
    return latest.assign(_id=latest["observation_id"])


def _estimate_text(package: Package, records: list[dict], share: pd.Series | None) -> str:
    """The owners row's text: the stated share in its words, then each figure in people it would mean."""
    parts = []
    for row in records:
        people = quantity(row["value"], row["low"], row["high"], None, None, fmt=compact)
        parts.append(f"≈ {people} people ({_population_label(package, row)})")
    said = (f"“{share['phrase']}” ({quantity(share['value'], share['low'], share['high'], 'share', None)})"
            if share is not None else "")
    return (esc(said) + " <i>(our computation:)</i><br>" if said else "") + "<br>".join(esc(p) for p in parts)


def _title(share: pd.Series | None, first: dict, sub: pd.Series) -> str:
    if share is None:
        return "Phone owners and counted subscriptions"
    return (f"If {quantity(share['value'], share['low'], share['high'], 'share', None)} of adults own a mobile"
            f" phone, that is {quantity(first['value'], first['low'], first['high'], None, None, fmt=compact)}"
            f" people by our computation; {compact(sub['value'] if pd.notna(sub['value']) else sub['high'])}"
            f" subscriptions were counted ({date_of(sub)})")


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'devices-headline' drawn from `package`."""
    return owners(package, include_weak=include_weak)
