"""The library: typed frames, metadata in attrs, accessors, errors, and the lazy-import promise."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import nkdigital as nk


def test_load_opens_the_bundled_package_with_every_resource(package):
    assert {"sources", "events", "observations", "device_estimates", "access_tiers", "access_controls",
            "rights_framework"} <= set(package.resource_names)
    assert package.version == "0.1.0"
    assert len(package.observations()) >= 150


def test_columns_carry_real_dtypes(package):
    obs = package.observations()
    assert pd.api.types.is_datetime64_any_dtype(obs["ref_date"])
    assert isinstance(obs["indicator"].dtype, pd.CategoricalDtype)
    assert isinstance(obs["ref_date_precision"].dtype, pd.CategoricalDtype)
    assert list(obs["ref_date_precision"].cat.categories) == ["day", "month", "year", "range"]
    assert obs["value"].dtype == "Float64"
    assert obs["quote"].dtype == "string"
    assert package.access_controls()["step_order"].dtype == "Int64"
    assert package.rights_framework()["ratification_year"].dtype == "Int64"
    assert package.sources()["is_core"].dtype == "boolean"


def test_known_figures_have_their_values(package):
    obs = package.observations("mobile_subscriptions")
    ranged = obs[(obs["low"] == 6500000) & (obs["high"] == 7000000)]
    assert not ranged.empty and ranged["value"].isna().all() and (ranged["qualifier"] == "range").all()
    tiers = package.access_tiers()
    few = tiers[tiers["phrase"].str.startswith("a few thousand", na=False)]
    assert set(zip(few["low"], few["high"], strict=True)) == {(2000, 5000)}


def test_metadata_travels_in_attrs(package):
    obs = package.observations("mobile_subscriptions")
    assert obs.attrs["resource"] == "observations"
    assert obs.attrs["package_version"] == "0.1.0"
    assert obs.attrs["fields"]["quote"]["description"].startswith("Verbatim excerpt")
    assert obs.attrs["fields"]["ref_date"]["type"] == "date"
    assert obs.attrs["sources"] == tuple(sorted(obs["source_id"].unique()))


def test_attrs_are_shared_read_only_and_survive_pickling(package):
    import pickle

    obs = package.observations("mobile_subscriptions")
    subset = obs[obs["value"] > 0].sort_values("ref_date")
    assert subset.attrs["fields"] is obs.attrs["fields"]  # pandas' deep copy shares the read-only notes
    with pytest.raises(TypeError):
        subset.attrs["fields"]["value"]["description"] = "changed"
    back = pickle.loads(pickle.dumps(subset))
    assert back.attrs["fields"]["value"] == obs.attrs["fields"]["value"]
    assert back.attrs["sources"] == subset.attrs["sources"]


def test_accessors_filter_by_indicator_period_and_source_type(package):
    obs = package.observations(["mobile_subscriptions", "mobile_users"], start="2010", end="2012")
    assert set(obs["indicator"].unique()) == {"mobile_subscriptions", "mobile_users"}
    assert (obs["ref_date"] <= pd.Timestamp("2012-12-31")).all()
    assert (obs["ref_date"].dt.year >= 2010).any()
    stats = package.observations(source_type="international_statistic")
    types = package.sources().set_index("source_id")["source_type"]
    assert set(types[stats["source_id"].unique()]) == {"international_statistic"}
    assert set(package.events("law")["category"]) == {"law"}
    assert set(package.device_estimates("mobile_phone", measure="ownership_share")["measure"]) == {"ownership_share"}


def test_an_unknown_filter_value_is_a_clear_error(package):
    with pytest.raises(ValueError, match=r"unknown indicator .*mobile_subscribers"):
        package.observations("mobile_subscribers")
    with pytest.raises(KeyError, match="no resource 'nope'"):
        package.resource("nope")


def test_frames_are_copies_so_callers_cannot_corrupt_the_package(package):
    frame = package.observations()
    frame.loc[0, "value"] = -1
    assert package.observations().loc[0, "value"] != -1


def test_source_ids_include_the_inputs_of_derived_rows(package):
    derived = package.device_estimates(claim_type="derived")
    ids = package.source_ids(derived)
    inputs = {i for cell in derived["input_ids"].dropna() for i in cell.split()}
    assert inputs and set(derived["source_id"]) <= set(ids)
    assert {package.row(i)["source_id"] for i in inputs} <= set(ids)
    assert len(ids) > derived["source_id"].nunique()


def test_load_takes_a_folder_or_descriptor_path_and_validates_on_request(package_copy):
    assert len(nk.load(package_copy.parent).observations()) == len(nk.load(package_copy).observations())
    assert nk.load(package_copy, validate=True).version == "0.1.0"


def test_broken_data_raises_our_error_naming_file_row_and_field(package_copy):
    path = package_copy.parent / "data" / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("ref_date")] = "2013-13-45"
    lines[1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(nk.PackageError) as caught:
        nk.load(package_copy)
    assert [str(p) for p in caught.value.problems] == [
        "data/observations.csv, row 2, field ref_date: '2013-13-45' is not a real calendar date"
    ]


def test_import_is_cheap_plotly_and_frictionless_load_only_when_used():
    code = (
        "import sys, json, nkdigital as nk\n"
        "before = {m: m in sys.modules for m in ('plotly', 'frictionless')}\n"
        "nk.load().observations()\n"
        "after_load = {m: m in sys.modules for m in ('plotly', 'frictionless')}\n"
        "nk.charts\n"
        "after_charts = 'plotly' in sys.modules\n"
        "print(json.dumps([before, after_load, after_charts]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after_load, after_charts = json.loads(result.stdout)
    assert before == {"plotly": False, "frictionless": False}
    assert after_load == {"plotly": False, "frictionless": False}
    assert after_charts is True
