"""Finding rows by id across resources: one row with its source and citation, the rows of many ids, and the
sources behind rows (derived rows' inputs followed)."""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from nkdigital.api.rowview import Row
from nkdigital.reading import links


class Lookups:
    """Row lookups for :class:`nkdigital.api.package.Package` (which holds `_frames`, `_schemas`, `_key`, `_take`
    and `source_table`)."""

    def rows_by_id(self, ids: Iterable[str]) -> dict[str, pd.DataFrame]:
        """The rows whose id (first field) is in `ids`, per resource in the package's order, each as
        :meth:`resource` gives it (a copy, in the resource's order); resources with none of them are left out."""
        ids, found = set(ids), {}
        for name, positions in self._first_field_positions.items():
            hits = [i for row_id in ids for i in positions.get(row_id, ())]
            if hits:
                keep = np.zeros(len(self._frames[name]), dtype=bool)
                keep[hits] = True
                found[name] = self._take(name, keep)
        return found

    @functools.cached_property
    def _first_field_positions(self) -> dict[str, dict[object, list[int]]]:
        """Per resource: each value of its first field -> the positions of the stored rows that hold it."""
        found: dict[str, dict[object, list[int]]] = {}
        for name, frame in self._frames.items():
            positions = found[name] = {}
            for i, value in enumerate(frame.iloc[:, 0].tolist()):
                positions.setdefault(value, []).append(i)
        return found

    def row(self, row_id: str) -> Row:
        """One row of any resource by its id (obs-, evt-, att-, dev-, tier-, ctl-, rgt- or a source id), with
        `resource`, its source's outlet, URL, access date and archived copy, `source_ids` and its `citation`;
        printed, each date shows at its precision (`2008`, `2008-09`, `2008-09-12`)."""
        from nkdigital.citation import cite
        from nkdigital.metadata.provenance import outlet_credit

        name, position = self._locate(row_id)
        frame = self._frames[name].iloc[[position]]
        if "source_id" in frame and name != "sources":
            fields = [f for f in (*links.SOURCE_FIELDS, "accessed_date", *links.COPY_FIELDS)
                      if f in self.source_table]
            frame = links.with_sources(frame, self.source_table, fields)
        elif name == "sources":
            frame = frame.assign(url=self.source_table.loc[row_id, "url"])
            copy = [f for f in links.COPY_FIELDS if f in self.source_table and f not in frame]
            frame = frame.assign(**{f: self.source_table.loc[row_id, f] for f in copy})
        record = frame.iloc[0].copy()
        if "original_outlet" in record:  # never "unknown" as a name: described as every citation describes it
            record["original_outlet"] = outlet_credit(record["original_outlet"], record.get("host"))
        extra = pd.Series({"resource": name, "source_ids": " ".join(self.source_ids(row_id)),
                           "citation": cite(row_id, package=self)}, dtype=object)
        result = Row.of(pd.concat([extra[["resource"]], record, extra[["source_ids", "citation"]]]))
        result.name = row_id
        return result

    @functools.cached_property
    def _rows(self) -> dict[str, tuple[str, int]]:
        """Row id -> (resource, position) for every resource with a one-field key."""
        found = {}
        for name, frame in self._frames.items():
            if len(self._schemas[name].get("primaryKey", [None])) == 1:
                found.update({row_id: (name, i) for i, row_id in enumerate(frame[self._key(name)].tolist())})
        return found

    def _locate(self, row_id: str) -> tuple[str, int]:
        if not isinstance(row_id, str):
            raise TypeError(f"row_id must be one row or source id as text, such as 'obs-…'; got {row_id!r:.80}")
        if row_id not in self._rows:
            raise KeyError(f"unknown row or source id {row_id!r}")
        return self._rows[row_id]

    @functools.cached_property
    def _row_links(self) -> dict[str, tuple[set[str], list[str]]]:
        return links.row_links(self._frames, {name: self._key(name) for name in self._frames})

    def _behind(self, row_ids: Iterable[str]) -> tuple[set[str], set[str]]:
        """The package's rows among `row_ids` and, transitively, the inputs of the derived ones; their source ids."""
        sources, pending, seen = set(), list(row_ids), set()
        while pending:
            row_id = pending.pop()
            if row_id in seen or row_id not in self._row_links:
                continue
            seen.add(row_id)
            found, inputs = self._row_links[row_id]
            sources |= found
            pending += inputs
        return seen, sources

    def _sources_of_rows(self, row_ids: Iterable[str]) -> list[str]:
        return sorted(self._behind(row_ids)[1])

    def with_inputs(self, row_ids: Iterable[str]) -> set[str]:
        """`row_ids` and, transitively, the ids of the rows the derived ones among them are computed from."""
        row_ids = set(row_ids)
        return row_ids | self._behind(row_ids)[0]

    def source_ids(self, frame: pd.DataFrame | str) -> list[str]:
        """Sorted ids of every source behind `frame` or one row or source id, incl. the inputs of derived rows."""
        if isinstance(frame, str):
            self._locate(frame)
            return self._sources_of_rows([frame])
        if not isinstance(frame, pd.DataFrame):
            raise TypeError("cite() and source_ids() take one source or row id as text, or a DataFrame of the"
                            f" package's rows; got {frame!r:.80}")
        ids = set(frame["source_id"].dropna()) if "source_id" in frame else set()
        name = frame.attrs.get("resource")
        key = self._key(name) if name in self._schemas else frame.columns[0]
        row_ids = list(frame[key].dropna()) if key in frame else []
        inputs = [i for cell in frame.get("input_ids", pd.Series(dtype="string")).dropna() for i in cell.split()]
        return sorted(ids | set(self._sources_of_rows(row_ids + inputs)))
