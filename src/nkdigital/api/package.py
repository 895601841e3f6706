"""Loading the data package as typed pandas DataFrames."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from nkdigital.api.filters import Choice, by_geo, by_value, every
from nkdigital.api.frame_attrs import FieldNotes, SourceIds, plain
from nkdigital.api.lookups import Lookups
from nkdigital.api.questions import Questions, warn_missing_geo
from nkdigital.citation.styles import DEFAULT
from nkdigital.core.errors import PackageError
from nkdigital.core.paths import resolve_descriptor
from nkdigital.core.periods import Bound, overlapping
from nkdigital.reading import links
from nkdigital.reading.descriptor import read_descriptor
from nkdigital.reading.frames import to_frame
from nkdigital.reading.table import read_table


def load(path: str | os.PathLike | None = None, *, validate: bool = False,
         archive: str | os.PathLike | None = None) -> Package:
    """Open the data package (default: the bundled copy) with every resource as a typed DataFrame.

    With ``validate=True`` the package is first checked in full (schema, keys, hashes, quotes, logic), once per
    content (:func:`nkdigital.checking.validation.validated`).
    Any problem raises :class:`~nkdigital.PackageError` naming file, row and field; nothing is half-loaded.
    """
    descriptor_path = resolve_descriptor(path)
    tables = {}
    if validate:
        from nkdigital.checking.validation import validated

        tables = validated(descriptor_path, archive).tables  # empty when the verdict came from the cache
    descriptor = read_descriptor(descriptor_path)
    # reuse the tables validation read, if it ran: no second read, and nothing can change in between
    tables = tables or _read_tables(descriptor_path, descriptor)
    frames = {r["name"]: _with_attrs(to_frame(tables[r["name"]]), r, descriptor) for r in descriptor["resources"]}
    return Package(descriptor, _indicators_as_categories(frames), descriptor_path, archive=archive, valid=validate)


def _indicators_as_categories(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """`observations.indicator` as a categorical over the indicators the package defines."""
    if {"indicators", "observations"} <= set(frames):
        import pyarrow as pa
        import pyarrow.compute as pc

        observations = frames["observations"]
        defined = sorted(frames["indicators"]["indicator"].dropna())
        # each value's place among the defined ones (-1: undefined or empty), in one vectorised pass
        codes = pc.index_in(pa.array(observations["indicator"], pa.large_string()),
                           value_set=pa.array(defined, pa.large_string()))
        observations["indicator"] = pd.Categorical.from_codes(codes.fill_null(-1).to_numpy(),
                                                              dtype=pd.CategoricalDtype(defined), validate=False)
    return frames


@functools.lru_cache(maxsize=1)
def bundled() -> Package:
    """The bundled package, loaded once per process (the default wherever a function takes `package=None`)."""
    return load()


def cite(what: str | pd.DataFrame | Iterable[str] | None = None, style: str = DEFAULT, *,
         package: Package | None = None) -> str:
    """Cite a source id, a row id (the sources behind the row, inputs of derived rows included), every source
    behind a DataFrame, a list of such ids (sorted, once each), or the package (no argument); `style` is one of
    :data:`nkdigital.citation.styles.STYLES`, `package` defaults to the bundled one."""
    from nkdigital.citation import cite as cite_in

    return cite_in(what, style, package=package or bundled())


def _read_tables(descriptor_path: Path, descriptor: dict) -> dict:
    """Every resource as a typed pyarrow Table; PackageError listing every problem if any file is broken."""
    tables, problems = {}, []
    for resource in descriptor["resources"]:
        table, found = read_table(descriptor_path.parent, resource)
        problems += found
        tables[resource["name"]] = table
    if problems:
        raise PackageError(problems)
    return tables


def _with_attrs(frame: pd.DataFrame, resource: dict, descriptor: dict) -> pd.DataFrame:
    frame.attrs = {
        "resource": resource["name"],
        "title": resource.get("title", ""),
        "description": resource.get("description", ""),
        "package_version": descriptor.get("version", ""),
        "fields": FieldNotes({
            f["name"]: {"type": f.get("type", "string"), "description": f.get("description", "")}
            for f in resource["schema"]["fields"]
        }),
    }
    return frame


def _attrs_of(attrs: dict, rows: pd.DataFrame) -> dict:
    """A copy of a resource's `attrs` for a frame of its `rows`: with the rows' sorted source ids, if they have
    any."""
    attrs = {**attrs}
    if "source_id" in rows:
        attrs["sources"] = SourceIds(sorted(rows["source_id"].dropna().unique()))
    return attrs


class Package(Questions, Lookups):
    """The loaded data package: one typed DataFrame per resource, with accessors for common questions.

    Every accessor returns a copy sorted by date, then id; `start`/`end` keep rows whose period overlaps the window
    (see :mod:`nkdigital.core.periods`).
    """

    def __init__(self, descriptor: dict, frames: dict[str, pd.DataFrame], path: Path, *,
                 archive: str | os.PathLike | None = None, valid: bool = False) -> None:
        self.descriptor = descriptor
        self.path = path
        self.archive = archive
        self._frames = frames
        self._schemas = {r["name"]: r["schema"] for r in descriptor["resources"]}
        self._valid = valid

    def require_valid(self) -> None:
        """Validate the package in full once (schema, keys, hashes, quotes, logic); PackageError if it is not."""
        if not self._valid:
            from nkdigital.checking.validation import validated

            validated(self.path, self.archive)
            self._valid = True

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(frame)}" for name, frame in self._frames.items())
        return f"<nkdigital.Package {self.version} ({sizes})>"

    @property
    def version(self) -> str:
        return self.descriptor.get("version", "")

    @property
    def resource_names(self) -> list[str]:
        return list(self._frames)

    def resource(self, name: str) -> pd.DataFrame:
        """A copy of one resource's frame, with its metadata in ``attrs``."""
        if name not in self._frames:
            raise KeyError(f"no resource {name!r}; the package has {self.resource_names}")
        return self._take(name)

    def table(self, name: str):
        """One resource as a pyarrow Table: what pandas makes of :meth:`resource` (its ``attrs`` in the pandas
        metadata), built from the stored frame in one take, without the pandas copy (the exports read this)."""
        import pyarrow as pa

        if name not in self._frames:
            raise KeyError(f"no resource {name!r}; the package has {self.resource_names}")
        stored = self._frames[name]
        frame = stored.copy(deep=False)
        frame.attrs = {}  # converted without attrs: pandas would deep-copy them for every column it reads
        table = pa.Table.from_pandas(frame, preserve_index=False).take(self._order(name))
        metadata = json.loads(table.schema.metadata[b"pandas"])
        # pandas reads attrs back from here, as if converted with them
        metadata["attributes"] = plain(_attrs_of(stored.attrs, stored))
        return table.replace_schema_metadata({b"pandas": json.dumps(metadata).encode("utf8")})

    def _key(self, name: str) -> str:
        """The id field of resource `name` (its first primary-key field)."""
        schema = self._schemas[name]
        return schema.get("primaryKey", [schema["fields"][0]["name"]])[0]

    def _date_field(self, name: str) -> str | None:
        return next((f["name"] for f in self._schemas[name]["fields"] if f.get("type") == "date"), None)

    @functools.cached_property
    def _order_cache(self) -> dict[str, np.ndarray]:
        return {}

    def _order(self, name: str) -> np.ndarray:
        """Positions of the stored rows in the resource's order: its first date field (empty dates last), then its
        id; a stable sort by pyarrow (a fifth of what pandas' sort on two columns costs)."""
        if name not in self._order_cache:
            import pyarrow as pa
            import pyarrow.compute as pc

            columns = [c for c in (self._date_field(name), self._key(name)) if c]
            keys = pa.table({c: pa.array(self._frames[name][c]) for c in columns})
            order = pc.sort_indices(keys, sort_keys=[(c, "ascending", "at_end") for c in columns])
            self._order_cache[name] = order.cast(pa.int64()).to_numpy()
        return self._order_cache[name]

    def _take(self, name: str, *masks: np.ndarray | None) -> pd.DataFrame:
        """The stored rows of resource `name` that every mask keeps, in the resource's order (see :meth:`_order`),
        as a new frame with a fresh index and the resource's metadata in ``attrs``."""
        frame = self._frames[name]
        order = self._order(name)
        result = frame.take(order[every(frame, masks)[order]]).reset_index(drop=True)
        result.attrs = _attrs_of(frame.attrs, result)
        return result

    def _dated(self, name: str, start: Bound, end: Bound) -> np.ndarray | None:
        return overlapping(self._frames[name], self._date_field(name), start, end)

    def sources(self, *, source_type: Choice = None, strength: Choice = None) -> pd.DataFrame:
        frame = self._frames["sources"]
        return self._take("sources", by_value(frame, "source_type", source_type), by_value(frame, "strength", strength))

    def _by_source(self, name: str, source_type: Choice, strength: Choice) -> np.ndarray | None:
        """Rows with a source of the given types and strengths (through their attestations, if they have any)."""
        if source_type is None and strength is None:
            return None
        keep = set(self.sources(source_type=source_type, strength=strength)["source_id"])
        frame = self._frames[name]
        if "source_id" in frame:
            return frame["source_id"].isin(keep).to_numpy(dtype=bool)
        return np.array([bool(self._row_links[row_id][0] & keep) for row_id in frame[self._key(name)].tolist()],
                        dtype=bool)

    def observations(self, indicator: Choice = None, *, geo: Choice = "PRK", subject: Choice = None,
                     claim_type: Choice = None, start: Bound = None, end: Bound = None, source_type: Choice = None,
                     strength: Choice = None) -> pd.DataFrame:
        """Observations of one geo (default PRK; a list, or None/"all" for every geo), optionally one or more
        indicators, subjects, claim types, a period window, source types or strengths."""
        frame = self._frames["observations"]
        others = [self._dated("observations", start, end),
                  *(by_value(frame, column, choice) for column, choice in
                    (("indicator", indicator), ("subject", subject), ("claim_type", claim_type))),
                  self._by_source("observations", source_type, strength)]
        found = self._take("observations", by_geo(frame, geo), *others)
        warn_missing_geo(indicator, geo, found, frame["geo"][every(frame, others)])
        return found

    def events(self, category: Choice = None, *, start: Bound = None, end: Bound = None,
               source_type: Choice = None, strength: Choice = None) -> pd.DataFrame:
        return self._take("events", self._dated("events", start, end),
                          by_value(self._frames["events"], "category", category),
                          self._by_source("events", source_type, strength))

    def device_estimates(self, device: Choice = None, *, measure: Choice = None, claim_type: Choice = None,
                         start: Bound = None, end: Bound = None) -> pd.DataFrame:
        frame = self._frames["device_estimates"]
        return self._take("device_estimates", self._dated("device_estimates", start, end),
                          by_value(frame, "device", device), by_value(frame, "measure", measure),
                          by_value(frame, "claim_type", claim_type))

    def access_tiers(self, tier: Choice = None, *, start: Bound = None, end: Bound = None) -> pd.DataFrame:
        return self._take("access_tiers", self._dated("access_tiers", start, end),
                          by_value(self._frames["access_tiers"], "tier", tier))

    def access_controls(self, step: Choice = None) -> pd.DataFrame:
        return self._take("access_controls", by_value(self._frames["access_controls"], "step", step))

    def rights_framework(self, instrument_type: Choice = None) -> pd.DataFrame:
        return self._take("rights_framework",
                          by_value(self._frames["rights_framework"], "instrument_type", instrument_type))

    def indicators(self) -> pd.DataFrame:
        """One row per indicator: indicator, title, unit, definition (what it counts and what it does not),
        claim_types and caveats."""
        return self._take("indicators")

    def with_sources(self, frame: pd.DataFrame, fields: Iterable[str] | None = None) -> pd.DataFrame:
        """A copy of `frame` (any frame with a source_id column) with fields of each row's source added
        (default: original_outlet, url, strength).

        Fields come from `sources` (URLs cleaned) and the source's archived copy (`archive_path`, ...); a name the
        frame already uses (e.g. `title`) is added as `source_<field>`.
        """
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"frame must be a DataFrame with a source_id column; got {type(frame).__name__}")
        return links.with_sources(frame, self.source_table, fields)

    @functools.cached_property
    def source_table(self) -> pd.DataFrame:
        """Sources indexed by source_id, URLs cleaned, with the fields of each source's archived copy."""
        return links.source_table(self._frames)

    @functools.cached_property
    def creators_by_source(self) -> dict[str, list[dict]]:
        """Creator rows per source id, in the document's order: built once, read by every citation."""
        from nkdigital.citation.records import creators_of

        return creators_of(self)

    @functools.cached_property
    def source_rows(self) -> dict[str, dict]:
        """Each source row of :meth:`sources` as a dict, by source_id: built once, read by every chart page and
        chart file (a lookup per drawn row)."""
        frame = self._frames["sources"]
        return dict(zip(frame["source_id"].tolist(), frame.to_dict("records"), strict=True))

    @functools.cached_property
    def citation_records(self) -> dict[str, dict]:
        """CSL-JSON items by source id, filled as sources are first cited
        (:func:`nkdigital.citation.records.records`); read-only for everyone else."""
        return {}
