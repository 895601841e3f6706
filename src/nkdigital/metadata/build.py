"""Build the package descriptor and the data dictionary from the metadata (one definition of each field)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from nkdigital.core.atomic import atomic_write_bytes
from nkdigital.metadata import package
from nkdigital.metadata.field_kinds import TEXT_RULE
from nkdigital.metadata.fields import FIELDS
from nkdigital.metadata.phrases import NO_MAGNITUDE, PHRASES, RULES
from nkdigital.metadata.resources import RESOURCES, primary_key
from nkdigital.metadata.roles import MEANINGS, ROLES, roles_of


def field(name: str) -> dict:
    """The descriptor of field `name`, with its column roles (`roles.py`) as the custom property `roles`."""
    roles = roles_of(name)
    return {"name": name, **FIELDS[name], **({"roles": roles} if roles else {})}


def resource_descriptor(spec: dict, previous: dict) -> dict:
    name = spec["name"]
    fields = [field(f) for f in spec["fields"]]
    key = primary_key(name)
    schema: dict = {"fields": fields, "missingValues": [""], "primaryKey": key}
    references = {"source_id": "sources"} if name != "sources" and "source_id" in spec["fields"] else {}
    references |= spec.get("references", {})
    if references:
        schema["foreignKeys"] = [
            {"fields": [column], "reference": {"resource": target, "fields": [column]}}
            for column, target in references.items()
        ]
    descriptor = {
        "name": name,
        "type": "table",
        "title": spec["title"],
        "description": spec["description"],
        "path": f"data/{name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
        "schema": schema,
    }
    for kept in ("hash", "bytes"):
        if kept in previous:
            descriptor[kept] = previous[kept]
    return descriptor


def build(previous: dict) -> dict:
    old = {r["name"]: r for r in previous.get("resources", [])}
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": package.NAME,
        "title": package.TITLE,
        "description": package.DESCRIPTION,
        "version": previous.get("version", "0.1.0"),
        "created": package.CREATED,
        "homepage": package.HOMEPAGE,
        "keywords": package.KEYWORDS,
        "licenses": [{"name": package.LICENCE, "path": package.LICENCE_URL, "title": package.LICENCE_NOTE}],
        "contributors": [{"title": package.AUTHORS, "roles": ["creator"]}],
        "resources": [resource_descriptor(spec, old.get(spec["name"], {})) for spec in RESOURCES],
    }


DICTIONARY_START = "<!-- data dictionary: generated from src/nkdigital/metadata; do not edit below -->"


def reading_rules() -> list[str]:
    """The reading rules and the phrase table, as Markdown lines."""
    parts = ["## Reading rules", "", "How `value`, `low` and `high` are read from a row's `quote`:", ""]
    parts += [f"- {rule}" for rule in RULES]
    parts += ["", "### Phrase table", "",
              "Vague phrases without a figure (qualifier `range`, `value` empty). N is a number word (hundred,"
              " thousand, million, billion, dozen); without one, N = 1.", "",
              "| wording | low | high | unit | example |", "|---|---|---|---|---|"]
    for phrase in PHRASES:
        scaled = any(w.endswith(" N") for w in phrase.wordings)
        low, high = (f"{b:.12g}N" if scaled else f"{b:.12g}" for b in (phrase.low, phrase.high))
        unit = "share" if phrase.unit == "share" else "any count"
        wordings = " / ".join(f"'{w}'" for w in phrase.wordings)
        parts.append(f"| {wordings} | {low} | {high} | {unit} | {phrase.example} |")
    parts += ["", "No magnitude (" + ", ".join(f"'{w}'" for w in NO_MAGNITUDE) + "): `value`, `low`, `high`,"
              " `unit` and `qualifier` all stay empty.", ""]
    return parts


TEXT_RULES = (
    "Text rules, for every cell of every resource and every text of `datapackage.json`: no control characters, no"
    " invisible formatting characters (bidirectional controls, zero-width space, non-joiner and joiner, word"
    " joiner, byte-order mark, soft hyphen) and no lone surrogates; validation names the row and field of each."
    " Plain text (marked so below) also must not start with =, +, - or @ and must not contain < or >."
    " Resource and field names are lowercase letters, digits and `_`."
)


def _scale(indicator: dict[str, str]) -> str:
    """An index's scale and better end for the indicators table ('0-100, lower_better'); empty for others."""
    low, high = (indicator.get(b) or "" for b in ROLES["scale"])
    bounds = f"{low}-{high}" if low and high else f"from {low}" if low else f"up to {high}" if high else ""
    return ", ".join(p for p in (bounds, indicator.get("direction") or "") if p)


def column_roles() -> list[str]:
    """What each column role is for (`metadata/roles.py`), as Markdown lines: the tools read a column's use from
    its roles, shown per field in the tables below and as `roles` in `datapackage.json`."""
    lines = ["Column roles (the `roles` of each field below and in `datapackage.json`) say what the explorer, exports,"
             " checks and charts use a column for:", ""]
    return lines + [f"- `{role}`: {meaning}." for role, meaning in MEANINGS.items()] + [""]


def dictionary(descriptor: dict, indicators: list[dict[str, str]] = ()) -> str:
    """The generated part of datapackage/README.md: the reading rules, the indicators, then one table per
    resource."""
    parts = [DICTIONARY_START, "", *reading_rules(), "## Indicators", "",
             "What each `observations.indicator` counts (from `data/indicators.csv`).", "",
             "| indicator | title | unit | definition | claim types | scale |", "|---|---|---|---|---|---|"]
    parts += [f"| `{i['indicator']}` | {i['title']} | {i['unit']} | {i['definition'].replace('|', '/')} |"
              f" {i['claim_types']} | {_scale(i)} |" for i in indicators]
    parts += ["", "## Data dictionary", "", TEXT_RULES, "", *column_roles()]
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        parts += [f"### `{resource['name']}` — {resource['title']}", "", resource["description"], "",
                  f"File `{resource['path']}`; primary key `{', '.join(schema['primaryKey'])}`"
                  + "".join(f"; `{fk['fields'][0]}` references `{fk['reference']['resource']}`"
                            for fk in schema.get("foreignKeys", [])) + ".", "",
                  "| field | type | required | description | allowed values / example | roles |",
                  "|---|---|---|---|---|---|"]
        for f in schema["fields"]:
            constraints = f["constraints"]
            allowed = ", ".join(constraints["enum"]) if "enum" in constraints else f"e.g. `{f['example']}`"
            description = f["description"].replace(TEXT_RULE, " (plain text).").replace("|", "/")
            parts.append(f"| `{f['name']}` | {f['type']} | {'yes' if constraints.get('required') else ''} |"
                         f" {description} | {allowed} | {', '.join(f.get('roles', []))} |")
        parts.append("")
    return "\n".join(parts)


def write(package_dir: Path) -> Path:
    """Rebuild `datapackage.json` (keeping recorded hashes) and the data README's dictionary in `package_dir`."""
    path = package_dir / "datapackage.json"
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    descriptor = build(previous)
    atomic_write_bytes(path, (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    readme = package_dir / "README.md"
    head = readme.read_text(encoding="utf-8").split(DICTIONARY_START)[0] if readme.exists() else ""
    atomic_write_bytes(readme, (head + dictionary(descriptor, read_indicators(package_dir))).encode("utf-8"))
    return path


def read_indicators(package_dir: Path) -> list[dict[str, str]]:
    """The rows of `data/indicators.csv` in `package_dir` (none if it does not exist yet)."""
    path = package_dir / "data" / "indicators.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
