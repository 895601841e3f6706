"""Checks frictionless cannot express: bounds, dates, precision, ids, derived rows, source use, stated figures."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from nkdigital.core.errors import Problem
from nkdigital.core.formula import check_size, evaluate, references
from nkdigital.metadata.roles import ROLES
from nkdigital.metadata.units import COUNT_UNITS
from nkdigital.reading import figures as reading

BOUNDS = ROLES["figure"]
STATISTIC = "international_statistic"  # published aggregates keep their decimals, e.g. the world's subscriptions
NOT_STATED = "is not a figure the quote states"


def _row(index: int) -> int:
    return int(index) + 2  # header is row 1


def _label(name: str, frame: pd.DataFrame) -> str:
    return frame.attrs.get("path", f"data/{name}.csv")


def _rows(frame: pd.DataFrame) -> zip:
    """(index, row as a dict) pairs: much faster than `iterrows`, and cells keep their own types."""
    return zip(frame.index, frame.to_dict("records"), strict=True)


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value)


def check_quantities(frame: pd.DataFrame, label: str) -> list[Problem]:
    """low <= value <= high, qualifier and unit consistent with the bounds, counts whole, shares in 0-1.

    A row whose bounds are out of order gets that one problem, not also a complaint about its qualifier.
    """
    if not {*BOUNDS, "qualifier", "unit"} <= set(frame.columns):
        return []
    problems = []
    for index, row in _rows(frame):
        r = _row(index)
        value, low, high = (row[b] if _present(row[b]) else None for b in BOUNDS)
        qualifier = row["qualifier"] if _present(row["qualifier"]) else None
        unit = row["unit"] if _present(row["unit"]) else None
        order = []
        if low is not None and high is not None and low > high:
            order.append(Problem(label, r, "low", f"low {low:g} is greater than high {high:g}"))
        if value is not None and low is not None and value < low:
            order.append(Problem(label, r, "value", f"value {value:g} is below low {low:g}"))
        if value is not None and high is not None and value > high:
            order.append(Problem(label, r, "value", f"value {value:g} is above high {high:g}"))
        problems += order
        has_quantity = any(b is not None for b in (value, low, high))
        if has_quantity and (unit is None or qualifier is None):
            missing = "unit" if unit is None else "qualifier"
            problems.append(Problem(label, r, missing, f"a figure is given, so {missing} is required"))
        rule = {
            "range": (value is None and low is not None and high is not None,
                      "qualifier range needs low and high and an empty value"),
            "at_least": (value is not None and low == value, "qualifier at_least needs value equal to low"),
            "up_to": (value is not None and high == value, "qualifier up_to needs value equal to high"),
            "exact": (value is not None, "qualifier exact needs a value"),
            "about": (value is not None, "qualifier about needs a value"),
        }.get(qualifier)
        if rule and not rule[0] and not order:
            problems.append(Problem(label, r, "qualifier", rule[1]))
        for name, bound in zip(BOUNDS, (value, low, high), strict=True):
            if bound is None:
                continue
            if unit in COUNT_UNITS and bound != math.floor(bound) and row.get("claim_type") != STATISTIC:
                problems.append(Problem(label, r, name, f"{bound:g} {unit} is not a whole number"))
            if unit == "share" and not 0 <= bound <= 1:
                problems.append(Problem(label, r, name, f"share {bound:g} is outside 0-1"))
    return problems


def check_dates(frame: pd.DataFrame, label: str, today: dt.date) -> list[Problem]:
    """No date in the future; each date agrees with its precision column."""
    problems = []
    for column in [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]:
        precision_column = f"{column}_precision"
        for index, stamp in frame[column].items():
            r = _row(index)
            precision = frame[precision_column][index] if precision_column in frame else None
            has_precision = _present(precision)
            if not _present(stamp):
                if has_precision:
                    problems.append(Problem(label, r, precision_column, "precision given without a date"))
                continue
            day = stamp.date()
            if day > today:
                problems.append(Problem(label, r, column, f"{day} is in the future"))
            if precision_column in frame and not has_precision:
                problems.append(Problem(label, r, precision_column, "a date needs its precision"))
            elif precision == "month" and day.day != 1:
                problems.append(Problem(label, r, column, f"{day} has month precision, so the day must be 01"))
            elif precision == "year" and (day.month, day.day) != (1, 1):
                problems.append(Problem(label, r, column, f"{day} has year precision, so it must be YYYY-01-01"))
            problems += _range_end_problems(frame, label, index, column, precision)
    return problems


def _range_end_problems(frame: pd.DataFrame, label: str, index, column: str, precision: object) -> list[Problem]:
    """A `range` precision needs the period's last day in `<column>_end`, on or after the date; others leave it
    empty."""
    end_column = f"{column}_end"
    if end_column not in frame:
        return []
    end = frame[end_column][index]
    r = _row(index)
    if precision == "range":
        if not _present(end):
            return [Problem(label, r, end_column, "range precision needs the last day of the range")]
        if end < frame[column][index]:
            return [Problem(label, r, end_column, f"{end.date()} is before {frame[column][index].date()}")]
    elif _present(end):
        return [Problem(label, r, end_column, f"only a range precision has an end date, not {precision}")]
    return []


def check_unique_ids(frames: dict[str, pd.DataFrame], keys: dict[str, str]) -> list[Problem]:
    """Row ids are unique across resources, so formulas can name any row."""
    seen: dict[str, str] = {}
    problems = []
    for name, frame in frames.items():
        key = keys[name]
        for index, identifier in frame[key].items():
            if not _present(identifier):
                continue
            if identifier in seen and seen[identifier] != name:
                problems.append(Problem(_label(name, frame), _row(index), key,
                                        f"id '{identifier}' is also used in {seen[identifier]}"))
            seen.setdefault(identifier, name)
    return problems


def check_derived(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Derived rows name their inputs, never compute from themselves, and their bounds recompute from the inputs.

    A cycle of derived rows is one problem, at the first of its rows; its rows get no other derived-row check.
    """
    rows = {}
    for frame in frames.values():
        if set(BOUNDS) <= set(frame.columns):
            key = frame.columns[0]
            rows.update({row[key]: row for _, row in _rows(frame)})
    problems, in_cycles = [], set()
    for name, frame in frames.items():
        if not {*BOUNDS, "claim_type", "formula", "input_ids", "unit"} <= set(frame.columns):
            continue
        label = _label(name, frame)
        for index, row in _rows(frame):
            own = row[frame.columns[0]]
            if own in in_cycles:
                continue
            cycle = _cycle(own, rows)
            if cycle:
                in_cycles.update(cycle)
                where = "its own row" if len(cycle) == 1 else "its own row through " + " -> ".join([*cycle, own])
                problems.append(Problem(label, _row(index), "formula", f"formula refers to {where}"))
            else:
                problems += _derived_row_problems(row, rows, label, _row(index))
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


