"""Validation lets go of the free text no check reads (the `free_text` role) and keeps only the remarks' cells a
check reads: the cells are still checked, the problems are the same, and a check that asks for a column let go
fails loudly."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import nkdigital as nk
from nkdigital.checking import columns, resources
from nkdigital.checking.credit_checks import MAY_CLAIM_WEAK
from nkdigital.checking.validation import validate
from nkdigital.core.errors import Problem
from nkdigital.metadata.roles import ROLES
from nkdigital.reading import scan

from . import broken as b
from .conftest import DESCRIPTOR, ROOT

CHECKING = ROOT / "src" / "nkdigital" / "checking"


@pytest.fixture(scope="module")
def checked() -> dict:
    return validate(DESCRIPTOR).tables


@pytest.fixture(scope="module")
def whole() -> dict:
    return validate(DESCRIPTOR, whole_tables=True).tables


def test_the_free_text_is_let_go_and_the_remarks_thinned(checked, whole):
    assert columns.pruned(checked["observations"]) == ["date_phrase", "attributed_to"]
    assert checked["observations"].schema.metadata[b"thinned"] == b"note"
    for name, table in checked.items():
        full = whole[name]
        assert set(full.column_names) - set(table.column_names) == set(columns.pruned(table)) <= set(ROLES["free_text"])
        assert table.num_rows == full.num_rows and columns.pruned(full) == []
        for field in table.column_names:
            if field in ROLES["remark"]:  # a remark keeps the cells that may call a source weak, in place
                kept = [n if n is not None and re.search(MAY_CLAIM_WEAK, n) else None for n in full[field].to_pylist()]
                assert table[field].to_pylist() == kept, (name, field)
            else:
                assert table[field].equals(full[field]), (name, field)
    notes = whole["observations"]["note"].to_pylist()
    assert sum(n is not None for n in notes) > sum(n is not None for n in checked["observations"]["note"].to_pylist())


def test_a_check_asking_for_a_column_let_go_fails_loudly(checked):
    with pytest.raises(LookupError, match=r"a check reads \['date_phrase'\], which validation leaves out"):
        columns.has(checked["observations"], "quote", "date_phrase")
    assert columns.has(checked["observations"], "quote", "note")


def test_no_check_names_a_free_text_column():
    """The role is for columns no check reads: a check module naming one would read nothing (see `columns.has`)."""
    named = sorted((path.name, node.value) for path in CHECKING.glob("*.py")
                   for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                   if isinstance(node, ast.Constant) and node.value in ROLES["free_text"])
    assert named == []


def _schema(data: dict, name: str) -> dict:
    return next(r for r in data["resources"] if r["name"] == name)["schema"]


def test_a_key_or_a_length_rule_keeps_a_column(copy):
    def change(data):
        fields = _schema(data, "access_tiers")["fields"]
        next(f for f in fields if f["name"] == "conditions")["constraints"]["maxLength"] = 5000
        _schema(data, "access_controls")["primaryKey"] = ["control_id", "description"]
    b.edit_descriptor(copy, change)
    kept = resources.prunable(b.descriptor(copy))
    assert "conditions" not in kept["access_tiers"] and "description" not in kept["access_controls"]
    assert kept["access_tiers"] == {"date_phrase": None}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return b.copy_package(tmp_path / "datapackage")


@pytest.mark.parametrize("streamed", [False, True], ids=["read whole", "read in blocks"])
@pytest.mark.parametrize(("resource", "field", "written", "message"), [
    ("observations", "date_phrase", "=HYPERLINK(1)", "'=HYPERLINK(1)': text must not start with ="),
    ("observations", "note", "weak\x07", "contains the control character '\\x07'; remove it"),
    ("events", "description", "", "required value is empty"),
])
def test_the_cells_of_a_column_let_go_are_still_checked(copy, monkeypatch, streamed, resource, field, written,
                                                        message):
    if streamed:  # every file read in blocks, as one larger than scan.WHOLE is
        monkeypatch.setattr(scan, "WHOLE", 0)
    row = b.pick(copy, resource, lambda r: r[field] != "")
    b.set_cell(copy, resource, row["#"], field, written)
    b.rehash(copy)
    problems = validate(copy).problems
    assert [(p.file, p.row, p.field) for p in problems] == [(f"data/{resource}.csv", row["#"], field)]
    assert message in problems[0].message


def test_a_limit_broken_beside_a_column_let_go_shows_its_own_cell(copy):
    """A number's cell is shown as written in the file, found by its name among the file's columns."""
    row = b.pick(copy, "observations", lambda r: r["value"] not in ("", "7.25"))
    b.set_cell(copy, "observations", row["#"], "value", "-7.25")
    b.rehash(copy)
    assert validate(copy).problems == [Problem("data/observations.csv", row["#"], "value",
                                               "'-7.25' is below the minimum 0")]


def test_load_validating_keeps_every_column(package_copy):
    frames = nk.load(package_copy, validate=True)
    assert {"date_phrase", "attributed_to", "note"} <= set(frames.resource("observations").columns)
    assert frames.resource("observations")["note"].notna().sum() > 10


def test_a_file_read_in_blocks_is_thinned_and_let_go_alike(checked, monkeypatch):
    monkeypatch.setattr(scan, "WHOLE", 0)  # every file read in blocks, twice: first checked, then known
    for _ in range(2):
        streamed = validate(DESCRIPTOR).tables
        assert streamed.keys() == checked.keys()
        for name, table in streamed.items():
            assert table.schema == checked[name].schema and table.equals(checked[name]), name
