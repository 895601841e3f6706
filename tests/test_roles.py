"""Column roles live in the field dictionary only: each role names fields of the kind it needs, and no module outside
`metadata/` lists a resource's columns by hand (the explorer's lists are checked in test_explorer.py)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from nkdigital.metadata.field_kinds import TEXT
from nkdigital.metadata.fields import FIELDS
from nkdigital.metadata.resources import RESOURCES, primary_key, resource
from nkdigital.metadata.roles import LEAD, MEANINGS, ROLES, chronological, dated_by, precision_of, roles_of

from .conftest import ROOT

SRC = ROOT / "src" / "nkdigital"
# Literals that are no role: each with the reason. Keyed by file name and the names, so a move keeps them.
NOT_ROLES = {
    ("questions.py", ("tier", "unit")): "the key of tier_sizes' own summary table (a tier, then a unit)",
    ("subscribers.py", ("indicator", "claim_type")): "the chart's encoding: a trace per marker shape (indicator) and"
                                                     " colour (kind of claim)",
    ("checks.py", ("quote", "unit", "phrase")): "what the reading rules read a row's figures from, in the order"
                                                " `reading.figures.stated` takes them",
}


def _plain(field: dict) -> bool:
    return field.get("constraints", {}).get("pattern") == TEXT


def _address(field: dict) -> bool:
    return field["constraints"].get("pattern", "").startswith("https?://")


def _in_one_resource(names: tuple[str, ...]) -> bool:
    return any(set(names) <= set(r["fields"]) for r in RESOURCES)


# What each role needs of its fields: a test of one field, and whether its fields go together in one resource.
KINDS = {
    "label": (_plain, False),
    "about": (lambda f: f["type"] == "string", False),
    "searchable": (_plain, False),
    "facet": (lambda f: f["type"] in ("string", "boolean") and not _address(f), False),
    "url": (lambda f: _address(f), False),
    "date": (lambda f: f["type"] in ("date", "year"), False),
    "figure": (lambda f: f["type"] == "number", True),
    "bounds": (lambda f: f["type"] == "number", True),
    "quantity": (lambda f: f["type"] == "number" or "enum" in f["constraints"], True),
    "evidence": (lambda f: f["constraints"].get("required") is True, True),
    "credit": (lambda f: f["type"] == "string", True),
    "copy": (lambda f: f["type"] == "string", True),
    "creator_name": (_plain, True),
    "remark": (_plain, False),
    "mentions": (_plain, False),
    "key_event": (lambda f: f["type"] == "boolean", False),
    "position": (lambda f: f["type"] == "integer" and f["constraints"]["minimum"] == 1, False),
    "scale": (lambda f: f["type"] == "number", True),
    "series": (lambda f: f["type"] == "string" and f["constraints"].get("required") is True, True),
    "provenance": (lambda f: f["type"] == "string", True),
    "free_text": (_plain, False),
}


def role_problems(roles: dict[str, tuple[str, ...]]) -> list[str]:
    """What is wrong with `roles`: an unknown role, a name that is no field, a field of the wrong kind, a name
    twice, or a group of fields no single resource has."""
    problems = [f"{role}: no kind is defined for this role" for role in roles if role not in KINDS]
    for role, names in roles.items():
        fits, together = KINDS.get(role, (lambda f: True, False))
        problems += [f"{role}: {n} is not a field" for n in names if n not in FIELDS]
        problems += [f"{role}: {n} is not of the kind the role needs" for n in names if n in FIELDS
                     and not fits(FIELDS[n])]
        problems += [f"{role}: {n} is named twice" for n in set(names) if names.count(n) > 1]
        if together and not _in_one_resource(names):
            problems.append(f"{role}: no resource has all of {', '.join(names)}")
    return problems


def role_literals(source: str) -> list[tuple[int, tuple[str, ...]]]:
    """(line, names) of each tuple, list or set literal of two or more strings that are all fields of one resource,
    except a set tested as a subset of a frame's columns (`{...} <= set(frame)`: the columns one check reads)."""
    tree = ast.parse(source)
    guards = {id(node.left) for node in ast.walk(tree) if isinstance(node, ast.Compare)
              and isinstance(node.left, ast.Set) and isinstance(node.ops[0], ast.LtE)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Tuple, ast.List, ast.Set)) or len(node.elts) < 2 or id(node) in guards:
            continue
        if all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            names = tuple(e.value for e in node.elts)
            if _in_one_resource(names):
                found.append((node.lineno, names))
    return sorted(found)


