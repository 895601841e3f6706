"""nkdigital: sourced, quoted and validated open data on digital access and internet control in North Korea.

>>> import nkdigital as nk
>>> pkg = nk.load()
>>> subs = pkg.observations("mobile_subscriptions", start="2008", end="2024")   # sorted by date, then id
>>> nk.cite(subs.iloc[0]["observation_id"])   # a source id, a row id, a frame, or nothing for the package

`nkdigital.charts` (plotly), `nkdigital.text` (numbers, quantities and dates in words) and validation
(frictionless) load only when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from nkdigital.cite import cite
from nkdigital.errors import PackageError, Problem
from nkdigital.load import Package, load

if TYPE_CHECKING:
    from nkdigital import charts, export, text
    from nkdigital.validation import Report

__version__ = "0.1.0"
__all__ = ["Package", "PackageError", "Problem", "__version__", "charts", "cite", "export", "load", "text", "validate"]


def validate(path=None, archive=None) -> Report:
    """Validate a package in full (see :func:`nkdigital.validation.validate`)."""
    from nkdigital.validation import validate as run

    return run(path, archive)


def __getattr__(name: str):
    if name in ("charts", "export", "text"):
        return importlib.import_module(f"nkdigital.{name}")
    raise AttributeError(f"module 'nkdigital' has no attribute {name!r}")
