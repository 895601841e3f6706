"""Every house chart by name: one registry for :func:`~nkdigital.charts.gallery`, the CLI and the report.

Each topic has a research view (every source's figure) and, where a story needs one, a headline view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nkdigital.api.package import Package
from nkdigital.charts import house
from nkdigital.charts.builders import (
    access_procedure,
    access_tiers,
    access_tiers_headline,
    context_headline,
    devices,
    devices_headline,
    rights,
    subscribers,
    subscribers_headline,
    subscribers_per_100,
    timeline,
)

Builder = Callable[[Package, bool], house.HouseFigure]


@dataclass(frozen=True)
class Chart:
    """A chart in the registry: its name (the file stem without 'nkdigital-'), what it shows, and its builder: the
    ``build`` of the module named after it (``nkdigital.charts.builders.<name with '_' for '-'>``)."""

    name: str
    summary: str
    view: str  # 'headline' (a story can carry it as is) or 'research' (every source)
    build: Builder


CHARTS: dict[str, Chart] = {chart.name: chart for chart in (
    Chart("subscribers-headline", "Mobile subscriptions: the international series with the operator's milestones",
          "headline", subscribers_headline.build),
    Chart("access-tiers-headline", "How many people have each level of access: one bar per tier", "headline",
          access_tiers_headline.build),
    Chart("devices-headline", "Estimated phone owners against counted subscriptions", "headline",
          devices_headline.build),
    Chart("context-headline", "North Korea against South Korea and the world: press freedom, civil liberties,"
          " phones and internet use", "headline", context_headline.build),
    Chart("timeline", "Dated events by category, as the sources date them", "research", timeline.build),
    Chart("subscribers", "Mobile subscriptions and users: every source's figure", "research", subscribers.build),
    Chart("subscribers-per-100", "Mobile subscriptions per 100 people: every source's figure", "research",
          subscribers_per_100.build),
    Chart("devices", "Estimated phone owners and users against counted lines, every figure", "research",
          devices.build),
    Chart("access-tiers", "Every stated size of a group with each level of access", "research", access_tiers.build),
    Chart("access-procedure", "The procedure for getting online, step by step", "research", access_procedure.build),
    Chart("rights", "Ratifications and the articles at stake", "research", rights.build),
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
