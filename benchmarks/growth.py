"""Packages N times the size of the bundled one, valid by construction, for the growth benchmark.

    python benchmarks/growth.py FACTOR FOLDER

Copies `datapackage/` and `archive/` into FOLDER and repeats the rows of every resource whose rows can repeat
(events and their attestations, observations, device estimates, access tiers and controls, network records)
FACTOR times in all. Copy k >= 2 of a row gets the id `<id>-x<k>`, and every reference to a grown id inside that
copy (foreign keys, a derived row's `{id}` formula terms and `input_ids`) points at copy k too, so keys stay
unique and references resolve. Sources, their archived copies, creators, indicators and rights are not repeated
(one statement on an instrument from one source is one row): every copy keeps its source and its quote, which
stays verbatim in the archived text. Rows are then sorted by primary key and the descriptor's `hash` and `bytes`
recorded as `nkdigital refresh` writes them, without validating (tests/test_growth.py proves the result valid).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROWN = ("events", "event_attestations", "observations", "device_estimates", "access_tiers", "access_controls",
         "network_records")
ID_LISTS = ("input_ids",)  # space-separated ids
FORMULAS = ("formula",)  # ids as {id} terms
TERM = re.compile(r"\{([^{}]+)\}")


def grow(factor: int, folder: Path, source: Path = ROOT) -> Path:
    """Write a package `factor` times the size of the one in `source` into `folder`; returns its descriptor."""
    if factor < 1:
        raise ValueError(f"factor must be at least 1, not {factor}")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "datapackage", folder / "datapackage")
    shutil.copytree(source / "archive", folder / "archive")
    path = folder / "datapackage" / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    tables = {name: _read(path.parent / r["path"]) for name, r in resources.items() if name in GROWN}
    ids = {row[_key(resources[name])] for name, (header, rows) in tables.items()
           for row in (dict(zip(header, r, strict=True)) for r in rows)}
    grown = {name: list(rows) for name, (_, rows) in tables.items()}
    for k in range(2, factor + 1):
        renamed = {old: f"{old}-x{k}" for old in ids}
        for name, (header, rows) in tables.items():
            plain = _reference_fields(resources[name], set(GROWN)) | {_key(resources[name])}
            grown[name] += [_copy(header, row, renamed, plain) for row in rows]
    for name, (header, _) in tables.items():
        _write(path.parent / resources[name]["path"], header, grown[name], resources[name]["schema"]["primaryKey"])
    for resource in descriptor["resources"]:
        data = (path.parent / resource["path"]).read_bytes()
        resource["hash"], resource["bytes"] = "sha256:" + hashlib.sha256(data).hexdigest(), len(data)
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def row_counts(descriptor_path: Path) -> dict[str, int]:
    """Data rows per resource of the package at `descriptor_path`."""
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    return {r["name"]: len(_read(descriptor_path.parent / r["path"])[1]) for r in descriptor["resources"]}


def _key(resource: dict) -> str:
    key = resource["schema"]["primaryKey"]
    if len(key) != 1:
        raise ValueError(f"{resource['name']}: a grown resource needs a one-field primary key, not {key}")
    return key[0]


def _reference_fields(resource: dict, grown: set[str]) -> set[str]:
    """Foreign-key fields of `resource` that hold ids of grown resources."""
    return {field for fk in resource["schema"].get("foreignKeys", []) if fk["reference"]["resource"] in grown
            for field in fk["fields"]}


def _copy(header: list[str], row: list[str], renamed: dict[str, str], plain: set[str]) -> list[str]:
    """One more copy of `row`: ids renamed in its key, its references, formulas and id lists."""
    out = []
    for field, value in zip(header, row, strict=True):
        if field in plain:
            value = renamed.get(value, value)
        elif field in ID_LISTS:
            value = " ".join(renamed.get(part, part) for part in value.split(" "))
        elif field in FORMULAS:
            value = TERM.sub(lambda m: "{" + renamed.get(m.group(1), m.group(1)) + "}", value)
        out.append(value)
    return out


def _read(file: Path) -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8"), newline="")))
    return header, rows


def _write(file: Path, header: list[str], rows: list[list[str]], key: list[str]) -> None:
    positions = [header.index(k) for k in key]
    rows = sorted(rows, key=lambda row: [row[i] for i in positions])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    file.write_bytes(out.getvalue().encode("utf-8"))


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.exit(__doc__.split("\n\n")[1])
    written = grow(int(sys.argv[1]), Path(sys.argv[2]))
    print(written, row_counts(written))
