"""One law, one name: DPRK laws in the rights data are keyed to their adoption event and carry its year.

A domestic law's `instrument` must be the `subject` of a law event in events (so a second name for the same law,
such as an "unnamed 2020 law", is refused), its `adoption_year` is the year of the earliest such event (the
adoption), and no statement appears twice (same instrument, source and quote).
"""

from __future__ import annotations

from nkdigital.checking import columns
from nkdigital.checking.checks import _is, _rows_where
from nkdigital.core.errors import Problem, shown
from nkdigital.metadata.roles import chronological

DOMESTIC = "domestic_law"


def adoptions(events) -> dict[str, tuple[str, int]]:
    """Law name -> (event id, year) of its earliest law event: the adoption."""
    order = chronological("events")
    laws = _is(events, "category", "law") & columns.given(events, "event_date")
    first: dict[str, tuple[str, int]] = {}
    for row in sorted(_rows_where(events, laws, list(dict.fromkeys([*order, "subject", "event_id", "event_date"]))),
                      key=lambda row: [row[c] for c in order]):
        first.setdefault(str(row["subject"]), (str(row["event_id"]), row["event_date"].year))
    return first


def check_laws(tables: dict) -> list[Problem]:
    rights, events = tables.get("rights_framework"), tables.get("events")
    if rights is None or events is None or not columns.has(rights, "adoption_year"):
        return []
    label = columns.label("rights_framework", rights)
    laws = adoptions(events)
    problems, seen = [], {}
    for position, row in enumerate(columns.records(rights)):
        r = columns.row(position)
        problems += _law_problems(row, laws, label, r)
        key = (row["instrument"], row["source_id"], " ".join(str(row["quote"]).split()))
        if key in seen:
            problems.append(Problem(label, r, "quote", f"the same statement on {shown(row['instrument'])} from this"
                                    f" source is already row {seen[key]}; one statement is one row"))
        seen.setdefault(key, r)
    return problems


def _law_problems(row: dict, laws: dict[str, tuple[str, int]], label: str, r: int) -> list[Problem]:
    year = None if row["adoption_year"] is None else int(row["adoption_year"])
    if str(row["instrument_type"]) != DOMESTIC:
        return [] if year is None else [Problem(label, r, "adoption_year", "only a domestic law has an adoption"
                                                " year; leave it empty")]
    if row["instrument"] not in laws:
        names = "; ".join(shown(law) for law in sorted(laws)) or "none"
        return [Problem(label, r, "instrument", f"{shown(row['instrument'])} is not the subject of a law event in"
                        f" events (laws there: {names}); one law goes by one name, the one its adoption event"
                        " gives it")]
    event_id, adopted = laws[row["instrument"]]
    if year != adopted:
        return [Problem(label, r, "adoption_year", f"{shown(event_id)} dates the law's adoption to {adopted};"
                        f" adoption_year must be {adopted}, not {year if year is not None else 'empty'}")]
    return []