def test_every_role_names_fields_of_the_kind_it_needs():
    assert role_problems(ROLES) == []
    assert set(LEAD) <= set(FIELDS) and len(set(LEAD)) == len(LEAD)
    assert set(ROLES["bounds"]) < set(ROLES["figure"]) <= set(ROLES["quantity"])
    assert set(ROLES["figure"]) <= set(LEAD)


def test_every_address_and_date_field_has_its_role():
    addresses = {n for n, f in FIELDS.items() if _address(f)}
    assert addresses == set(ROLES["url"])
    dates = {n for n, f in FIELDS.items() if f["type"] in ("date", "year") and not n.endswith("_end")}
    assert dates == set(ROLES["date"])
    assert {n for n, f in FIELDS.items() if f["type"] == "number"} >= set(ROLES["figure"])
    assert ROLES["key_event"] == ("is_key",) and "is_key" in resource("events")["fields"]


def test_role_problems_names_what_is_wrong():
    bad = {"url": ("url", "archive_path"), "figure": ("value", "title"), "evidence": ("source_id", "quote", "quote"),
           "creator_name": ("family", "title"), "date": ("ref_date", "nowhere"), "colour": ("title",)}
    assert sorted(role_problems(bad)) == sorted([
        "url: archive_path is not of the kind the role needs",
        "figure: title is not of the kind the role needs",
        "figure: no resource has all of value, title",
        "evidence: quote is named twice",
        "creator_name: no resource has all of family, title",
        "date: nowhere is not a field",
        "colour: no kind is defined for this role",
    ])


def test_each_field_lists_its_roles_and_each_resource_its_dates_and_key():
    assert roles_of("title") == ["label", "about", "searchable", "mentions"]
    assert roles_of("sha256") == ["copy"] and roles_of("is_core") == []
    assert roles_of("input_ids") == ["provenance"] and roles_of("geo") == ["facet", "series"]
    assert [precision_of(d) for d in ("ref_date", "ratification_year")] == ["ref_date_precision", None]
    assert dated_by(["adoption_year", "ratification_year"]) == "ratification_year"
    assert dated_by(["ratification_year"], "date") is None
    assert chronological("events") == ["event_date", "event_id"]
    assert chronological("creators") == primary_key("creators") == ["source_id", "creator_order"]
    for spec in RESOURCES:
        for declared in ("counts", "what"):
            assert set(spec.get(declared, [])) <= set(spec["fields"]), (spec["name"], declared)


def scanned() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if not {"metadata", "vendor"} & set(
        p.relative_to(SRC).parts[:-1]))


def test_no_module_outside_the_metadata_lists_a_resources_columns():
    found = [f"{path.relative_to(ROOT)}:{line}: {', '.join(names)}"
             for path in scanned() for line, names in role_literals(path.read_text(encoding="utf-8"))
             if (path.name, names) not in NOT_ROLES]
    assert found == [], "column lists outside src/nkdigital/metadata (declare a role in metadata/roles.py):\n" + \
        "\n".join(found)
    assert len(scanned()) > 50


@pytest.mark.parametrize(("source", "found"), [
    ('BOUNDS = ("value", "low", "high")', [(1, ("value", "low", "high"))]),
    ('x = frame[["source_id", "quote"]]\ny = {"family", "given"}', [(1, ("source_id", "quote")),
                                                                   (2, ("family", "given"))]),
    ('if not {"source_id", "quote"} <= set(frame):\n    pass', []),  # a check naming the columns it reads
    ('A = ("ref_date", "event_date")', []),  # no resource has both
    ('B = ("value",)', []),
    ('C = ("value", f"{x}")', []),
])
def test_the_scan_finds_column_lists(source, found):
    assert role_literals(source) == found


def test_the_allowed_literals_are_still_there():
    for (name, names), _reason in NOT_ROLES.items():
        path = next(p for p in scanned() if p.name == name)
        assert names in [n for _, n in role_literals(path.read_text(encoding="utf-8"))], (name, names)


def test_the_descriptor_and_the_data_dictionary_show_each_fields_roles():
    descriptor = json.loads((ROOT / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))
    shown = {f["name"]: f.get("roles", []) for r in descriptor["resources"] for f in r["schema"]["fields"]}
    assert shown == {name: roles_of(name) for name in FIELDS}
    assert shown["value"] == ["figure", "quantity"] and shown["is_key"] == ["key_event"]
    readme = (ROOT / "datapackage" / "README.md").read_text(encoding="utf-8")
    assert set(MEANINGS) == set(ROLES)
    assert all(f"- `{role}`: {meaning}." in readme for role, meaning in MEANINGS.items())
