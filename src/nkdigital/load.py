"""Loading the data package as typed pandas DataFrames."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from nkdigital.descriptor import read_descriptor
from nkdigital.errors import PackageError
from nkdigital.paths import resolve_descriptor
from nkdigital.table import read_table

Choice = str | Iterable[str] | None


def load(path: str | os.PathLike | None = None, *, validate: bool = False,
         archive: str | os.PathLike | None = None) -> Package:
    """Open the data package (default: the bundled copy) with every resource as a typed DataFrame.

    With ``validate=True`` the package is first checked in full (schema, keys, hashes, quotes, logic).
    Any problem raises :class:`~nkdigital.PackageError` naming file, row and field; nothing is half-loaded.
    """
    descriptor_path = resolve_descriptor(path)
    if validate:
        from nkdigital.validation import validate as run_validation

        report = run_validation(descriptor_path, archive)
        if report.problems:
            raise PackageError(report.problems)
    descriptor = read_descriptor(descriptor_path)
    # with validation, reuse the frames it read: no second read, and nothing can change in between
    tables = report.frames if validate else _read_tables(descriptor_path, descriptor)
    frames = {r["name"]: _with_attrs(tables[r["name"]], r, descriptor) for r in descriptor["resources"]}
    return Package(descriptor, frames, descriptor_path, archive=archive, valid=validate)


def _read_tables(descriptor_path: Path, descriptor: dict) -> dict[str, pd.DataFrame]:
    """Every resource as a typed frame; PackageError listing every problem if any file is broken."""
    tables, problems = {}, []
    for resource in descriptor["resources"]:
        frame, found = read_table(descriptor_path.parent, resource)
        problems += found
        tables[resource["name"]] = frame
    if problems:
        raise PackageError(problems)
    return tables


def _with_attrs(frame: pd.DataFrame, resource: dict, descriptor: dict) -> pd.DataFrame:
    frame.attrs = {
        "resource": resource["name"],
        "title": resource.get("title", ""),
        "description": resource.get("description", ""),
        "package_version": descriptor.get("version", ""),
        "fields": {
            f["name"]: {"type": f.get("type", "string"), "description": f.get("description", "")}
            for f in resource["schema"]["fields"]
        },
    }
    return frame


def _select(frame: pd.DataFrame, column: str, choice: Choice) -> pd.DataFrame:
    if choice is None:
        return frame
    wanted = [choice] if isinstance(choice, str) else list(choice)
    unknown = set(wanted) - set(frame[column].dropna().unique())
    categories = getattr(frame[column], "cat", None)
    if unknown and categories is not None:
        invalid = unknown - set(categories.categories)
        if invalid:
            raise ValueError(f"unknown {column} {sorted(invalid)}; choose from {list(categories.categories)}")
    return frame[frame[column].isin(wanted)]


def _between(frame: pd.DataFrame, column: str, start: str | None, end: str | None) -> pd.DataFrame:
    if start is not None:
        frame = frame[frame[column] >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame[column] <= pd.Timestamp(end)]
    return frame


class Package:
    """The loaded data package: one typed DataFrame per resource, with accessors for common questions."""

    def __init__(self, descriptor: dict, frames: dict[str, pd.DataFrame], path: Path, *,
                 archive: str | os.PathLike | None = None, valid: bool = False) -> None:
        self.descriptor = descriptor
        self.path = path
        self.archive = archive
        self._frames = frames
        self._valid = valid

    def require_valid(self) -> None:
        """Validate the package in full once (schema, keys, hashes, quotes, logic); PackageError if it is not."""
        if not self._valid:
            from nkdigital.validation import validate

            report = validate(self.path, self.archive)
            if report.problems:
                raise PackageError(report.problems)
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
        return self._finish(self._frames[name])

    def _finish(self, frame: pd.DataFrame) -> pd.DataFrame:
        result = frame.reset_index(drop=True).copy()
        result.attrs = {**frame.attrs}
        if "source_id" in result:
            result.attrs["sources"] = sorted(result["source_id"].dropna().unique())
        return result

    def sources(self, *, source_type: Choice = None, strength: Choice = None) -> pd.DataFrame:
        frame = _select(self._frames["sources"], "source_type", source_type)
        return self._finish(_select(frame, "strength", strength))

    def _with_source_filter(self, frame: pd.DataFrame, source_type: Choice, strength: Choice) -> pd.DataFrame:
        if source_type is None and strength is None:
            return frame
        keep = self.sources(source_type=source_type, strength=strength)["source_id"]
        return frame[frame["source_id"].isin(set(keep))]

    def observations(self, indicator: Choice = None, *, subject: Choice = None, claim_type: Choice = None,
                     start: str | None = None, end: str | None = None, source_type: Choice = None,
                     strength: Choice = None) -> pd.DataFrame:
        """Observations, optionally one or more indicators, subjects, claim types, a date window, source types."""
        frame = self._frames["observations"]
        for column, choice in (("indicator", indicator), ("subject", subject), ("claim_type", claim_type)):
            frame = _select(frame, column, choice)
        frame = _between(frame, "ref_date", start, end)
        return self._finish(self._with_source_filter(frame, source_type, strength))

    def events(self, category: Choice = None, *, start: str | None = None, end: str | None = None,
               source_type: Choice = None, strength: Choice = None) -> pd.DataFrame:
        frame = _between(_select(self._frames["events"], "category", category), "event_date", start, end)
        return self._finish(self._with_source_filter(frame, source_type, strength))

    def device_estimates(self, device: Choice = None, *, measure: Choice = None,
                         claim_type: Choice = None) -> pd.DataFrame:
        frame = _select(self._frames["device_estimates"], "device", device)
        frame = _select(_select(frame, "measure", measure), "claim_type", claim_type)
        return self._finish(frame)

    def access_tiers(self, tier: Choice = None) -> pd.DataFrame:
        return self._finish(_select(self._frames["access_tiers"], "tier", tier))

    def access_controls(self, step: Choice = None) -> pd.DataFrame:
        return self._finish(_select(self._frames["access_controls"], "step", step))

    def rights_framework(self, instrument_type: Choice = None) -> pd.DataFrame:
        return self._finish(_select(self._frames["rights_framework"], "instrument_type", instrument_type))


    def source_ids(self, frame: pd.DataFrame) -> list[str]:
        """Sorted ids of every source behind `frame`, including the inputs of its derived rows."""
        ids = set(frame["source_id"].dropna()) if "source_id" in frame else set()
        pending = [i for cell in frame.get("input_ids", pd.Series(dtype="string")).dropna() for i in cell.split()]
        by_id = self._row_sources()
        seen = set()
        while pending:
            row_id = pending.pop()
            if row_id in seen or row_id not in by_id:
                continue
            seen.add(row_id)
            source_id, inputs = by_id[row_id]
            ids.add(source_id)
            pending += inputs
        return sorted(ids)

    def _row_sources(self) -> dict[str, tuple[str, list[str]]]:
        rows = {}
        for name, frame in self._frames.items():
            if name == "sources":
                continue
            inputs = frame["input_ids"] if "input_ids" in frame else pd.Series([None] * len(frame))
            for row_id, source_id, cell in zip(frame.iloc[:, 0], frame["source_id"], inputs, strict=True):
                rows[row_id] = (source_id, cell.split() if isinstance(cell, str) else [])
        return rows
