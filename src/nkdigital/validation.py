"""Full validation: frictionless (schema, keys, hashes) plus our own checks (quotes, logic)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nkdigital import checks
from nkdigital.descriptor import read_descriptor
from nkdigital.errors import PackageError, Problem
from nkdigital.paths import default_archive, resolve_descriptor
from nkdigital.quotes import check_quote_lengths, check_quotes
from nkdigital.table import read_table

TEXT_PATTERN_HINT = "text must not start with =, +, - or @ and must not contain < or >"


@dataclass
class Report:
    """Outcome of validation: the problems found and notes on what could not be checked."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def valid(self) -> bool:
        return not self.problems


def validate(
    path: str | os.PathLike | None = None,
    archive: str | os.PathLike | None = None,
    *,
    check_hashes: bool = True,
    today: dt.date | None = None,
) -> Report:
    """Validate the package at `path` (default: the bundled one) against schema, keys, hashes, quotes and logic."""
    descriptor_path = resolve_descriptor(path)
    report = Report()
    try:
        descriptor = read_descriptor(descriptor_path)
    except PackageError as error:
        report.problems = error.problems
        return report
    base = descriptor_path.parent
    unusable = set()
    for resource in descriptor["resources"]:
        frame, problems = read_table(base, resource)
        report.problems += problems
        if frame is None:
            unusable.add(resource["path"])
        else:
            report.frames[resource["name"]] = frame
    own = {(p.file, p.row, p.field) for p in report.problems}
    for problem in frictionless_problems(descriptor_path, check_hashes):
        if problem.file not in unusable and (problem.file, problem.row, problem.field) not in own:
            report.problems.append(problem)
    report.problems += logic_problems(descriptor, report.frames, today or dt.date.today())
    archive_path = Path(archive) if archive is not None else default_archive(descriptor_path)
    if archive_path is None or not archive_path.is_dir():
        report.notes.append(f"quotes not checked: no source archive at {archive_path or '../shared/sources'}"
                            " (pass --archive PATH or set NKDIGITAL_ARCHIVE)")
    elif "sources" in report.frames:
        report.problems += check_quotes(report.frames, archive_path)
    report.problems = sorted(set(report.problems), key=lambda p: (p.file, p.row or 0, p.field or "", p.message))
    return report


def logic_problems(descriptor: dict, frames: dict[str, pd.DataFrame], today: dt.date) -> list[Problem]:
    keys = {}
    problems = []
    for resource in descriptor["resources"]:
        name, label = resource["name"], resource["path"]
        if name not in frames:
            continue
        key = resource["schema"].get("primaryKey") or [resource["schema"]["fields"][0]["name"]]
        keys[name] = key[0]
        frame = frames[name]
        problems += checks.check_quantities(frame, label)
        problems += checks.check_dates(frame, label, today)
        problems += checks.check_sorted(frame, label, key)
        problems += check_quote_lengths(frame, label)
    problems += checks.check_unique_ids({n: f for n, f in frames.items() if n != "sources"}, keys)
    problems += checks.check_derived(frames)
    problems += checks.check_sources_used(frames)
    return problems


def frictionless_problems(descriptor_path: Path, check_hashes: bool = True) -> list[Problem]:
    """Run frictionless on the package and translate its errors into located, plain-word problems."""
    sys.modules.setdefault("rfc3987_syntax", None)  # optional jsonschema format plugin: ~1 s import, unused here
    import frictionless

    try:
        package = frictionless.Package(str(descriptor_path))
        report = package.validate(checklist=None if check_hashes else _skip_hashes())
    except frictionless.FrictionlessException as error:
        return [Problem(descriptor_path.name, None, None, error.error.message)]
    problems = [Problem(descriptor_path.name, None, None, e.message) for e in report.errors]
    for task in report.tasks:
        label = os.path.relpath(task.place, descriptor_path.parent) if os.path.isabs(task.place) else task.place
        problems += [_translate(error, label) for error in task.errors]
    return problems


def _skip_hashes():
    import frictionless

    return frictionless.Checklist(skip_errors=["hash-count", "byte-count"])


def _translate(error, label: str) -> Problem:
    kind = error.type
    row = getattr(error, "row_number", None)
    field_name = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "") or ""
    if kind in ("hash-count", "byte-count"):
        return Problem(label, None, None,
                       "file changed since its hash was recorded; check the edit, then run `nkdigital refresh`")
    if kind == "primary-key":
        return Problem(label, row, None, f"duplicate primary key {', '.join(map(str, error.cells))}")
    if kind == "foreign-key":
        return Problem(label, row, "source_id", f"source_id '{error.cells[0]}' is not in sources")
    if kind == "constraint-error":
        if '"pattern"' in note and "<>" in note:
            message = f"'{cell}': {TEXT_PATTERN_HINT}"
        elif '"pattern"' in note and "https?" in note:
            message = f"'{cell}' is not an http(s) URL"
        elif '"pattern"' in note:
            message = f"'{cell}' does not have the required form ({note.split(' is ', 1)[-1]})"
        elif '"unique"' in note:
            message = f"'{cell}' is not unique"
        else:
            message = f"'{cell}' breaks the {note}"
        return Problem(label, row, field_name, message)
    if kind == "type-error":
        return Problem(label, row, field_name, f"'{cell}' is not a valid {note or 'value'}")
    return Problem(label, row, field_name, error.message)
