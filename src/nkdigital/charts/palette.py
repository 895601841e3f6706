"""Labels, colours and marker symbols of enum values, read from :mod:`nkdigital.metadata.enums`, and the legend
entries and notes that explain them."""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go

from nkdigital.charts.markup import esc
from nkdigital.charts.style import GREY
from nkdigital.metadata.colours import DARKEST_TEXT, WHITE
from nkdigital.metadata.enums import ENUMS, ESTIMATE_CLAIMS, values
from nkdigital.text import missing

ESTIMATE_WHAT = "(analyst estimates, surveys, figures nkdigital derived from other rows)"


def name(enum: str, value: object) -> str:
    """The label readers see for `value` (raw text); an unknown value in words."""
    found = ENUMS[enum].get(str(value))
    if found is not None:
        return found.label
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


def legend_name(enum: str, value: object) -> str:
    """The short name a legend shows for `value` (raw text): its `short` form where the label runs long."""
    found = ENUMS[enum].get(str(value))
    return found.short if found is not None and found.short else name(enum, value)


def colour(enum: str, value: object) -> str:
    """The colour of `value`; grey for a value without one."""
    found = ENUMS[enum].get(str(value))
    return found.colour if found is not None and found.colour else GREY


def symbol(enum: str, value: object) -> str:
    """The marker symbol of `value`; a circle for a value without one."""
    found = ENUMS[enum].get(str(value))
    return found.symbol if found is not None and found.symbol else "circle"


def order(enum: str) -> list[str]:
    """The values of `enum` in their defined order."""
    return values(enum)


def is_estimate(claim_type: object) -> bool:
    """True for claim types drawn as estimates (open markers, dashed lines)."""
    return not missing(claim_type) and str(claim_type) in ESTIMATE_CLAIMS


def variant(base: str, dotted: bool) -> str:
    """A marker symbol with a dot in its middle (plotly's '-dot' variant), e.g. for a second indicator."""
    return f"{base}-dot" if dotted and not base.endswith("-dot") else base


def claim_legend(fig: go.Figure, claims: Iterable[str], legend: str = "legend") -> None:
    """Legend-only entries, one per claim type in its colour and symbol, grouped with the data traces whose
    ``legendgroup`` is the claim type, so a click hides all of that kind."""
    for claim in claims:
        shade = colour("claim_type", claim)
        fig.add_scatter(x=[None], y=[None], mode="markers", name=esc(name("claim_type", claim)),
                        legendgroup=claim, legend=legend, hoverinfo="skip",
                        marker={"symbol": symbol("claim_type", claim), "size": 9, "color": shade,
                                "line": {"color": shade, "width": 1.5}})


def estimate_note(estimates: bool, lines: bool) -> str:
    """What open marks (and dashed lines, when the chart has lines) mean; '' when the chart draws no estimate."""
    if not estimates:
        return ""
    if lines:
        return f"Open markers, dashed lines: estimates {ESTIMATE_WHAT}; filled markers, solid lines: as reported."
    return f"Open markers: estimates {ESTIMATE_WHAT}; filled markers: figures as reported."


MIN_TEXT_CONTRAST = 4.5  # WCAG AA for text on white


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a '#rrggbb' colour."""
    channels = [int(colour.lstrip("#")[i: i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(colour: str, background: str = WHITE) -> float:
    """WCAG contrast ratio of two '#rrggbb' colours (1 to 21)."""
    light, dark = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(colour: str) -> str:
    """`colour` for text on white: itself when it reaches :data:`MIN_TEXT_CONTRAST`, else the same hue darkened
    (mixed with black) just enough. Anything but '#rrggbb' is returned as it is."""
    if not (isinstance(colour, str) and len(colour) == 7 and colour.startswith("#")):
        return colour
    rgb = [int(colour[i: i + 2], 16) for i in (1, 3, 5)]
    for step in range(21):
        mixed = "#" + "".join(f"{round(c * (1 - step / 20)):02X}" for c in rgb)
        if contrast(mixed) >= MIN_TEXT_CONTRAST:
            return mixed
    return DARKEST_TEXT
