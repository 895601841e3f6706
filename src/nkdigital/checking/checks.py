"""Checks a Table Schema cannot express: bounds, ids, source use, stated figures (dates: `date_checks`, derived
rows: `derived`).

Each check reads the Arrow tables `checking.columns` describes, a column at a time (numpy, pyarrow.compute).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from nkdigital.checking import columns
from nkdigital.core import arrow
from nkdigital.core.errors import Problem
from nkdigital.metadata.roles import ROLES
from nkdigital.metadata.units import COUNT_UNITS
from nkdigital.reading import figures as reading

BOUNDS = ROLES["figure"]
STATISTIC = "international_statistic"  # published aggregates keep their decimals, e.g. the world's subscriptions
NOT_STATED = "is not a figure the quote states"


def _present(value: object) -> bool:
    return value is not None and value == value  # a NaN is missing too


# pandas stays unloaded: pyarrow imports it to convert Python or numpy values (pa.array, pa.scalar, a Python
# scalar given to a compute function, Array.to_numpy), so Arrow is read through `columns` and numpy masks go back
# to Arrow through `core.arrow`.

def _true(cells) -> np.ndarray:
    """A boolean Arrow column as a numpy mask, missing as False."""
    return arrow.stored(cells, bool, False)


def _within(table, column: str, values) -> np.ndarray:
    """Which cells of a text or enum column are among the strings `values`, missing as False."""
    cells = table[column]
    if pa.types.is_string(cells.type):
        cells = cells.cast(pa.large_string())
    return _true(pc.is_in(cells, value_set=arrow.array(sorted(values), pa.large_string())))


def _is(table, column: str, value: str) -> np.ndarray:
    """Which cells of a text or enum column are `value`."""
    return _within(table, column, (value,))


def _filled(table, column: str) -> np.ndarray:
    """A column's cells are not missing."""
    return columns.given(table, column)


def _rows_where(table, mask: np.ndarray, names: list[str] | None = None) -> list[dict]:
    """The rows `mask` flags as dicts of Python values (only those rows are converted)."""
    return columns.records(table.filter(arrow.bools(mask)), names)


def _cell(table, column: str, position: int) -> object:
    """One cell as a Python value (None if missing), for the message of a row a check flags."""
    return table[column][int(position)].as_py()


def _flagged(label: str, mask: np.ndarray, field: str | Callable, message: Callable) -> list:
    """One problem in `field` (or `field(position)`) for each row `mask` flags, its message `message(position)`."""
    return [Problem(label, columns.row(p), field(p) if callable(field) else field, message(p))
            for p in np.flatnonzero(mask)]


def _by_row(problems: list[Problem]) -> list[Problem]:
    """Problems in row order, those of one row in the order their rules were applied (a stable sort)."""
    return sorted(problems, key=lambda p: p.row)


def check_quantities(table, label: str) -> list[Problem]:
    """low <= value <= high, qualifier and unit consistent with the bounds, counts whole, shares in 0-1.

    A row whose bounds are out of order gets that one problem, not also a complaint about its qualifier.
    """
    if not columns.has(table, *BOUNDS, "qualifier", "unit"):
        return []
    bounds = {b: columns.floats(table, b) for b in BOUNDS}
    value, low, high = bounds.values()
    has = {b: ~np.isnan(s) for b, s in bounds.items()}
    has_unit, has_qualifier = _filled(table, "unit"), _filled(table, "qualifier")
    unit = lambda i: _cell(table, "unit", i)  # noqa: E731
    low_above, below, above = low > high, value < low, value > high
    number = {b: (lambda i, b=b: f"{bounds[b][i]:g}") for b in BOUNDS}
    problems = _flagged(label, low_above, "low", lambda i: f"low {number['low'](i)} is greater than high"
                        f" {number['high'](i)}")
    problems += _flagged(label, below, "value", lambda i: f"value {number['value'](i)} is below low"
                         f" {number['low'](i)}")
    problems += _flagged(label, above, "value", lambda i: f"value {number['value'](i)} is above high"
                         f" {number['high'](i)}")
    has_quantity = has["value"] | has["low"] | has["high"]
    problems += _flagged(label, has_quantity & ~(has_unit & has_qualifier),
                         lambda i: "qualifier" if has_unit[i] else "unit",
                         lambda i: f"a figure is given, so {'qualifier' if has_unit[i] else 'unit'} is required")
    in_order = ~(low_above | below | above)
    rules = {
        "range": (~has["value"] & has["low"] & has["high"], "qualifier range needs low and high and an empty value"),
        "at_least": (has["value"] & (low == value), "qualifier at_least needs value equal to low"),
        "up_to": (has["value"] & (high == value), "qualifier up_to needs value equal to high"),
        "exact": (has["value"], "qualifier exact needs a value"),
        "about": (has["value"], "qualifier about needs a value"),
    }
    broken = np.zeros(table.num_rows, dtype=bool)
    for name, (holds, _) in rules.items():
        broken |= _is(table, "qualifier", name) & ~holds
    problems += _flagged(label, broken & in_order, "qualifier", lambda i: rules[_cell(table, "qualifier", i)][1])
    counted = _within(table, "unit", COUNT_UNITS)
    if columns.has(table, "claim_type"):
        counted &= ~_is(table, "claim_type", STATISTIC)
    share = _is(table, "unit", "share")
    for name, bound in bounds.items():
        problems += _flagged(label, has[name] & counted & (bound != np.floor(bound)), name,
                             lambda i, name=name: f"{number[name](i)} {unit(i)} is not a whole number")
        problems += _flagged(label, has[name] & share & ~((bound >= 0) & (bound <= 1)), name,
                             lambda i, name=name: f"share {number[name](i)} is outside 0-1")
    return _by_row(problems)


