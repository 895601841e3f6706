"""House charts on the real bundled package: what is drawn, how it is styled, credited, escaped and shown."""

from __future__ import annotations

import html
import json
import math
import re
import subprocess
import sys
import types

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

import nkdigital as nk
from nkdigital import charts
from nkdigital.charts import house
from nkdigital.charts.tiers import TIER_NAMES

STEMS = ["nkdigital-timeline", "nkdigital-subscribers", "nkdigital-subscribers-per-100", "nkdigital-devices",
         "nkdigital-access-tiers", "nkdigital-access-procedure", "nkdigital-rights"]
ESTIMATES = {"analyst_estimate", "derived", "survey"}
PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ID_COLUMNS = {"observation_id", "event_id", "estimate_id", "tier_id", "control_id", "framework_id", "source_id",
              "input_ids", "formula"}


# ------------------------------------------------------------------------------------------------- helpers

@pytest.fixture(scope="module")
def gallery(package):
    return charts.gallery(package)


@pytest.fixture(scope="module")
def rows(package) -> pd.DataFrame:
    """Every non-source row of the package by id, with its source_id, input_ids and figures."""
    parts = []
    for name in package.resource_names:
        if name == "sources":
            continue
        frame = package.resource(name)
        part = pd.DataFrame({"row_id": frame.iloc[:, 0], "source_id": frame["source_id"]})
        part["input_ids"] = frame.get("input_ids", pd.NA)
        for column in ("value", "low", "high", "qualifier", "claim_type", "unit"):
            part[column] = frame[column].astype(object) if column in frame else None
        parts.append(part.astype(object))
    return pd.concat(parts, ignore_index=True).set_index("row_id")


def points(fig: go.Figure) -> dict[str, tuple[go.Scatter, int]]:
    """Row id -> (trace, point index) for every mark whose customdata names the rows it draws."""
    found = {}
    for trace in fig.data:
        for k, cell in enumerate(trace.customdata or ()):
            for row_id in str(cell).split():
                found[row_id] = (trace, k)
    return found


def strings(fig: go.Figure) -> str:
    """Every string in the figure, unescaped by JSON (plotly's to_json escapes '<' as \\u003c)."""
    return json.dumps(json.loads(fig.to_json()), ensure_ascii=False)


def line_items(fig: go.Figure, version: str) -> list[str]:
    line = fig.layout.meta["source_line"]
    head, _, rest = line.partition(": ")
    assert head in ("Source", "Sources")
    items = rest.split(" · ")
    assert items[-1] == f"nkdigital v{version}"
    return items[:-1]


def missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def bounds(row) -> tuple[float | None, float | None, float | None]:
    return tuple(None if missing(row[c]) else float(row[c]) for c in ("value", "low", "high"))


# ----------------------------------------------------------------------------------------------- gallery

def test_gallery_has_every_house_chart_keyed_by_its_file_stem(gallery):
    assert list(gallery) == STEMS
    for stem, fig in gallery.items():
        assert isinstance(fig, charts.HouseFigure)
        assert fig.layout.meta["filename"] == stem


@pytest.mark.parametrize("stem", STEMS)
def test_every_chart_carries_description_source_line_sources_and_notes(gallery, package, stem):
    fig = gallery[stem]
    meta = fig.layout.meta
    assert isinstance(meta["description"], str) and len(meta["description"]) > 80
    assert meta["sources"] == sorted(meta["sources"]) and meta["sources"]
    assert isinstance(meta["notes"], list) and meta["notes"]
    assert fig.layout.title.text and fig.layout.title.subtitle.text
    footer = [a for a in fig.layout.annotations if a.name == "footer"]
    assert len(footer) == 1
    shown = footer[0].text.replace("<br>", " ").replace("<b>", "").replace("</b>", "")
    for item in line_items(fig, package.version):  # the whole source line is on the figure, wrapped
        assert item in shown
    assert f"nkdigital v{package.version}" in shown
    assert "<br>" in footer[0].text  # wrapped onto several lines
    assert footer[0].font.size < fig.layout.template.layout.font.size  # compact: smaller than the body text
    notes = [a for a in fig.layout.annotations if a.name == "notes"]
    assert len(notes) == 1 and notes[0].text.startswith("<b>Note")


def _lines(annotation) -> int:
    return annotation.text.count("<br>") + 1


