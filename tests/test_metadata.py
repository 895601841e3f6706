"""The metadata itself: every field, enum, unit and colour is defined once and used, and the package reads them."""

from __future__ import annotations

import ast
from pathlib import Path

from nkdigital.metadata import colours, enums, fields, package, units
from nkdigital.metadata.resources import RESOURCES

from .conftest import ROOT
from .test_datapackage import rows

SRC = ROOT / "src" / "nkdigital"


def test_every_field_is_used_by_a_resource_and_every_resource_field_is_defined():
    used = {name for resource in RESOURCES for name in resource["fields"]}
    assert used == set(fields.FIELDS)


def test_every_enum_is_the_constraint_of_a_field_and_every_value_has_a_label():
    constrained = {tuple(f["constraints"]["enum"]) for f in fields.FIELDS.values() if "enum" in f["constraints"]}
    for name, values in enums.ENUMS.items():
        assert tuple(values) in constrained, f"enum {name} constrains no field"
        assert all(v.label for v in values.values()), name
    unit_field = fields.FIELDS["unit"]["constraints"]["enum"]
    assert unit_field == list(units.UNITS)


def test_every_unit_in_the_data_is_defined_and_counts_follow_the_unit_definitions():
    used = {r["unit"] for name in ("observations", "device_estimates", "access_tiers", "access_controls", "indicators")
            for r in rows(name) if r["unit"]}
    assert used <= set(units.UNITS)
    assert {name for name, unit in units.UNITS.items() if unit.is_count} == units.COUNT_UNITS
    assert units.unit_words("hours", 1) == "hour" and units.unit_words("per_100_people", 3) == "per 100 people"


def test_colours_are_defined_in_one_module_only():
    hexes = set(colours.OKABE_ITO.values()) | {colours.DARK_YELLOW}
    for path in SRC.rglob("*.py"):
        if path.parent.name == "metadata" or "vendor" in path.parts:
            continue
        literals = {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                    if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        assert not {h for h in hexes if h in literals or h.lower() in literals}, path


def test_package_facts_are_defined_once_and_read_everywhere():
    literals = {}
    for path in SRC.rglob("*.py"):
        if path.parent.name == "metadata":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.setdefault(node.value, path)
    for fact in (package.TITLE, package.LICENCE_NOTE, package.HOMEPAGE):
        assert fact not in literals, (fact, literals.get(fact))
    assert not any(isinstance(v, str) and "25 words" in v for v in literals)


def test_the_quote_length_is_one_definition():
    sources = [p for p in SRC.rglob("*.py") if "MAX_QUOTE_WORDS =" in p.read_text(encoding="utf-8")]
    assert [p.relative_to(SRC).as_posix() for p in sources] == ["metadata/package.py"]
    assert Path(SRC / "metadata" / "package.py").read_text(encoding="utf-8").count("MAX_QUOTE_WORDS = 25") == 1
