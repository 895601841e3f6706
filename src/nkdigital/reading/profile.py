"""The descriptor's metadata beyond what the code reads (titles, licenses, contributors, keywords, dates), held to
the types the Data Package 2.0 profile gives them.

`nkdigital validate` checks this itself rather than through frictionless: importing frictionless and checking the
descriptor with it cost about 0.45 s of CPU, a third of validating the bundled package, which put validate at
1.4-1.54 times `frictionless validate` against a budget of 1.5 (issue 25). The tests still run frictionless on
the shipped package (tests/test_datapackage.py).
"""

from __future__ import annotations

import datetime as dt

from nkdigital.core.errors import Problem

TEXT = ("$schema", "name", "title", "description", "version", "homepage", "image", "id")
RESOURCE_TEXT = ("title", "description", "type", "scheme", "format", "mediatype", "profile")
FIELD_TEXT = ("title", "description", "rdfType")
LICENSE_TEXT = ("name", "path", "title")
CONTRIBUTOR_TEXT = ("title", "givenName", "familyName", "path", "email", "organization")
CONTRIBUTOR_NAMES = ("title", "givenName", "familyName", "organization")  # a contributor has one of these
SOURCE_TEXT = ("title", "path", "email", "version")


def metadata_problems(descriptor: dict, name: str) -> list[Problem]:
    """Problems with the package's, its resources' and their fields' metadata (`name` is the descriptor file's)."""
    problems = _texts(descriptor, TEXT, "", name)
    created = descriptor.get("created")
    if created is not None and not _is_datetime(created):
        problems.append(Problem(name, None, "created", "created must be a date and time such as"
                                " 2024-01-31T00:00:00Z"))
    keywords = descriptor.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        problems.append(Problem(name, None, "keywords", "keywords must be a list of text values"))
    problems += _entries(descriptor, "", name)
    contributors = descriptor.get("contributors", [])
    if not _objects(contributors) or not all(any(k in c for k in CONTRIBUTOR_NAMES) for c in contributors):
        problems.append(Problem(name, None, "contributors", "contributors must be a list of objects, each with"
                                " a title, a name or an organization"))
    else:
        for i, contributor in enumerate(contributors):
            problems += _texts(contributor, CONTRIBUTOR_TEXT, f"contributors[{i}].", name)
            roles = contributor.get("roles", [])
            if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
                problems.append(Problem(name, None, f"contributors[{i}].roles", "roles must be a list of text"
                                        " values"))
    for resource in descriptor["resources"]:
        where = f"{resource['name']}."
        problems += _texts(resource, RESOURCE_TEXT, where, name) + _entries(resource, where, name)
        for field in resource["schema"]["fields"]:
            problems += _texts(field, FIELD_TEXT, f"{where}{field['name']}.", name)
    return problems


def _entries(owner: dict, where: str, name: str) -> list[Problem]:
    """Problems with the `licenses` (each a name or a path) and `sources` (each a title) of a package or resource."""
    problems = []
    for key, texts, needs in (("licenses", LICENSE_TEXT, ("name", "path")), ("sources", SOURCE_TEXT, ("title",))):
        entries = owner.get(key, [])
        if not _objects(entries) or not all(any(k in e for k in needs) for e in entries):
            problems.append(Problem(name, None, f"{where}{key}", f"{key} must be a list of objects, each with a"
                                    f" {' or a '.join(needs)}"))
            continue
        for i, entry in enumerate(entries):
            problems += _texts(entry, texts, f"{where}{key}[{i}].", name)
    return problems


def _texts(owner: dict, keys: tuple[str, ...], where: str, name: str) -> list[Problem]:
    return [Problem(name, None, f"{where}{key}", f"{key} must be text") for key in keys
            if key in owner and not isinstance(owner[key], str)]


def _objects(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
