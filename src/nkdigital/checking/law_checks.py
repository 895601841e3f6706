"""One law, one name: DPRK laws in the rights data are keyed to their adoption event and carry its year.

A domestic law's `instrument` must be the `subject` of a law event in events (so a second name for the same law,
such as an "unnamed 2020 law", is refused), its `adoption_year` is the year of the earliest such event (the
adoption), and no statement appears twice (same instrument, source and quote).
"""

from __future__ import annotations

import pandas as pd

from nkdigital.checking.checks import _label, _row
from nkdigital.core.errors import Problem, shown
from nkdigital.metadata.roles import chronological

DOMESTIC = "domestic_law"


def adoptions(events: pd.DataFrame) -> dict[str, tuple[str, int]]:
    """Law name -> (event id, year) of its earliest law event: the adoption."""
    laws = events[(events["category"].astype(str) == "law") & events["event_date"].notna()]
    first = laws.sort_values(chronological("events")).drop_duplicates("subject")
    return {str(s): (str(e), int(d.year)) for s, e, d in zip(first["subject"], first["event_id"],
                                                              first["event_date"], strict=True)}


def check_laws(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    rights, events = frames.get("rights_framework"), frames.get("events")
    if rights is None or events is None or "adoption_year" not in rights:
        return []
    label = _label("rights_framework", rights)
    laws = adoptions(events)
    problems, seen = [], {}
    for index, row in zip(rights.index, rights.to_dict("records"), strict=True):
        r = _row(index)
        problems += _law_problems(row, laws, label, r)
        key = (row["instrument"], row["source_id"], " ".join(str(row["quote"]).split()))
        if key in seen:
            problems.append(Problem(label, r, "quote", f"the same statement on {shown(row['instrument'])} from this"
                                    f" source is already row {seen[key]}; one statement is one row"))
        seen.setdefault(key, r)
    return problems


def _law_problems(row: dict, laws: dict[str, tuple[str, int]], label: str, r: int) -> list[Problem]:
    year = None if pd.isna(row["adoption_year"]) else int(row["adoption_year"])
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
