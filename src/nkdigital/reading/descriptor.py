"""Reading `datapackage.json` into plain dicts, refusing any shape the rest of the code cannot trust."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path, PurePosixPath

from nkdigital.core.errors import PackageError, Problem, shown
from nkdigital.core.limits import MAX_DESCRIPTOR_BYTES, MAX_JSON_DEPTH, megabytes
from nkdigital.core.patterns import pattern_problem
from nkdigital.reading import known
from nkdigital.reading.table import CONTROL, INVISIBLE, invisible

FIELD_TYPES = frozenset({"string", "number", "integer", "year", "date", "boolean"})
STANDARD_DIALECT = {"delimiter": ",", "quoteChar": '"', "header": True}
ISO_DATE = "%Y-%m-%d"
LARGEST = 2**63 - 1  # the largest number a descriptor may hold: constraints become 64-bit integers
_HASH = re.compile(r"(sha256|md5|sha1|sha512):[0-9a-f]+")
# resource and field names become SQL identifiers, file names and sheet names: plain lowercase words only
NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
# a raw character the text checks refuse (JSON's own whitespace aside) or an escape that may write one
_MAYBE_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e"
                            "\u2060\u2066-\u2069\ufeff\ud800-\udfff]|\\\\[bfnrtu]")
NAME_RULE = "must be a lowercase name of letters, digits and _ (at most 63 characters, starting with a letter)"


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """An object's keys, refusing one given twice (JSON parsers silently keep the last, so a reader sees another
    descriptor than the one we checked)."""
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def read_descriptor(path: Path) -> dict:
    """Parse the descriptor; raise PackageError naming the file, line and key when it is missing or malformed."""
    name = path.name
    try:
        if not path.exists():
            raise PackageError([Problem(str(path), None, None, "descriptor file not found")])
        if not path.is_file():  # a FIFO or device would block
            raise PackageError([Problem(str(path), None, None, "descriptor is not a regular file")])
        if path.stat().st_size > MAX_DESCRIPTOR_BYTES:
            raise PackageError([Problem(name, None, None, f"descriptor is larger than"
                                        f" {megabytes(MAX_DESCRIPTOR_BYTES)}")])
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PackageError([Problem(name, None, None, "descriptor is not valid UTF-8")]) from None
    except OSError as error:
        raise PackageError([Problem(str(path), None, None, f"descriptor cannot be read: {error.strerror}")]) from None
    mark = known.descriptor_mark(text)
    if known.is_known(mark):  # exactly this text passed every check below before, under this code
        return json.loads(text)
    descriptor = _checked(text, name)
    known.remember(mark)
    return descriptor


def _checked(text: str, name: str) -> dict:
    """The descriptor parsed from `text` (of the file `name`); PackageError with every problem found."""
    try:
        descriptor = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_refuse_constant)
    except _NotJson as error:  # its line: where the constant stands as a value (not inside a string)
        at = re.search(r"[:\[,]\s*(" + re.escape(error.args[0]) + r")(?![\w\"])", text)
        line = text.count("\n", 0, at.start(1)) + 1 if at else None
        raise PackageError([Problem(name, line, None, f"not valid JSON: {error.args[0]} is not a JSON number"
                                    " (JSON has no NaN or infinity)")]) from None
    except _DuplicateKey as error:
        raise PackageError([Problem(name, None, _printable_key(error.args[0]),
                                    f"key {shown(error.args[0])} appears twice in one object; keep one")]) from None
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg[0].lower()}{error.msg[1:]} at column {error.colno}"
        raise PackageError([Problem(name, error.lineno, None, message)]) from None
    except RecursionError:
        raise PackageError([Problem(name, None, None, "not valid JSON: nested too deeply")]) from None
    # no raw refused character and no escape that could write one: no value needs searching, only the depth
    searched = _MAYBE_REFUSED.search(text) is not None
    problems = _text_problems(descriptor, name, searched) or _structure_problems(descriptor, name)
    if problems:
        raise PackageError(problems)
    return descriptor


class _NotJson(ValueError):
    """NaN, Infinity or -Infinity: Python's json reads them, JSON has none."""


def _refuse_constant(constant: str):
    raise _NotJson(constant)


def _printable_key(key: str) -> str:
    return shown(key)[1:-1]


def _path(place: tuple | None) -> str:
    """Where a value sits in the descriptor (`resources.0.schema`), from its (parent's place, key) chain: spelt out
    only for a problem."""
    keys = []
    while place is not None:
        place, key = place
        keys.append(key)
    return ".".join(_printable_key(str(key)) for key in reversed(keys)).lstrip(".")