@pytest.mark.parametrize("stem", STEMS)
def test_every_chart_has_an_explicit_size_with_room_for_title_notes_and_sources(gallery, stem):
    fig = gallery[stem]
    layout = fig.layout
    assert layout.width == house.WIDTH and layout.height and layout.height > 300
    margin = layout.margin
    assert margin.autoexpand is False  # the computed margins are the margins
    plot_height = layout.height - margin.t - margin.b
    assert plot_height >= 150, "the plot is not squashed by title, notes or sources"
    assert layout.width - margin.l - margin.r >= 500
    by_name = {a.name: a for a in layout.annotations if a.name in ("notes", "footer")}
    notes, footer = by_name["notes"], by_name["footer"]
    assert _lines(notes) <= house.MAX_NOTE_LINES, "notes stay short"
    # notes start under the axis band, the source line under the notes, and both end inside the bottom margin
    notes_top, footer_top = -notes.yshift, -footer.yshift
    notes_bottom = notes_top + _lines(notes) * house.line_px(notes.font.size)
    footer_bottom = footer_top + _lines(footer) * house.line_px(footer.font.size)
    assert notes_top >= 10 and notes_bottom <= footer_top
    assert footer_bottom + house.PAD <= margin.b
    # every wrapped line fits the figure width
    for annotation in (notes, footer):
        assert annotation.xshift == house.PAD - margin.l
        for line in annotation.text.split("<br>"):
            raw = html.unescape(line.replace("<b>", "").replace("</b>", ""))
            assert house.text_px(raw, annotation.font.size) <= layout.width - 2 * house.PAD, line
    # the title and subtitle fit: every line within the width, and all lines within the top margin
    title_lines = layout.title.text.split("<br>")
    subtitle_lines = layout.title.subtitle.text.split("<br>")
    for line in title_lines:
        raw = html.unescape(line.replace("<b>", "").replace("</b>", ""))
        assert house.text_px(raw, house.TITLE_FONT, bold=True) <= layout.width - 2 * house.PAD, line
    for line in subtitle_lines:
        assert house.text_px(html.unescape(line), house.SUBTITLE_FONT) <= layout.width - 2 * house.PAD, line
    text_height = (house.PAD + len(title_lines) * house.line_px(house.TITLE_FONT)
                   + len(subtitle_lines) * house.line_px(house.SUBTITLE_FONT))
    assert text_height + 10 <= margin.t
    # and the export button renders at the same size
    options = charts.config(fig)["toImageButtonOptions"]
    assert (options["width"], options["height"]) == (layout.width, layout.height)


@pytest.mark.parametrize("stem", STEMS)
def test_config_hides_the_logo_and_exports_png_at_scale_2_named_after_the_chart(gallery, stem):
    fig = gallery[stem]
    config = charts.config(fig)
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"]["format"] == "png"
    assert config["toImageButtonOptions"]["scale"] == 2
    assert config["toImageButtonOptions"]["filename"] == stem


def test_charts_are_deterministic(package, gallery):
    again = charts.gallery(package)
    for stem in STEMS:
        assert again[stem].to_json() == gallery[stem].to_json()
        assert '"uid"' not in gallery[stem].to_json()


# ---------------------------------------------------------------------------------------------- credits

@pytest.mark.parametrize("stem", STEMS)
def test_source_line_names_the_publishers_of_the_drawn_rows_and_nothing_else(gallery, package, rows, stem):
    fig = gallery[stem]
    drawn = fig.layout.meta["rows"]
    marked = set(points(fig))
    assert marked <= set(drawn), "a mark whose row is not credited"
    frame = rows.loc[drawn, ["source_id", "input_ids"]]
    expected_ids = package.source_ids(frame)
    assert fig.layout.meta["sources"] == expected_ids
    publishers = package.sources().set_index("source_id")["publisher"]
    expected = {html.escape(" ".join(publishers[i].split())) for i in expected_ids}
    items = line_items(fig, package.version)
    assert len(items) == len(set(items)), "publishers are deduplicated"
    assert set(items) == expected


def test_credited_rows_beyond_the_marks_are_notes_event_lines_or_population(gallery, package):
    tiers = gallery["nkdigital-access-tiers"]
    extra = set(tiers.layout.meta["rows"]) - set(points(tiers))
    unsized = set(package.access_tiers()["tier_id"]) - set(points(tiers))
    assert extra - unsized and all(i.startswith("obs-population") for i in extra - unsized)
    subs = gallery["nkdigital-subscribers"]
    extra = set(subs.layout.meta["rows"]) - set(points(subs))
    assert extra and all(i.startswith("evt-") for i in extra)


