"""How North Korea compares and the .kp namespace: index rows against their archived documents, comparators,
network records, and the one-call questions (tier sizes, conflicts across resources, about)."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

import nkdigital as nk
from nkdigital.api.questions import MissingGeoWarning
from nkdigital.checking.quotes import evidence, part

from .apitools import read_rows, set_rows


def _body(package, archive, source_id: str) -> str:
    """The source's part of its archived file (a file may hold several documents, each on its section)."""
    copies = package.resource("source_copies").fillna({"section": ""})
    copy = copies[copies["source_id"] == source_id].iloc[0]
    sections = copies.loc[copies["archive_path"] == copy["archive_path"], "section"].tolist()
    return part(evidence((archive / copy["archive_path"]).read_text(encoding="utf-8")), copy["section"], sections)


def _years(package, indicator: str, geo: str) -> list[int]:
    return sorted(package.observations(indicator, geo=geo)["ref_date"].dt.year)


# (indicator, document, pattern of a North Korean data row, whose first group is the year)
INDEX_ROWS = [
    ("press_freedom_rank_rsf", "rsf-wpfi-2014-2021-prk", r"^(\d{4});PRK;"),
    ("press_freedom_score_rsf", "rsf-wpfi-2014-2021-prk", r"^(\d{4});PRK;|^North Korea,(\d{4}),\d"),
    ("press_freedom_status_fh", "freedomhouse-fotp-fiw-prk-kor", r"^North Korea,(\d{4}),\d+$"),
    ("civil_liberties_rating_fh", "freedomhouse-fotp-fiw-prk-kor-fiw", r"^North Korea,(\d{4}),\d+,\d+,\d+,"),
    ("civil_liberties_score_fh", "freedomhouse-fotp-fiw-prk-kor-fiw", r"^North Korea,(\d{4}),\d+,\d+,\d+,"),
    ("civil_liberties_index_vdem", "vdem-civil-liberties-prk-via-owid", r"^PRK,(\d{4}),"),
    ("internet_users_share", "unsd-sdg-2023-mobile-coverage-internet-prk",
     r"^notspec,408,\w+,bothsex,percent,(\d{4}),"),
    ("mobile_network_coverage_2g_share", "unsd-sdg-2023-mobile-coverage-internet-prk", r"^408,\w+,percent,(\d{4}),95$|"
     r"^408,c,percent,(\d{4}),0$"),
]


@pytest.mark.parametrize(("indicator", "document", "pattern"), INDEX_ROWS)
def test_each_index_has_a_north_korea_row_for_every_year_its_document_gives(package, archive, indicator, document,
                                                                            pattern):
    body = _body(package, archive, document)
    years = {int(next(g for g in m.groups() if g)) for m in re.finditer(pattern, body, re.M)}
    rows = package.observations(indicator)
    assert years and set(rows.loc[rows["source_id"] == document, "ref_date"].dt.year) == years


def test_index_values_are_read_as_published_with_decimal_commas(package):
    score = package.observations("press_freedom_score_rsf", start="2021", end="2021").iloc[0]
    assert (score["value"], score["quote"]) == (81.28, "2021;PRK;Democratic People's Republic of Korea;179;81,28;"
                                                "Very serious")
    assert package.observations("press_freedom_rank_rsf", start="2020", end="2020")["value"].tolist() == [180]
    assert package.observations("press_freedom_score_rsf", start="2013", end="2013")["value"].tolist() == [83.9]
    assert package.observations("civil_liberties_index_vdem", geo="WLD")["value"].tolist() == [0.6503]


def test_indices_state_scale_direction_and_break(package):
    indicators = package.indicators().set_index("indicator")
    rsf = indicators.loc["press_freedom_score_rsf"]
    assert (rsf["scale_min"], rsf["scale_max"], rsf["direction"]) == (0, 100, "lower_better")
    assert "2022" in rsf["methodology_break"]
    assert indicators.loc["civil_liberties_index_vdem", "direction"] == "higher_better"
    assert "no row" in indicators.loc["mobile_network_coverage_3g_share", "caveats"]
    assert package.observations("mobile_network_coverage_3g_share", geo="all")["geo"].unique().tolist() == ["KOR"]


def test_south_korea_has_ten_years_of_subscriptions_per_100_and_population(package):
    for indicator in ("mobile_subscriptions_per_100", "population"):
        years = package.observations(indicator, geo="KOR")["ref_date"].dt.year
        assert years.nunique() >= 10
    row = package.observations("mobile_subscriptions_per_100", geo="KOR", start="2020", end="2020").iloc[0]
    assert (row["value"], row["quote"]) == (135.973, "kor,2020,135.973")


