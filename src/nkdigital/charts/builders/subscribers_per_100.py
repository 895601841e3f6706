"""Mobile subscriptions per 100 people: the per-100 view of the subscribers chart (every source's figure)."""

from __future__ import annotations

from nkdigital.api.package import Package
from nkdigital.charts import house, milestones
from nkdigital.charts.builders.subscribers import subscribers


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'subscribers-per-100' drawn from `package`."""
    return subscribers(package.observations(), per_100=True, events=milestones.key_events(package.events()),
                       package=package, include_weak=include_weak)