def test_derived_rows_credit_their_input_sources(gallery, package):
    fig = gallery["nkdigital-devices"]
    derived = package.device_estimates(claim_type="derived")
    drawn = derived[derived["estimate_id"].isin(points(fig))]
    assert len(drawn) >= 1
    inputs = set(package.source_ids(drawn)) - set(drawn["source_id"])
    assert inputs, "derived rows should bring in their inputs' sources"
    assert inputs <= set(fig.layout.meta["sources"])
    # '50 to 80 percent of adults' times a CIA-based adult population: the CIA edition is credited
    if "dev-mobile-owners-adults-derived-cia2023" in points(fig):
        assert "data-cia-factbook-2023-kn" in fig.layout.meta["sources"]
        cia = package.sources().set_index("source_id").at["data-cia-factbook-2023-kn", "publisher"]
        assert html.escape(cia) in line_items(fig, package.version)
    # and in the subscriber chart, the population behind the derived counts
    subs = gallery["nkdigital-subscribers"]
    assert "data-owid-via-free-north-korea-population" in subs.layout.meta["sources"]


# ------------------------------------------------------------------------------------- subscribers

def test_subscribers_plots_every_source_figure_as_its_own_mark(gallery, package, rows):
    fig = gallery["nkdigital-subscribers"]
    obs = package.observations(["mobile_subscriptions", "mobile_users", "active_mobile_users"])
    drawable = obs[obs["ref_date"].notna() & obs[["value", "low", "high"]].notna().any(axis=1)]
    marks = points(fig)
    assert set(drawable["observation_id"]) == set(marks)
    # same date, different sources: separate marks
    conflicts = drawable.groupby(["indicator", "ref_date"], observed=True)["source_id"].nunique()
    assert (conflicts > 1).any()
    for row_id in drawable["observation_id"]:
        trace, k = marks[row_id]
        value, low, high = bounds(rows.loc[row_id])
        expected = value if value is not None else (low + high) / 2 if low is not None and high is not None \
            else low if low is not None else high
        assert trace.y[k] == pytest.approx(expected, rel=1e-6), row_id


def test_subscribers_known_rows(gallery):
    fig = gallery["nkdigital-subscribers"]
    marks = points(fig)
    trace, k = marks["obs-koryolink-subs-2011-03-31-telecomasia"]  # operator: 535,000 on 31 March 2011
    assert trace.y[k] == 535000 and trace.x[k] == "2011-03-31"
    assert trace.name == "Mobile subscriptions: Operator report" and trace.marker.symbol[k] == "circle"
    trace, k = marks["obs-mobile-subs-2022-derived-owid2026-wpp2024"]  # ITU rate x UN population
    assert trace.y[k] == 6353150 and trace.marker.symbol[k] == "circle-open"
    trace, k = marks["obs-dprk-subscriber-lines-2022-11-15-koreabizwire"]  # 6.5 to 7 million lines
    assert trace.y[k] == 6750000 and trace.marker.symbol[k] == "line-ew-open"
    assert trace.error_y.visible and trace.error_y.array[k] == 250000 and trace.error_y.arrayminus[k] == 250000
    arrows = {a.name for a in fig.layout.annotations if (a.name or "").startswith("open-ended")}
    assert "open-ended up: obs-koryolink-subs-2010-06-30-mwl" in arrows  # 'more than 184,000'
    assert "open-ended down: obs-koryolink-subs-2013-04-nextgov" in arrows  # 'almost 2 million'


def test_subscribers_trace_names_and_counts(gallery, package):
    fig = gallery["nkdigital-subscribers"]
    obs = package.observations(["mobile_subscriptions", "mobile_users", "active_mobile_users"])
    obs = obs[obs["ref_date"].notna() & obs[["value", "low", "high"]].notna().any(axis=1)]
    data = [t for t in fig.data if t.customdata]
    pairs = set(zip(obs["indicator"].astype(str), obs["claim_type"].astype(str), strict=True))
    assert len(data) == len(pairs)
    names = {t.name for t in data}
    assert "Mobile users: Analyst estimate" in names or ("mobile_users", "analyst_estimate") not in pairs
    legend = [t.name for t in fig.data if t.showlegend is not False and t.x == (None,)]
    assert "Derived by nkdigital" in legend and "Operator report" in legend
    series = obs.groupby(["indicator", "source_id"], observed=True).size()
    lines = [t for t in fig.data if t.mode == "lines"]
    assert len(lines) == int((series >= 3).sum())


