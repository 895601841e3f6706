"""Units of `value`, `low` and `high`: one definition each, with the words the charts print and whether the
unit counts things (an absolute integer)."""

from __future__ import annotations

from typing import NamedTuple


class Unit(NamedTuple):
    words: str  # how a chart prints the unit after a number other than 1
    singular: str  # ... and after 1
    is_count: bool  # counts things: bounds are absolute integers


UNITS: dict[str, Unit] = {
    "addresses": Unit("addresses", "address", True),
    "articles": Unit("articles", "article", True),
    "authorities": Unit("authorities", "authority", True),
    "base_stations": Unit("base stations", "base station", True),
    "blocks": Unit("blocks", "block", True),
    "channels": Unit("channels", "channel", True),
    "chapters": Unit("chapters", "chapter", True),
    "cities": Unit("cities", "city", True),
    "committees": Unit("committees", "committee", True),
    "days": Unit("days", "day", False),
    "devices": Unit("devices", "device", True),
    "ebooks": Unit("ebooks", "ebook", True),
    "euros": Unit("euros", "euro", False),
    "fold": Unit("fold", "fold", False),
    "goals": Unit("goals", "goal", True),
    "hours": Unit("hours", "hour", False),
    "households": Unit("households", "household", True),
    "indicators": Unit("indicators", "indicator", True),
    "instruments": Unit("instruments", "instrument", True),
    "laws": Unit("laws", "law", True),
    "lines": Unit("lines", "line", True),
    "minutes": Unit("minutes", "minute", False),
    "models": Unit("models", "model", True),
    "months": Unit("months", "month", False),
    "pages": Unit("pages", "page", True),
    "people": Unit("people", "person", True),
    "per_100_people": Unit("per 100 people", "per 100 people", False),
    "per_person": Unit("per person", "per person", False),
    "per_million_people": Unit("per million people", "per million people", False),
    "paragraphs": Unit("paragraphs", "paragraph", True),
    "points": Unit("points", "point", True),
    "rank": Unit("rank", "rank", False),
    "recommendations": Unit("recommendations", "recommendation", True),
    "respondents": Unit("respondents", "respondent", True),
    "roads": Unit("roads", "road", True),
    "rating": Unit("rating", "rating", False),
    "score": Unit("score", "score", False),
    "share": Unit("share", "share", False),
    "sites": Unit("sites", "site", True),
    "statistics": Unit("statistics", "statistic", True),
    "status_code": Unit("status code", "status code", False),
    "subscriptions": Unit("subscriptions", "subscription", True),
    "targets": Unit("targets", "target", True),
    "usd": Unit("US dollars", "US dollar", False),
    "warnings": Unit("warnings", "warning", True),
    "weeks": Unit("weeks", "week", False),
    "years": Unit("years", "year", False),
}
COUNT_UNITS = frozenset(name for name, unit in UNITS.items() if unit.is_count)


def unit_words(unit: str, value: float | None = None) -> str:
    """How `unit` reads after `value`: 'hours', 'hour' (for 1), 'per 100 people'."""
    known = UNITS.get(unit)
    if known is None:
        return unit.replace("_", " ")
    return known.singular if value == 1 else known.words
