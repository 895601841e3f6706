"""The researcher's API: period windows, geo, sorting, indicators, conflicts, one row, source fields, clean URLs."""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nkdigital as nk
from nkdigital.cli import main
from nkdigital.core.periods import bound, overlapping, period_end
from nkdigital.core.urls import clean_url

from .apitools import read_rows, set_rows

DATED = {"observations": "ref_date", "events": "event_date", "device_estimates": "ref_date",
         "access_tiers": "ref_date"}


def _obs(row_id: str, date: str, precision: str, source: str, **cells) -> dict:
    return {"observation_id": row_id, "indicator": "mobile_subscriptions", "geo": "PRK", "subject": "DPRK",
            "ref_date": date, "ref_date_precision": precision, "value": "100", "unit": "subscriptions",
            "qualifier": "exact", "claim_type": "media_report", "source_id": source,
            "quote": "a quote of more than four words", **cells}


@pytest.fixture
def sources(package_copy) -> list[str]:
    return [row["source_id"] for row in read_rows(package_copy, "sources")[:3]]


@pytest.fixture
def periods(package_copy, sources) -> nk.Package:
    """Observations of every precision around the end of 2024, listed out of order."""
    a = sources[0]
    set_rows(package_copy, "observations", [
        _obs("obs-z-day", "2024-09-30", "day", a),
        _obs("obs-e-next-year", "2025-01-01", "day", a),
        _obs("obs-b-month", "2024-09-01", "month", a),
        _obs("obs-c-year", "2024-01-01", "year", a),
        _obs("obs-d-range", "2000-01-01", "range", a, ref_date_end="2009-12-31", date_phrase="in the 2000s"),
        _obs("obs-f-month", "2023-12-01", "month", a),
        _obs("obs-a-year", "2024-01-01", "year", a),
    ])
    return nk.load(package_copy)


def _ids(frame: pd.DataFrame) -> list[str]:
    return list(frame.iloc[:, 0])


def test_window_bounds_accept_years_months_and_dates():
    assert bound("2008", "start") == pd.Timestamp("2008-01-01")
    assert bound("2024", "end") == pd.Timestamp("2024-12-31")
    assert bound("2024-02", "end") == pd.Timestamp("2024-02-29")
    assert bound("2024-09-15", "end") == bound("2024-09-15", "start") == pd.Timestamp("2024-09-15")
    assert bound(2010, "start") == pd.Timestamp("2010-01-01")
    for bad in ("2024-13", "24", "2024-02-30", "last year"):
        with pytest.raises(ValueError, match=r"is not a year \(YYYY\), a month"):
            bound(bad, "end")


def test_a_period_ends_where_its_precision_says(periods):
    obs = periods.observations().set_index("observation_id")
    ends = period_end(obs, "ref_date").dt.strftime("%Y-%m-%d")
    assert ends.to_dict() == {"obs-d-range": "2009-12-31", "obs-f-month": "2023-12-31", "obs-a-year": "2024-12-31",
                              "obs-c-year": "2024-12-31", "obs-b-month": "2024-09-30", "obs-z-day": "2024-09-30",
                              "obs-e-next-year": "2025-01-01"}


def test_rows_come_sorted_by_date_then_id(periods):
    assert _ids(periods.observations()) == ["obs-d-range", "obs-f-month", "obs-a-year", "obs-c-year", "obs-b-month",
                                            "obs-z-day", "obs-e-next-year"]


@pytest.mark.parametrize(("start", "end", "expected"), [
    (None, "2024", {"obs-d-range", "obs-f-month", "obs-a-year", "obs-c-year", "obs-b-month", "obs-z-day"}),
    ("2008", "2024", {"obs-d-range", "obs-f-month", "obs-a-year", "obs-c-year", "obs-b-month", "obs-z-day"}),
    ("2024-09-30", None, {"obs-a-year", "obs-c-year", "obs-b-month", "obs-z-day", "obs-e-next-year"}),
    ("2024-10", None, {"obs-a-year", "obs-c-year", "obs-e-next-year"}),
    (None, "2023-12-31", {"obs-d-range", "obs-f-month"}),
    (None, "2023-11", {"obs-d-range"}),
    ("2009-12-31", "2009-12-31", {"obs-d-range"}),
    ("2010", None, {"obs-f-month", "obs-a-year", "obs-c-year", "obs-b-month", "obs-z-day", "obs-e-next-year"}),
    (None, "2000-01-01", {"obs-d-range"}),
    (None, "1999", set()),
    ("2024-09", "2024-09", {"obs-a-year", "obs-c-year", "obs-b-month", "obs-z-day"}),
    ("2025", None, {"obs-e-next-year"}),
])
def test_start_and_end_select_rows_whose_period_overlaps(periods, start, end, expected):
    assert set(_ids(periods.observations(start=start, end=end))) == expected


