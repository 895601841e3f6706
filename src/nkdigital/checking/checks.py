"""Checks a Table Schema cannot express: bounds, ids, derived rows, source use, stated figures (dates: date_checks)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
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


def _mask(series: pd.Series) -> np.ndarray:
    """A boolean column as a numpy mask, missing as False."""
    return np.array(series.to_numpy(dtype=bool, na_value=False), dtype=bool)


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A number column as floats, missing as NaN (so every comparison with a missing bound is False)."""
    return pd.to_numeric(frame[column].astype(object), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _texts(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A text or enum column as an object array, missing as None."""
    return frame[column].astype(object).where(frame[column].notna(), None).to_numpy()


def _flagged(label: str, frame: pd.DataFrame, mask: np.ndarray, field: str | Callable, message: Callable) -> list:
    """One problem in `field` (or `field(position)`) for each row `mask` flags, its message `message(position)`."""
    return [Problem(label, _row(frame.index[p]), field(p) if callable(field) else field, message(p))
            for p in np.flatnonzero(mask)]


def _by_row(problems: list[Problem]) -> list[Problem]:
    """Problems in row order, those of one row in the order their rules were applied (a stable sort)."""
    return sorted(problems, key=lambda p: p.row)


def check_quantities(frame: pd.DataFrame, label: str) -> list[Problem]:
    """low <= value <= high, qualifier and unit consistent with the bounds, counts whole, shares in 0-1.

    A row whose bounds are out of order gets that one problem, not also a complaint about its qualifier.
    """
    if not {*BOUNDS, "qualifier", "unit"} <= set(frame.columns):
        return []
    bounds = {b: _floats(frame, b) for b in BOUNDS}
    value, low, high = bounds.values()
    has = {b: ~np.isnan(s) for b, s in bounds.items()}
    unit, qualifier = _texts(frame, "unit"), _texts(frame, "qualifier")
    has_unit, has_qualifier = unit != None, qualifier != None  # noqa: E711 (element-wise)
    low_above, below, above = low > high, value < low, value > high
    number = {b: (lambda i, b=b: f"{bounds[b][i]:g}") for b in BOUNDS}
    problems = _flagged(label, frame, low_above, "low", lambda i: f"low {number['low'](i)} is greater than high"
                        f" {number['high'](i)}")
    problems += _flagged(label, frame, below, "value", lambda i: f"value {number['value'](i)} is below low"
                         f" {number['low'](i)}")
    problems += _flagged(label, frame, above, "value", lambda i: f"value {number['value'](i)} is above high"
                         f" {number['high'](i)}")
    has_quantity = has["value"] | has["low"] | has["high"]
    problems += _flagged(label, frame, has_quantity & ~(has_unit & has_qualifier),
                         lambda i: "unit" if unit[i] is None else "qualifier",
                         lambda i: f"a figure is given, so {'unit' if unit[i] is None else 'qualifier'} is required")
    in_order = ~(low_above | below | above)
    rules = {
        "range": (~has["value"] & has["low"] & has["high"], "qualifier range needs low and high and an empty value"),
        "at_least": (has["value"] & (low == value), "qualifier at_least needs value equal to low"),
        "up_to": (has["value"] & (high == value), "qualifier up_to needs value equal to high"),
        "exact": (has["value"], "qualifier exact needs a value"),
        "about": (has["value"], "qualifier about needs a value"),
    }
    broken = np.zeros(len(frame), dtype=bool)
    for name, (holds, _) in rules.items():
        broken |= (qualifier == name) & ~holds
    problems += _flagged(label, frame, broken & in_order, "qualifier", lambda i: rules[qualifier[i]][1])
    counted = _mask(frame["unit"].isin(COUNT_UNITS))
    if "claim_type" in frame:
        counted &= _texts(frame, "claim_type") != STATISTIC
    share = unit == "share"
    for name, bound in bounds.items():
        problems += _flagged(label, frame, has[name] & counted & (bound != np.floor(bound)), name,
                             lambda i, name=name: f"{number[name](i)} {unit[i]} is not a whole number")
        problems += _flagged(label, frame, has[name] & share & ~((bound >= 0) & (bound <= 1)), name,
                             lambda i, name=name: f"share {number[name](i)} is outside 0-1")
    return _by_row(problems)


def check_unique_ids(frames: dict[str, pd.DataFrame], keys: dict[str, str]) -> list[Problem]:
    """Row ids are unique across resources, so formulas can name any row."""
    parts = [pd.DataFrame({"name": name, "position": np.arange(len(frame)), "id": frame[keys[name]].astype(object)})
             for name, frame in frames.items()]
    if not parts:
        return []
    ids = pd.concat(parts, ignore_index=True)
    ids = ids[ids["id"].notna()]
    owner = ids.groupby("id", sort=False)["name"].transform("first")
    return [Problem(_label(name, frames[name]), _row(frames[name].index[position]), keys[name],
                    f"id '{identifier}' is also used in {first}")
            for name, position, identifier, first in zip(ids["name"], ids["position"], ids["id"], owner, strict=True)
            if name != first]


def check_derived(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Derived rows name their inputs, never compute from themselves, and their bounds recompute from the inputs.

    A cycle of derived rows is one problem, at the first of its rows; its rows get no other derived-row check.
    Only derived rows, rows with a formula or input_ids, and the rows they name are looked at.
    """
    own_rows, wanted = {}, set()
    for name, frame in frames.items():
        if {*BOUNDS, "claim_type", "formula", "input_ids", "unit"} <= set(frame.columns):
            derived = _mask(frame["claim_type"].astype(object) == "derived")
            chosen = derived | _mask(frame["formula"].notna()) | _mask(frame["input_ids"].notna())
            own_rows[name] = _label(name, frame), frame[chosen]
            wanted.update(frame.iloc[:, 0][chosen].dropna())
            wanted.update(i for cell in frame["input_ids"][derived].dropna() for i in cell.split())
    rows = {}
    for frame in frames.values():
        if set(BOUNDS) <= set(frame.columns):
            key = frame.columns[0]
            rows.update({row[key]: row for _, row in _rows(frame[_mask(frame[key].isin(wanted))])})
    problems, in_cycles = [], set()
    for label, frame in own_rows.values():
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
    if len(frame) < 2:
        return []
    columns = [np.array([str(v) for v in frame[k].tolist()], dtype=object) for k in key]
    before, tied = np.zeros(len(frame) - 1, dtype=bool), np.ones(len(frame) - 1, dtype=bool)
    for column in columns:  # tuples compared field by field, as Python compares them
        before |= tied & (column[1:] < column[:-1])
        tied &= column[1:] == column[:-1]
    if before.any():
        return [Problem(label, int(np.argmax(before)) + 3, key[0],
                        "rows are not sorted by the primary key; run `nkdigital refresh`")]
    return []


def check_indicators(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Each observation's unit is its indicator's unit and its claim type one the indicator takes."""
    indicators, observations = frames.get("indicators"), frames.get("observations")
    if indicators is None or observations is None:
        return []
    names = indicators["indicator"].tolist()
    units = dict(zip(names, indicators["unit"].tolist(), strict=True))
    takes = {(name, kind) for name, kinds in zip(names, indicators["claim_types"].tolist(), strict=True)
             for kind in str(kinds).split()}
    label = _label("observations", observations)
    indicator = observations["indicator"].astype(object)
    known = _mask(indicator.isin(set(units)))
    unit = _texts(observations, "unit")
    their_unit = indicator.map(units).astype(object).to_numpy()
    kinds = observations["claim_type"].tolist()
    pairs = pd.Series(list(zip(indicator.tolist(), kinds, strict=True)), dtype=object)
    problems = _flagged(label, observations, known & (unit != None) & (unit != their_unit), "unit",  # noqa: E711
                        lambda p: f"{unit[p]} is not the unit of {indicator.iloc[p]} ({their_unit[p]})")
    problems += _flagged(label, observations, known & ~_mask(pairs.isin(takes)), "claim_type",
                         lambda p: f"{kinds[p]} is not a claim type {indicator.iloc[p]} takes")
    return _by_row(problems)


def check_stated_figures(frame: pd.DataFrame, label: str) -> list[Problem]:
    """Each bound of a non-derived row is a figure its quote states, read by the reading rules (where the row's
    phrase occurs in the quote, from that part); rows with a formula are derived and recompute instead.

    Each distinct quote (with its unit and phrase) is read once, however many rows share it."""
    if not {*BOUNDS, "quote", "unit"} <= set(frame.columns):
        return []
    bounds = {b: _floats(frame, b) for b in BOUNDS}
    checked = (~np.isnan(bounds["value"]) | ~np.isnan(bounds["low"]) | ~np.isnan(bounds["high"])) \
        & _mask(frame["quote"].notna())
    if "claim_type" in frame:
        checked &= _texts(frame, "claim_type") != "derived"
    if "formula" in frame:
        checked &= ~_mask(frame["formula"].notna())
    quotes, units = _texts(frame, "quote"), _texts(frame, "unit")
    phrases = _texts(frame, "phrase") if "phrase" in frame else np.full(len(frame), None)
    read: dict[tuple, list[reading.Figure]] = {}
    problems = []
    for p in np.flatnonzero(checked):
        key = (quotes[p], units[p], phrases[p])
        if key not in read:
            read[key] = reading.stated(*key)
        figures = read[key]
        for name, bound in ((b, bounds[b][p]) for b in BOUNDS if not np.isnan(bounds[b][p])):
            if not any(reading.matches(bound, f) for f in figures):
                states = ", ".join(dict.fromkeys(_number(f.value) for f in figures))
                states = f"it states {states}" if states else f"it states no figure in unit {units[p]}"
                problems.append(Problem(label, _row(frame.index[p]), name, f"{_number(bound)} {NOT_STATED} ({states})"))
    return problems


def _number(value: float) -> str:
    return f"{value:.12g}"
