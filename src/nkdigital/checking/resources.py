"""The first stage of validation, which needs no pandas: every resource file read into a typed pyarrow Table
(`reading.table`), with its size and digest as read, then the integrity rules on those tables (`checking.integrity`:
limits, keys, foreign keys, hashes)."""

from __future__ import annotations

import functools
from collections.abc import Collection
from pathlib import Path

from nkdigital.checking.credit_checks import MAY_CLAIM_WEAK
from nkdigital.checking.integrity import (
    RawCells,
    foreign_key_problems,
    hash_problem,
    key_problems,
    limit_problems,
)
from nkdigital.core.errors import Problem
from nkdigital.core.limits import MAX_FILE_BYTES, MAX_PACKAGE_BYTES, megabytes
from nkdigital.metadata.roles import ROLES
from nkdigital.reading.table import read_table

# columns validation checks cell by cell, then lets go (issue 25: notes and descriptions are half the bytes of a
# large resource): the `free_text` role, left out of its tables (a check that asks for one fails loudly, see
# `columns.has`), and the remarks (notes, strength reasons), which `check_strength_claims` alone reads, and only where
# they may call a source weak: those cells are kept (see `nkdigital.reading.arrow_table.kept`). Only plain text with
# no length rule and no part in a key is let go (see `prunable`).
THINNED = dict.fromkeys(ROLES["remark"], MAY_CLAIM_WEAK)
_RULES_READ_LATER = ("minLength", "maxLength", "enum", "unique")  # checked on the table, after reading


def prunable(descriptor: dict) -> dict[str, dict[str, str | None]]:
    """Per resource, the fields validation reads and checks, then need not keep whole: those of the `free_text` role
    (None: left out) or THINNED (the cells to keep) that are text, with no length, enum or unique rule, in no primary
    key and at neither end of a foreign key."""
    keyed = {r["name"]: set(r["schema"].get("primaryKey", [])) for r in descriptor["resources"]}
    for resource in descriptor["resources"]:
        for key in resource["schema"].get("foreignKeys", []):  # lists of names (see reading.descriptor)
            keyed[resource["name"]].update(key["fields"])
            keyed.setdefault(key["reference"]["resource"], set()).update(key["reference"]["fields"])
    let_go = {*ROLES["free_text"], *THINNED}
    return {r["name"]: {f["name"]: THINNED.get(f["name"]) for f in r["schema"]["fields"]
                        if f["name"] in let_go and f["name"] not in keyed[r["name"]]
                        and f.get("type", "string") == "string"
                        and not set(_RULES_READ_LATER) & set(f.get("constraints", {}))}
            for r in descriptor["resources"]}


def read_tables(descriptor: dict, base: Path, tables: dict, sealed: dict[str, tuple] | None = None, *,
                prune: bool = False) -> list[Problem]:
    """Read every resource into `tables` (a file that cannot be used stays out) and return the reader's problems;
    the size and digest of each file's bytes go into `sealed` (if given), hashed as they are read. With `prune`,
    each table thins or leaves out the columns :func:`prunable` names, once the reader has checked them."""
    problems, total = [], 0
    pruned = prunable(descriptor) if prune else {}
    for resource in descriptor["resources"]:
        size = _size(base / resource["path"])
        total += size if size <= MAX_FILE_BYTES else 0  # a larger file is refused on its own, with its size
        if total > MAX_PACKAGE_BYTES and size <= MAX_FILE_BYTES:
            problems.append(Problem(resource["path"], None, None, "the package's files together exceed"
                                    f" {megabytes(MAX_PACKAGE_BYTES)}; this file was not read"))
            continue
        seen = None if sealed is None else functools.partial(_seal, sealed, resource)
        table, found = read_table(base, resource, seen, pruned.get(resource["name"]))
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
