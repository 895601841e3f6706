"""The house palette: Okabe & Ito (2008), "Color Universal Design", safe for common colour-vision deficiencies."""

from __future__ import annotations

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "black": "#000000",
    "yellow": "#F0E442",
}
ACCENT = OKABE_ITO["blue"]  # the one colour of a chart without categories
DARK_YELLOW = "#B8A200"  # Okabe-Ito yellow darkened for contrast on white
GREY = "#595959"
LIGHT_GREY = "#d9d9d9"
DARKEST_TEXT = OKABE_ITO["black"]  # what a text colour darkens to when nothing lighter reaches the contrast
DISPUTED = OKABE_ITO["black"]  # the outline of a disputed event's mark on the timeline
WHITE = "#ffffff"  # the background, and the outline that sets a mark off from its neighbours
TEXT = "#222222"  # body text and printed figures
CALLOUT_TEXT = "#333333"  # the text of key-event labels
GRID = "#ebebeb"  # grid lines
AXIS_LINE = "#8c8c8c"  # axis lines and ticks
BAND = "#f2f2f2"  # a shaded band of a plot (the rights chart's 'no year stated')
