"""House charts (plotly): one function per chart, each returning a :class:`HouseFigure` in the house style.

>>> import nkdigital as nk
>>> pkg = nk.load()
>>> nk.charts.subscribers(pkg.observations(indicator="mobile_subscriptions")).show()
>>> nk.charts.chart("subscribers-headline").show()      # any registered chart by name
>>> nk.charts.headline.subscriptions(pkg)                # the headline views: subscriptions, tiers, owners
>>> list(nk.charts.CHARTS)                               # their names

Every figure carries its title, subtitle, notes, the original outlets it credits (a printed source line of at
most 160 characters, the full list in ``meta["sources"]``), third-party terms that restrict reuse
(``meta["terms"]``) and a plain-text description in ``fig.layout.meta``. Charts draw rows from non-weak sources;
``include_weak=True`` adds the rest, faded. :func:`config` gives plotly's display config (no logo, PNG export at
scale 2 named ``meta["filename"]``), which ``HouseFigure.show()`` applies by itself.
"""

from __future__ import annotations

from nkdigital.charts import fidelity, headline
from nkdigital.charts.builders.access_procedure import access_procedure
from nkdigital.charts.builders.access_tiers import access_tiers
from nkdigital.charts.builders.context_headline import comparison
from nkdigital.charts.builders.devices import devices
from nkdigital.charts.builders.rights import rights
from nkdigital.charts.builders.subscribers import subscribers
from nkdigital.charts.builders.timeline import timeline
from nkdigital.charts.house import HouseFigure, config
from nkdigital.charts.milestones import key_events
from nkdigital.charts.registry import CHARTS, chart, gallery

__all__ = ["CHARTS", "HouseFigure", "access_procedure", "access_tiers", "chart", "comparison", "config", "devices",
           "fidelity", "gallery", "headline", "key_events", "rights", "subscribers", "timeline"]
