"""The column-wise integrity rules (limits, keys, foreign keys, hashes): each broken copy is one problem, worded
with its file, row and field exactly as the row-by-row validation of frictionless was translated before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nkdigital.checking.validation import validate
from nkdigital.core.errors import Problem

from . import broken as b
from .conftest import DESCRIPTOR

HASH_CHANGED = "file changed since its hash was recorded; check the edit, then run `nkdigital refresh`"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return b.copy_package(tmp_path / "datapackage")


def _resource(data: dict, name: str) -> dict:
    return next(r for r in data["resources"] if r["name"] == name)


def _only(path: Path, archive: Path | None = None) -> Problem:
    problems = validate(path, archive).problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_a_repeated_composite_primary_key_names_the_row_it_repeats(copy):
    rows = b.read_rows(copy, "creators")
    rows.insert(2, list(rows[1]))
    b.write_rows(copy, "creators", rows)
    b.rehash(copy)
    source = rows[1][0]
    assert _only(copy) == Problem("data/creators.csv", 3, "source_id",
                                  f"'{source}' is also in row 2; source_id must be unique")


def test_a_key_repeated_twice_names_the_nearest_row_above(copy):
    rows = b.read_rows(copy, "events")
    rows[3:3] = [list(rows[2]), list(rows[2])]  # rows 4 and 5 repeat row 3
    b.write_rows(copy, "events", rows)
    b.rehash(copy)
    key = rows[2][0]
    assert validate(copy).problems == [
        Problem("data/events.csv", 4, "event_id", f"'{key}' is also in row 3; event_id must be unique"),
        Problem("data/events.csv", 5, "event_id", f"'{key}' is also in row 4; event_id must be unique"),
    ]


def test_a_unique_field_repeated(copy):
    b.edit_descriptor(copy, lambda d: next(f for f in _resource(d, "events")["schema"]["fields"]
                                           if f["name"] == "title")["constraints"].update(unique=True))
    rows = b.read_rows(copy, "events")
    title = rows[0].index("title")
    rows[5][title] = rows[2][title]
    b.write_rows(copy, "events", rows)
    b.rehash(copy)
    assert _only(copy) == Problem("data/events.csv", 6, "title",
                                  f"'{rows[2][title]}' is also in row 3; title must be unique")


def test_a_broken_row_referred_to_is_one_problem_not_one_per_reference(copy):
    """A source row with an extra cell is refused by the reader; rows citing it still find their source."""
    rows = b.read_rows(copy, "sources")
    rows[1].append("extra")
    b.write_rows(copy, "sources", rows)
    b.rehash(copy)
    assert _only(copy) == Problem("data/sources.csv", 2, None, f"row has {len(rows[0]) + 1} cells, but the header"
                                  f" has {len(rows[0])}")


@pytest.mark.parametrize(("resource", "field", "written", "message"), [
    ("device_estimates", "source_id", "no-such-source", "source_id 'no-such-source' is not in sources"),
    ("creators", "creator_order", "051", "'051' is above the maximum 50"),  # shown as written
    ("observations", "value", "-1.50", "'-1.50' is below the minimum 0"),
    ("events", "event_date", "1900-05-01", "'1900-05-01' is below the minimum 1945-01-01"),
])
def test_one_cell_breaking_a_foreign_key_or_a_limit(copy, resource, field, written, message):
    row = b.pick(copy, resource, lambda r: r[field] != "")
    b.set_cell(copy, resource, row["#"], field, written)
    b.rehash(copy)
    assert _only(copy) == Problem(f"data/{resource}.csv", row["#"], field, message)


def test_an_exclusive_limit(copy):
    b.edit_descriptor(copy, lambda d: next(f for f in _resource(d, "creators")["schema"]["fields"]
                                           if f["name"] == "creator_order")["constraints"]
                      .update(exclusiveMinimum=1))
    rows = b.records(copy, "creators")
    row = next(r for r in rows if r["creator_order"] == "1")
    b.rehash(copy)
    problems = validate(copy).problems
    assert problems[0] == Problem("data/creators.csv", row["#"], "creator_order",
                                  "'1' is not above the exclusive minimum 1")
    assert {p.message for p in problems} == {"'1' is not above the exclusive minimum 1"}


def test_a_too_long_string(copy):
    row = b.pick(copy, "observations")
    quote = "word " * 80 + "end"
    b.set_cell(copy, "observations", row["#"], "quote", quote)
    b.rehash(copy)
    assert _only(copy) == Problem("data/observations.csv", row["#"], "quote",
                                  f"'{quote[:59]}…' is longer than 400 characters")


def test_a_too_short_string(copy):
    b.edit_descriptor(copy, lambda d: next(f for f in _resource(d, "events")["schema"]["fields"]
                                           if f["name"] == "title")["constraints"].update(minLength=3))
    row = b.pick(copy, "events")
    b.set_cell(copy, "events", row["#"], "title", "Go")
    b.rehash(copy)
    assert _only(copy) == Problem("data/events.csv", row["#"], "title", "'Go' is shorter than 3 characters")


def test_a_changed_byte_with_a_stale_hash(copy, archive):
    file = b.csv_file(copy, "indicators")
    data = file.read_bytes()
    assert b"Operator counts" in data
    file.write_bytes(data.replace(b"Operator counts", b"Operater counts", 1))  # same size: only the hash tells
    assert _only(copy, archive) == Problem("data/indicators.csv", None, None, HASH_CHANGED)
    assert validate(copy, archive, check_hashes=False).problems == []


def test_a_stale_size_alone(copy, archive):
    b.edit_descriptor(copy, lambda d: _resource(d, "indicators").update(bytes=1))
    assert _only(copy, archive) == Problem("data/indicators.csv", None, None, HASH_CHANGED)


METADATA = {
    "licenses-text": (lambda d: d.update(licenses="CC-BY-4.0"), "licenses",
                      "licenses must be a list of objects, each with a name or a path"),
    "created-not-a-time": (lambda d: d.update(created="yesterday"), "created",
                           "created must be a date and time such as 2024-01-31T00:00:00Z"),
    "keywords-text": (lambda d: d.update(keywords="North Korea"), "keywords", "keywords must be a list of text values"),
    "contributor-nameless": (lambda d: d.update(contributors=[{"roles": ["creator"]}]), "contributors",
                             "contributors must be a list of objects, each with a title, a name or an organization"),
    "roles-text": (lambda d: d["contributors"][0].update(roles="creator"), "contributors[0].roles",
                   "roles must be a list of text values"),
    "resource-title-number": (lambda d: _resource(d, "events").update(title=5), "events.title", "title must be text"),
    "field-description-list": (lambda d: _resource(d, "events")["schema"]["fields"][0].update(description=["x"]),
                               "events.event_id.description", "description must be text"),
}


@pytest.mark.parametrize("kind", METADATA, ids=list(METADATA))
def test_metadata_off_the_data_package_profile_is_one_located_problem(copy, kind):
    change, field, message = METADATA[kind]
    b.edit_descriptor(copy, change)
    assert _only(copy) == Problem("datapackage.json", None, field, message)


def test_the_validate_command_never_imports_frictionless(tmp_path):
    code = ("import sys; from nkdigital.cli import main; code = main(['validate']);"
            " sys.exit(10 + code if 'frictionless' in sys.modules else code)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stdout + done.stderr


def _validate_in_a_fresh_process(descriptor: Path, cache: Path) -> list[str]:
    """`nkdigital validate DESCRIPTOR` in a process of its own: its exit code and whether pandas was imported, then
    what it said on stderr."""
    code = ("import sys; from nkdigital.cli import main; code = main(['validate', sys.argv[1]]);"
            " print(code, 'pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(descriptor)], capture_output=True, text=True,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    return [*done.stdout.strip().splitlines()[-1:], done.stderr]


def test_validate_never_imports_pandas_on_a_valid_package_or_on_one_with_a_logic_problem(tmp_path, copy):
    for _ in range(2):  # the second time on the strength of the reader's kept marks
        assert _validate_in_a_fresh_process(DESCRIPTOR, tmp_path) == ["0 False", ""]
    row = b.pick(copy, "observations", lambda r: r["value"] != "" and r["high"] != "")
    b.set_cell(copy, "observations", row["#"], "value", str(float(row["high"]) * 2))
    b.rehash(copy)
    said = _validate_in_a_fresh_process(copy, tmp_path)
    assert said[0] == "1 False", said
    assert "is above high" in said[1] and f"row {row['#']}" in said[1], said


def test_a_foreign_key_to_a_field_the_other_resource_lacks_is_a_descriptor_problem(copy):
    b.edit_descriptor(copy, lambda d: _resource(d, "observations")["schema"]["foreignKeys"][0]["reference"]
                      .update(fields=["no_such_field"]))
    assert _only(copy) == Problem("datapackage.json", None, "observations.foreignKeys",
                                  "foreignKeys must list fields of this resource and an existing resource's fields")


@pytest.mark.parametrize("limit", ["2021-02-30", "yesterday"])
def test_a_date_limit_that_is_no_calendar_date_is_a_descriptor_problem(copy, limit):
    b.edit_descriptor(copy, lambda d: next(f for f in _resource(d, "events")["schema"]["fields"]
                                           if f["name"] == "event_date")["constraints"]
                      .update(exclusiveMaximum=limit))
    assert _only(copy) == Problem("datapackage.json", None, "events.event_date",
                                  "exclusiveMaximum does not fit a date field")
