"""The house look: fonts, sizes, palette, greys and the plotly template every chart uses."""

from __future__ import annotations

import plotly.graph_objects as go

from nkdigital.metadata.colours import AXIS_LINE, GREY, GRID, LIGHT_GREY, OKABE_ITO, TEXT, WHITE

__all__ = ["FONT", "GREY", "LEGEND_ABOVE", "LIGHT_GREY", "PAD", "PALETTE", "TEMPLATE", "WIDTH", "rgba"]

PALETTE = list(OKABE_ITO.values())  # yellow last: weakest contrast on white
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"

WIDTH = 1100  # exported images are this wide (px) unless asked otherwise; on screen charts fill their container
PAD = 16  # px between the figure edge and title, notes and source line
FOOTER_PX = WIDTH - 2 * PAD  # notes and source lines run the figure's full width (narrow pages show them as text)
TITLE_FONT, SUBTITLE_FONT = 20, 14
NOTE_FONT, SOURCE_FONT = 11, 11
SUBTITLE_CHARS = 140  # a comfortable measure for the subtitle
LEGEND_ABOVE = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"}  # one row over the plot

def rgba(colour: str, alpha: float) -> str:
    """A '#rrggbb' colour with transparency, as plotly's 'rgba(r,g,b,a)'."""
    colour = colour.lstrip("#")
    red, green, blue = (int(colour[i: i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT, "size": 13, "color": TEXT},
        "colorway": PALETTE,
        "paper_bgcolor": WHITE,
        "plot_bgcolor": WHITE,
        "hoverlabel": {"font": {"family": FONT, "size": 12}, "align": "left", "bgcolor": WHITE},
        "hovermode": "closest",
        "xaxis": {"showgrid": True, "gridcolor": GRID, "zeroline": False, "showline": True,
                  "linecolor": AXIS_LINE, "ticks": "outside", "tickcolor": AXIS_LINE, "automargin": False},
        "yaxis": {"showgrid": True, "gridcolor": GRID, "zeroline": False, "showline": False,
                  "ticks": "", "automargin": False},
        "legend": {"font": {"size": 12}, "bgcolor": rgba(WHITE, 0.85), "tracegroupgap": 4},
    }
)
