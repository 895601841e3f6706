"""Derived rows: they name their inputs, never compute from themselves, and their bounds recompute from them."""

from __future__ import annotations

import math

import numpy as np

from nkdigital.checking import columns
from nkdigital.checking.checks import BOUNDS, _filled, _is, _present, _rows_where, _within
from nkdigital.core.errors import Problem
from nkdigital.core.formula import check_size, evaluate, references
from nkdigital.metadata.units import COUNT_UNITS


def check_derived(tables: dict) -> list[Problem]:
    """Derived rows name their inputs, never compute from themselves, and their bounds recompute from the inputs.

    A cycle of derived rows is one problem, at the first of its rows; its rows get no other derived-row check.
    Only derived rows, rows with a formula or input_ids, and the rows they name are looked at.
    """
    own_rows, wanted = {}, set()
    for name, table in tables.items():
        if columns.has(table, *BOUNDS, "claim_type", "formula", "input_ids", "unit"):
            derived = _is(table, "claim_type", "derived")
            chosen = derived | _filled(table, "formula") | _filled(table, "input_ids")
            own_rows[name] = columns.label(name, table), np.flatnonzero(chosen), _rows_where(table, chosen)
            wanted.update(row[table.column_names[0]] for row in own_rows[name][2])
            wanted.update(i for row in _rows_where(table, derived, ["input_ids"]) if row["input_ids"] is not None
                          for i in row["input_ids"].split())
    rows = {}
    for table in tables.values():
        if columns.has(table, *BOUNDS):
            key = table.column_names[0]
            rows.update({row[key]: row for row in _rows_where(table, _within(table, key, wanted))})
    problems, in_cycles = [], set()
    for name, (label, at, records) in own_rows.items():
        key = tables[name].column_names[0]
        for position, row in zip(at, records, strict=True):
            own = row[key]
            if own in in_cycles:
                continue
            cycle = _cycle(own, rows)
            if cycle:
                in_cycles.update(cycle)
                where = "its own row" if len(cycle) == 1 else "its own row through " + " -> ".join([*cycle, own])
                problems.append(Problem(label, columns.row(position), "formula", f"formula refers to {where}"))
            else:
                problems += _derived_row_problems(row, rows, label, columns.row(position))
    return problems


def _inputs(row: dict) -> list[str]:
    cell = row.get("input_ids")
    return cell.split() if row.get("claim_type") == "derived" and _present(cell) else []


def _cycle(own: str, rows: dict) -> list[str]:
    """The ids on a path of derived-row inputs from `own` back to itself (starting with `own`), or []."""
    parents: dict[str, str] = {}
    pending = [(i, own) for i in _inputs(rows.get(own, {}))]
    while pending:
        current, parent = pending.pop()
        if current == own:
            chain = [parent]
            while chain[-1] != own:
                chain.append(parents[chain[-1]])
            return list(reversed(chain))
        if current in parents or current not in rows:
            continue
        parents[current] = parent
        pending += [(i, current) for i in _inputs(rows[current])]
    return []


def _derived_row_problems(row: dict, rows: dict, label: str, r: int) -> list[Problem]:
    derived = row["claim_type"] == "derived"
    formula = row["formula"] if _present(row["formula"]) else ""
    inputs = row["input_ids"].split(" ") if _present(row["input_ids"]) else []
    if not derived:
        if formula or inputs:
            return [Problem(label, r, "formula", "formula and input_ids belong only to derived rows")]
        return []
    if not formula or not inputs:
        return [Problem(label, r, "formula", "a derived row needs a formula and input_ids")]
    try:
        check_size(formula)
    except ValueError as error:
        return [Problem(label, r, "formula", str(error))]
    if sorted(references(formula)) != sorted(inputs):
        return [Problem(label, r, "input_ids", "input_ids must list exactly the ids in the formula")]
    missing = [i for i in inputs if i not in rows]
    if missing:
        return [Problem(label, r, "input_ids", f"input row '{missing[0]}' does not exist")]
    problems = []
    for bound in BOUNDS:
        if not _present(row[bound]):
            continue
        values = {}
        for i in inputs:
            source = rows[i]
            own = source[bound] if _present(source[bound]) else source["value"]
            if not _present(own):
                return [Problem(label, r, bound, f"input '{i}' has no {bound} or value to compute from")]
            values[i] = float(own)
        try:
            expected = evaluate(formula, values)
        except (ValueError, ZeroDivisionError) as error:
            return [Problem(label, r, "formula", str(error))]
        except RecursionError:
            return [Problem(label, r, "formula", "formula is too long to evaluate")]
        if not math.isfinite(expected):
            return [Problem(label, r, "formula", f"formula gives {expected:g}, not a number")]
        if row["unit"] in COUNT_UNITS:
            expected = round(expected)
        if not math.isclose(float(row[bound]), expected, rel_tol=1e-3, abs_tol=1e-9):
            problems.append(Problem(label, r, bound, f"{row[bound]:g} does not recompute: formula gives {expected:g}"))
    return problems
