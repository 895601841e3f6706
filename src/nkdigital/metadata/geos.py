"""The places observations compare: each geo code's name and the colour charts give it."""

from __future__ import annotations

from typing import NamedTuple

from nkdigital.metadata.colours import GREY, OKABE_ITO


class Geo(NamedTuple):
    name: str
    colour: str


GEOS: dict[str, Geo] = {
    "PRK": Geo("North Korea", OKABE_ITO["vermillion"]),
    "KOR": Geo("South Korea", OKABE_ITO["blue"]),
    "WLD": Geo("World", GREY),
}
