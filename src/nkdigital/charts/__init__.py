"""House charts (plotly): one function per chart, each returning a :class:`HouseFigure` in the house style."""

from nkdigital.charts.events import timeline
from nkdigital.charts.house import HouseFigure, config
from nkdigital.charts.mobile import key_events, subscribers
from nkdigital.charts.ownership import devices

__all__ = ["HouseFigure", "config", "devices", "key_events", "subscribers", "timeline"]
