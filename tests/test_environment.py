"""environment.yml (conda-forge) mirrors pyproject.toml: same packages, same bounds; requirements/lock.txt pins
every dependency within them, and requirements/min.txt pins each direct dependency at its floor."""

from __future__ import annotations

import re
import sys
import tomllib

import yaml
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from locked import pins

LOCK, MIN = ROOT / "requirements" / "lock.txt", ROOT / "requirements" / "min.txt"

# PyPI name -> conda-forge name, where they differ.
CONDA_NAMES = {"kaleido": "python-kaleido", "duckdb": "python-duckdb"}


def _requirements(specs: list[str]) -> dict[str, str]:
    parsed = {}
    for spec in specs:
        match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+?)\s*(>=\s*[\d.]+(?:,\s*<\s*[\d.]+)?)?", spec.strip())
        assert match, f"unparsable requirement {spec!r}"
        name = match.group(1).lower()
        if name.startswith("nkdigital"):
            continue
        parsed[name] = (match.group(2) or "").replace(" ", "")
    return parsed


def _pyproject() -> tuple[dict[str, str], str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += extra
    return _requirements(specs), project["requires-python"]


def _environment() -> tuple[dict[str, str], dict[str, str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return _requirements(conda), _requirements([p for p in pip if not p.startswith("-e")])


def test_every_dependency_appears_in_environment_yml_with_the_same_lower_bound():
    wanted, python = _pyproject()
    conda, pip = _environment()
    assert conda.pop("python") == python
    conda.pop("pip")
    mirrored = {**{CONDA_NAMES.get(name, name): bound for name, bound in wanted.items()}}
    found = {**conda, **pip}
    assert found == mirrored


def test_every_dependency_is_lower_bounded():
    wanted, _ = _pyproject()
    assert [name for name, bound in wanted.items() if not bound.startswith(">=")] == []


def test_environment_installs_the_project_itself():
    assert "-e ." in (ROOT / "environment.yml").read_text(encoding="utf-8")


def test_datasette_stays_below_the_major_version_the_explorer_supports():
    wanted, _ = _pyproject()
    conda, _ = _environment()
    assert wanted["datasette"] == conda["datasette"] == ">=0.65.5,<1.0"


def test_the_lock_pins_every_dependency_within_its_bounds():
    wanted, _ = _pyproject()
    locked = pins(LOCK, everywhere=True)
    outside = {name: locked.get(canonicalize_name(name)) for name, bound in wanted.items()
               if locked.get(canonicalize_name(name)) not in SpecifierSet(bound)}
    assert outside == {}, "run ./run lock after editing pyproject.toml"


def test_the_minimum_versions_run_pins_each_direct_dependency_at_its_floor():
    wanted, _ = _pyproject()
    lowest = pins(MIN, everywhere=True)
    floors = {name: bound.split(",")[0].removeprefix(">=") for name, bound in wanted.items()}
    pinned = {name: ".".join(lowest[canonicalize_name(name)].split(".")[:floor.count(".") + 1])
              for name, floor in floors.items()}
    assert pinned == floors, "run ./run lock after editing pyproject.toml"
