"""nkdigital: sourced, quoted and validated open data on digital access and internet control in North Korea.

>>> import nkdigital as nk
>>> pkg = nk.load()
>>> subs = pkg.observations("mobile_subscriptions", start="2008", end="2024")   # sorted by date, then id
>>> nk.cite(subs.iloc[0]["observation_id"])   # a source id, a row id, a frame, or nothing for the package

Every name here loads on first use, so `import nkdigital` imports no pandas, plotly, frictionless or datasette:
`nk.load`, `nk.cite` and `nk.validate` bring pandas, `nkdigital.charts` plotly (frictionless only the tests).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from nkdigital.core.version import VERSION as __version__

if TYPE_CHECKING:
    from nkdigital import charts, export, text
    from nkdigital.api.package import Package, cite, load
    from nkdigital.checking.validation import Report
    from nkdigital.core.errors import PackageError, Problem

__all__ = ["Package", "PackageError", "Problem", "__version__", "charts", "cite", "export", "load", "text", "validate"]

# public name -> the module that defines it (a subpackage when the name is the module itself)
_LAZY = {"load": "nkdigital.api.package", "cite": "nkdigital.api.package", "Package": "nkdigital.api.package",
         "PackageError": "nkdigital.core.errors", "Problem": "nkdigital.core.errors",
         "charts": None, "export": None, "text": None}


def validate(path=None, archive=None) -> Report:
    """Validate a package in full (see :func:`nkdigital.checking.validation.validate`)."""
    from nkdigital.checking.validation import validate as run

    return run(path, archive)


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'nkdigital' has no attribute {name!r}")
    module = _LAZY[name]
    value = importlib.import_module(f"nkdigital.{name}") if module is None else \
        getattr(importlib.import_module(module), name)
    globals()[name] = value  # once: later lookups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