def test_per_100_view_draws_only_the_rate(gallery, package):
    fig = gallery["nkdigital-subscribers-per-100"]
    marks = points(fig)
    rate = package.observations("mobile_subscriptions_per_100")
    assert set(marks) == set(rate["observation_id"])
    trace, k = marks["obs-mobile-per100-2022-owid2026"]
    assert trace.y[k] == 24.13
    assert fig.layout.yaxis.title.text == "Per 100 people"


def test_subscribers_marks_key_events_as_vertical_lines(gallery, package):
    fig = gallery["nkdigital-subscribers"]
    lines = [s for s in fig.layout.shapes if s.type == "line" and s.xref == "x"]
    labels = [a for a in fig.layout.annotations if (a.name or "").startswith("event: ")]
    assert len(lines) == len(labels) >= 2
    texts = " ".join(a.text for a in labels)
    assert "Koryolink" in texts and "(2008)" in texts  # the launch
    assert "Byol" in texts  # the second operator
    koryolink = [s for s in lines if str(s.x0).startswith("2008-12")]
    assert koryolink, "the launch line sits at its most precise date, December 2008"


def _event_extents(fig) -> list[tuple[int, float, float, float]]:
    """(level, leader x, left, right) in px along the plot for each event label of a subscribers chart."""
    layout = fig.layout
    start, end = (pd.Timestamp(x) for x in layout.xaxis.range)
    plot = layout.width - layout.margin.l - layout.margin.r
    found = []
    for a in layout.annotations:
        if not (a.name or "").startswith("event: "):
            continue
        x = (pd.Timestamp(a.x) - start) / (end - start) * plot
        size = house.text_px(html.unescape(a.text), a.font.size)
        left, right = (x, x + size) if a.xanchor == "left" else (x - size, x)
        found.append((a.ay, x, left, right))
    levels = sorted({ay for ay, *_ in found}, reverse=True)  # ay < 0: higher labels have larger |ay|
    return [(levels.index(ay), x, left, right) for ay, x, left, right in found]


@pytest.mark.parametrize("stem", ["nkdigital-subscribers", "nkdigital-subscribers-per-100"])
def test_event_labels_sit_above_the_plot_and_never_overlap_each_other_or_a_leader(gallery, stem):
    fig = gallery[stem]
    labels = [a for a in fig.layout.annotations if (a.name or "").startswith("event: ")]
    assert labels
    for a in labels:
        assert a.yref == "paper" and a.y == 1 and a.ay < 0 and a.showarrow  # on a leader above the plot
        assert -a.ay + 10 <= fig.layout.margin.t - 40, "inside the top margin, below the subtitle"
    extents = _event_extents(fig)
    for i, (level, x, left, right) in enumerate(extents):
        assert left >= -fig.layout.margin.l and right <= fig.layout.width - fig.layout.margin.l
        for other, ox, oleft, oright in extents[i + 1:]:
            if other == level:
                assert right <= oleft or oright <= left, "labels on one level overlap"
            elif other < level:  # my leader rises through the lower level
                assert not oleft < x < oright, "a leader crosses a label"
            else:
                assert not left < ox < right, "a leader crosses a label"


def test_legends_of_the_subscribers_chart_are_apart(gallery):
    fig = gallery["nkdigital-subscribers"]
    first, second = fig.layout.legend, fig.layout.legend2
    assert first.y == 1 and first.yanchor == "top" and second.y == 0 and second.yanchor == "bottom"
    plot = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    claims = len([t for t in fig.data if t.x == (None,) and t.legend in (None, "legend")])
    shapes = len([t for t in fig.data if t.legend == "legend2"])
    assert plot >= 26 + 24 * claims + 26 + 24 * shapes  # room for both, one over the other