def _text_problems(descriptor: object, name: str, searched: bool = True) -> list[Problem]:
    """Nesting deeper than MAX_JSON_DEPTH, numbers beyond 64-bit integers, and control characters (ANSI escapes
    among them), invisible formatting characters or lone surrogates anywhere in the descriptor's text (keys
    included); the text only if `searched`."""
    problems, pending = [], [(None, descriptor, 0)]
    while pending:
        keys, value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            where = _path(keys)
            return [Problem(name, None, where or None, f"nested more than {MAX_JSON_DEPTH} levels deep")]
        texts = [] if not searched else [value] if isinstance(value, str) else list(value) \
            if isinstance(value, dict) else []
        found = next((m for m in map(INVISIBLE.search, texts) if m), None)
        control = next((m for m in map(CONTROL.search, texts) if m), None)
        if found or control:
            where = _path(keys)
        if isinstance(value, int | float) and not isinstance(value, bool) and not -LARGEST <= value <= LARGEST:
            problems.append(Problem(name, None, _path(keys) or None, f"number {value!r:.40} is out of range: a"
                                    f" number here lies within ±{LARGEST} (a 64-bit integer)"))
        if found:
            problems.append(Problem(name, None, where or None, f"text contains {invisible(found.group())}"))
        elif control:
            problems.append(Problem(name, None, where or None, "text contains the control character"
                                    f" {control.group()!r}; remove it"))
        if isinstance(value, dict | list):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            pending += [((keys, key), item, depth + 1) for key, item in items]
    return problems


def safe_path(path: object) -> str | None:
    """Why `path` is not a plain relative path to a CSV file inside the package folder, or None if it is."""
    if not isinstance(path, str) or not path:
        return "resource needs a file path"
    parts = PurePosixPath(path).parts
    if path.startswith(("/", "\\")) or ":" in path or "\\" in path:
        return f"path {shown(path)} must be relative to the package folder (no drive, URL or backslash)"
    if ".." in parts:
        return f"path {shown(path)} must stay inside the package folder (no '..')"
    if not path.endswith(".csv") or not path.isprintable():
        return f"path {shown(path)} must name a .csv file"
    return None


def _structure_problems(descriptor: object, name: str) -> list[Problem]:
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return [Problem(name, None, "resources", "descriptor must be an object with a list of resources")]
    if not descriptor["resources"]:
        return [Problem(name, None, "resources", "descriptor lists no resources")]
    problems, names, paths, schemas = [], set(), set(), []
    for i, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str) or not resource["name"]:
            problems.append(Problem(name, None, f"resources[{i}]", "resource must be an object with a name"))
            continue
        label = resource["name"]
        if not NAME.fullmatch(label):
            problems.append(Problem(name, None, f"{_printable_key(label)}.name",
                                    f"resource name {shown(label)} {NAME_RULE}"))
            names.add(label)
            continue
        if label in names:
            problems.append(Problem(name, None, f"{label}.name", f"resource name {shown(label)} is used twice"))
        names.add(label)
        reason = safe_path(resource.get("path"))
        if reason:
            problems.append(Problem(name, None, f"{label}.path", reason))
        elif resource["path"] in paths:
            problems.append(Problem(name, None, f"{label}.path", f"file {shown(resource['path'])} is used twice"))
        else:
            paths.add(resource["path"])
        found = _resource_problems(resource, name, label)
        problems += found
        if not found:
            schemas.append(resource)
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in schemas}
    for resource in schemas:  # foreign keys only between resources whose own schema is sound
        problems += _foreign_key_problems(resource, names, fields, name)
    return problems


