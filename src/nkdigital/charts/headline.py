"""Headline charts a story can carry as is: the strongest series, ranges where sources give ranges, at most a few
annotations and one legend. The research charts (every source's figure) stay beside them.

Each headline lives in the builder module named after its chart (:mod:`nkdigital.charts.builders`); this module
gathers them under the names ``nk.charts.headline.subscriptions``, ``.tiers`` and ``.owners``.
"""

from __future__ import annotations

from nkdigital.charts.builders.access_tiers_headline import tiers
from nkdigital.charts.builders.devices_headline import owners
from nkdigital.charts.builders.subscribers_headline import strongest_series, subscriptions

__all__ = ["owners", "strongest_series", "subscriptions", "tiers"]