def test_stagger_keeps_labels_and_leaders_apart():
    positions = [0, 0, 40, 100, 300, 310, 700]
    widths = [150, 200, 120, 180, 90, 220, 150]
    placed = house.stagger(positions, widths, (-50, 800))
    extents = []
    for x, w, (level, anchor) in zip(positions, widths, placed, strict=True):
        extents.append((level, x, *((x + 3, x + 3 + w) if anchor == "left" else (x - 3 - w, x - 3))))
    for i, (level, x, left, right) in enumerate(extents):
        for other, ox, oleft, oright in extents[i + 1:]:
            if other == level:
                assert right <= oleft or oright <= left
            elif other < level:
                assert not oleft <= x <= oright
            else:
                assert not left <= ox <= right
    assert max(level for level, _ in placed) <= 4


def test_the_documented_call_shows_with_the_house_config(monkeypatch, package):
    shown = {}
    monkeypatch.setattr(pio, "show", lambda fig, *args, **kwargs: shown.update(fig=fig, args=args, **kwargs))
    nk.charts.subscribers(package.observations(indicator="mobile_subscriptions")).show()
    assert shown["config"]["displaylogo"] is False
    assert shown["config"]["toImageButtonOptions"] == {"format": "png", "scale": 2,
                                                       "filename": "nkdigital-subscribers",
                                                       "width": shown["fig"].layout.width,
                                                       "height": shown["fig"].layout.height}
    assert "renderer" not in shown  # outside a kernel plotly's default applies


def test_show_uses_the_mimetype_renderer_inside_a_kernel(monkeypatch, gallery):
    shown = {}
    monkeypatch.setattr(pio, "show", lambda fig, *args, **kwargs: shown.update(**kwargs))
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: types.SimpleNamespace(kernel=object())
    monkeypatch.setitem(sys.modules, "IPython", fake)
    assert house.in_ipython_kernel()
    gallery["nkdigital-rights"].show()
    assert shown["renderer"] == "plotly_mimetype" and shown["config"]["displaylogo"] is False
    gallery["nkdigital-rights"].show(renderer="json", config={"scrollZoom": True})
    assert shown["renderer"] == "json" and shown["config"]["scrollZoom"] is True
    fake.get_ipython = lambda: types.SimpleNamespace()  # terminal IPython: no kernel
    assert not house.in_ipython_kernel()


def test_subscribers_says_which_view_it_cannot_draw(package):
    with pytest.raises(ValueError, match="per_100=True"):
        charts.subscribers(package.observations("mobile_subscriptions_per_100"), package=package)


# ------------------------------------------------------------------------------------------ estimates

@pytest.mark.parametrize("stem", ["nkdigital-subscribers", "nkdigital-subscribers-per-100", "nkdigital-devices"])
def test_estimates_are_hollow_and_reported_figures_filled(gallery, rows, stem):
    fig = gallery[stem]
    for row_id, (trace, k) in points(fig).items():
        symbol = trace.marker.symbol[k] if isinstance(trace.marker.symbol, tuple) else trace.marker.symbol
        estimate = rows.at[row_id, "claim_type"] in ESTIMATES
        assert symbol.endswith("-open") == (estimate or symbol.startswith("line")), row_id


def test_estimated_series_are_dashed(gallery, package):
    fig = gallery["nkdigital-subscribers"]
    lines = [t for t in fig.data if t.mode == "lines"]
    derived = package.observations("mobile_subscriptions", claim_type="derived")
    derived = derived[derived["value"] > 0]
    values = set(derived["value"].astype(int))
    dashed = [t for t in lines if values & set(t.y)]
    assert dashed and all(t.line.dash == "dash" for t in dashed)
    assert any(t.line.dash == "solid" for t in lines)


# ------------------------------------------------------------------------------------------- ranges

@pytest.mark.parametrize(("stem", "axis"), [("nkdigital-subscribers", "y"), ("nkdigital-devices", "x"),
                                            ("nkdigital-access-tiers", "x")])
def test_every_plotted_row_with_low_or_high_has_an_error_bar_or_an_open_end(gallery, rows, stem, axis):
    fig = gallery[stem]
    arrows = {a.name.split(": ", 1)[1] for a in fig.layout.annotations if (a.name or "").startswith("open-ended")}
    checked = 0
    for row_id, (trace, k) in points(fig).items():
        _, low, high = bounds(rows.loc[row_id])
        if low is None and high is None:
            continue
        if rows.at[row_id, "unit"] == "share":
            continue  # converted to people: see the tiers test
        checked += 1
        bar = trace.error_y if axis == "y" else trace.error_x
        mark = (trace.y if axis == "y" else trace.x)[k]
        for bound, lengths, sign, side in ((high, bar.array, 1, "more than"), (low, bar.arrayminus, -1, "up to")):
            if bound is None:
                assert row_id in arrows, f"{row_id}: '{side}' needs an arrow towards the open side"
            elif abs(bound - mark) > 0:
                assert bar.visible, row_id
                assert mark + sign * lengths[k] == pytest.approx(bound, rel=1e-6), row_id
    assert checked


