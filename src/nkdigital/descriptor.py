"""Reading `datapackage.json` into plain dicts, with problems located by line."""

from __future__ import annotations

import json
from pathlib import Path

from nkdigital.errors import PackageError, Problem


def read_descriptor(path: Path) -> dict:
    """Parse the descriptor; raise PackageError naming the file and line when it is missing or malformed."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackageError([Problem(str(path), None, None, "descriptor file not found")]) from None
    except UnicodeDecodeError:
        raise PackageError([Problem(name, None, None, "descriptor is not valid UTF-8")]) from None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as error:
        raise PackageError([Problem(name, error.lineno, None, f"malformed JSON: {error.msg}")]) from None
    problems = _structure_problems(descriptor, name)
    if problems:
        raise PackageError(problems)
    return descriptor


def _structure_problems(descriptor: object, name: str) -> list[Problem]:
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return [Problem(name, None, "resources", "descriptor must be an object with a list of resources")]
    problems = []
    for i, resource in enumerate(descriptor["resources"]):
        label = f"resources[{i}]"
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            problems.append(Problem(name, None, label, "resource must be an object with a name"))
            continue
        if not isinstance(resource.get("path"), str):
            problems.append(Problem(name, None, f"{resource['name']}.path", "resource needs a file path"))
        fields = resource.get("schema", {}).get("fields") if isinstance(resource.get("schema"), dict) else None
        if not isinstance(fields, list) or not all(isinstance(f, dict) and "name" in f for f in fields):
            problems.append(Problem(name, None, f"{resource['name']}.schema", "resource needs a schema with fields"))
    return problems


def resources_by_name(descriptor: dict) -> dict[str, dict]:
    return {resource["name"]: resource for resource in descriptor["resources"]}
