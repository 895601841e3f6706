"""House charts on the bundled package: what is drawn, how it is styled, credited, escaped and shown.

Row ids are never hard-coded: expectations come from the package's own rows, so the data may change under them.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
import shutil
import sys
import types

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nkdigital as nk
from nkdigital import charts
from nkdigital.charts import credits, fidelity, house, markup, palette, placement, ranges, style
from nkdigital.charts.registry import CHARTS
from nkdigital.metadata.colours import DARK_YELLOW, OKABE_ITO
from nkdigital.metadata.enums import ENUMS, ESTIMATE_CLAIMS, TIER_PART_OF
from nkdigital.metadata.terms import restricts_reuse

STEMS = [f"nkdigital-{name}" for name in CHARTS]
PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ID_COLUMNS = {"observation_id", "event_id", "attestation_id", "estimate_id", "tier_id", "control_id", "framework_id",
              "source_id", "indicator", "sha256", "copy_url",
              "input_ids", "formula", "archive_path", "url", "geo"}
SUBSCRIBER_INDICATORS = ["mobile_subscriptions", "mobile_users"]


# ------------------------------------------------------------------------------------------------- helpers

@pytest.fixture(scope="module")
def gallery(package):
    return charts.gallery(package)


@pytest.fixture(scope="module")
def weak_gallery(package):
    return charts.gallery(package, include_weak=True)


@pytest.fixture(scope="module")
def rows(package) -> pd.DataFrame:
    """Every row of the package that rests on a source, by id, with its source_id, input_ids and figures (events
    rest on their attestations)."""
    parts = []
    for name in package.resource_names:
        frame = package.resource(name)
        if "source_id" not in frame or name == "sources":
            continue
        part = pd.DataFrame({"row_id": frame.iloc[:, 0], "source_id": frame["source_id"]})
        part["input_ids"] = frame.get("input_ids", pd.NA)
        for column in ("value", "low", "high", "qualifier", "claim_type", "unit"):
            part[column] = frame[column].astype(object) if column in frame else None
        parts.append(part.astype(object))
    return pd.concat(parts, ignore_index=True).set_index("row_id")


@pytest.fixture(scope="module")
def weak_sources(package) -> set[str]:
    sources = package.sources()
    return set(sources.loc[sources["strength"].astype(str) == "weak", "source_id"])


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


def missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def bounds(row) -> tuple[float | None, float | None, float | None]:
    return tuple(None if missing(row[c]) else float(row[c]) for c in ("value", "low", "high"))


def symbol_at(trace, k) -> str:
    return trace.marker.symbol[k] if isinstance(trace.marker.symbol, tuple) else trace.marker.symbol


def drawable_subscriptions(package, weak_sources) -> pd.DataFrame:
    obs = package.observations(SUBSCRIBER_INDICATORS)
    if "geo" in obs:
        obs = obs[obs["geo"].astype(str) == "PRK"]
    obs = obs[obs["ref_date"].notna() & obs[["value", "low", "high"]].notna().any(axis=1)]
    return obs[~obs["source_id"].isin(weak_sources)]


# ----------------------------------------------------------------------------------------------- gallery

def test_legend_names_are_short_without_nested_brackets(gallery, weak_gallery):
    names = {(stem, fidelity.plain(t.name)) for g in (gallery, weak_gallery) for stem, fig in g.items()
             for t in fig.data if t.showlegend is not False and t.name}
    assert ("nkdigital-subscribers-headline", "International statistic · World Bank") in names
    for stem, name in names:
        assert len(name) <= 40, (stem, name)
        assert not re.search(r"\([^()]*\(", name), (stem, name)


def test_short_outlet_drops_bracketed_parts_and_keeps_a_plain_name():
    assert credits.short_outlet("World Bank (World Development Indicators)") == "World Bank"
    assert credits.short_outlet("Reuters") == "Reuters"
    assert credits.short_outlet("(unnamed)") == "(unnamed)"


def test_gallery_has_every_registered_chart_keyed_by_its_file_stem(gallery):
    assert list(gallery) == STEMS
    assert {c.view for c in CHARTS.values()} == {"headline", "research"}
    for stem, fig in gallery.items():
        assert isinstance(fig, charts.HouseFigure)
        assert fig.layout.meta["filename"] == stem


def test_chart_by_name_and_unknown_name(package):
    fig = charts.chart("subscribers-headline", package)
    assert fig.layout.meta["filename"] == "nkdigital-subscribers-headline"
    with pytest.raises(KeyError, match="unknown chart 'nope'"):
        charts.chart("nope", package)


@pytest.mark.parametrize("stem", STEMS)
def test_every_chart_carries_description_source_line_sources_terms_and_notes(gallery, stem):
    fig = gallery[stem]
    meta = fig.layout.meta
    assert isinstance(meta["description"], str) and len(meta["description"]) > 80
    assert meta["source_ids"] == sorted(meta["source_ids"]) and meta["source_ids"]
    assert isinstance(meta["notes"], list) and meta["notes"]
    assert isinstance(meta["terms"], list)
    assert fig.layout.title.text and fig.layout.title.subtitle.text
    footer = [a for a in fig.layout.annotations if a.name == "footer"]
    assert len(footer) == 1
    shown = footer[0].text.replace("<br>", " ").replace("<b>", "").replace("</b>", "")
    assert shown == meta["source_line"]  # the printed line is the whole source line, wrapped
    notes = [a for a in fig.layout.annotations if a.name == "notes"]
    assert len(notes) == 1 and notes[0].text.startswith("<b>Note")


def _lines(annotation) -> int:
    return annotation.text.count("<br>") + 1


@pytest.mark.parametrize("stem", STEMS)
def test_every_chart_fills_its_container_and_exports_at_an_explicit_size(gallery, stem):
    fig = gallery[stem]
    layout, meta = fig.layout, fig.layout.meta
    assert layout.width is None and layout.autosize is True  # responsive on screen
    assert meta["width"] == style.WIDTH and meta["height"] == layout.height > 200
    assert house.image_size(fig) == (style.WIDTH, layout.height)
    assert house.image_size(fig, 600, 400) == (600, 400)
    options = charts.config(fig)["toImageButtonOptions"]
    assert (options["width"], options["height"]) == (style.WIDTH, layout.height)
    margin = layout.margin
    assert margin.autoexpand is False
    assert layout.height - margin.t - margin.b >= 120, "the plot is not squashed by title, notes or sources"
    by_name = {a.name: a for a in layout.annotations if a.name in ("notes", "footer")}
    notes, footer = by_name["notes"], by_name["footer"]
    notes_top, footer_top = -notes.yshift, -footer.yshift
    assert notes_top >= 10 and notes_top + _lines(notes) * markup.line_px(notes.font.size) <= footer_top
    assert footer_top + _lines(footer) * markup.line_px(footer.font.size) + style.PAD <= margin.b
    # notes and source line are wrapped to the narrow footer measure, not to the export width
    for annotation in (notes, footer):
        assert annotation.xshift == style.PAD - margin.l
        for line in annotation.text.split("<br>"):
            raw = html.unescape(line.replace("<b>", "").replace("</b>", ""))
            assert markup.text_px(raw, annotation.font.size) <= style.FOOTER_PX, line
    title_lines = layout.title.text.split("<br>")
    subtitle_lines = layout.title.subtitle.text.split("<br>")
    text_height = (style.PAD + len(title_lines) * markup.line_px(style.TITLE_FONT)
                   + len(subtitle_lines) * markup.line_px(style.SUBTITLE_FONT))
    assert text_height + 10 <= margin.t


@pytest.mark.parametrize("stem", STEMS)
def test_legends_are_horizontal_or_absent(gallery, stem):
    fig = gallery[stem]
    if any(t.showlegend is not False for t in fig.data) and fig.layout.showlegend is not False:
        assert fig.layout.legend.orientation == "h"


@pytest.mark.parametrize("stem", STEMS)
def test_config_hides_the_logo_and_exports_png_at_scale_2_named_after_the_chart(gallery, stem):
    config = charts.config(gallery[stem])
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
def test_source_line_names_original_outlets_in_at_most_160_characters(gallery, package, rows, stem):
    fig = gallery[stem]
    meta = fig.layout.meta
    drawn = meta["rows"]
    assert set(points(fig)) <= set(drawn), "a mark whose row is not credited"
    expected_ids = package.source_ids(rows.loc[drawn, ["source_id", "input_ids"]])
    assert meta["source_ids"] == expected_ids
    table = package.sources().set_index("source_id")
    outlets = {credits.outlet(table.loc[i]) for i in expected_ids}
    assert sorted(html.unescape(s) for s in meta["sources"]) == sorted(outlets)  # the full list, once each
    line = meta["source_line"]
    assert len(line) <= 160 and len(html.unescape(line)) <= 160
    assert line.endswith(f"Chart: nkdigital v{package.version}")
    raw = html.unescape(line)
    named = [o for o in outlets if o in raw]
    assert named, "the line names at least the main outlet"
    others = re.search(r"and (\d+) others?\.", raw)
    assert (int(others.group(1)) if others else 0) == len(outlets) - len(named)  # counted honestly
    copies = package.source_table
    hosts = {copies.at[i, "host"] for i in expected_ids
             if str(copies.at[i, "copy"]) not in ("original", "excerpt_of_original")} - outlets
    for host in hosts:  # a mirror's host is never printed
        assert host not in raw


@pytest.mark.parametrize("stem", STEMS)
def test_default_charts_draw_no_row_from_a_weak_source(gallery, rows, weak_sources, stem):
    fig = gallery[stem]
    drawn = rows.loc[fig.layout.meta["rows"]]
    assert not set(drawn["source_id"]) & weak_sources
    assert "weak source" not in " ".join(fig.layout.meta["notes"])  # no note on faded rows: none is drawn


def test_include_weak_adds_weak_rows_visibly_marked_and_says_so(gallery, weak_gallery, rows, weak_sources):
    marked = 0
    for stem in STEMS:
        fig, more = gallery[stem], weak_gallery[stem]
        assert set(fig.layout.meta["rows"]) <= set(more.layout.meta["rows"])
        marks: dict[tuple[int, int], list[str]] = {}
        for trace_index, trace in enumerate(more.data):
            for k, cell in enumerate(trace.customdata or ()):
                marks[(trace_index, k)] = str(cell).split()
        for (trace_index, k), ids in marks.items():
            if not all(rows.at[i, "source_id"] in weak_sources for i in ids):
                continue
            trace = more.data[trace_index]
            opacity = trace.marker.opacity
            faded = (isinstance(opacity, tuple) and opacity[k] < 1) or (trace.opacity or 1) < 1
            labelled = isinstance(trace.text, tuple) and "weak)" in str(trace.text[k])
            assert faded or labelled, f"{stem}: weak-only mark {ids} is not marked"
            marked += 1
        if set(rows.loc[more.layout.meta["rows"], "source_id"]) & weak_sources:
            assert any("weak source" in n for n in more.layout.meta["notes"])
    assert marked, "some chart draws a weak row when asked"


def test_no_chart_module_redefines_an_enum_label_or_colour():
    from pathlib import Path

    folder = Path(charts.__file__).parent
    code = "\n".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.py"))
    for enum in ("claim_type", "tier", "instrument_type", "precision"):
        for spec in ENUMS[enum].values():
            assert f'"{spec.label}"' not in code and f"'{spec.label}'" not in code, spec.label
    assert "OKABE_ITO[" not in code and "#E69F00" not in code  # colours come from the metadata


def test_subtitle_counts_are_honest(gallery, package, rows):
    for stem in ("nkdigital-subscribers", "nkdigital-subscribers-per-100"):
        fig = gallery[stem]
        count = int(re.search(r"from (\d+) sources", fig.layout.title.subtitle.text).group(1))
        figures = [r for r in points(fig)]
        assert count == len(package.source_ids(rows.loc[figures, ["source_id", "input_ids"]]))
        assert count <= len(fig.layout.meta["source_ids"])
        if count < len(fig.layout.meta["source_ids"]):  # the rest are named: event lines' sources
            extra = len(fig.layout.meta["source_ids"]) - count
            assert f"dated by {extra} further source" in " ".join(fig.layout.meta["notes"])


def test_restrictive_terms_rule():
    assert restricts_reuse("ITU data: non-commercial reuse terms per ITU; cite ITU")
    assert restricts_reuse("CC BY-NC-SA 4.0") and restricts_reuse("All rights reserved; short quotation")
    assert not restricts_reuse("CC BY 4.0 (Our World in Data)") and not restricts_reuse("Public domain")
    assert not restricts_reuse(None) and not restricts_reuse("sync licence")


@pytest.mark.parametrize("stem", STEMS)
def test_restrictive_terms_travel_in_meta_and_the_caption_not_in_the_notes(gallery, package, stem):
    from nkdigital.export import chart_html

    fig = gallery[stem]
    table = package.sources().set_index("source_id")
    restricted = {" ".join(str(table.at[i, "usage_terms"]).split()) for i in fig.layout.meta["source_ids"]
                  if restricts_reuse(table.at[i, "usage_terms"])}
    terms = " ".join(html.unescape(t) for t in fig.layout.meta["terms"])
    notes = " ".join(html.unescape(a.text.replace("<br>", " ")) for a in fig.layout.annotations if a.name == "notes")
    caption = html.unescape(chart_html(fig, include_plotlyjs="plotly.js").split("<figcaption>", 1)[1])
    for text in restricted:
        assert text in terms and text in caption
        assert text.split(";")[0] not in notes
    assert bool(restricted) == bool(fig.layout.meta["terms"])


def test_terms_of_a_fixture_source_reach_meta_notes_and_data(package, tmp_path):
    frames = {name: package.resource(name) for name in package.resource_names}
    sources = frames["sources"]
    sources["usage_terms"] = "CC BY 4.0"
    used = package.observations("population")["source_id"].iloc[0]
    sources.loc[sources["source_id"] == used, "usage_terms"] = "CC BY-NC 4.0 (fixture)"
    changed = nk.Package(package.descriptor, frames, package.path)
    fig = charts.access_tiers(changed.access_tiers(), package=changed)
    if used in fig.layout.meta["source_ids"]:
        assert any("CC BY-NC 4.0 (fixture)" in t for t in fig.layout.meta["terms"])
        out = nk.export.write_chart_csv(fig, tmp_path / "tiers.csv", changed)
        data = pd.read_csv(out)
        assert "CC BY-NC 4.0 (fixture)" in data["chart_terms"].iloc[0]
        assert data.loc[data["source_id"] == used, "restricts_reuse"].all()
    fig = charts.rights(changed.rights_framework(), package=changed)
    assert fig.layout.meta["terms"] == []


def test_derived_rows_credit_their_input_sources(gallery, package, rows):
    checked = 0
    for fig in gallery.values():
        drawn = rows.loc[[i for i in fig.layout.meta["rows"] if str(rows.at[i, "claim_type"]) == "derived"]]
        inputs = set(package.source_ids(drawn[["source_id", "input_ids"]])) - set(drawn["source_id"])
        assert inputs <= set(fig.layout.meta["source_ids"])
        checked += bool(inputs)
    assert checked, "some default chart draws a derived row with inputs from other sources"


# ------------------------------------------------------------------------------------- subscribers

def test_subscribers_plots_every_non_weak_figure_as_its_own_mark(gallery, package, rows, weak_sources):
    fig = gallery["nkdigital-subscribers"]
    drawable = drawable_subscriptions(package, weak_sources)
    marks = points(fig)
    assert set(drawable["observation_id"]) == set(marks)
    for row_id in drawable["observation_id"]:
        trace, k = marks[row_id]
        value, low, high = bounds(rows.loc[row_id])
        expected = value if value is not None else (low + high) / 2 if low is not None and high is not None \
            else low if low is not None else high
        assert trace.y[k] == pytest.approx(expected, rel=1e-6), row_id
        claim = str(rows.at[row_id, "claim_type"])
        assert trace.marker.color == palette.colour("claim_type", claim)
        if value is not None:
            assert symbol_at(trace, k).startswith(palette.symbol("claim_type", claim))
        else:
            assert symbol_at(trace, k) == "line-ew-open"


def test_subscribers_trace_names_and_legend(gallery, package, weak_sources):
    fig = gallery["nkdigital-subscribers"]
    obs = drawable_subscriptions(package, weak_sources)
    data = [t for t in fig.data if t.customdata]
    pairs = set(zip(obs["indicator"].astype(str), obs["claim_type"].astype(str), strict=True))
    assert len(data) == len(pairs)
    legend = [t.name for t in fig.data if t.showlegend is not False and t.x == (None,)]
    for claim in set(obs["claim_type"].astype(str)):
        assert html.escape(palette.name("claim_type", claim), quote=False) in legend
    # indicators are named by their titles in the package's indicators resource, in legend, traces and title
    titles = package.indicators().set_index("indicator")["title"].astype(str)
    indicators = set(obs["indicator"].astype(str))
    assert {html.escape(titles[i], quote=False) for i in indicators} <= set(legend)
    assert all(t.name.split(": ")[0] in {html.escape(titles[i], quote=False) for i in indicators} for t in data)
    assert fig.layout.meta["title"].startswith(titles["mobile_subscriptions"])


def test_per_100_view_draws_only_the_rate(gallery, package, weak_sources):
    fig = gallery["nkdigital-subscribers-per-100"]
    rate = package.observations("mobile_subscriptions_per_100")
    rate = rate[~rate["source_id"].isin(weak_sources)]
    assert set(points(fig)) == set(rate["observation_id"])
    assert fig.layout.yaxis.title.text == "Per 100 people"


def test_subscribers_marks_key_events_as_vertical_lines(gallery):
    fig = gallery["nkdigital-subscribers"]
    lines = [s for s in fig.layout.shapes if s.type == "line" and s.xref == "x"]
    labels = [a for a in fig.layout.annotations if (a.name or "").startswith("event: ")]
    assert len(lines) == len(labels) >= 2
    assert any("(2008)" in a.text or "Koryolink" in a.text for a in labels)


def test_subscribers_says_which_view_it_cannot_draw(package):
    with pytest.raises(ValueError, match="per_100=True"):
        charts.subscribers(package.observations("mobile_subscriptions_per_100"), package=package)


@pytest.mark.parametrize("stem", ["nkdigital-subscribers", "nkdigital-subscribers-per-100", "nkdigital-devices"])
def test_estimates_have_open_markers_and_reported_figures_filled(gallery, rows, stem):
    for row_id, (trace, k) in points(gallery[stem]).items():
        symbol = symbol_at(trace, k)
        estimate = rows.at[row_id, "claim_type"] in ESTIMATE_CLAIMS
        assert ("-open" in symbol) == (estimate or symbol.startswith("line")), row_id


def test_estimated_series_are_dashed(gallery):
    lines = [t for t in gallery["nkdigital-subscribers"].data if t.mode == "lines"]
    assert any(t.line.dash == "dash" for t in lines)


def _event_extents(fig) -> list[tuple[int, float, float, float]]:
    """(level, leader x, left, right) in px along the plot for each event label of a subscribers chart."""
    layout = fig.layout
    start, end = (pd.Timestamp(x) for x in layout.xaxis.range)
    plot = layout.meta["width"] - layout.margin.l - layout.margin.r
    found = []
    for a in layout.annotations:
        if not (a.name or "").startswith("event: "):
            continue
        x = (pd.Timestamp(a.x) - start) / (end - start) * plot
        size = markup.text_px(html.unescape(a.text), a.font.size)
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
        assert left >= -fig.layout.margin.l and right <= fig.layout.meta["width"] - fig.layout.margin.l
        for other, ox, oleft, oright in extents[i + 1:]:
            if other == level:
                assert right <= oleft or oright <= left, "labels on one level overlap"
            elif other < level:  # my leader rises through the lower level
                assert not oleft < x < oright, "a leader crosses a label"
            else:
                assert not left < ox < right, "a leader crosses a label"



def test_stagger_keeps_labels_and_leaders_apart():
    positions = [0, 0, 40, 100, 300, 310, 700]
    widths = [150, 200, 120, 180, 90, 220, 150]
    placed = placement.stagger(positions, widths, (-50, 800))
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


def test_show_inside_a_kernel_displays_what_plotlys_mimetype_renderer_would(monkeypatch, gallery):
    shown, displayed = {}, []
    monkeypatch.setattr(pio, "show", lambda fig, *args, **kwargs: shown.update(**kwargs))
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: types.SimpleNamespace(kernel=object())
    monkeypatch.setitem(sys.modules, "IPython", fake)
    monkeypatch.setitem(sys.modules, "IPython.display", types.SimpleNamespace(
        display=lambda bundle, raw: displayed.append((bundle, raw))))
    assert house.in_ipython_kernel()
    fig = gallery["nkdigital-rights"]
    fig.show()
    expected = pio.renderers["plotly_mimetype"].to_mimebundle(fig.to_dict())
    expected[house.MIMETYPE]["config"] = house.config(fig)
    assert displayed == [(expected, True)] and not shown
    assert expected[house.MIMETYPE]["config"]["displaylogo"] is False
    fig.show(renderer="json", config={"scrollZoom": True})
    assert shown["renderer"] == "json" and shown["config"]["scrollZoom"] is True and len(displayed) == 1
    fake.get_ipython = lambda: types.SimpleNamespace()  # terminal IPython: no kernel
    assert not house.in_ipython_kernel()




# ------------------------------------------------------------------------------------ devices and tiers

def test_devices_draws_estimates_against_counted_lines(gallery, package, rows, weak_sources):
    fig = gallery["nkdigital-devices"]
    marks = points(fig)
    estimates = package.device_estimates()
    drawn = estimates[estimates["estimate_id"].isin(marks)]
    assert len(drawn) and not set(drawn["source_id"]) & weak_sources
    assert set(drawn["unit"].astype(str)) <= {"people", "devices"}
    counted = [i for i in marks if i not in set(estimates["estimate_id"])]
    assert counted and all(str(rows.at[i, "unit"]) in ("subscriptions", "people") for i in counted)
    assert fig.layout.xaxis.type in (None, "linear", "-")
    for row_id, (trace, _k) in marks.items():
        assert trace.marker.color == palette.colour("claim_type", str(rows.at[row_id, "claim_type"]))


def test_tiers_use_a_log_axis_and_count_groups_without_size(gallery, package, weak_sources):
    fig = gallery["nkdigital-access-tiers"]
    assert fig.layout.xaxis.type == "log"
    marks = points(fig)
    tiers = package.access_tiers()
    tiers = tiers[~tiers["source_id"].isin(weak_sources)]
    households = tiers["share_of"].astype(str) == "households"  # a share of households is no number of people
    unsized = tiers[tiers[["value", "low", "high"]].isna().all(axis=1) | households]
    assert not set(unsized["tier_id"]) & set(marks)
    headings = [a.name.split(": ", 1)[1] for a in fig.layout.annotations if (a.name or "").startswith("tier: ")]
    assert headings == [t for t in palette.order("tier") if t in headings]  # in the metadata's order
    note = " ".join(fig.layout.meta["notes"])
    if len(unsized):
        assert f"Not drawn: {len(unsized)} statements" in note
        for tier, count in unsized["tier"].astype(str).value_counts().items():
            assert f"{palette.name('tier', tier).lower()}: {count} statement" in note
    axis = fig.layout.yaxis
    assert len(axis.tickvals) == len(axis.ticktext) == len(marks)
    values = [a for a in fig.layout.annotations if (a.name or "").startswith("value: ")]
    assert len({a.y for a in values}) == len(values), "at most one value label per row"
    for row_id, (trace, _k) in marks.items():
        tier = str(tiers.set_index("tier_id").at[row_id, "tier"])
        assert trace.marker.color == palette.colour("tier", tier)


# ------------------------------------------------------------------------------------------ headlines

def test_subscribers_headline_draws_one_series_and_the_operators_figures(gallery, package, rows, weak_sources):
    fig = gallery["nkdigital-subscribers-headline"]
    data = [t for t in fig.data if t.customdata]
    assert 1 <= len(data) <= 2
    series = data[0]
    claims = {str(rows.at[i, "claim_type"]) for i in series.customdata}
    assert len(claims) == 1 and claims <= {"international_statistic", "derived"}
    assert len({rows.at[i, "source_id"] for i in series.customdata}) == 1, "one source's series"
    assert list(series.x) == sorted(series.x) and len(series.x) >= 5
    operator = drawable_subscriptions(package, weak_sources)
    operator = operator[(operator["claim_type"].astype(str) == "operator_report")
                        & (operator["indicator"].astype(str) == "mobile_subscriptions")]
    if len(data) == 2:
        assert set(data[1].customdata) == set(operator["observation_id"])
    labels = [a for a in fig.layout.annotations if (a.name or "").startswith("label: ")]
    assert 1 <= len(labels) <= 3, "at most a few annotations"
    assert fig.layout.legend.orientation == "h"
    assert nk.text.compact(series.y[-1]) in fig.layout.title.text


def test_subscribers_headline_prefers_an_international_series_when_one_exists(package):
    obs = package.observations("mobile_subscriptions")
    international = obs[obs["claim_type"].astype(str) == "international_statistic"]
    derived = international.assign(claim_type=pd.Categorical(["derived"] * len(international),
                                                             categories=obs["claim_type"].cat.categories),
                                   observation_id=international["observation_id"] + "-fixture")
    assert charts.headline.strongest_series(derived, package)[1] == "derived"  # the fallback
    series, claim = charts.headline.strongest_series(pd.concat([derived, international]), package)
    assert claim == "international_statistic" and len(series) >= 5


@pytest.mark.parametrize("stem", ["nkdigital-access-tiers-headline", "nkdigital-devices-headline"])
def test_other_headlines_draw_stated_bounds_never_a_midpoint(gallery, rows, stem):
    """A bar runs from a stated low to a stated high; a mark sits on a stated figure (in people: a share is
    drawn times a population, so only its ends are checked against the row's own bounds' order)."""
    fig = gallery[stem]
    data = [t for t in fig.data if t.customdata]
    assert data and fig.layout.showlegend is False
    for trace in data:
        row = rows.loc[trace.customdata[0]]
        figures = {float(row[c]) for c in ("value", "low", "high") if not missing(row[c])}
        if str(row["unit"]) == "share":
            continue
        if trace.mode == "lines":  # a range: its two stated bounds
            assert set(trace.x) == {float(row["low"]), float(row["high"])}
        else:
            assert trace.x[0] in figures, f"{stem}: {row.name} drawn at {trace.x[0]}, which it does not state"


def test_tiers_headline_has_one_row_per_tier_in_the_sources_words(gallery, package, weak_sources):
    fig = gallery["nkdigital-access-tiers-headline"]
    ticks = [" ".join(fidelity.plain(t).split()) for t in fig.layout.yaxis.ticktext]
    assert ticks == [palette.name("tier", t) + (f" (a part of {palette.name('tier', TIER_PART_OF[t]).lower()})"
                                                if t in TIER_PART_OF else "") for t in palette.order("tier")]
    assert TIER_PART_OF, "an overlapping tier is named as a part of another"
    labels = {a.name: fidelity.plain(a.text) for a in fig.layout.annotations if (a.name or "").startswith("label")}
    tiers = package.access_tiers()
    sized = tiers[tiers[["value", "low", "high"]].notna().any(axis=1)]
    for tier in palette.order("tier"):
        here = sized[sized["tier"].astype(str) == tier]
        label = labels[f"label: {tier}"]
        strong = here[~here["source_id"].isin(weak_sources)]
        if len(strong):
            assert any(f"“{p}”" in label for p in strong["phrase"].dropna()), label  # the source's own words
        elif len(here):
            assert "Only a weak source states a size" in label
    assert "3,160" not in fidelity.plain(fig.layout.meta["title"])


def test_devices_headline_prints_the_stated_share_beside_our_computation(gallery, package):
    fig = gallery["nkdigital-devices-headline"]
    shares = package.device_estimates("mobile_phone", measure="ownership_share")
    share = shares[shares["estimate_id"].isin(
        " ".join(package.device_estimates().set_index("estimate_id").loc[
            [i for i in fig.layout.meta["rows"] if i.startswith("dev-")], "input_ids"]).split())].iloc[0]
    stated = nk.text.quantity(share["value"], share["low"], share["high"], "share", None)
    label = fidelity.plain(next(a.text for a in fig.layout.annotations if a.name == "label: owners"))
    assert stated in fig.layout.meta["title"] and stated in label and "our computation" in label
    assert f"“{share['phrase']}”" in label


def test_subscribers_headline_draws_no_derived_zero_breaks_gaps_and_marks_estimates(gallery, package, rows):
    fig = gallery["nkdigital-subscribers-headline"]
    drawn = rows.loc[fig.layout.meta["rows"]]
    assert not ((drawn["claim_type"].astype(str) == "derived") & (drawn["value"] == 0)).any()
    line = next(t for t in fig.data if t.mode == "lines")
    marks = next(t for t in fig.data if t.customdata and t.mode == "markers")
    years = [pd.Timestamp(x).year for x in marks.x]
    gaps = sum(b - a > 1 for a, b in itertools.pairwise(years))
    assert sum(x is None for x in line.x) == gaps
    if gaps:
        assert "a break where a year has no figure" in " ".join(fig.layout.meta["notes"])
    for k, row_id in enumerate(marks.customdata):
        row = package.row(row_id)
        assert symbol_at(marks, k).endswith("-open") == ranges.is_estimate(row.to_dict())


def test_no_derived_subscription_figure_is_a_zero(package):
    obs = package.observations("mobile_subscriptions", geo="all")
    derived = obs[obs["claim_type"].astype(str) == "derived"]
    assert not (derived[["value", "low", "high"]].fillna(-1) == 0).any(axis=None)


# --------------------------------------------------------------------------------------- print fidelity

@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("weak", [False, True])
def test_every_printed_number_is_a_figure_a_drawn_row_states(gallery, weak_gallery, package, stem, weak):
    fig = (weak_gallery if weak else gallery)[stem]
    assert fidelity.unstated(fig, package) == []


def test_a_midpoint_in_a_headline_fails_the_fidelity_check(gallery, package):
    fig = go.Figure(gallery["nkdigital-access-tiers-headline"])
    low, high = 2000, 5000  # 'a few thousand' by the reading rule
    midpoint = nk.text.compact(math.sqrt(low * high))
    fig.layout.meta = {**fig.layout.meta, "title": f"Global internet: about {midpoint}"}
    problems = fidelity.unstated(fig, package)
    assert len(problems) == 1 and f"'{midpoint}' is no figure of a drawn row" in problems[0]
    fig.layout.meta = {**fig.layout.meta, "title": f"Global internet: {low:,}–{high:,} people"}
    assert fidelity.unstated(fig, package) == []


def test_a_derived_figure_alone_or_an_unstated_year_fails_the_fidelity_check(gallery, package):
    fig = go.Figure(gallery["nkdigital-devices-headline"])
    derived = package.row(next(i for i in fig.layout.meta["rows"] if "derived" in i))
    alone = nk.text.quantity(derived["value"], derived["low"], derived["high"], None, None, fmt=nk.text.compact)
    fig.layout.meta = {**fig.layout.meta, "title": f"Phone owners: {alone} people in 1999"}
    problems = " ".join(fidelity.unstated(fig, package))
    assert "is no figure of a drawn row" in problems and "'1999'" in problems


@pytest.mark.parametrize(("text", "expected"), [
    ("6.5–7 million", [(6.5e6, 1e5), (7e6, 1e6)]),
    ("50%–80% of adults", [(50, 1), (80, 1)]),
    ("about 3,160 people", [(3160, 10)]),
    ("24.13 per 100", [(24.13, 0.01), (100, 1)]),
    ("CC BY 4.0, 3G, v0.1.0, A/HRC/16/58", [(4.0, 0.1)]),
])
def test_fidelity_reads_numbers_at_their_printed_precision(text, expected):
    found = [(round(n.value, 6), round(n.step, 6)) for n in fidelity.numbers(text)]
    assert found == expected


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
    at_least = ranges.span(2000000, 2000000, None, "at_least")
    assert (at_least.mark, at_least.plus, at_least.minus, at_least.open_up, at_least.open_down) == (
        2000000, 0, 0, True, False)
    up_to = ranges.span(48000, None, 48000, "up_to")
    assert up_to.open_down and not up_to.open_up and up_to.plus == 0
    vague = ranges.span(None, 2000, 5000, "range")
    assert (vague.mark, vague.plus, vague.minus, vague.has_value) == (3500, 1500, 1500, False)
    assert ranges.span(None, 24, 60, "range", log=True).mark == pytest.approx(math.sqrt(24 * 60), rel=1e-6)


def test_procedure_is_an_ordered_flow_with_value_and_unit_labels(gallery, package, weak_sources):
    fig = gallery["nkdigital-access-procedure"]
    nodes = next(t for t in fig.data if t.name == "steps")
    controls = package.access_controls()
    controls = controls[~controls["source_id"].isin(weak_sources)]
    assert list(nodes.x) == sorted(set(controls["step_order"].astype(int)))
    assert nodes.text[0].startswith(f"<b>{nodes.x[0]}. ")
    labels = next(t for t in fig.data if t.name == "figures")
    texts = " ".join(labels.text)
    for _, row in controls.iterrows():  # every figure as stated, ranges with both bounds
        figure = nk.text.quantity_of(row)
        if figure:
            assert f"{html.escape(figure, quote=False)}</b>" in texts
    for row_id, (trace, k) in points(fig).items():  # every statement sits under its own step
        assert trace.x[k] == int(controls.set_index("control_id").at[row_id, "step_order"])


# ---------------------------------------------------------------------------------------------- rights

def test_rights_places_ratifications_in_time(gallery, package, weak_sources):
    fig = gallery["nkdigital-rights"]
    marks = points(fig)
    frame = package.rights_framework()
    frame = frame[~frame["source_id"].isin(weak_sources)]
    dated = frame["ratification_year"].dropna()
    for _, row in frame.iterrows():
        trace, k = marks[row["framework_id"]]
        if missing(row["ratification_year"]):
            assert trace.x[k] > dated.max()  # in the 'no year stated' band
        else:
            assert trace.x[k] == int(row["ratification_year"])
        assert trace.marker.symbol == palette.symbol("instrument_type", str(row["instrument_type"]))


# --------------------------------------------------------------------------------------------- timeline

def test_timeline_puts_every_event_on_its_date_with_precision_shown(gallery, package, weak_sources):
    fig = gallery["nkdigital-timeline"]
    marks = points(fig)
    events = package.events()
    accounts = package.resource("event_attestations")
    attested = set(accounts.loc[~accounts["source_id"].isin(weak_sources), "event_id"])
    events = events[events["event_date"].notna() & events["event_id"].isin(attested)]
    drawn = accounts[accounts["attestation_id"].isin(marks)]
    assert set(drawn["event_id"]) == set(events["event_id"])
    mark_of = {e: marks[a] for e, a in zip(drawn["event_id"], drawn["attestation_id"], strict=True)}
    assert all(mark_of[e] == marks[a] for e, a in zip(drawn["event_id"], drawn["attestation_id"], strict=True))
    assert len({id(t) * 10_000 + k for t, k in mark_of.values()}) == len(events)  # one mark per happening
    marks = mark_of
    disputed = set(events.loc[events["is_disputed"].astype(bool), "event_id"])
    assert disputed and {"evt-reactionary-law-adoption"} <= disputed
    for event_id in disputed:  # marked: a thick dark outline, and a legend entry saying what it means
        trace, k = marks[event_id]
        assert trace.marker.line.width[k] == 3
    assert any("Disputed" in (t.name or "") for t in fig.data)
    law, k = marks["evt-reactionary-law-adoption"]
    assert "Presidium" in law.hovertext[k] and "plenary" in law.hovertext[k].lower()  # what each source says
    for _, row in events.iterrows():
        trace, k = marks[row["event_id"]]
        precision = str(row["event_date_precision"])
        assert trace.marker.symbol == palette.symbol("precision", precision)
        assert trace.marker.color == palette.colour("precision", precision)
        if precision == "day":
            assert trace.x[k] == row["event_date"].strftime("%Y-%m-%d")
        else:
            end = nk.text.period_end(row["event_date"], precision, row["event_date_end"])
            assert row["event_date"].strftime("%Y-%m-%d") <= trace.x[k] <= end.isoformat()


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


def _poisoned(package) -> nk.Package:
    frames = {name: _poison(package.resource(name)) for name in package.resource_names}
    return nk.Package(package.descriptor, frames, package.path)


@pytest.mark.parametrize("name", list(CHARTS))
def test_markup_in_the_data_is_escaped_everywhere(package, name):
    fig = charts.chart(name, _poisoned(package))
    text = strings(fig)
    assert "<b>" in text  # the check sees raw markup: the house's own tags are there
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text or name in ("access-procedure",)


# ------------------------------------------------------------------------------------------ house bits

def test_palette_and_symbols_come_from_the_metadata():
    allowed = set(OKABE_ITO.values()) | {DARK_YELLOW}
    for enum in ("claim_type", "tier", "instrument_type", "precision"):
        for value, spec in ENUMS[enum].items():
            assert palette.colour(enum, value) == spec.colour in allowed
            assert palette.name(enum, value) == spec.label
            assert palette.symbol(enum, value) == spec.symbol
    for claim in ENUMS["claim_type"]:
        assert palette.symbol("claim_type", claim).endswith("-open") == (claim in ESTIMATE_CLAIMS)
    assert palette.colour("claim_type", "unknown") == style.GREY


def test_importing_nkdigital_does_not_import_plotly():
    import subprocess

    code = ("import sys, nkdigital as nk; nk.load(); nk.text.number(1); assert 'plotly' not in sys.modules;"
            " nk.charts; assert 'plotly' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_documented_call_shows_with_the_house_config(monkeypatch, package):
    shown = {}
    monkeypatch.setattr(pio, "show", lambda fig, *args, **kwargs: shown.update(fig=fig, args=args, **kwargs))
    monkeypatch.setattr(pio.renderers, "default", "json")  # a renderer to show with (none: a warning, test_first_use)
    nk.charts.subscribers(package.observations(indicator="mobile_subscriptions")).show()
    assert shown["config"]["displaylogo"] is False
    assert shown["config"]["toImageButtonOptions"] == {"format": "png", "scale": 2,
                                                       "filename": "nkdigital-subscribers",
                                                       "width": style.WIDTH,
                                                       "height": shown["fig"].layout.height}
    assert "renderer" not in shown  # outside a kernel plotly's default applies


def test_set_layout_merges_like_update_layout():
    start = {"xaxis": {"type": "date", "title": {"text": "Year", "font": {"size": 11}}}, "legend": {"x": 0.5},
             "showlegend": True, "meta": {"rows": ["a"], "width": 1}}
    change = {"xaxis": {"range": [0, 1], "title": {"text": None}}, "legend": {"x": 0, "title": {"text": "Kind:"}},
              "showlegend": False, "height": 300, "meta": {"rows": ["b"]}}
    ours, plotly_s = house.HouseFigure(layout=start), go.Figure(layout=start)
    house.set_layout(ours, **change)
    plotly_s.update_layout(**change)
    assert ours.layout.to_plotly_json() == plotly_s.layout.to_plotly_json()
    assert ours.layout.xaxis.type == "date" and ours.layout.xaxis.title.font.size == 11  # kept, not replaced
    assert ours.layout.xaxis.title.text is None and list(ours.layout.xaxis.range) == [0, 1]
    assert ours.layout.meta == {"rows": ["b"]}  # a value without sub-properties is replaced, as plotly does


def test_add_scatter_builds_the_trace_plotly_builds():
    trace = {"x": [1, 2], "y": [3, 4], "mode": "lines", "marker_color": "#123456", "line": {"width": 2}, "name": "a"}
    ours, plotly_s = house.HouseFigure(), go.Figure()
    assert ours.add_scatter(**trace) is ours
    plotly_s.add_scatter(**trace)
    assert ours.data[0].to_plotly_json() == plotly_s.data[0].to_plotly_json()
    with pytest.raises(ValueError, match="'bogus'"):
        ours.add_scatter(x=[1], bogus=2)




@settings(max_examples=300, deadline=None, database=None)
@given(words=st.lists(st.text(alphabet="abcdefghij,.()-", min_size=1, max_size=30), min_size=1, max_size=40),
       measure=st.integers(5, 160))
def test_balanced_measure_is_the_narrowest_that_needs_no_more_lines(words, measure):
    from nkdigital.charts.markup import _balanced, _line_count

    raw = " ".join(words)
    found = _balanced(raw, measure)
    assert _line_count(raw, found) <= _line_count(raw, measure) and found <= measure
    assert found == min(20, measure) or _line_count(raw, found - 1) > _line_count(raw, measure)


# ------------------------------------------------------------------------------------- timeline labels

BOXES = """() => Array.from(document.querySelectorAll('text')).filter(t => t.textContent.trim()).map(t => {
  const r = t.getBoundingClientRect();
  return {text: t.textContent, x: r.x, y: r.y, w: r.width, h: r.height,
          lines: Array.from(t.querySelectorAll('tspan.line')).map(s => s.textContent)};
})"""


def rendered_texts(fig, tmp_path) -> list[dict]:
    """The text elements of `fig` exported as SVG (kaleido, system Chromium), with their boxes in a browser."""
    return measured(fig, tmp_path, BOXES)


def measured(fig, tmp_path, script: str):
    """What `script` (a JavaScript function) returns on `fig` exported as SVG (kaleido, system Chromium)."""
    from playwright.sync_api import sync_playwright

    from nkdigital.export.images import write_image

    svg = write_image(fig, tmp_path / "chart.svg").read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page()
        page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
        found = page.evaluate(script)
        browser.close()
    return found


def narrow_embed(fig: go.Figure, width: int) -> go.Figure:
    """`fig` as a narrow embed shows it: its narrow relayout applied, at `width` px."""
    from nkdigital.export.html import reflow_settings

    narrow = go.Figure(fig)
    narrow.plotly_relayout({**reflow_settings(fig)["narrow"], **fig.layout.meta["narrow_relayout"]})
    narrow.layout.meta = {**fig.layout.meta, "width": width, "height": narrow.layout.height}
    return narrow


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium for kaleido and the browser")
@pytest.mark.parametrize(("width", "embed"), [(style.WIDTH, False), (640, False), (640, True)])
def test_timeline_image_labels_the_key_events_without_overlap(package, weak_sources, tmp_path, width, embed):
    events = package.events()
    fig = (narrow_embed(charts.timeline(events, package=package), width) if embed
           else charts.timeline(events, package=package, width=width))
    texts = rendered_texts(fig, tmp_path)
    lines = [line for t in texts for line in (t["lines"] or [t["text"]])]
    attested = set(package.resource("event_attestations").query("source_id not in @weak_sources")["event_id"])
    key = events[events["is_key"].astype(bool) & events["event_id"].isin(attested)]
    labelled = [e for e in key["title"] if any(markup.shorten(e, 30).rstrip("…") in line for line in lines)]
    if width >= style.WIDTH:
        assert len(labelled) == len(key) >= 6, "every key event is labelled in the wide image"
    else:  # narrow: the labels that fit, those more sources report first
        sources = package.resource("event_attestations").groupby("event_id")["source_id"].nunique()
        top = key.assign(n=key["event_id"].map(sources)).sort_values("n", ascending=False)
        assert 1 <= len(labelled) < len(key) and top["title"].iloc[0] in labelled
    for a, b in itertools.combinations(texts, 2):
        overlap_x = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
        overlap_y = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
        assert overlap_x <= 1 or overlap_y <= 1, f"{a['text']!r} overlaps {b['text']!r} at {width} px"


MARKS = """() => {
  const box = (e, pad) => { const r = e.getBoundingClientRect();
    return {x: r.x - pad, y: r.y - pad, w: r.width + 2 * pad, h: r.height + 2 * pad}; };
  const kind = t => t.closest('g.ytick') ? 'ytick' : t.closest('g.annotation') ? 'annotation' : 'other';
  const texts = Array.from(document.querySelectorAll('text')).filter(t => t.textContent.trim())
    .map(t => ({text: t.textContent, kind: kind(t), ...box(t, 0)}));
  const bars = Array.from(document.querySelectorAll('g.errorbar path, g.trace.scatter g.lines path, g.points path'))
    .map(e => box(e, (parseFloat(getComputedStyle(e).strokeWidth) || 0) / 2)).filter(b => b.w > 0 && b.h > 0);
  return {texts, bars};
}"""


def rendered_marks(fig, tmp_path) -> dict:
    """The text boxes (with their kind: y tick label, annotation, other) and the mark and bar boxes (strokes
    included) of `fig` exported as SVG, measured in a browser."""
    return measured(fig, tmp_path, MARKS)


def overlaps(a: dict, b: dict, gap: float = 0.0) -> bool:
    """Whether boxes `a` and `b` overlap, or come closer than `gap` px, both across and down."""
    across = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    down = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return across > -gap and down > -gap


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium for kaleido and the browser")
@pytest.mark.parametrize("width", [390, 400])
@pytest.mark.parametrize(("name", "prefix"), [("devices", "value: "), ("access-tiers-headline", "label: "),
                                              ("access-tiers", "value: ")])
def test_narrow_images_keep_data_labels_off_bars_and_rows_apart(package, tmp_path, name, prefix, width):
    from nkdigital.charts.resize import resized

    fig = resized(charts.chart(name, package), width)
    labels = [re.sub(r"\s", "", fidelity.plain(a.text)) for a in fig.layout.annotations
              if (a.name or "").startswith(prefix)]
    found = rendered_marks(fig, tmp_path)
    texts = [t for t in found["texts"] if t["kind"] != "other"]
    drawn = [t for t in texts if re.sub(r"\s", "", t["text"]) in labels]
    assert len(drawn) == len(labels) >= 2
    for label in drawn:
        assert not [b for b in found["bars"] if overlaps(label, b, gap=-1)], f"{label['text']!r} runs over a bar"
        assert not [t for t in texts if t is not label and overlaps(label, t)], f"{label['text']!r} touches a text"
    ticks = [t for t in texts if t["kind"] == "ytick"]
    assert not [(a["text"], b["text"]) for a, b in itertools.combinations(ticks, 2) if overlaps(a, b, gap=2)]


AXIS_BAND = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, text: e.textContent}; };
  return {ticks: Array.from(document.querySelectorAll('g.xtick text')).map(box),
          title: Array.from(document.querySelectorAll('text.xtitle')).map(box),
          notes: Array.from(document.querySelectorAll('g.annotation text')).map(box)
            .filter(b => b.text.startsWith('Note'))};
}"""


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium for kaleido and the browser")
@pytest.mark.parametrize("width", [390, 400, 640])
@pytest.mark.parametrize("name", ["access-tiers-headline", "access-tiers"])
def test_turned_tick_labels_keep_the_axis_title_off_the_notes_of_a_narrow_image(package, tmp_path, name, width):
    """Tick labels too wide to lie flat turn (30 or 90 degrees): the axis band grows by what they then take, so
    the axis title stays under them and a clear gap above the notes."""
    from nkdigital.charts.resize import resized

    fig = resized(charts.chart(name, package), width)
    found = measured(fig, tmp_path, AXIS_BAND)
    assert len(found["ticks"]) >= 5 and len(found["title"]) == 1 and len(found["notes"]) == 1
    title, notes = found["title"][0], found["notes"][0]
    assert max(t["bottom"] for t in found["ticks"]) <= title["top"] + 1
    assert notes["top"] - title["bottom"] >= 6, (name, width, notes["top"] - title["bottom"])