def test_one_sided_span_has_no_invented_bound():
    at_least = house.span(2000000, 2000000, None, "at_least")
    assert (at_least.mark, at_least.plus, at_least.minus, at_least.open_up, at_least.open_down) == (
        2000000, 0, 0, True, False)
    up_to = house.span(48000, None, 48000, "up_to")
    assert up_to.open_down and not up_to.open_up and up_to.plus == 0
    vague = house.span(None, 2000, 5000, "range")
    assert (vague.mark, vague.plus, vague.minus, vague.has_value) == (3500, 1500, 1500, False)
    assert house.span(None, 24, 60, "range", log=True).mark == pytest.approx(math.sqrt(24 * 60), rel=1e-6)


# ---------------------------------------------------------------------------------------------- devices

def test_devices_draws_ownership_ranges_against_counted_lines(gallery, package, rows):
    fig = gallery["nkdigital-devices"]
    marks = points(fig)
    trace, k = marks["dev-mobile-owners-adults-derived-cia2023"]  # 50-80% of 20,795,200 adults
    assert trace.x[k] == pytest.approx((10397600 + 16636160) / 2)
    assert trace.error_x.array[k] == pytest.approx(3119280) and trace.error_x.arrayminus[k] == pytest.approx(3119280)
    assert trace.name == "Derived by nkdigital"
    trace, k = marks["obs-dprk-mobile-connections-2024-01-gsma-operatorwatch"]  # 7.51 million connections
    assert trace.x[k] == 7510000
    counted = [i for i in marks if i.startswith("obs-")]
    assert counted and all(str(rows.at[i, "unit"]) in ("subscriptions", "people") for i in counted)

    def right_end(trace, k):
        return trace.x[k] + (trace.error_x.array[k] if trace.error_x.visible else 0)

    owners = max(right_end(t, k) for i, (t, k) in marks.items() if i.startswith("dev-mobile-owners"))
    lines = max(right_end(t, k) for i, (t, k) in marks.items() if i.startswith("obs-"))
    assert owners > 2 * lines  # the gap the chart is about
    assert fig.layout.xaxis.type in (None, "linear", "-")
    assert all(str(rows.at[i, "unit"]) != "share" for i in marks)


# ------------------------------------------------------------------------------------------------ tiers

def test_tiers_use_a_log_axis_ranges_and_a_note_for_groups_without_size(gallery, package, rows):
    fig = gallery["nkdigital-access-tiers"]
    assert fig.layout.xaxis.type == "log"
    assert not any(t.type == "pie" for t in fig.data)
    marks = points(fig)
    trace, k = marks["tier-global-elites-few-dozen-fastcolabs"]  # 'a few dozen' = 24-60
    assert trace.x[k] == pytest.approx(math.sqrt(24 * 60), rel=1e-5)
    assert trace.x[k] + trace.error_x.array[k] == pytest.approx(60) and trace.marker.symbol[k] == "line-ns-open"
    trace, k = marks["tier-intranet-households-2017-mics-koreaherald"]  # 1.4% of households, in people
    assert 20e6 < trace.x[k] / 0.014 < 30e6 and trace.marker.symbol[k] == "circle-open"
    tiers = package.access_tiers()
    unsized = tiers[tiers[["value", "low", "high"]].isna().all(axis=1)]
    assert len(unsized) and not set(unsized["tier_id"]) & set(marks)
    # groups with no stated size: a count per tier in the note, the names in the description and in the hover
    # of each tier's heading
    note = " ".join(fig.layout.meta["notes"])
    assert f"Not drawn: {len(unsized)} statements" in note
    headings = {a.name.split(": ", 1)[1]: a for a in fig.layout.annotations if (a.name or "").startswith("tier: ")}
    assert list(headings) == ["global_internet", "monitored_global_internet", "national_intranet",
                              "no_network_access"]  # in order, one row group per tier
    description = fig.layout.meta["description"].casefold()
    for _, row in unsized.iterrows():
        name = html.escape(" ".join(row["group_name"].split()))
        assert name.casefold() in description
        hover = headings[str(row["tier"])].hovertext.replace("<br>  ", " ").casefold()
        assert name.casefold() in hover
        count = int((unsized["tier"].astype(str) == str(row["tier"])).sum())
        assert f"{TIER_NAMES[str(row['tier'])].lower()} {count}" in note
    assert "handful" not in note  # a phrase with no magnitude has no bounds: no reading rule to state


