"""Colour-blind check: under simulated deuteranopia, protanopia and tritanopia (Machado et al. 2009), any two
categories in a chart's legend differ by colour (CIEDE2000 >= MIN_DELTA_E) or by marker symbol or line dash."""

from __future__ import annotations

import itertools

import pytest

from nkdigital import charts
from nkdigital.charts.registry import CHARTS
from nkdigital.metadata.enums import ENUMS
from tests.colour_vision import MACHADO, distance

MIN_DELTA_E = 10  # CIEDE2000: filled marks this far apart are told apart at a glance
MIN_DELTA_E_OPEN = 20  # open marks show their colour only in a thin outline: they need twice the distance
VISIONS = [None, *MACHADO]  # normal vision and the three dichromacies


@pytest.fixture(scope="module")
def gallery(package):
    return charts.gallery(package, include_weak=True)


def legend_entries(fig) -> list[tuple[str, str, frozenset, str]]:
    """(name, colour, symbols, dash) of every legend entry of `fig`."""
    if fig.layout.showlegend is False:
        return []
    entries = []
    for trace in fig.data:
        if trace.showlegend is False or not trace.name:
            continue
        colour = trace.marker.color if isinstance(trace.marker.color, str) else trace.line.color
        symbol = trace.marker.symbol
        symbols = frozenset(symbol) if isinstance(symbol, tuple) else frozenset([symbol or "circle"])
        dash = (trace.line.dash or "solid") if "lines" in (trace.mode or "") else ""
        entries.append((trace.name, colour, symbols, dash))
    return entries


def apart(first, second) -> list[str]:
    """The visions under which two legend entries cannot be told apart ([] when they can be)."""
    (_, colour1, symbols1, dash1), (_, colour2, symbols2, dash2) = first, second
    if symbols1 != symbols2 or dash1 != dash2:
        return []
    least = MIN_DELTA_E_OPEN if all("-open" in s for s in symbols1) else MIN_DELTA_E
    return [str(v) for v in VISIONS if distance(colour1, colour2, v) < least]


@pytest.mark.parametrize("stem", [f"nkdigital-{name}" for name in CHARTS])
def test_legend_categories_differ_by_colour_or_shape_for_colour_blind_readers(gallery, stem):
    entries = legend_entries(gallery[stem])
    assert len({e[0] for e in entries}) == len(entries), "one legend entry per category"
    for first, second in itertools.combinations(entries, 2):
        assert not apart(first, second), f"{first[0]!r} and {second[0]!r} look alike under {apart(first, second)}"


def test_some_charts_have_legends_to_check(gallery):
    assert sum(len(legend_entries(fig)) >= 3 for fig in gallery.values()) >= 3


@pytest.mark.parametrize("enum", [name for name, values in ENUMS.items()
                                  if any(v.colour for v in values.values())])
def test_every_coloured_enum_is_told_apart_by_colour_or_symbol(enum):
    for (a, first), (b, second) in itertools.combinations(ENUMS[enum].items(), 2):
        if first.symbol != second.symbol:
            continue
        for vision in VISIONS:
            assert distance(first.colour, second.colour, vision) >= MIN_DELTA_E, (enum, a, b, vision)


def test_analyst_estimates_and_derived_figures_are_told_apart():
    analyst, derived = ENUMS["claim_type"]["analyst_estimate"], ENUMS["claim_type"]["derived"]
    assert analyst.symbol != derived.symbol  # circle-open against diamond-open
    for vision in VISIONS:  # and their colours stay apart in every simulated vision
        assert distance(analyst.colour, derived.colour, vision) >= MIN_DELTA_E, vision


def test_the_check_catches_the_old_pair_of_hollow_oranges():
    old = [("Analyst estimate", ENUMS["claim_type"]["analyst_estimate"].colour, frozenset({"circle-open"}), ""),
           ("Derived by nkdigital", ENUMS["claim_type"]["derived"].colour, frozenset({"circle-open"}), "")]
    assert "deuteranopia" in apart(*old)


def test_the_check_fails_for_colours_a_deuteranope_confuses():
    red, green = "#D55E00", "#6B8E23"  # vermillion against olive: apart in normal vision only
    assert distance(red, green) >= MIN_DELTA_E
    assert apart(("red", red, frozenset({"circle"}), ""), ("green", green, frozenset({"circle"}), ""))


def text_colours(fig) -> set[str]:
    """Every colour text is drawn in: annotations, trace text, titles and colours set inline in any text."""
    import re

    found = {a.font.color for a in fig.layout.annotations}
    found |= {t.textfont.color for t in fig.data if getattr(t, "textfont", None) is not None}
    found |= {fig.layout.title.font.color, fig.layout.title.subtitle.font.color}
    texts = [a.text or "" for a in fig.layout.annotations] + [fig.layout.title.subtitle.text or ""]
    texts += [str(t.text) for t in fig.data if getattr(t, "text", None) is not None]
    found |= {colour for text in texts for colour in re.findall(r"color:\s*(#[0-9A-Fa-f]{6})", text)}
    return {c for c in found if isinstance(c, str) and c.startswith("#")}


@pytest.mark.parametrize("stem", [f"nkdigital-{name}" for name in CHARTS])
def test_every_text_colour_reads_on_white_at_wcag_aa(gallery, stem):
    from nkdigital.charts.palette import MIN_TEXT_CONTRAST, contrast

    colours = text_colours(gallery[stem])
    assert {c: round(contrast(c), 2) for c in colours if contrast(c) < MIN_TEXT_CONTRAST} == {}


def test_text_colour_darkens_the_okabe_ito_orange_and_green_just_enough():
    from nkdigital.charts.palette import contrast, text_colour

    assert round(contrast("#E69F00"), 2) == 2.25 and round(contrast("#009E73"), 2) == 3.42
    for colour in ("#E69F00", "#009E73", "#56B4E9", "#CC79A7"):
        darker = text_colour(colour)
        assert 4.5 <= contrast(darker) < 5.2, colour
    assert text_colour("#0072B2") == "#0072B2"  # already 5.2:1
