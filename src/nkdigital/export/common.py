"""What every export shares: the checks before writing (valid package, target outside it) and the column
dictionary written beside the data."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from nkdigital.api.package import Package


def steps(items: list, enabled: bool, what: str, unit: str = "table") -> Iterable:
    """`items`, with a progress bar when `enabled` and stderr is a terminal (no `\\r` lines in logs)."""
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=what, unit=unit, leave=False, disable=None)


def counter(total: int, enabled: bool, what: str, unit: str = "file"):
    """A tqdm bar of `total` `unit`s, shown only when `enabled` and stderr is a terminal; `.update(n)` counts."""
    from tqdm import tqdm

    return tqdm(total=total, desc=what, unit=unit, leave=False, disable=None if enabled else True)


def guard(out: Path, package: Package) -> None:
    """Refuse to write inside the data package, or to export a package that does not validate."""
    folder = package.path.resolve().parent
    target = out.resolve()
    if target == folder or folder in target.parents:
        raise ValueError(f"refusing to write {out} inside the data package folder {folder}")
    package.require_valid()


def schemas(package: Package) -> dict[str, dict]:
    return {r["name"]: r["schema"] for r in package.descriptor["resources"]}


def fields_table(package: Package) -> pd.DataFrame:
    """One row per column of every resource: its type, whether it is required, allowed values and description."""
    rows = []
    for resource in package.descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            constraints = field.get("constraints", {})
            rows.append({
                "resource": resource["name"],
                "field": field["name"],
                "type": field.get("type", "string"),
                "required": bool(constraints.get("required", False)),
                "allowed_values": ", ".join(constraints.get("enum", [])) or None,
                "example": None if field.get("example") is None else str(field["example"]),
                "description": field.get("description", ""),
            })
    return pd.DataFrame(rows)