def _last_day(day: dt.date, precision: str, end: dt.date) -> dt.date:
    if precision == "month":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return {"day": day, "year": day.replace(month=12, day=31), "range": end}[precision]


def _window_side(day: dt.date, form: str, side: str) -> tuple[str, dt.date]:
    """A window bound written as a year, month or date, and the day it means."""
    if form == "year":
        return str(day.year), day.replace(month=1, day=1) if side == "start" else day.replace(month=12, day=31)
    if form == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return f"{day:%Y-%m}", day.replace(day=1 if side == "start" else last)
    return day.isoformat(), day


DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
FORMS = st.sampled_from(["year", "month", "day", None])


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(DAYS, st.sampled_from(["day", "month", "year", "range"]),
                               st.integers(0, 4000)), min_size=1, max_size=12),
       start=st.tuples(DAYS, FORMS), end=st.tuples(DAYS, FORMS))
def test_the_window_keeps_exactly_the_rows_whose_period_overlaps_it(rows, start, end):
    firsts = [day.replace(day=1) if p == "month" else day.replace(month=1, day=1) if p == "year" else day
              for day, p, _ in rows]
    frame = pd.DataFrame({
        "ref_date": pd.to_datetime(firsts),
        "ref_date_precision": [p for _, p, _ in rows],
        "ref_date_end": pd.to_datetime([first + dt.timedelta(days=n) if p == "range" else None
                                        for first, (_, p, n) in zip(firsts, rows, strict=True)]),
    })
    text_start, first_day = _window_side(start[0], start[1], "start") if start[1] else (None, dt.date.min)
    text_end, last_day = _window_side(end[0], end[1], "end") if end[1] else (None, dt.date.max)
    if first_day > last_day:
        with pytest.raises(ValueError, match="is after end"):
            overlapping(frame, "ref_date", text_start, text_end)
        return
    mask = overlapping(frame, "ref_date", text_start, text_end)
    kept = set(range(len(frame))) if mask is None else {i for i, keep in enumerate(mask) if keep}
    expected = {i for i, (first, (_, p, n)) in enumerate(zip(firsts, rows, strict=True))
                if first <= last_day and _last_day(first, p, first + dt.timedelta(days=n)) >= first_day}
    assert kept == expected


def test_the_cli_cites_a_row_id(package, capsys):
    row_id = package.observations().iloc[0, 0]
    assert main(["cite", row_id, "--style", "apa"]) == 0
    assert capsys.readouterr().out.strip() == nk.cite(row_id, style="apa")


def test_a_window_that_ends_before_it_starts_is_an_error(periods):
    with pytest.raises(ValueError, match="start '2025' is after end '2024'"):
        periods.observations(start="2025", end="2024")
    with pytest.raises(ValueError, match="end '2024-1' is not a year"):
        periods.observations(end="2024-1")


def test_end_year_keeps_a_later_month_of_that_year(package):
    """The issue's case: end="2024" keeps figures dated within 2024 at any precision."""
    obs = package.observations(geo="all", end="2024")
    late = obs[obs["ref_date"].dt.year == 2024]
    assert len(late) == (package.observations(geo="all")["ref_date"].dt.year == 2024).sum()


