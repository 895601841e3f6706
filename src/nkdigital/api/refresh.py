"""Sorting rows and recording resource hashes and sizes after an edit, only when the data is valid."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os

from nkdigital.checking.validation import validate
from nkdigital.core.atomic import atomic_write_bytes
from nkdigital.core.errors import PackageError
from nkdigital.core.paths import resolve_descriptor

UNSORTED = "rows are not sorted"


def refresh(path: str | os.PathLike | None = None, archive: str | os.PathLike | None = None) -> dict[str, str]:
    """Sort each resource by its key and record `hash` and `bytes`; raise PackageError if the data is invalid.

    Returns the resources whose file or hash changed, mapped to their new hash.
    """
    descriptor_path = resolve_descriptor(path)
    report = validate(descriptor_path, archive, check_hashes=False)
    problems = [p for p in report.problems if not p.message.startswith(UNSORTED)]
    if problems:
        raise PackageError(problems)
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    changed = {}
    for resource in descriptor["resources"]:
        file = descriptor_path.parent / resource["path"]
        original = file.read_bytes()
        data = _sorted_csv(original, resource["schema"].get("primaryKey", []))
        if data != original:
            atomic_write_bytes(file, data)
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if resource.get("hash") != digest or data != original:
            changed[resource["name"]] = digest
        resource["hash"], resource["bytes"] = digest, len(data)
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(descriptor_path, text.encode("utf-8"))
    return changed


def _sorted_csv(data: bytes, key: list[str]) -> bytes:
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    positions = [header.index(k) for k in key]
    rows.sort(key=lambda row: [row[i] for i in positions])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
