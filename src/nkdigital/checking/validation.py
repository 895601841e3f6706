"""Full validation: our reader and frictionless (schema, keys, hashes), then our own checks (logic, quotes).

Malformed input of any kind ends up as located problems in the report, never as another exception.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nkdigital.checking import checks
from nkdigital.checking.credit_checks import (
    check_archive_credits,
    check_creators,
    check_shared_file_dates,
    check_strength_claims,
    check_urls,
)
from nkdigital.checking.date_checks import check_dates
from nkdigital.checking.event_dates import check_event_dates, check_one_account_per_source
from nkdigital.checking.law_checks import check_laws
from nkdigital.checking.network import check_network_records
from nkdigital.checking.provenance import check_provenance
from nkdigital.checking.quotes import Archive, check_quote_lengths, check_quotes
from nkdigital.checking.tier_checks import check_share_of
from nkdigital.core.errors import PackageError, Problem, shown, sort_problems
from nkdigital.core.limits import MAX_PACKAGE_BYTES, megabytes
from nkdigital.core.paths import default_archive, resolve_descriptor
from nkdigital.reading.descriptor import read_descriptor
from nkdigital.reading.table import read_table

HASH_CHANGED = "file changed since its hash was recorded; check the edit, then run `nkdigital refresh`"
SKIPPED = ("logic checks (bounds, dates, derived rows, ids, source use) and quotes"
           " wait until the problems listed are fixed")


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
    """Validate the package at `path` (default: the bundled one) against schema, keys, hashes, quotes and logic.

    Stages: the descriptor; then every file and cell (our reader, then frictionless for constraints, keys and
    hashes); then, only if those hold (a changed hash aside), logic and quotes. At most one problem per cell,
    and none that merely follows from another, so each careless edit shows up exactly once.
    """
    descriptor_path = resolve_descriptor(path)
    report = Report()
    try:
        descriptor = read_descriptor(descriptor_path)
    except PackageError as error:
        report.problems = error.problems
        return report
    base = descriptor_path.parent
    unusable, total = set(), 0
    for resource in descriptor["resources"]:
        total += _size(base / resource["path"])
        if total > MAX_PACKAGE_BYTES:
            report.problems.append(Problem(resource["path"], None, None, "the package's files together exceed"
                                           f" {megabytes(MAX_PACKAGE_BYTES)}; this file was not read"))
            unusable.add(resource["path"])
            continue
        frame, problems = read_table(base, resource)
        report.problems += problems
        if frame is None:
            unusable.add(resource["path"])
        else:
            report.frames[resource["name"]] = frame
    if check_hashes:
        report.problems += _unsealed(descriptor, descriptor_path.name)
    theirs = frictionless_problems(descriptor_path, check_hashes, skip=unusable, descriptor=descriptor)
    report.problems += _not_covered(theirs, report.problems)
    if any(p.message != HASH_CHANGED for p in report.problems):
        report.notes.append(SKIPPED)
    else:
        report.problems += logic_problems(descriptor, report.frames, today or dt.date.today())
        _check_quotes(report, descriptor_path, archive)
    report.problems = sort_problems(_one_per_cell(_not_following_a_quote(report.problems)))
    return report


_VALID: set[str] = set()  # content keys validated in this process


def validated(path: str | os.PathLike | None = None, archive: str | os.PathLike | None = None) -> Report:
    """Validate the package at `path` against `archive` once per content; PackageError if it is invalid.

    A valid verdict is remembered in this process and on disk (`$XDG_CACHE_HOME/nkdigital/validated/`), keyed by
    the SHA-256 of the descriptor, every resource file, every archive file and our code
    (:func:`nkdigital.checking.content.content_key`): any changed byte validates again. Only valid verdicts are
    kept, so a problem is always reported afresh. The report's `frames` are empty when the verdict came from the cache.
    """
    from nkdigital.checking import content

    descriptor_path = resolve_descriptor(path)
    archive_path = Path(archive) if archive is not None else default_archive(descriptor_path)
    before = content.stamp(descriptor_path, archive_path)
    key = content.content_key(descriptor_path, archive_path)
    if key is not None and (key in _VALID or content.remembered(key)):
        _VALID.add(key)
        return Report()
    report = validate(descriptor_path, archive_path)
    if report.problems:
        raise PackageError(report.problems)
    # hashed once: unchanged meanwhile when every file keeps its inode, size and change time (no second hashing)
    if key is not None and before is not None and before == content.stamp(descriptor_path, archive_path):
        _VALID.add(key)
        content.remember(key)
    return report


def _not_following_a_quote(problems: list[Problem]) -> list[Problem]:
    """A figure its quote does not state is no second problem in a row whose quote is itself wrong."""
    rows = {(p.file, p.row) for p in problems if p.field == "quote"}
    return [p for p in problems if not (checks.NOT_STATED in p.message and (p.file, p.row) in rows)]


def _size(file: Path) -> int:
    try:
        return file.stat().st_size if file.is_file() else 0
    except OSError:
        return 0


def _check_quotes(report: Report, descriptor_path: Path, archive: str | os.PathLike | None) -> None:
    archive_path = Path(archive) if archive is not None else default_archive(descriptor_path)
    if not archive_path.is_dir():
        what = "is not a folder" if archive_path.exists() else "does not exist"
        report.problems.append(Problem(str(archive_path), None, None,
                                       f"source archive {what}: quotes cannot be checked (pass --archive PATH to"
                                       f" the folder holding INDEX.csv, core/ and library/)"))
    elif "sources" in report.frames:
        files = Archive(archive_path)  # each archived file read once for all three checks
        report.problems += check_quotes(report.frames, files)
        report.problems += check_archive_credits(report.frames, files)
        report.problems += check_shared_file_dates(report.frames, files)


def _unsealed(descriptor: dict, name: str) -> list[Problem]:
    """A resource without `hash` or `bytes` could change unnoticed: their absence is a problem, not a skip."""
    return [Problem(name, None, f"{r['name']}.{key}", f"resource has no {key}; run `nkdigital refresh` to record it")
            for r in descriptor["resources"]
            for key in [next((k for k in ("hash", "bytes") if k not in r), None)] if key]


def _not_covered(theirs: list[Problem], ours: list[Problem]) -> list[Problem]:
    """Frictionless problems in a cell or row our reader has already reported are the same problem again."""
    cells = {(p.file, p.row, p.field) for p in ours}
    rows = {(p.file, p.row) for p in ours if p.field is None}
    return [p for p in theirs if (p.file, p.row, p.field) not in cells and (p.file, p.row) not in rows]


def _one_per_cell(problems: list[Problem]) -> list[Problem]:
    """The first problem found in each cell (or row, or file): fix it and validate again to see any other."""
    first: dict[tuple, Problem] = {}
    for problem in problems:
        first.setdefault((problem.file, problem.row, problem.field), problem)
    return list(first.values())


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
        problems += checks.check_stated_figures(frame, label)
        problems += check_dates(frame, label, today)
        problems += checks.check_sorted(frame, label, key)
        problems += check_quote_lengths(frame, label)
    problems += checks.check_unique_ids({n: f for n, f in frames.items() if n != "sources"}, keys)
    problems += checks.check_derived(frames)
    problems += checks.check_sources_used(frames)
    problems += check_provenance(frames)
    problems += check_strength_claims(frames)
    problems += check_urls(frames)
    problems += check_creators(frames)
    problems += checks.check_indicators(frames)
    problems += check_event_dates(frames)
    problems += check_one_account_per_source(frames)
    problems += check_laws(frames)
    problems += check_share_of(frames)
    problems += check_network_records(frames)
    return problems


def frictionless_problems(descriptor_path: Path, check_hashes: bool = True, *, skip: Collection[str] = (),
                          descriptor: dict | None = None) -> list[Problem]:
    """Run frictionless on the package and translate its errors into located, plain-word problems.

    `skip` names resource paths our reader found unusable: frictionless never opens them (one may be a FIFO), and
    foreign keys into them are dropped. Frictionless never sees a `pattern` either: it would run it on Python's
    backtracking engine; our reader checks patterns on RE2.
    """
    import frictionless

    readable = _for_frictionless(descriptor or read_descriptor(descriptor_path), skip)
    if not readable["resources"]:
        return []
    try:
        package = frictionless.Package(readable, basepath=str(descriptor_path.parent))
        report = package.validate(checklist=None if check_hashes else _skip_hashes())
        fields = {r.name: [f.name for f in r.schema.fields] for r in package.resources}
        keys = {r.name: r.schema.primary_key for r in package.resources}
        problems = [Problem(descriptor_path.name, None, None, e.message) for e in report.errors]
        for task in report.tasks:
            label = os.path.relpath(task.place, descriptor_path.parent) if os.path.isabs(task.place) else task.place
            for error in task.errors:
                problems.append(_translate(error, label, fields.get(task.name, []), keys.get(task.name, [])))
    except frictionless.FrictionlessException as error:
        return [Problem(descriptor_path.name, None, None, error.error.message)]
    except Exception as error:  # a third-party reader failing on odd input is still only a problem to report
        return [Problem(descriptor_path.name, None, None, f"frictionless cannot read the package: {error}")]
    return problems


def _for_frictionless(descriptor: dict, skip: Collection[str]) -> dict:
    """A copy of `descriptor` without the resources in `skip`, foreign keys into them, and patterns."""
    kept = [r for r in descriptor["resources"] if r["path"] not in skip]
    names = {r["name"] for r in kept}
    resources = []
    for resource in kept:
        fields = [{**f, "constraints": {k: v for k, v in f.get("constraints", {}).items() if k != "pattern"}}
                  for f in resource["schema"]["fields"]]
        keys = [k for k in resource["schema"].get("foreignKeys", []) if k["reference"]["resource"] in names]
        resources.append({**resource, "schema": {**resource["schema"], "fields": fields, "foreignKeys": keys}})
    return {**descriptor, "resources": resources}


def _skip_hashes():
    import frictionless

    return frictionless.Checklist(skip_errors=["hash-count", "byte-count"])


_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"', re.DOTALL)


def _translate(error, label: str, fields: Sequence[str] = (), key: Sequence[str] = ()) -> Problem:
    kind = error.type
    row = getattr(error, "row_number", None)
    field_name = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "") or ""
    if kind in ("hash-count", "byte-count"):
        return Problem(label, None, None, HASH_CHANGED)
    if kind in ("primary-key", "unique-error"):
        if kind == "primary-key" and key and key[0] in fields:
            position = fields.index(key[0])
            field_name, cell = key[0], error.cells[position] if position < len(error.cells) else ""
        other = re.search(r"position (\d+)", note)
        where = f"row {other.group(1)}" if other else "another row"
        return Problem(label, row, field_name, f"{shown(cell)} is also in {where}; {field_name} must be unique")
    if kind == "foreign-key":
        name, value = error.field_names[0], error.field_cells[0]
        return Problem(label, row, name, f"{name} {shown(value)} is not in {error.reference_name or 'this resource'}")
    if kind == "constraint-error":
        return Problem(label, row, field_name, _constraint_message(shown(cell), note))
    if kind == "type-error":
        return Problem(label, row, field_name, f"{shown(cell)} is not a valid {note or 'value'}")
    return Problem(label, row, field_name, error.message)


def _constraint_message(cell: str, note: str) -> str:
    match = _CONSTRAINT.search(note)
    constraint, limit = match.groups() if match else ("", note)
    messages = {  # no `pattern`: frictionless never sees one (see `_for_frictionless`)
        "minimum": f"{cell} is below the minimum {limit}",
        "maximum": f"{cell} is above the maximum {limit}",
        "minLength": f"{cell} is shorter than {limit} characters",
        "maxLength": f"{cell} is longer than {limit} characters",
        "required": "required value is empty",
        "enum": f"{cell} is not one of: {limit}",
    }
    return messages.get(constraint, f"{cell} breaks the constraint {note}")
