"""Every house chart by name: one registry for :func:`~nkdigital.charts.gallery`, the CLI and the report.

Each topic has a research view (every source's figure) and, where a story needs one, a headline view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nkdigital.api.package import Package
from nkdigital.charts import headline, house
from nkdigital.charts.context import comparison
from nkdigital.charts.events import timeline
from nkdigital.charts.milestones import key_events
from nkdigital.charts.mobile import subscribers
from nkdigital.charts.ownership import devices
from nkdigital.charts.procedure import access_procedure
from nkdigital.charts.tiers import access_tiers
from nkdigital.charts.treaties import rights

Builder = Callable[[Package, bool], house.HouseFigure]


@dataclass(frozen=True)
class Chart:
    """A chart in the registry: its name (the file stem without 'nkdigital-'), what it shows, and its builder."""

    name: str
    summary: str
    view: str  # 'headline' (a story can carry it as is) or 'research' (every source)
    build: Builder


CHARTS: dict[str, Chart] = {chart.name: chart for chart in (
    Chart("subscribers-headline", "Mobile subscriptions: the international series with the operator's milestones",
          "headline", lambda p, weak: headline.subscriptions(p, include_weak=weak)),
    Chart("access-tiers-headline", "How many people have each level of access: one bar per tier", "headline",
          lambda p, weak: headline.tiers(p, include_weak=weak)),
    Chart("devices-headline", "Estimated phone owners against counted subscriptions", "headline",
          lambda p, weak: headline.owners(p, include_weak=weak)),
    Chart("context-headline", "North Korea against South Korea and the world: press freedom, civil liberties,"
          " phones and internet use", "headline", lambda p, weak: comparison(p, include_weak=weak)),
    Chart("timeline", "Dated events by category, as the sources date them", "research",
          lambda p, weak: timeline(p.events(), package=p, include_weak=weak)),
    Chart("subscribers", "Mobile subscriptions and users: every source's figure", "research",
          lambda p, weak: subscribers(p.observations(), events=key_events(p.events()), package=p,
                                      include_weak=weak)),
    Chart("subscribers-per-100", "Mobile subscriptions per 100 people: every source's figure", "research",
          lambda p, weak: subscribers(p.observations(), per_100=True, events=key_events(p.events()), package=p,
                                      include_weak=weak)),
    Chart("devices", "Estimated phone owners and users against counted lines, every figure", "research",
          lambda p, weak: devices(p.device_estimates(), p.observations(), package=p, include_weak=weak)),
    Chart("access-tiers", "Every stated size of a group with each level of access", "research",
          lambda p, weak: access_tiers(p.access_tiers(), package=p, include_weak=weak)),
    Chart("access-procedure", "The procedure for getting online, step by step", "research",
          lambda p, weak: access_procedure(p.access_controls(), package=p, include_weak=weak)),
    Chart("rights", "Ratifications and the articles at stake", "research",
          lambda p, weak: rights(p.rights_framework(), package=p, include_weak=weak)),
)}


def chart(name: str, package: Package | None = None, include_weak: bool = False) -> house.HouseFigure:
    """Build the registered chart `name` from `package` (default: the bundled package)."""
    if name not in CHARTS:
        raise KeyError(f"unknown chart {name!r}; choose from {', '.join(CHARTS)}")
    return CHARTS[name].build(house.resolve(package), include_weak)


def gallery(package: Package | None = None, include_weak: bool = False) -> dict[str, house.HouseFigure]:
    """Every registered chart built from the full package, keyed by file stem (``meta["filename"]``)."""
    package = house.resolve(package)
    figures = [chart(name, package, include_weak) for name in CHARTS]
    return {fig.layout.meta["filename"]: fig for fig in figures}