def test_a_geo_without_rows_of_an_indicator_warns_naming_the_geos_that_have_them(package):
    with pytest.warns(MissingGeoWarning, match="^no mobile_network_coverage_3g_share rows for geo PRK with these"
                      " filters; rows exist for KOR$"):
        assert package.observations("mobile_network_coverage_3g_share").empty
    with pytest.warns(MissingGeoWarning, match="geo PRK with these filters; rows exist for KOR$"):
        assert set(package.observations("mobile_network_coverage_3g_share", geo=["PRK", "KOR"])["geo"]) == {"KOR"}
    with pytest.warns(MissingGeoWarning, match="geo WLD with these filters; rows exist for KOR, PRK$"):
        package.observations("press_freedom_rank_rsf", geo="WLD")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(package.observations("press_freedom_rank_rsf", geo="KOR")) == 8
        assert package.observations("press_freedom_rank_rsf", geo="KOR", start="2030").empty  # no geo has rows


def test_the_28_kp_domains_of_the_zone_transfer_are_rows(package, archive):
    body = _body(package, archive, "kp-dns-zone-transfer-2016")
    listed = re.search(r"## \.kp Domains\n\n```\n(.*?)```", body, re.S)
    domains = package.network_records("domain")
    assert sorted(domains["name"]) == sorted(listed.group(1).split()) and len(domains) == 28
    assert (domains["observed_date"] == pd.Timestamp("2016-09-19")).all()
    kcna = package.network_records("a_record").query("name == 'kcna.kp.'")
    assert sorted(kcna["target"]) == ["175.45.176.71", "175.45.176.74"]
    assert set(kcna["address_block"]) == {"175.45.176.0/22"}


def test_test_list_entries_carry_their_date_added(package):
    entries = package.network_records("test_list_entry").set_index("name")
    assert entries.loc["http://rodong.rep.kp/", "date_added"] == pd.Timestamp("2016-09-22")
    assert entries.loc["https://www.hrnk.org/", "date_added"] == pd.Timestamp("2023-07-05")
    assert entries["observed_date"].isna().all()


def test_network_record_problems_name_file_row_and_field(package_copy):
    rows = read_rows(package_copy, "network_records")
    first = next(i for i, r in enumerate(rows) if r["record_type"] == "a_record")
    rows[first]["address_block"] = "10.0.0.0/8"
    rows[0]["name"] = "evil.kp."
    set_rows(package_copy, "network_records", rows)
    messages = {str(p) for p in nk.validate(package_copy).problems}
    assert f"data/network_records.csv, row {first + 2}, field address_block: {rows[first]['target']} is not" \
           " inside 10.0.0.0/8" in messages
    assert "data/network_records.csv, row 2, field name: 'evil.kp.' does not occur in the row's quote" in messages


def test_tier_sizes_give_stated_bounds_words_and_source_counts(package):
    sizes = package.tier_sizes()
    tiers = package.access_tiers()
    for _, size in sizes.iterrows():
        rows = tiers[(tiers["tier"] == size["tier"]) & (tiers["unit"] == size["unit"])]
        assert size["low"] == rows["low"].fillna(rows["value"]).min()
        assert size["high"] == rows["high"].fillna(rows["value"]).max()
        assert size["sources"] == rows["source_id"].nunique()
    people = sizes[(sizes["tier"] == "global_internet") & (sizes["unit"] == "people")].iloc[0]
    assert "a few thousand people" in people["phrases"].split("; ")
    unsized = tiers[(tiers["tier"] == "global_internet") & tiers["low"].isna() & tiers["value"].isna()
                    & tiers["high"].isna()]
    assert people["rows_without_size"] == len(unsized) and "tier-global-ruling-elite-2017-07-recordedfuture" in set(
        unsized["tier_id"])


def test_conflicts_tolerate_open_bounds_and_label_rounding(package):
    found = package.conflicts("mobile_subscriptions", start="2013-05", end="2013-05")
    assert "obs-mobile-subs-2013-05-cfds-core" not in set(found["observation_id"])  # at least 2 million vs 2,000,000
    population = package.conflicts("population", start="2021", end="2021")
    assert population.empty
    rounding = package.conflicts("population", start="2021", end="2021", include_rounding=True)
    assert set(rounding["kind"]) == {"rounding"}
    assert {26232530, 26232534} <= set(rounding["value"])


