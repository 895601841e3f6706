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

import pandas as pd

from nkdigital.checking.checks import _label, _row
from nkdigital.core.errors import Problem
from nkdigital.core.errors import shown as quoted
from nkdigital.core.periods import period_end

Span = tuple[pd.Timestamp, pd.Timestamp]


def agreed_span(spans: list[Span]) -> tuple[Span, bool]:
    """The overlap of `spans` and True, or, where they do not all overlap, the span covering them and False."""
    first, last = max(s for s, _ in spans), min(e for _, e in spans)
    if first <= last:
        return (first, last), True
    return (min(s for s, _ in spans), max(e for _, e in spans)), False


def coded(span: Span) -> tuple[pd.Timestamp, str, pd.Timestamp | None]:
    """(date, precision, end) naming `span` exactly: day, month or year where it is one, else a range."""
    first, last = span
    if first == last:
        return first, "day", None
    if first.day == 1 and last == first + pd.offsets.MonthEnd(0):
        return first, "month", None
    if first.day == 1 and first.month == 1 and last == first + pd.offsets.YearEnd(0):
        return first, "year", None
    return first, "range", last


def shown(date: pd.Timestamp, precision: str, end: pd.Timestamp | None) -> str:
    text = {"day": f"{date:%Y-%m-%d}", "month": f"{date:%Y-%m}", "year": f"{date:%Y}"}.get(precision)
    if text is None:
        text = f"{date:%Y-%m-%d} to {end:%Y-%m-%d}" if end is not None and not pd.isna(end) else f"{date:%Y-%m-%d}"
    return f"{text} ({precision})"


def _weak_sources(frames: dict[str, pd.DataFrame]) -> set[str]:
    sources = frames.get("sources")
    if sources is None or "strength" not in sources:
        return set()
    return set(sources.loc[sources["strength"].astype(str) == "weak", "source_id"])


def _has_end(frame: pd.DataFrame, column: str) -> pd.Series:
    """False where a range precision lacks its last day (the date checks report that)."""
    return ~((frame[f"{column}_precision"].astype(str) == "range") & frame[f"{column}_end"].isna())


def check_event_dates(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Each event's date is the one its attestations agree on (see the module docstring), and an event whose
    accounts disagree on the date is disputed. Events without dated attestations are not checked."""
    events, accounts = frames.get("events"), frames.get("event_attestations")
    if events is None or accounts is None:
        return []
    label = _label("events", events)
    accounts = accounts[accounts["stated_date"].notna() & _has_end(accounts, "stated_date")]
    ends = period_end(accounts, "stated_date")
    spans = pd.Series(list(zip(accounts["stated_date"], ends, strict=True)), index=accounts.index)
    weak = accounts["source_id"].isin(_weak_sources(frames)).to_numpy()
    stated = spans.groupby(accounts["event_id"].to_numpy()).agg(list)
    strong = spans[~weak].groupby(accounts["event_id"].to_numpy()[~weak]).agg(list)
    complete = _has_end(events, "event_date")
    problems = []
    for index, row in zip(events.index, events.to_dict("records"), strict=True):
        event_id = row["event_id"]
        if event_id not in stated.index or pd.isna(row["event_date"]) or not complete[index]:
            continue  # an incomplete date is reported by the date checks
        span, strong_agree = agreed_span(strong[event_id] if event_id in strong.index else stated[event_id])
        end = row["event_date_end"] if row["event_date_precision"] == "range" else None
        own = (row["event_date"], str(row["event_date_precision"]), end)
        r = _row(index)
        if own != coded(span):
            why = "agree on" if strong_agree else "disagree on the date and together span"
            problems.append(Problem(label, r, "event_date", f"its strongest attestations {why} {shown(*coded(span))};"
                                    f" the event must take that date, not {shown(*own)}"))
        elif not agreed_span(stated[event_id])[1] and row["is_disputed"] is not True:
            problems.append(Problem(label, r, "is_disputed", "its attestations disagree on the date, so the event"
                                    " is disputed"))
    return problems


def check_one_account_per_source(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """A source gives one account of a happening: two attestations of one event from one source are one account
    told twice (fold them into one, the other sentence in its note)."""
    accounts = frames.get("event_attestations")
    if accounts is None:
        return []
    label = _label("event_attestations", accounts)
    seen: dict[tuple[str, str], int] = {}
    problems = []
    for index, event_id, source_id in zip(accounts.index, accounts["event_id"], accounts["source_id"], strict=True):
        if pd.isna(event_id) or pd.isna(source_id):
            continue
        r = _row(index)
        first = seen.setdefault((event_id, source_id), r)
        if first != r:
            problems.append(Problem(label, r, "source_id", f"{quoted(source_id)} already gives an account of"
                                    f" {quoted(event_id)} in row {first}; one source is one account of a happening"))
    return problems

