"""Labels, colours and marker symbols of enum values, read from :mod:`nkdigital.metadata.enums`, and the legend
entries and notes that explain them."""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go

from nkdigital.charts.markup import esc
from nkdigital.charts.style import GREY
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
