"""An event takes the most precise date its strongest attestations agree on; a dispute about the actor does not
blur it; accounts that disagree on the date make the event disputed and it spans them all."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from nkdigital.checking.event_dates import agreed_span, check_event_dates, coded

T = pd.Timestamp


def span(first: str, last: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    return T(first), T(last)


@pytest.mark.parametrize(("spans", "expected"), [
    # a day inside a month inside a year: the day
    ([span("2020-12-04", "2020-12-04"), span("2020-12-01", "2020-12-31"), span("2020-01-01", "2020-12-31")],
     ((T("2020-12-04"), "day", None), True)),
    # 'early December' and 'December': the early part
    ([span("2020-12-01", "2020-12-15"), span("2020-12-01", "2020-12-31")],
     ((T("2020-12-01"), "range", T("2020-12-15")), True)),
    # a month and a year that holds it: the month
    ([span("2012-04-01", "2012-04-30"), span("2012-01-01", "2013-12-31")], ((T("2012-04-01"), "month", None), True)),
    # two years that agree: the year
    ([span("2007-01-01", "2007-12-31")] * 2, ((T("2007-01-01"), "year", None), True)),
    # accounts that do not overlap: disputed, spanning both
    ([span("2002-01-01", "2002-12-31"), span("2006-01-01", "2006-12-31")],
     ((T("2002-01-01"), "range", T("2006-12-31")), False)),
])
def test_the_date_is_the_overlap_of_the_accounts_at_the_finest_precision_that_names_it(spans, expected):
    date, agree = agreed_span(spans)
    assert (coded(date), agree) == expected


def _table(rows: list[dict]) -> pa.Table:
    """Rows as the reader gives them: dates (written here in ISO) as date32, flags as bool, missing as null."""
    fields = {name for row in rows for name in row}
    types = {name: pa.date32() if name.endswith(("_date", "_date_end")) else pa.bool_() if name.startswith("is_")
             else pa.large_string() for name in fields}
    cells = {name: [row.get(name) for row in rows] for name in sorted(fields)}
    cells = {name: [dt.date.fromisoformat(v) if v and types[name] == pa.date32() else v for v in values]
             for name, values in cells.items()}
    return pa.table({name: pa.array(values, types[name]) for name, values in cells.items()})


def _frames(event: dict, accounts: list[dict], weak: tuple[str, ...] = ()) -> dict[str, pa.Table]:
    events = _table([{"event_id": "evt-x", "event_date_end": None, "is_disputed": False, **event}])
    rows = _table([{"event_id": "evt-x", "stated_date_end": None, **a} for a in accounts])
    source_ids = sorted({a["source_id"] for a in accounts})
    sources = _table([{"source_id": s, "strength": "weak" if s in weak else "primary"} for s in source_ids])
    return {"events": events, "event_attestations": rows, "sources": sources}


LAW = [{"source_id": "kcna", "stated_date": "2020-12-04", "stated_date_precision": "day", "actor": "Presidium"},
       {"source_id": "nk", "stated_date": "2020-12-01", "stated_date_precision": "month", "actor": "plenary"},
       {"source_id": "dw", "stated_date": "2020-01-01", "stated_date_precision": "year", "actor": None}]


def test_a_dispute_about_the_actor_does_not_blur_the_date():
    blurred = _frames({"event_date": "2020-01-01", "event_date_precision": "year", "is_disputed": True}, LAW)
    [problem] = check_event_dates(blurred)
    assert (problem.file, problem.row, problem.field) == ("data/events.csv", 2, "event_date")
    assert problem.message == ("its strongest attestations agree on 2020-12-04 (day); the event must take that"
                               " date, not 2020 (year)")
    agreed = _frames({"event_date": "2020-12-04", "event_date_precision": "day", "is_disputed": True}, LAW)
    assert check_event_dates(agreed) == []


def test_a_weak_account_does_not_narrow_the_date_but_its_disagreement_makes_a_dispute():
    accounts = [{"source_id": "iana", "stated_date": "2007-01-01", "stated_date_precision": "year"},
                {"source_id": "wiki", "stated_date": "2007-09-24", "stated_date_precision": "day"}]
    year = {"event_date": "2007-01-01", "event_date_precision": "year"}
    assert check_event_dates(_frames(year, accounts, weak=("wiki",))) == []
    assert check_event_dates(_frames(year, accounts))[0].message.startswith("its strongest attestations agree on"
                                                                             " 2007-09-24 (day)")
    later = [accounts[0], {**accounts[1], "stated_date": "2009-01-01", "stated_date_precision": "year"}]
    [problem] = check_event_dates(_frames(year, later, weak=("wiki",)))
    assert (problem.field, problem.message) == ("is_disputed", "its attestations disagree on the date, so the"
                                                " event is disputed")
    assert check_event_dates(_frames({**year, "is_disputed": True}, later, weak=("wiki",))) == []


def test_an_incomplete_range_is_left_to_the_date_checks():
    """A range without its last day is one problem (from the date checks), not also a date disagreement."""
    accounts = [{"source_id": "a", "stated_date": "2015-01-01", "stated_date_precision": "range"},
                {"source_id": "b", "stated_date": "2015-01-01", "stated_date_precision": "year"}]
    year = {"event_date": "2015-01-01", "event_date_precision": "year"}
    assert check_event_dates(_frames(year, accounts)) == []
    assert check_event_dates(_frames({**year, "event_date_precision": "range"}, accounts[1:])) == []
