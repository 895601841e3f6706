"""The first stage of validation, which needs no pandas: every resource file read into a typed pyarrow Table
(`reading.table`), with its size and digest as read, then the integrity rules on those tables (`checking.integrity`:
limits, keys, foreign keys, hashes)."""

from __future__ import annotations

import functools
from collections.abc import Collection
from pathlib import Path

from nkdigital.checking.integrity import (
    RawCells,
    foreign_key_problems,
    hash_problem,
    key_problems,
    limit_problems,
)
from nkdigital.core.errors import Problem
from nkdigital.core.limits import MAX_PACKAGE_BYTES, megabytes
from nkdigital.reading.table import read_table


def read_tables(descriptor: dict, base: Path, tables: dict, sealed: dict[str, tuple] | None = None) -> list[Problem]:
    """Read every resource into `tables` (a file that cannot be used stays out) and return the reader's problems;
    the size and digest of each file's bytes go into `sealed` (if given), hashed as they are read."""
    problems, total = [], 0
    for resource in descriptor["resources"]:
        total += _size(base / resource["path"])
        if total > MAX_PACKAGE_BYTES:
            problems.append(Problem(resource["path"], None, None, "the package's files together exceed"
                                    f" {megabytes(MAX_PACKAGE_BYTES)}; this file was not read"))
            continue
        seen = None if sealed is None else functools.partial(_seal, sealed, resource)
        table, found = read_table(base, resource, seen)
        problems += found
        if table is not None:
            tables[resource["name"]] = table
    return problems


def _seal(sealed: dict[str, tuple], resource: dict, seal: tuple) -> None:
    sealed[resource["name"]] = seal


def integrity_problems(descriptor: dict, base: Path, tables: dict, sealed: dict[str, tuple] | None = None,
                       refused: Collection[tuple] = ()) -> list[Problem]:
    """Limits, keys, foreign keys and (given `sealed`, see `read_tables`) recorded hashes of every resource read
    into `tables`; `refused` locates the rows and cells (file, row, field) the reader refused."""
    usable = [r for r in descriptor["resources"] if r["name"] in tables]
    raws = {r["name"]: RawCells(base / r["path"]) for r in usable}
    problems = []
    for resource in usable:
        table, raw = tables[resource["name"]], raws[resource["name"]]
        problems += limit_problems(table, resource, raw)
        problems += key_problems(table, resource, raw)
        if sealed is not None and resource["name"] in sealed:
            problems += filter(None, [hash_problem(sealed[resource["name"]], resource)])
    for resource in usable:
        problems += foreign_key_problems(tables, resource, raws[resource["name"]], refused, raws)
    return problems


def _size(file: Path) -> int:
    try:
        return file.stat().st_size if file.is_file() else 0
    except OSError:
        return 0
