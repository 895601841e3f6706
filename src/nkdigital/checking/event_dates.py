"""An event's date from its accounts: the most precise date its strongest attestations agree on.

Each attestation states a period (its date to the last day its precision allows). The accounts that date an event
are those from sources that are not weak, or all of them where every source is weak. Where their periods overlap,
the event takes the overlap, coded at the finest precision that names it exactly (a day, a calendar month, a
calendar year, else a range): a vague account does not blur a precise one it agrees with, and a dispute about the
actor does not blur the date. Where they do not overlap, the event spans them all, from the earliest start to the
latest end. An event is disputed wherever any two of its accounts, weak ones included, give periods that do not
overlap.
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np

from nkdigital.checking import columns
from nkdigital.core.errors import Problem
from nkdigital.core.errors import shown as quoted
from nkdigital.core.spans import last_days

Span = tuple[dt.date, dt.date]  # a pandas Timestamp is a date too


def agreed_span(spans: list[Span]) -> tuple[Span, bool]:
    """The overlap of `spans` and True, or, where they do not all overlap, the span covering them and False."""
    first, last = max(s for s, _ in spans), min(e for _, e in spans)
    if first <= last:
        return (first, last), True
    return (min(s for s, _ in spans), max(e for _, e in spans)), False


def coded(span: Span) -> tuple[dt.date, str, dt.date | None]:
    """(date, precision, end) naming `span` exactly: day, month or year where it is one, else a range."""
    first, last = span
    if first == last:
        return first, "day", None
    month_end = (first.year, first.month, calendar.monthrange(first.year, first.month)[1])
    if first.day == 1 and (last.year, last.month, last.day) == month_end:
        return first, "month", None
    if first.day == 1 and first.month == 1 and (last.year, last.month, last.day) == (first.year, 12, 31):
        return first, "year", None
    return first, "range", last


def shown(date: dt.date, precision: str, end: dt.date | None) -> str:
    text = {"day": f"{date:%Y-%m-%d}", "month": f"{date:%Y-%m}", "year": f"{date:%Y}"}.get(precision)
    if text is None:
        text = f"{date:%Y-%m-%d} to {end:%Y-%m-%d}" if end is not None else f"{date:%Y-%m-%d}"
    return f"{text} ({precision})"


def _weak_sources(tables: dict) -> set[str]:
    sources = tables.get("sources")
    if sources is None or not columns.has(sources, "strength"):
        return set()
    return set(columns.texts(sources, "source_id")[columns.texts(sources, "strength") == "weak"])


def _dated(table, column: str) -> np.ndarray:
    """True where the date is given and, for a range, its last day too (the date checks report a range without)."""
    ranged = columns.texts(table, f"{column}_precision") == "range"
    return ~np.isnat(columns.dates(table, column)) & ~(ranged & np.isnat(columns.dates(table, f"{column}_end")))


def _spans(tables: dict, accounts) -> tuple[dict[str, list[Span]], dict[str, list[Span]]]:
    """Each event's dated accounts as spans (first day, last day), in row order: all of them, and the strong."""
    kept = np.flatnonzero(_dated(accounts, "stated_date"))
    dates = columns.dates(accounts, "stated_date")[kept]
    ends = last_days(dates, columns.texts(accounts, "stated_date_precision")[kept],
                     columns.dates(accounts, "stated_date_end")[kept])
    weak = _weak_sources(tables)
    stated: dict[str, list[Span]] = {}
    strong: dict[str, list[Span]] = {}
    for event_id, source_id, first, last in zip(columns.texts(accounts, "event_id")[kept],
                                                columns.texts(accounts, "source_id")[kept], dates.tolist(),
                                                ends.tolist(), strict=True):
        if event_id is None:
            continue
        stated.setdefault(event_id, []).append((first, last))
        if source_id not in weak:
            strong.setdefault(event_id, []).append((first, last))
    return stated, strong


def check_event_dates(tables: dict) -> list[Problem]:
    """Each event's date is the one its attestations agree on (see the module docstring), and an event whose
    accounts disagree on the date is disputed. Events without dated attestations are not checked."""
    events, accounts = tables.get("events"), tables.get("event_attestations")
    if events is None or accounts is None:
        return []
    label = columns.label("events", events)
    stated, strong = _spans(tables, accounts)
    ids, precisions = events["event_id"].to_pylist(), events["event_date_precision"].to_pylist()
    days, ends = events["event_date"].to_pylist(), events["event_date_end"].to_pylist()
    disputed = events["is_disputed"].to_pylist()
    problems = []
    for position in np.flatnonzero(_dated(events, "event_date")).tolist():  # else the date checks report it
        event_id, precision = ids[position], precisions[position]
        if event_id not in stated:
            continue
        span, strong_agree = agreed_span(strong.get(event_id) or stated[event_id])
        own = (days[position], precision, ends[position] if precision == "range" else None)
        r = columns.row(position)
        if own != coded(span):
            why = "agree on" if strong_agree else "disagree on the date and together span"
            problems.append(Problem(label, r, "event_date", f"its strongest attestations {why} {shown(*coded(span))};"
                                    f" the event must take that date, not {shown(*own)}"))
        elif not agreed_span(stated[event_id])[1] and disputed[position] is not True:
            problems.append(Problem(label, r, "is_disputed", "its attestations disagree on the date, so the event"
                                    " is disputed"))
    return problems


def check_one_account_per_source(tables: dict) -> list[Problem]:
    """A source gives one account of a happening: two attestations of one event from one source are one account
    told twice (fold them into one, the other sentence in its note)."""
    accounts = tables.get("event_attestations")
    if accounts is None:
        return []
    label = columns.label("event_attestations", accounts)
    seen: dict[tuple[str, str], int] = {}
    problems = []
    events, sources = columns.texts(accounts, "event_id"), columns.texts(accounts, "source_id")
    for position, event_id, source_id in zip(range(len(events)), events, sources, strict=True):
        if event_id is None or source_id is None:
            continue
        r = columns.row(position)
        first = seen.setdefault((event_id, source_id), r)
        if first != r:
            problems.append(Problem(label, r, "source_id", f"{quoted(source_id)} already gives an account of"
                                    f" {quoted(event_id)} in row {first}; one source is one account of a happening"))
    return problems