def check_unique_ids(tables: dict, keys: dict[str, str]) -> list[Problem]:
    """Row ids are unique across resources, so formulas can name any row."""
    names = list(tables)
    ids = {name: tables[name][keys[name]].cast(pa.large_string()) for name in names}
    owner = {name: np.full(tables[name].num_rows, -1) for name in names}
    for first, earlier in enumerate(names):
        every = None  # the earlier ids as one set, built once, for the later resources with as many ids or more
        for later in names[first + 1:]:
            if len(ids[earlier]) > len(ids[later]):  # look up in a set of the fewer ids: the earlier ids the later hold
                shared = _true(pc.is_in(ids[earlier], value_set=ids[later].combine_chunks().drop_null()))
                known = ids[earlier].take(arrow.array(np.flatnonzero(shared).tolist(), pa.int64()))
                known = known.combine_chunks().drop_null()
            else:
                every = ids[earlier].combine_chunks().drop_null() if every is None else every
                known = every
            owner[later][(owner[later] < 0) & _true(pc.is_in(ids[later], value_set=known))] = first
    return [Problem(columns.label(name, tables[name]), columns.row(p), keys[name],
                    f"id '{_cell(tables[name], keys[name], p)}' is also used in {names[owner[name][p]]}")
            for name in names for p in np.flatnonzero(owner[name] >= 0)]


def check_sources_used(tables: dict) -> list[Problem]:
    """Every source row is cited by at least one row that states a claim (its copies and creators do not count)."""
    used = set()
    for name, table in tables.items():
        if name not in ("sources", "source_copies", "creators") and columns.has(table, "source_id"):
            used.update(columns.codes(table, "source_id")[1])
    sources = tables.get("sources")
    if sources is None or not columns.has(sources, "source_id"):
        return []
    ids = columns.texts(sources, "source_id")
    return _flagged(columns.label("sources", sources), (ids != None) & ~_within(sources, "source_id", used),  # noqa: E711
                    "source_id", lambda p: f"source '{ids[p]}' is not used by any row")


def check_sorted(table, label: str, key: list[str]) -> list[Problem]:
    """Rows are sorted by primary key, so diffs stay small (`nkdigital refresh` sorts them)."""
    if table.num_rows < 2:
        return []
    cells = [table[k].cast(pa.large_string()) for k in key]  # compared as text, as `str` writes each value
    before, tied = np.zeros(table.num_rows - 1, dtype=bool), np.ones(table.num_rows - 1, dtype=bool)
    for column in cells:  # tuples compared field by field, as Python compares them (UTF-8 keeps code point order)
        later, earlier = column.slice(1), column.slice(0, table.num_rows - 1)
        before |= tied & _true(pc.less(later, earlier))
        tied &= _true(pc.equal(later, earlier))
    if before.any():
        return [Problem(label, int(np.argmax(before)) + 3, key[0],
                        "rows are not sorted by the primary key; run `nkdigital refresh`")]
    return []


