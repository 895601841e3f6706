"""House charts (plotly): one function per chart, each returning a :class:`HouseFigure` in the house style.

>>> import nkdigital as nk
>>> pkg = nk.load()
>>> nk.charts.subscribers(pkg.observations(indicator="mobile_subscriptions")).show()

Every figure carries its title, subtitle, notes and a source line built from the rows it draws, and a
plain-text description in ``fig.layout.meta``; :func:`config` gives plotly's display config (no logo,
PNG export at scale 2 named ``meta["filename"]``), which ``HouseFigure.show()`` applies by itself.
"""

from __future__ import annotations

from nkdigital.charts.events import timeline
from nkdigital.charts.house import HouseFigure, config
from nkdigital.charts.mobile import key_events, subscribers
from nkdigital.charts.ownership import devices
from nkdigital.charts.procedure import access_procedure
from nkdigital.charts.tiers import access_tiers
from nkdigital.charts.treaties import rights
from nkdigital.load import Package

__all__ = ["HouseFigure", "access_procedure", "access_tiers", "config", "devices", "gallery", "key_events",
           "rights", "subscribers", "timeline"]


def gallery(package: Package | None = None) -> dict[str, HouseFigure]:
    """Every house chart built from the full package, keyed by file stem (``meta["filename"]``)."""
    from nkdigital.cite import _bundled

    package = package or _bundled()
    events = key_events(package.events())
    figures = [
        timeline(package.events(), package=package),
        subscribers(package.observations(), events=events, package=package),
        subscribers(package.observations(), per_100=True, events=events, package=package),
        devices(package.device_estimates(), package.observations(), package=package),
        access_tiers(package.access_tiers(), package=package),
        access_procedure(package.access_controls(), package=package),
        rights(package.rights_framework(), package=package),
    ]
    return {fig.layout.meta["filename"]: fig for fig in figures}