def check_sources_used(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every source row is cited by at least one row that states a claim (its copies and creators do not count)."""
    used = set()
    for name, frame in frames.items():
        if name not in ("sources", "source_copies", "creators") and "source_id" in frame:
            used.update(frame["source_id"].dropna())
    sources = frames.get("sources")
    if sources is None or "source_id" not in sources:
        return []
    return [
        Problem(_label("sources", sources), _row(index), "source_id", f"source '{sid}' is not used by any row")
        for index, sid in sources["source_id"].items()
        if _present(sid) and sid not in used
    ]


def check_sorted(frame: pd.DataFrame, label: str, key: list[str]) -> list[Problem]:
    """Rows are sorted by primary key, so diffs stay small (`nkdigital refresh` sorts them)."""
    values = [tuple(str(v) for v in row) for row in frame[key].itertuples(index=False)]
    for i in range(1, len(values)):
        if values[i] < values[i - 1]:
            return [Problem(label, i + 2, key[0], "rows are not sorted by the primary key; run `nkdigital refresh`")]
    return []


def check_indicators(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Each observation's unit is its indicator's unit and its claim type one the indicator takes."""
    indicators, observations = frames.get("indicators"), frames.get("observations")
    if indicators is None or observations is None:
        return []
    defined = {row["indicator"]: row for _, row in _rows(indicators)}
    label = _label("observations", observations)
    problems = []
    for index, row in _rows(observations):
        indicator = defined.get(row["indicator"])
        if indicator is None:
            continue  # a dangling foreign key, reported by frictionless
        if _present(row["unit"]) and row["unit"] != indicator["unit"]:
            problems.append(Problem(label, _row(index), "unit",
                                    f"{row['unit']} is not the unit of {row['indicator']} ({indicator['unit']})"))
        if row["claim_type"] not in str(indicator["claim_types"]).split():
            problems.append(Problem(label, _row(index), "claim_type",
                                    f"{row['claim_type']} is not a claim type {row['indicator']} takes"))
    return problems


def check_stated_figures(frame: pd.DataFrame, label: str) -> list[Problem]:
    """Each bound of a non-derived row is a figure its quote states, read by the reading rules (where the row's
    phrase occurs in the quote, from that part); rows with a formula are derived and recompute instead."""
    if not {*BOUNDS, "quote", "unit"} <= set(frame.columns):
        return []
    problems = []
    for index, row in _rows(frame):
        bounds = [(b, float(row[b])) for b in BOUNDS if _present(row[b])]
        if not bounds or not _present(row["quote"]) or row.get("claim_type") == "derived" \
                or _present(row.get("formula")):
            continue
        unit = row["unit"] if _present(row["unit"]) else None
        phrase = row["phrase"] if _present(row.get("phrase")) else None
        figures = reading.stated(row["quote"], unit, phrase)
        for name, bound in bounds:
            if not any(reading.matches(bound, f) for f in figures):
                states = ", ".join(dict.fromkeys(_number(f.value) for f in figures))
                states = f"it states {states}" if states else f"it states no figure in unit {unit}"
                problems.append(Problem(label, _row(index), name,
                                        f"{_number(bound)} {NOT_STATED} ({states})"))
    return problems


def _number(value: float) -> str:
    return f"{value:.12g}"