def test_every_accessor_returns_rows_sorted_by_date_then_id(package):
    for name, date in DATED.items():
        frame = package.resource(name)
        accessor = getattr(package, name)
        for result in (frame, accessor()):
            expected = result.sort_values([date, result.columns[0]], kind="stable")
            assert _ids(result) == _ids(expected), name
    for name in ("access_controls", "rights_framework", "indicators"):
        ids = _ids(getattr(package, name)())
        assert ids == sorted(ids), name
    sources = package.sources()
    assert _ids(sources) == _ids(sources.sort_values(["published_date", "source_id"], kind="stable"))


def test_dated_accessors_take_a_window(package):
    for name, date in DATED.items():
        frame = getattr(package, name)(start="2010", end="2012")
        assert (frame[date] <= pd.Timestamp("2012-12-31")).all()
        assert (period_end(frame, date) >= pd.Timestamp("2010-01-01")).all(), name


def test_observations_default_to_north_korea_and_take_any_geo(package_copy, sources):
    rows = [_obs("obs-prk", "2020-01-01", "year", sources[0]), _obs("obs-kor", "2020-01-01", "year", sources[0],
                                                                      geo="KOR"),
            _obs("obs-wld", "2020-01-01", "year", sources[0], geo="WLD")]
    set_rows(package_copy, "observations", rows)
    pkg = nk.load(package_copy)
    assert _ids(pkg.observations()) == ["obs-prk"]
    assert _ids(pkg.observations(geo="KOR")) == ["obs-kor"]
    assert _ids(pkg.observations(geo=["KOR", "WLD"])) == ["obs-kor", "obs-wld"]
    assert _ids(pkg.observations(geo=None)) == _ids(pkg.observations(geo="all")) == ["obs-kor", "obs-prk", "obs-wld"]
    with pytest.raises(ValueError, match="geo 'kor' is not an ISO 3166-1 alpha-3 code"):
        pkg.observations(geo="kor")


def test_indicators_list_every_indicator_once(package):
    indicators = package.indicators()
    assert list(indicators.columns[:6]) == ["indicator", "title", "unit", "definition", "claim_types", "caveats"]
    assert indicators["indicator"].is_unique
    used = set(package.observations(geo="all")["indicator"].astype(str))
    assert used == set(indicators["indicator"])
    obs = package.observations(geo="all").astype({"indicator": str, "unit": str})
    for row in indicators.itertuples():
        assert set(obs.loc[obs["indicator"] == row.indicator, "unit"].dropna()) <= {row.unit}, row.indicator
    subs = indicators.set_index("indicator").loc["mobile_subscriptions", "definition"]
    assert "not" in subs and "people" in subs


def test_sources_are_publications_read_through_their_primary_copy(package):
    table = package.source_table
    copies = package.resource("source_copies")
    bbc = "bbc-2017-nine-charts-north-korea"
    assert table.loc[bbc, "original_outlet"] == "BBC News"
    assert table.loc[bbc, "archive_path"] == f"library/{bbc}.txt"
    assert set(copies.loc[copies["source_id"] == bbc, "role"].astype(str)) == {"primary", "supplementary"}
    row = package.row(bbc)
    assert (row["archive_path"], row["url"]) == (f"library/{bbc}.txt", "http://www.bbc.co.uk/news/world-asia-41228181")
    assert nk.cite(bbc, package=package).startswith("BBC News (")


def test_events_take_their_sources_from_attestations(package):
    event_id = "evt-koryolink-launch"
    attesting = set(package.resource("event_attestations").query("event_id == @event_id")["source_id"])
    assert len(attesting) >= 10 and package.source_ids(event_id) == sorted(attesting)
    assert nk.cite(event_id, package=package).splitlines() == [nk.cite(s, package=package) for s in sorted(attesting)]
    attestation = package.resource("event_attestations").query("event_id == @event_id").iloc[0]
    assert package.row(attestation["attestation_id"])["source_ids"] == attestation["source_id"]
    assert package.row(event_id)["resource"] == "events"
    weak = package.events(strength="weak")
    assert event_id in set(weak["event_id"])  # a weak blog is among its accounts