def check_indicators(tables: dict) -> list[Problem]:
    """Each observation's unit is its indicator's unit and its claim type one the indicator takes."""
    indicators, observations = tables.get("indicators"), tables.get("observations")
    if indicators is None or observations is None:
        return []
    rows = columns.records(indicators)  # one row per indicator
    units = {r["indicator"]: r["unit"] for r in rows}
    takes = {(r["indicator"], kind) for r in rows for kind in str(r["claim_types"]).split()}
    label = columns.label("observations", observations)
    named, indicator = columns.codes(observations, "indicator")
    unit, unit_names = columns.codes(observations, "unit")
    kind, kinds = columns.codes(observations, "claim_type")
    known = np.array([i in units for i in indicator] + [False])[named]  # a missing code (-1) reads the last entry
    place = {u: n for n, u in enumerate(unit_names)}  # each indicator's unit as a code of the observations' units
    their_unit = np.array([place.get(units[i], -2) if units.get(i) is not None else -1 for i in indicator] + [-1])
    taken = np.zeros((len(indicator) + 1, len(kinds) + 1), dtype=bool)  # a missing code (-1): the last row/column
    for i, j in np.ndindex(len(indicator), len(kinds)):
        taken[i, j] = (indicator[i], kinds[j]) in takes
    cell = lambda column, p: _cell(observations, column, p)  # noqa: E731
    problems = _flagged(label, known & (unit >= 0) & (unit != their_unit[named]), "unit", lambda p: f"{cell('unit', p)}"
                        f" is not the unit of {cell('indicator', p)} ({units[cell('indicator', p)] or 'it has none'})")
    problems += _flagged(label, known & ~taken[named, kind], "claim_type",
                         lambda p: f"{cell('claim_type', p)} is not a claim type {cell('indicator', p)} takes")
    return _by_row(problems)


def check_stated_figures(table, label: str) -> list[Problem]:
    """Each bound of a non-derived row is a figure its quote states, read by the reading rules (where the row's
    phrase occurs in the quote, from that part); rows with a formula are derived and recompute instead.

    Rows alike in quote, unit, phrase and bounds are checked once together, each distinct quote read once."""
    if not columns.has(table, *BOUNDS, "quote", "unit"):
        return []
    bounds = {b: columns.floats(table, b) for b in BOUNDS}
    checked = ~(np.isnan(bounds["value"]) & np.isnan(bounds["low"]) & np.isnan(bounds["high"]))
    checked &= _filled(table, "quote")
    if columns.has(table, "claim_type"):
        checked &= ~_is(table, "claim_type", "derived")
    if columns.has(table, "formula"):
        checked &= ~_filled(table, "formula")
    at = np.flatnonzero(checked)
    texts = [c for c in ("quote", "unit", "phrase") if columns.has(table, c)]
    read: dict[tuple, list[reading.Figure]] = {}
    problems = []
    for p, rows in _alike(table, at, [*texts, *BOUNDS]):
        key = tuple(_cell(table, c, p) if c in texts else None for c in ("quote", "unit", "phrase"))
        if key not in read:
            read[key] = reading.stated(*key)
        row = {"unit": key[1], **{b: None if np.isnan(bounds[b][p]) else float(bounds[b][p]) for b in BOUNDS}}
        problems += [Problem(label, columns.row(r), field, message) for field, message in
                     _unstated(row, read[key]) for r in rows]
    return _by_row(problems)


def _alike(table, at: np.ndarray, names: list[str]) -> list[tuple[int, np.ndarray]]:
    """The rows at positions `at` grouped by their values in the columns `names`: (a group's first row, its rows)
    for each group."""
    if not len(at):
        return []
    group = np.zeros(len(at), dtype=np.int64)
    for name in names:  # one code for the columns so far, kept dense (0, 1, ...) so it never overflows
        code = columns.codes(table, name)[0][at] + 1
        group = np.unique(group * (int(code.max()) + 1) + code, return_inverse=True)[1].ravel()
    first = np.unique(group, return_index=True)[1]
    members = np.split(at[np.argsort(group, kind="stable")], np.cumsum(np.bincount(group))[:-1])
    return list(zip(at[first], members, strict=True))


def _unstated(row: dict, figures: list) -> list[tuple[str, str]]:
    """(bound, message) for each bound of `row` that none of the quote's `figures` matches."""
    found = []
    for name, bound in ((b, row[b]) for b in BOUNDS if row[b] is not None):
        if not any(reading.matches(bound, f) for f in figures):
            states = ", ".join(dict.fromkeys(_number(f.value) for f in figures))
            states = f"it states {states}" if states else f"it states no figure in unit {row['unit']}"
            found.append((name, f"{_number(bound)} {NOT_STATED} ({states})"))
    return found


def _number(value: float) -> str:
    return f"{value:.12g}"
