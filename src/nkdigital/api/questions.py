"""One call each for the questions researchers ask: people per access tier, conflicts across resources,
everything about one subject, and a warning when a geo lacks rows of an indicator that other geos have."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from nkdigital.api import conflicts
from nkdigital.api.filters import Choice, by_geo, by_value, choices, every
from nkdigital.core.periods import Bound
from nkdigital.metadata.resources import primary_key, resource
from nkdigital.metadata.roles import ROLES, dated_by, having


class MissingGeoWarning(UserWarning):
    """An accessor found rows of the indicator asked for, but none for the geo asked for."""


def warn_missing_geo(indicator: Choice, geo: Choice, found: pd.DataFrame, elsewhere: pd.Series) -> None:
    """Warn when a geo asked for has no rows of `indicator` in `found` although the same filters without the geo
    match rows (their geos are `elsewhere`), naming the geos that do have rows."""
    if indicator is None or geo is None or geo == "all":
        return
    asked = choices(geo, "geo")
    missing = [g for g in asked if g not in set(found["geo"].astype(str))]
    others = sorted(set(elsewhere.dropna().astype(str)) - set(missing))
    if missing and others:
        named = ", ".join(choices(indicator, "indicator"))
        warnings.warn(f"no {named} rows for geo {', '.join(missing)} with these filters; rows exist for"
                      f" {', '.join(others)}", MissingGeoWarning, stacklevel=3)


def tier_sizes(tiers: pd.DataFrame) -> pd.DataFrame:
    """People (or shares) per access tier: one row per tier and unit with the lowest stated figure (`low`, else
    `value`), the highest (`high`, else `value`), the sources' words (`phrases`), and how many sources and rows
    stand behind them. Rows stating no size count in `rows_without_size`; nothing is averaged."""
    low, high = tiers["low"].fillna(tiers["value"]), tiers["high"].fillna(tiers["value"])
    frame = tiers.assign(_low=low, _high=high, _sized=low.notna() | high.notna())
    records = []
    for tier, rows in frame.groupby("tier", observed=True, sort=True):
        sized = rows[rows["_sized"]]
        for unit, group in sized.groupby("unit", sort=True) if len(sized) else [(pd.NA, sized)]:
            records.append({
                "tier": tier, "unit": unit, "low": group["_low"].min(), "high": group["_high"].max(),
                "phrases": "; ".join(dict.fromkeys(group["phrase"].dropna())),
                "sources": group["source_id"].nunique(), "rows": len(group),
                "rows_without_size": int((~rows["_sized"]).sum()),
                "tier_ids": " ".join(group["tier_id"]),
            })
    result = pd.DataFrame.from_records(records, columns=[
        "tier", "unit", "low", "high", "phrases", "sources", "rows", "rows_without_size", "tier_ids"])
    result["tier"] = pd.Categorical(result["tier"], categories=tiers["tier"].cat.categories)
    result[list(ROLES["bounds"])] = result[list(ROLES["bounds"])].astype("Float64")
    return result.sort_values(["tier", "unit"]).reset_index(drop=True)


# The resources `about` searches, in the order it lists them, each with the column it shows as `what`; it searches
# their `mentions` columns and dates rows by their date (a year is no date).
WHAT = {"events": "title", "event_attestations": "quote", "observations": "indicator", "device_estimates": "measure",
        "access_tiers": "group_name", "access_controls": "description", "rights_framework": "instrument",
        "network_records": "name"}
ABOUT = {name: (primary_key(name)[0], dated_by(fields, "date"), what, having("mentions", fields))
         for name, what in WHAT.items() for fields in [resource(name)["fields"]]}
STATED = [*ROLES["figure"], "unit", *ROLES["evidence"]]
ABOUT_COLUMNS = ["resource", "row_id", "date", "what", *STATED]


def about(frames: dict[str, pd.DataFrame], subject: str) -> pd.DataFrame:
    """Every row that names `subject` (case-insensitive, in its subject, title, group, instrument, name, actor or
    quote), across resources, with the attestations of matching events: resource, row id, date, `what` (title,
    indicator, group ...), figures, source and quote, sorted by date."""
    needle = subject.strip().lower()
    if not needle:
        raise ValueError("about() needs a subject, e.g. 'Koryolink' or 'reactionary'")
    parts, events = [], set()
    for name, (key, date, what, searched) in ABOUT.items():
        frame = frames.get(name)
        if frame is None:
            continue
        text = frame[[c for c in searched if c in frame]].astype("string").fillna("")
        hit = text.apply(lambda column: column.str.lower().str.contains(needle, regex=False)).any(axis=1)
        if name == "events":
            events = set(frame.loc[hit, key])
        if name == "event_attestations":
            hit |= frame["event_id"].isin(events)
        rows = frame[hit]
        parts.append(pd.DataFrame({
            "resource": name, "row_id": rows[key], "date": rows[date] if date else pd.NaT,
            "what": rows[what].astype(object),
            **{c: rows.get(c, pd.NA) for c in STATED},
        }))
    found = [p for p in parts if len(p)]
    result = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=ABOUT_COLUMNS)
    result["resource"] = pd.Categorical(result["resource"], categories=list(ABOUT))  # an event before its accounts
    result = result.sort_values(["date", "resource", "row_id"], na_position="last", kind="stable")
    return result[ABOUT_COLUMNS].reset_index(drop=True).assign(
        **{c: lambda f, c=c: f[c].astype("Float64") for c in ROLES["figure"]})


class Questions:
    """The Package's one-call answers (mixed into :class:`nkdigital.Package`, which provides the frames)."""

    _frames: dict[str, pd.DataFrame]

    def _take(self, name: str, *masks) -> pd.DataFrame:  # provided by Package
        raise NotImplementedError

    def _dated(self, name: str, start: Bound, end: Bound) -> np.ndarray | None:  # provided by Package
        raise NotImplementedError

    def network_records(self, record_type: Choice = None) -> pd.DataFrame:
        """The .kp namespace as rows: domains, DNS records, test-list entries, telemetry (see the data README)."""
        return self._take("network_records",
                          by_value(self._frames["network_records"], "record_type", record_type))

    def tier_sizes(self, tier: Choice = None) -> pd.DataFrame:
        """People per access tier: stated low and high, the sources' words, how many sources (see
        :func:`tier_sizes`)."""
        return tier_sizes(self._take("access_tiers", by_value(self._frames["access_tiers"], "tier", tier)))

    def about(self, subject: str) -> pd.DataFrame:
        """Events, attestations, figures, tiers, rights rows and network records naming `subject`, in one frame."""
        return about(self._frames, subject)

    def conflicts(self, indicator: Choice = None, *, geo: Choice = "PRK", start: Bound = None,
                  end: Bound = None, across: bool = False, include_rounding: bool = False) -> pd.DataFrame:
        """Groups where different sources give figures that disagree for the same indicator, geo and period.

        One row per observation, derived rows excluded: the group's number (`conflict`) and key (indicator, geo,
        unit, period_start, period_end), its spread (sources, spread_min, spread_max, spread_ratio = max/min), the
        row's fields, and `kind`. Figures agree when one figure fits every row's interval ("at least 2 million"
        and 2,000,000); within 0.1 % they differ only by rounding (kind `rounding`, shown with
        ``include_rounding=True``). ``across=True`` checks device estimates and access tiers too (`resource` and
        `row_id` name each row; the window applies to all, geo to observations). See :mod:`nkdigital.api.conflicts`.
        """
        if across:
            if indicator is not None:
                raise ValueError("across=True compares whole resources; pick rows from its result by `indicator`")
            return conflicts.across({name: self._frames[name][every(self._frames[name], [
                self._dated(name, start, end), by_geo(self._frames[name], geo)])] for name in conflicts.KEYS},
                include_rounding)
        frame = self._frames["observations"]
        keep = every(frame, [self._dated("observations", start, end), by_geo(frame, geo),
                             by_value(frame, "indicator", indicator)])
        return conflicts.conflicts(frame[keep], include_rounding)