@pytest.fixture
def disputed(package_copy, sources) -> nk.Package:
    a, b, c = sources
    set_rows(package_copy, "observations", [
        _obs("obs-2010-a", "2010-01-01", "year", a, value="100"),
        _obs("obs-2010-b", "2010-01-01", "year", b, value="", low="150", high="200", qualifier="range"),
        _obs("obs-2010-c-same", "2010-01-01", "year", c, value="100"),
        _obs("obs-2010-derived", "2010-01-01", "year", c, value="900", claim_type="derived"),
        _obs("obs-2010-06-month", "2010-06-01", "month", c, value="999"),
        _obs("obs-2011-a", "2011-01-01", "year", a, value="300"),
        _obs("obs-2011-a-again", "2011-01-01", "year", a, value="400"),
        _obs("obs-2012-a", "2012-01-01", "year", a, value="500"),
        _obs("obs-2012-b-agrees", "2012-01-01", "year", b, value="500"),
        _obs("obs-2013-zero", "2013-01-01", "year", a, value="0"),
        _obs("obs-2013-b", "2013-01-01", "year", b, value="10"),
        _obs("obs-2013-kor", "2013-01-01", "year", b, value="50", geo="KOR"),
        _obs("obs-2013-kor-a", "2013-01-01", "year", a, value="60", geo="KOR"),
    ])
    return nk.load(package_copy)


def test_conflicts_group_different_figures_from_different_sources_for_one_period(disputed):
    found = disputed.conflicts()
    assert list(found.columns[:10]) == ["conflict", "indicator", "geo", "unit", "period_start", "period_end",
                                        "sources", "spread_min", "spread_max", "spread_ratio"]
    assert list(found["conflict"]) == [1, 1, 1, 2, 2]
    assert list(found["observation_id"]) == ["obs-2010-a", "obs-2010-b", "obs-2010-c-same", "obs-2013-b",
                                             "obs-2013-zero"]
    first = found[found["period_start"] == pd.Timestamp("2010-01-01")]
    assert set(first["period_end"]) == {pd.Timestamp("2010-12-31")}
    assert set(first["sources"]) == {3}
    assert (set(first["spread_min"]), set(first["spread_max"]), set(first["spread_ratio"])) == ({100}, {200}, {2.0})
    zero = found[found["period_start"] == pd.Timestamp("2013-01-01")]
    assert zero["spread_ratio"].isna().all()


def test_conflicts_filter_by_indicator_geo_and_window(disputed):
    assert disputed.conflicts("mobile_users").empty
    assert set(disputed.conflicts(start="2011")["observation_id"]) == {"obs-2013-b", "obs-2013-zero"}
    assert set(disputed.conflicts(geo="all")["observation_id"]) == {"obs-2010-a", "obs-2010-b", "obs-2010-c-same",
                                                                  "obs-2013-b", "obs-2013-zero", "obs-2013-kor",
                                                                  "obs-2013-kor-a"}


def test_conflicts_in_the_bundled_package_are_real_disagreements(package):
    found = package.conflicts(geo="all")
    assert not found.empty
    assert (found["claim_type"].astype(str) != "derived").all()
    keys = ["indicator", "geo", "unit", "period_start", "period_end"]
    assert found.groupby("conflict")[keys].nunique().eq(1).all().all()
    assert found["conflict"].nunique() == len(found.groupby(keys, observed=True))
    for _, group in found.groupby("conflict"):
        assert group["source_id"].nunique() >= 2
        figures = set(zip(group["value"].astype(str), group["low"].astype(str), group["high"].astype(str),
                          strict=True))
        assert len(figures) >= 2
        assert group["spread_min"].iloc[0] == min(group["low"].fillna(group["value"]).fillna(group["high"]))
        assert group["spread_max"].iloc[0] == max(group["high"].fillna(group["value"]).fillna(group["low"]))


def test_row_gives_any_row_with_its_source_copy_and_citation(package):
    for name in package.resource_names:
        if name in ("source_copies", "creators"):  # keyed by several fields: their rows have no id of their own
            continue
        frame = package.resource(name)
        row_id = frame.iloc[0, 0]
        row = package.row(row_id)
        assert row.name == row_id and row["resource"] == name
        assert row["citation"] == nk.cite(row_id, package=package)
        if "source_id" in frame:
            source = package.source_table.loc[row["source_id"]]
            assert row["url"] == source["url"] and row["archive_path"] == source["archive_path"]
            if "quote" in frame:
                assert row["quote"] == frame.iloc[0]["quote"]
            assert row["source_ids"].split() == package.source_ids(frame.iloc[:1])
    with pytest.raises(KeyError, match="unknown row or source id 'obs-nope'"):
        package.row("obs-nope")


