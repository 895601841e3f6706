"""`nk.load` keeps what it proved (a descriptor text passed every check, a CSV file read plainly under its schema)
and skips those checks for exactly the same bytes: the frames stay the same, and a changed byte is checked again."""

from __future__ import annotations

import csv
import os

import pandas as pd
import pytest

import nkdigital as nk
from nkdigital.core.errors import PackageError
from nkdigital.core.paths import cache_dir
from nkdigital.reading import known, scan

from . import broken as b
from .conftest import DESCRIPTOR


@pytest.fixture
def marks(monkeypatch, tmp_path):
    """An empty cache folder; returns the folder the reader keeps its marks in."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return cache_dir() / known.FOLDER


def _checked_reads(monkeypatch) -> list[str]:
    """Records the label of every file read on the strength of a kept mark."""
    calls, real = [], scan.parse_plain

    def spy(source, fields, label, **kwargs):
        if kwargs.get("checked"):
            calls.append(label)
        return real(source, fields, label, **kwargs)

    monkeypatch.setattr(scan, "parse_plain", spy)
    return calls


def _assert_same(before: nk.Package, after: nk.Package) -> None:
    """Every resource frame: the same columns, dtypes (categories and their dtype too), values and attrs."""
    assert before.resource_names == after.resource_names
    for name in before.resource_names:
        old, new = before._frames[name], after._frames[name]
        pd.testing.assert_frame_equal(old, new, check_exact=True)
        assert old.attrs == new.attrs
        for column in old:
            assert type(old[column].array) is type(new[column].array), (name, column)
            if isinstance(old[column].dtype, pd.CategoricalDtype):
                assert old[column].cat.categories.dtype == new[column].cat.categories.dtype, (name, column)


def test_frames_read_on_the_strength_of_kept_marks_are_the_frames_the_careful_reader_builds(marks, monkeypatch):
    with monkeypatch.context() as patched:  # every file cell by cell: only the descriptor leaves a mark
        patched.setattr(scan, "parse_plain", lambda *args, **kwargs: None)
        careful = nk.load(DESCRIPTOR)
    assert len(list(marks.iterdir())) == 1
    checked = _checked_reads(monkeypatch)
    fresh = nk.load(DESCRIPTOR)  # each file checked in full, and it leaves a mark
    assert checked == []
    resources = b.descriptor(DESCRIPTOR)["resources"]
    assert len(list(marks.iterdir())) == 1 + len(resources)
    again = nk.load(DESCRIPTOR)
    assert checked == [r["path"] for r in resources]
    _assert_same(careful, fresh)
    _assert_same(careful, again)


def test_an_edited_byte_is_never_read_on_the_strength_of_an_older_mark(package_copy, marks, monkeypatch):
    nk.load(package_copy)
    kept = set(marks.iterdir())
    observations = b.csv_file(package_copy, "observations")
    before = os.stat(observations)
    rows = b.read_rows(package_copy, "observations")
    value = rows[0].index("value")
    row = next(i for i, r in enumerate(rows[1:], start=2) if r[value].isdigit() and len(r[value]) > 1)
    lines = observations.read_bytes().split(b"\n")  # a plain file: one line per row
    cell = rows[row - 1][value]
    # same size and modification time, one byte off: "4." casts to a number, but is no plain number
    lines[row - 1] = lines[row - 1].replace(f",{cell},".encode(), f",{cell[:-1]}.,".encode(), 1)
    assert next(csv.reader([lines[row - 1].decode()])) == [*rows[row - 1][:value], f"{cell[:-1]}.",
                                                            *rows[row - 1][value + 1:]]
    observations.write_bytes(b"\n".join(lines))
    os.utime(observations, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(observations).st_size == before.st_size
    checked = _checked_reads(monkeypatch)
    with pytest.raises(PackageError) as caught:
        nk.load(package_copy)
    assert [(p.file, p.row, p.field) for p in caught.value.problems] == [("data/observations.csv", row, "value")]
    assert "is not a plain number" in caught.value.problems[0].message
    assert "data/observations.csv" not in checked
    assert set(marks.iterdir()) == kept  # a file that failed leaves no mark


def test_the_same_file_under_a_changed_schema_is_checked_again(package_copy, marks, monkeypatch):
    nk.load(package_copy)
    def two_letter_geo(data: dict) -> None:  # every PRK now breaks the pattern; the CSV file is unchanged
        fields = next(r for r in data["resources"] if r["name"] == "observations")["schema"]["fields"]
        next(f for f in fields if f["name"] == "geo")["constraints"]["pattern"] = "[A-Z]{2}"

    b.edit_descriptor(package_copy, two_letter_geo)
    with pytest.raises(PackageError) as caught:
        nk.load(package_copy)
    assert {(p.file, p.field) for p in caught.value.problems} == {("data/observations.csv", "geo")}


def test_an_edited_descriptor_is_checked_again(package_copy, marks):
    nk.load(package_copy)
    text = package_copy.read_text(encoding="utf-8")
    title = b.descriptor(package_copy)["title"]
    package_copy.write_text(text.replace(title, title + "\u200b", 1), encoding="utf-8")
    with pytest.raises(PackageError, match=r"invisible formatting character U\+200B"):
        nk.load(package_copy)


def test_observation_indicators_become_a_categorical_over_the_defined_indicators():
    from nkdigital.api.package import _indicators_as_categories

    values = ["b", None, "zz", "a", "b"]  # "zz" is no defined indicator
    frames = {"indicators": pd.DataFrame({"indicator": pd.array(["b", "a", None], dtype="string")}),
              "observations": pd.DataFrame({"indicator": pd.array(values, dtype="string")})}
    found = _indicators_as_categories(frames)["observations"]["indicator"]
    expected = pd.Series(pd.Categorical(["b", None, None, "a", "b"], categories=["a", "b"]), name="indicator")
    pd.testing.assert_series_equal(found, expected, check_exact=True)
    assert found.cat.codes.tolist() == [1, -1, -1, 0, 1]


def test_a_kept_mark_or_verdict_counts_only_as_a_regular_file_not_a_link_to_one(marks, tmp_path):
    from nkdigital.checking import content

    elsewhere = tmp_path / "planted"
    elsewhere.write_bytes(b"passed\n")
    mark = known.descriptor_mark("{}")
    known.remember(mark)
    assert known.is_known(mark)
    for folder, name, kept in ((marks, known.descriptor_mark("[]"), known.is_known),
                               (cache_dir() / content.VERDICTS, "0" * 64, content.remembered)):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).symlink_to(elsewhere)
        assert not kept(name)
        (folder / name).unlink()
        (folder / name).write_bytes(b"passed\n")
        assert kept(name)
