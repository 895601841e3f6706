"""Full validation: the descriptor, every file read column by column (types, constraints, keys, foreign keys,
hashes), then our own checks (logic, quotes).

Malformed input of any kind ends up as located problems in the report, never as another exception.

No frictionless: our descriptor reader checks the shape the code relies on and `reading.profile` the rest of
the metadata (titles, licenses, contributors, keywords, dates) against the Data Package profile's types; our
column-wise reader (`reading.table`) and `checking.integrity` apply every rule of the Table Schema the package uses
(types, required, enum, pattern, limits, lengths, keys, foreign keys, hashes). Running frictionless's row-by-row
pass after our reader made validate 1.5 times `frictionless validate` at a hundred times the rows; importing it only
to check the descriptor still cost 0.45 s of CPU, a third of validating the bundled package, which left validate at
1.4-1.54 times `frictionless validate` against the budget of 1.5 (issue 25). The tests still validate the shipped
package with frictionless (tests/test_datapackage.py).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from nkdigital.checking import checks
from nkdigital.checking.credit_checks import (
    check_archive_credits,
    check_creators,
    check_shared_file_dates,
    check_strength_claims,
    check_urls,
)
from nkdigital.checking.date_checks import check_dates
from nkdigital.checking.derived import check_derived
from nkdigital.checking.event_dates import check_event_dates, check_one_account_per_source
from nkdigital.checking.integrity import HASH_CHANGED
from nkdigital.checking.law_checks import check_laws
from nkdigital.checking.network import check_network_records
from nkdigital.checking.provenance import check_provenance
from nkdigital.checking.quotes import Archive, check_quote_lengths, check_quotes
from nkdigital.checking.resources import integrity_problems, read_tables
from nkdigital.checking.tier_checks import check_share_of
from nkdigital.core.errors import PackageError, Problem, sort_problems
from nkdigital.core.paths import default_archive, resolve_descriptor
from nkdigital.reading.descriptor import read_descriptor
from nkdigital.reading.profile import metadata_problems

SKIPPED = ("logic checks (bounds, dates, derived rows, ids, source use) and quotes"
           " wait until the problems listed are fixed")


@dataclass
class Report:
    """Outcome of validation: the problems found, notes on what could not be checked, and the resources read
    (`tables`: name to pyarrow Table, see :mod:`nkdigital.checking.columns`; without the free-text columns no check
    reads unless validation was asked for whole tables, see :func:`validate`)."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: dict = field(default_factory=dict, repr=False)

    @property
    def valid(self) -> bool:
        return not self.problems


def validate(
    path: str | os.PathLike | None = None,
    archive: str | os.PathLike | None = None,
    *,
    check_hashes: bool = True,
    today: dt.date | None = None,
    whole_tables: bool = False,
) -> Report:
    """Validate the package at `path` (default: the bundled one) against schema, keys, hashes, quotes and logic.

    Once the reader has checked their cells, the report's tables leave out the free text no check reads and keep
    only the cells of remarks a check reads (see :func:`nkdigital.checking.resources.prunable`; notes and
    descriptions take about a third of a large package's memory), unless `whole_tables` asks for every column.

    Stages: the descriptor (its shape, then its metadata); then every file and cell (our reader,
    then limits, keys, foreign keys and hashes column by column); then, only if those hold (a changed hash aside),
    logic and quotes. At most one problem per cell, and none that merely follows from another, so each careless
    edit shows up exactly once.
    """
    descriptor_path = resolve_descriptor(path)
    report = Report()
    try:
        descriptor = read_descriptor(descriptor_path)
    except PackageError as error:
        report.problems = error.problems
        return report
    base = descriptor_path.parent
    sealed: dict[str, tuple] | None = {} if check_hashes else None  # each file's size and digest, as read
    report.problems += read_tables(descriptor, base, report.tables, sealed, prune=not whole_tables)
    if check_hashes:
        report.problems += _unsealed(descriptor, descriptor_path.name)
    report.problems += metadata_problems(descriptor, descriptor_path.name)
    refused = {(p.file, p.row, p.field) for p in report.problems if p.row}
    report.problems += _not_covered(integrity_problems(descriptor, base, report.tables, sealed, refused),
                                    report.problems)
    if any(p.message != HASH_CHANGED for p in report.problems):
        report.notes.append(SKIPPED)
    else:
        report.problems += logic_problems(descriptor, report.tables, today or dt.date.today())
        _check_quotes(report, descriptor_path, archive, report.tables)
    report.problems = sort_problems(_one_per_cell(_not_following_a_quote(report.problems)))
    return report


_VALID: set[str] = set()  # content keys validated in this process


def validated(path: str | os.PathLike | None = None, archive: str | os.PathLike | None = None) -> Report:
    """Validate the package at `path` against `archive` once per content; PackageError if it is invalid.

    A valid verdict is remembered in this process and on disk (`$XDG_CACHE_HOME/nkdigital/validated/`), keyed by
    the SHA-256 of the descriptor, every resource file, every archive file and our code
    (:func:`nkdigital.checking.content.content_key`): any changed byte validates again. Only valid verdicts are
    kept, so a problem is always reported afresh. The report's `tables` are empty when the verdict came from the cache.
    """
    from nkdigital.checking import content

    descriptor_path = resolve_descriptor(path)
    archive_path = Path(archive) if archive is not None else default_archive(descriptor_path)
    before = content.stamp(descriptor_path, archive_path)
    key = content.content_key(descriptor_path, archive_path)
    if key is not None and (key in _VALID or content.remembered(key)):
        _VALID.add(key)
        return Report()
    report = validate(descriptor_path, archive_path, whole_tables=True)  # `load` builds its frames from them
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


def _check_quotes(report: Report, descriptor_path: Path, archive: str | os.PathLike | None, tables: dict) -> None:
    archive_path = Path(archive) if archive is not None else default_archive(descriptor_path)
    if not archive_path.is_dir():
        what = "is not a folder" if archive_path.exists() else "does not exist"
        report.problems.append(Problem(str(archive_path), None, None,
                                       f"source archive {what}: quotes cannot be checked (pass --archive PATH to"
                                       f" the folder holding INDEX.csv, core/ and library/)"))
    elif "sources" in tables:
        files = Archive(archive_path)  # each archived file read once for all three checks
        report.problems += check_quotes(tables, files)
        report.problems += check_archive_credits(tables, files)
        report.problems += check_shared_file_dates(tables, files)


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


def logic_problems(descriptor: dict, tables: dict, today: dt.date) -> list[Problem]:
    keys = {}
    problems = []
    for resource in descriptor["resources"]:
        name, label = resource["name"], resource["path"]
        if name not in tables:
            continue
        key = resource["schema"].get("primaryKey") or [resource["schema"]["fields"][0]["name"]]
        keys[name] = key[0]
        table = tables[name]
        problems += checks.check_quantities(table, label)
        problems += checks.check_stated_figures(table, label)
        problems += check_dates(table, label, today)
        problems += checks.check_sorted(table, label, key)
        problems += check_quote_lengths(table, label)
    problems += checks.check_unique_ids({n: t for n, t in tables.items() if n != "sources"}, keys)
    problems += check_derived(tables)
    problems += checks.check_sources_used(tables)
    problems += check_provenance(tables)
    problems += check_strength_claims(tables)
    problems += check_urls(tables)
    problems += check_creators(tables)
    problems += checks.check_indicators(tables)
    problems += check_event_dates(tables)
    problems += check_one_account_per_source(tables)
    problems += check_laws(tables)
    problems += check_share_of(tables)
    problems += check_network_records(tables)
    return problems