def test_row_and_citation_of_a_derived_row_name_its_inputs_sources(package):
    derived = package.observations(claim_type="derived", geo="all")
    row_id = derived.iloc[0, 0]
    inputs = derived.iloc[0]["input_ids"].split()
    expected = {package.row(i)["source_id"] for i in inputs} | {derived.iloc[0]["source_id"]}
    assert expected <= set(package.row(row_id)["source_ids"].split())
    assert nk.cite(row_id, package=package) == nk.cite(derived.iloc[:1], package=package)


def test_with_sources_attaches_source_fields_to_any_frame(package):
    events = package.resource("event_attestations")
    frame = package.with_sources(events, fields=("title", "original_outlet", "url", "strength"))
    assert list(frame.columns) == [*events.columns, "title", "original_outlet", "url", "strength"]
    table = package.source_table
    assert frame["url"].tolist() == table.loc[events["source_id"], "url"].tolist()
    assert frame["title"].tolist() == table.loc[events["source_id"], "title"].tolist()
    assert "title" not in events and frame.attrs["resource"] == "event_attestations"
    default = package.with_sources(package.observations())
    assert {"original_outlet", "url", "strength"} <= set(default.columns)
    with pytest.raises(ValueError, match="unknown source field 'outlet'"):
        package.with_sources(events, fields=["outlet"])
    with pytest.raises(ValueError, match="no source_id column"):
        package.with_sources(package.indicators())


@pytest.mark.parametrize(("url", "clean"), [
    ("http://38north.org/2013/11/ykim112613/?utm_source=rss&utm_medium=rss&utm_campaign=ykim112613",
     "http://38north.org/2013/11/ykim112613/"),
    ("https://example.org/view.php?ud=2013&fbclid=abc&num=3954#part", "https://example.org/view.php?ud=2013&num=3954#part"),
    ("https://example.org/a/?share=jetpack-whatsapp", "https://example.org/a/"),
    ("https://example.org/a/?oref=ng-homepage&UTM_Source=x", "https://example.org/a/"),
    ("https://images.google.com/url?q=https://www.example.org/story/%3Fid%3D1&sa=U&usg=AOv",
     "https://www.example.org/story/?id=1"),
    ("https://example.org/?q=YToy%3D%3D&bmode=view", "https://example.org/?q=YToy%3D%3D&bmode=view"),
    ("https://example.org/plain", "https://example.org/plain"),
])
def test_clean_url_strips_tracking_and_unwraps_redirects(url, clean):
    assert clean_url(url) == clean


def test_citations_and_rows_use_clean_urls(package):
    assert all(clean_url(url) == url for url in package.source_table["url"])
    assert (package.with_sources(package.sources(), fields=["url"])["source_url"]
            == package.source_table.loc[package.sources()["source_id"], "url"].to_numpy()).all()


def test_rows_by_id_gives_each_resource_the_rows_whose_first_field_is_asked_for(package):
    observations, events = package.observations(geo=None), package.events()
    source = observations["source_id"].iloc[0]
    asked = [*observations.iloc[[5, 2], 0], events.iloc[0, 0], source, "no-such-row"]
    found = package.rows_by_id(asked)
    assert list(found) == [n for n in package.resource_names  # the package's order; a source id matches its
                           if package.resource(n).iloc[:, 0].isin(asked).any()]  # creators (keyed by source) too
    assert {"sources", "observations", "events"} <= set(found)
    for name, frame in found.items():
        whole = package.resource(name)
        expected = whole[whole.iloc[:, 0].isin(asked)].reset_index(drop=True)
        pd.testing.assert_frame_equal(frame, expected)
        assert frame.attrs["resource"] == name
    assert list(found["observations"].iloc[:, 0]) == sorted(observations.iloc[[5, 2], 0],
                                                             key=list(observations.iloc[:, 0]).index)
    assert package.rows_by_id(["no-such-row"]) == {}