def test_tiers_rows_carry_one_short_label_each_and_non_colliding_value_labels(gallery, package):
    fig = gallery["nkdigital-access-tiers"]
    axis = fig.layout.yaxis
    assert len(axis.tickvals) == len(axis.ticktext) == len(points(fig))
    for text in axis.ticktext:
        assert "<br>" not in text and len(html.unescape(text)) <= 45
    # the full group name is in the hover of its mark
    tiers = package.access_tiers().set_index("tier_id")
    for row_id, (trace, k) in points(fig).items():
        assert html.escape(tiers.at[row_id, "group_name"].split()[0]) in trace.hovertext[k]
    # at most one value label per row, never crossing the population line
    values = [a for a in fig.layout.annotations if (a.name or "").startswith("value: ")]
    assert len({a.y for a in values}) == len(values)
    population = next(a for a in fig.layout.annotations if a.name == "population line")
    for a in values:
        assert (a.xanchor == "left") == (a.xshift > 0)
    assert population.yref == "paper" and population.yanchor == "bottom"  # above the plot
    # the note's reading-rule examples come from the drawn rows
    note = html.unescape(fig.layout.meta["notes"][0])
    drawn = package.access_tiers()
    drawn = drawn[drawn["tier_id"].isin(points(fig))]
    for phrase in re.findall(r"'([^']+)' =", note):
        assert phrase in set(drawn["phrase"].dropna())


# ------------------------------------------------------------------------------------------- procedure

def test_procedure_is_an_ordered_flow_with_value_and_unit_labels(gallery, package):
    fig = gallery["nkdigital-access-procedure"]
    nodes = next(t for t in fig.data if t.name == "steps")
    controls = package.access_controls()
    assert list(nodes.x) == sorted(set(controls["step_order"].astype(int)))
    assert nodes.text[0].startswith("<b>1. Application") and any("5. Session" in t for t in nodes.text)
    labels = next(t for t in fig.data if t.name == "figures")
    texts = " ".join(labels.text)
    for wanted in ("3 authorities", "every 5 minutes", "1 hour", "3–9 authorities", "up to 2 days"):
        assert f"<b>{wanted}</b>" in texts
    for row_id, (trace, k) in points(fig).items():  # every statement sits under its own step
        assert trace.x[k] == int(controls.set_index("control_id").at[row_id, "step_order"])
    ranged = controls[controls[["low", "high"]].notna().any(axis=1)]
    for _, row in ranged.iterrows():  # ranges keep their stated bounds
        trace, k = points(fig)[row["control_id"]]
        for bound in (row["low"], row["high"]):
            if pd.notna(bound):
                assert house.number(bound) in trace.text[k]


# ---------------------------------------------------------------------------------------------- rights

def test_rights_places_ratifications_in_time_with_the_articles_at_stake(gallery, package):
    fig = gallery["nkdigital-rights"]
    marks = points(fig)
    trace, k = marks["rgt-iccpr-art19-pscore-if-core"]
    assert trace.x[k] == 1981 and trace.name == "Treaty" and trace.text[k] == "1981"
    ticks = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
    assert "Article 19" in ticks[trace.y[k]] and "Civil and Political" in ticks[trace.y[k]]
    assert "Article 19" in trace.hovertext[k]
    frame = package.rights_framework()
    dated = frame["ratification_year"].dropna()
    undated = frame[frame["ratification_year"].isna()]
    for row_id in undated["framework_id"]:
        trace, k = marks[row_id]
        assert trace.x[k] > dated.max()  # in the 'no year stated' band, not on a year
    for _, row in frame[frame["ratification_year"].notna()].iterrows():
        trace, k = marks[row["framework_id"]]
        assert trace.x[k] == int(row["ratification_year"])


# --------------------------------------------------------------------------------------------- timeline