def _resource_problems(resource: dict, name: str, label: str) -> list[Problem]:
    problems = []
    if "hash" in resource and not (isinstance(resource["hash"], str) and _HASH.fullmatch(resource["hash"])):
        problems.append(Problem(name, None, f"{label}.hash", "hash must look like sha256:<hex digits>"))
    if "bytes" in resource and (type(resource["bytes"]) is not int or resource["bytes"] < 0):
        problems.append(Problem(name, None, f"{label}.bytes", "bytes must be a whole number"))
    if str(resource.get("encoding", "utf-8")).lower() not in ("utf-8", "utf8"):
        problems.append(Problem(name, None, f"{label}.encoding", "encoding must be utf-8"))
    dialect = resource.get("dialect", STANDARD_DIALECT)
    if not isinstance(dialect, dict) or {**STANDARD_DIALECT, **dialect} != STANDARD_DIALECT:
        problems.append(Problem(name, None, f"{label}.dialect", "dialect must be plain CSV with a header"))
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not fields:
        return [*problems, Problem(name, None, f"{label}.schema", "resource needs a schema with fields")]
    field_names = []
    for i, field in enumerate(fields):
        where = f"{label}.schema.fields[{i}]"
        if not isinstance(field, dict) or not isinstance(field.get("name"), str) or not field["name"]:
            problems.append(Problem(name, None, where, "field must be an object with a name"))
            continue
        field_names.append(field["name"])
        if not NAME.fullmatch(field["name"]):
            problems.append(Problem(name, None, f"{label}.{_printable_key(field['name'])}",
                                    f"field name {shown(field['name'])} {NAME_RULE}"))
            continue
        problems += _field_problems(field, name, f"{label}.{field['name']}")
    if len(set(field_names)) != len(field_names):
        problems.append(Problem(name, None, f"{label}.schema", "field names must be unique"))
    if problems:
        return problems
    if "primaryKey" in schema and not _names_in(schema["primaryKey"], field_names):
        problems.append(Problem(name, None, f"{label}.primaryKey", "primaryKey must be a list of the schema's fields"))
    missing = schema.get("missingValues", [""])
    if missing != [""]:
        problems.append(Problem(name, None, f"{label}.missingValues", 'missingValues must be [""]'))
    return problems


def _field_problems(field: dict, name: str, where: str) -> list[Problem]:
    if not isinstance(field.get("type", "string"), str) or field.get("type", "string") not in FIELD_TYPES:
        return [Problem(name, None, where, f"type must be one of: {', '.join(sorted(FIELD_TYPES))}")]
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        return [Problem(name, None, where, "constraints must be an object")]
    problems = []
    enum = constraints.get("enum", [])
    if not isinstance(enum, list) or not all(isinstance(v, str) for v in enum) or len(set(enum)) != len(enum):
        problems.append(Problem(name, None, where, "enum must be a list of distinct text values"))
    for flag in ("required", "unique"):
        if not isinstance(constraints.get(flag, False), bool):
            problems.append(Problem(name, None, where, f"{flag} must be true or false"))
    reason = pattern_problem(constraints["pattern"]) if "pattern" in constraints else None
    if reason:
        problems.append(Problem(name, None, where, reason))
    kind = field.get("type", "string")
    for limit in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if limit in constraints and not _is_limit(constraints[limit], kind):
            problems.append(Problem(name, None, where, f"{limit} does not fit a {kind} field"))
    for limit in ("minLength", "maxLength"):
        if limit in constraints and (type(constraints[limit]) is not int or constraints[limit] < 0):
            problems.append(Problem(name, None, where, f"{limit} must be a whole number"))
    if field.get("format", "default") not in ("default", ISO_DATE if kind == "date" else "default"):
        problems.append(Problem(name, None, where, f"format must be {ISO_DATE if kind == 'date' else 'default'}"))
    return problems


def _is_limit(value: object, kind: str) -> bool:
    if kind == "date":  # a real calendar date: the limit is compared with the column's dates
        if not (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
            return False
        try:
            return bool(dt.date.fromisoformat(value))
        except ValueError:
            return False
    return kind in ("number", "integer", "year") and isinstance(value, int | float) and not isinstance(value, bool)


def _foreign_key_problems(resource: dict, names: set[str], fields: dict[str, list[str]], name: str) -> list[Problem]:
    """Problems with `resource`'s foreign keys: each names fields of this resource, an existing resource and as
    many of its fields (checked against its schema when that schema is sound; `fields` maps those to their fields)."""
    keys = resource["schema"].get("foreignKeys", [])
    own = [f.get("name") for f in resource["schema"].get("fields") or [] if isinstance(f, dict)]
    ok = isinstance(keys, list) and all(
        isinstance(k, dict) and _names_in(k.get("fields"), own) and isinstance(k.get("reference"), dict)
        and _names_in([k["reference"].get("resource")], list(names))
        and _names_in(k["reference"].get("fields"), fields.get(k["reference"]["resource"]))
        and len(k["reference"]["fields"]) == len(k["fields"])
        for k in keys
    )
    if ok:
        return []
    return [Problem(name, None, f"{resource['name']}.foreignKeys",
                    "foreignKeys must list fields of this resource and an existing resource's fields")]


def _names_in(value: object, allowed: list[str] | None) -> bool:
    """Whether `value` is a non-empty list of names (all in `allowed`, when given)."""
    return (isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
            and (allowed is None or all(v in allowed for v in value)))