def test_devices_heads_counted_rows_by_what_they_count(gallery, package):
    fig = gallery["nkdigital-devices"]
    headings = [fidelity.plain(t).strip() for t in fig.layout.yaxis.ticktext if t.startswith("<b>")]
    observations = package.observations(geo="all").set_index("observation_id")
    drawn = {str(observations.at[i, "indicator"]) for i in fig.layout.meta["rows"] if i in observations.index}
    assert "mobile_subscriptions" in drawn and "Subscriptions (counted)" in headings
    assert ("Users (counted)" in headings) == ("mobile_users" in drawn)


def test_a_derived_figure_is_dated_by_its_inputs(gallery, package, rows):
    fig = gallery["nkdigital-devices"]
    labels = [fidelity.plain(t) for t in fig.layout.yaxis.ticktext]
    derived = [i for i in fig.layout.meta["rows"] if str(rows.at[i, "claim_type"]) == "derived"]
    assert derived
    for row_id in derived:
        row = package.row(row_id)
        share = package.row(next(i for i in row["input_ids"].split() if i.startswith("dev-")))
        period = nk.text.when(share["ref_date"], share["ref_date_precision"], share["ref_date_end"])
        assert any(f"share {period} × population {row['ref_date'].year}" in label for label in labels)


def test_narrow_rewrap_breaks_long_lines_at_spaces_outside_tags():
    from nkdigital.charts import narrow

    wrapped = narrow._rewrap("“a few thousand” (2,000–5,000 people) <span style='color:#595959'>· 2012–2022</span>", 20)
    assert wrapped == "“a few thousand”<br>(2,000–5,000 people)<br><span style='color:#595959'>· 2012–2022</span>"
    assert narrow._rewrap("short<br>line", 20) == "short<br>line"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium for kaleido and the browser")
@pytest.mark.parametrize("name", ["access-tiers-headline", "subscribers-headline"])  # two title lines, one
def test_a_title_of_any_number_of_lines_keeps_the_padding_above_it(package, tmp_path, name):
    fig = charts.chart(name, package)
    title = next(t for t in rendered_texts(fig, tmp_path) if t["text"].startswith(fig.layout.meta["title"][:20]))
    assert len(title["lines"] or [title["text"]]) == (2 if name == "access-tiers-headline" else 1)
    assert style.PAD - 5 <= title["y"] <= style.PAD, title  # the line box's top: the padding less the leading