def test_timeline_puts_every_event_on_its_date_with_precision_shown(gallery, package):
    fig = gallery["nkdigital-timeline"]
    marks = points(fig)
    events = package.events()
    assert set(marks) == set(events.loc[events["event_date"].notna(), "event_id"])
    symbols = {"day": "circle", "month": "square", "year": "diamond"}
    for _, row in events.iterrows():
        trace, k = marks[row["event_id"]]
        precision = str(row["event_date_precision"])
        assert trace.marker.symbol == symbols[precision]
        if precision == "day":
            assert trace.x[k] == row["event_date"].strftime("%Y-%m-%d")
        else:  # middle of the month or year
            end = house.period_end(row["event_date"], precision)
            assert row["event_date"].strftime("%Y-%m-%d") <= trace.x[k] <= end.isoformat()
        hover = trace.hovertext[k].replace("<br>", " ")
        assert (html.escape(row["title"]) in hover and html.escape(row["source_id"]) in hover) or "rows from" in hover
    assert any("Network" in t for t in fig.layout.yaxis.ticktext)


# --------------------------------------------------------------------------------------------- escaping

def _poison(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the payload prefixed to every free-text column (ids, sources and enums untouched)."""
    frame = frame.copy()
    for column in frame.columns:
        if column in ID_COLUMNS or isinstance(frame[column].dtype, pd.CategoricalDtype):
            continue
        if pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: v if pd.isna(v) else PAYLOAD + v, na_action="ignore")
    return frame


BUILDERS = {
    "timeline": lambda p: charts.timeline(_poison(p.events()), package=p),
    "subscribers": lambda p: charts.subscribers(_poison(p.observations()), events=_poison(p.events()), package=p),
    "devices": lambda p: charts.devices(_poison(p.device_estimates()), _poison(p.observations()), package=p),
    "access_tiers": lambda p: charts.access_tiers(_poison(p.access_tiers()), package=p),
    "access_procedure": lambda p: charts.access_procedure(_poison(p.access_controls()), package=p),
    "rights": lambda p: charts.rights(_poison(p.rights_framework()), package=p),
}


@pytest.mark.parametrize("chart", list(BUILDERS))
def test_markup_in_the_data_is_escaped_everywhere(package, chart):
    text = strings(BUILDERS[chart](package))
    assert "<b>" in text  # the check sees raw markup: the house's own tags are there
    assert "&lt;script&gt;" in text
    assert "<script" not in text and "<img" not in text


def test_markup_in_publisher_names_is_escaped(package):
    frames = {name: package.resource(name) for name in package.resource_names}
    sources = frames["sources"]
    sources.loc[sources["source_id"] == "pscore-internet-freedom", "publisher"] = "<script>alert(3)</script> PSCORE"
    poisoned = nk.Package(package.descriptor, frames, package.path)
    fig = charts.rights(poisoned.rights_framework(), package=poisoned)
    text = strings(fig)
    assert "&lt;script&gt;alert(3)&lt;/script&gt; PSCORE" in fig.layout.meta["source_line"]
    assert "<script" not in text


# ------------------------------------------------------------------------------------------- house bits

def test_house_words_for_quantities_and_dates():
    assert house.quantity(2000000, 2000000, None, "subscriptions", "at_least") == "at least 2,000,000 subscriptions"
    assert house.quantity(None, 3, 9, "authorities", "range") == "3–9 authorities"
    assert house.quantity(1, None, None, "hours", "exact") == "1 hour"
    assert house.quantity(None, 0.5, 0.8, "share", "range") == "50%–80%"
    assert house.quantity(None, 6500000, 7000000, None, "range", fmt=house.compact) == "6.5–7 million"
    assert house.when(pd.Timestamp("2021-07-13"), "day") == "13 July 2021"
    assert house.when(pd.Timestamp("2008-12-01"), "month") == "December 2008"
    assert house.when(pd.Timestamp("2008-01-01"), "year") == "2008"
    assert house.tidy(1 / 3) == 0.333333 and house.tidy(6353150.0) == 6353150 and house.tidy(None) is None
    assert house.esc("<b>&") == "&lt;b&gt;&amp;" and house.esc(pd.NA) == ""


def test_palette_is_okabe_ito():
    assert set(house.PALETTE) == {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
                                  "#000000"}
    assert set(house.CLAIM_COLOURS.values()) - set(house.PALETTE) == {"#B8A200"}  # darkened yellow only


def test_importing_nkdigital_does_not_import_plotly():
    code = ("import sys, nkdigital as nk; nk.load(); assert 'plotly' not in sys.modules;"
            " nk.charts; assert 'plotly' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
