"""The benchmark's grown packages (benchmarks/growth.py) are valid by construction and load with the expected rows."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

import nkdigital as nk

from .conftest import DESCRIPTOR, ROOT

spec = importlib.util.spec_from_file_location("growth", ROOT / "benchmarks" / "growth.py")
growth = importlib.util.module_from_spec(spec)
spec.loader.exec_module(growth)

FACTOR = 3


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return growth.grow(FACTOR, tmp_path_factory.mktemp("grown"))


def test_grown_package_is_valid(grown: Path) -> None:
    report = nk.validate(grown)
    assert report.problems == []


def test_grown_resources_have_factor_times_the_rows_others_are_unchanged(grown: Path) -> None:
    before, after = growth.row_counts(DESCRIPTOR), growth.row_counts(grown)
    package = nk.load(grown)
    for name, rows in before.items():
        expected = rows * FACTOR if name in growth.GROWN else rows
        assert after[name] == expected, name
        assert len(package.resource(name)) == expected, name


def test_copies_point_at_their_own_copy_and_keep_their_quote(grown: Path) -> None:
    observations = nk.load(grown).resource("observations").set_index("observation_id")
    derived = observations[observations["input_ids"].notna()]
    copy = derived[derived.index.str.endswith("-x3")].iloc[0]
    original = observations.loc[copy.name.removesuffix("-x3")]
    assert copy["input_ids"].split() == [f"{i}-x3" for i in original["input_ids"].split()]
    assert copy["formula"] == original["formula"].replace("}", "-x3}")
    assert copy["quote"] == original["quote"]
    assert copy["source_id"] == original["source_id"]
    attestations = nk.load(grown).resource("event_attestations")
    copied = attestations[attestations["attestation_id"].str.endswith("-x2")]
    assert copied["event_id"].str.endswith("-x2").all()


def test_descriptor_records_the_grown_files_hashes(grown: Path) -> None:
    observations = next(r for r in json.loads(grown.read_text())["resources"] if r["name"] == "observations")
    assert observations["bytes"] == (grown.parent / observations["path"]).stat().st_size
    assert observations["bytes"] > 2 * (DESCRIPTOR.parent / observations["path"]).stat().st_size


def test_factor_below_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        growth.grow(0, tmp_path)
    assert list(tmp_path.iterdir()) == []