def test_conflicts_across_resources_include_device_estimates(package_copy, package):
    rows = read_rows(package_copy, "device_estimates")
    base = next(r for r in rows if r["estimate_id"] == "dev-phones-in-use-2022-11-15-koreabizwire")
    rival = {**base, "estimate_id": "dev-phones-rival", "low": "", "high": "", "value": "9000000",
             "qualifier": "exact", "source_id": "38north-2022-11-twenty-years-mobile"}
    set_rows(package_copy, "device_estimates", [*rows, rival])
    found = nk.load(package_copy).conflicts(across=True)
    devices = found[found["resource"] == "device_estimates"]
    assert set(devices["row_id"]) == {"dev-phones-rival", "dev-phones-in-use-2022-11-15-koreabizwire"}
    assert (devices["spread_min"].iloc[0], devices["spread_max"].iloc[0]) == (6500000, 9000000)
    observed = found[found["resource"] == "observations"]
    assert set(observed["row_id"]) == set(package.conflicts()["observation_id"])
    windowed = nk.load(package_copy).conflicts(across=True, start="2022", end="2022", geo="all")
    assert "dev-phones-rival" in set(windowed["row_id"]) and (windowed["period_end"].dt.year >= 2022).all()
    with pytest.raises(ValueError, match="across=True compares whole resources"):
        package.conflicts("population", across=True)


def test_about_gathers_a_laws_events_attestations_and_rights_rows(package):
    found = package.about("Reactionary Ideology")
    assert {"events", "event_attestations", "rights_framework"} <= set(found["resource"])
    letter = found[found["row_id"] == "evt-un-rapporteurs-letter-2021-08-23"]
    assert letter["date"].tolist() == [pd.Timestamp("2021-08-23")]
    assert {"att-un-rapporteurs-letter-2021-08-23-upi", "att-un-rapporteurs-letter-2021-08-23-kbs"} <= set(
        found["row_id"])
    assert found["date"].dropna().is_monotonic_increasing
    network = package.about("kcna.kp")
    assert set(network["resource"]) == {"network_records"}
    zone = package.about(".kp top-level domain")
    leak = zone[zone["date"] == pd.Timestamp("2016-09-19")]
    assert leak["row_id"].tolist() == ["evt-kp-zone-transfer-2016", "att-kp-zone-transfer-2016-bryant"]
    with pytest.raises(ValueError, match="needs a subject"):
        package.about("  ")


def test_the_comparison_chart_prints_only_figures_its_rows_state(package):
    from nkdigital import charts
    from nkdigital.text import number

    fig = charts.chart("context-headline", package)
    assert "nkdigital-context-headline" in charts.gallery(package)
    assert charts.CHARTS["context-headline"].view == "headline"
    rows = package.observations(geo="all").set_index("observation_id")
    printed = {}
    for trace in fig.data:
        for label, row_id in zip(trace.text, trace.customdata, strict=True):
            row = rows.loc[row_id]
            assert label == f"{number(row['value'], row['unit'])} ({row['ref_date'].year})"
            printed[(str(row["indicator"]), str(row["geo"]))] = label
    assert printed[("press_freedom_rank_rsf", "PRK")] == "179 (2021)"
    assert printed[("civil_liberties_index_vdem", "WLD")] == "0.6503 (2025)"
    assert printed[("mobile_subscriptions_per_100", "KOR")] == "148.7 (2022)"
    assert ("press_freedom_rank_rsf", "WLD") not in printed  # RSF ranks countries only
    assert set(fig.layout.meta["rows"]) == {row_id for trace in fig.data for row_id in trace.customdata}
    assert "Varieties of Democracy (V-Dem) Institute, via Our World in Data" in fig.layout.meta["sources"]


def test_semicolon_rows_read_decimal_commas_and_table_rows_may_have_spaces_in_cells():
    from nkdigital.checking import quotes
    from nkdigital.reading import figures as reading

    row = "2021;PRK;Democratic People's Republic of Korea;179;81,28;Very serious"
    assert [f.value for f in reading.stated(row, "score")] == [2021, 179, 81.28]
    assert 2.5e6 not in [f.value for f in reading.stated("2,5 million people; about 3", "people")]  # not a row
    assert quotes.is_table_row("North Korea,1996,0") and quotes.has_quote_length("North Korea,1996,0")
    assert not quotes.is_table_row("North Korea, 1996, 0") and not quotes.has_quote_length("North Korea, 1996")
