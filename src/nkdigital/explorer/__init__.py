"""The evidence explorer: the package in Datasette, searchable, faceted, and linked to the archived texts.

`build` and `queries` load the build code (pandas) when first used, so that `nkdigital serve` on a reused database
imports neither; Datasette (the `explorer` extra) is imported only by :func:`serve`.
"""

from __future__ import annotations

import importlib

from nkdigital.explorer.serve import prepare, serve

_LAZY = {"build": "database", "queries": "canned"}
__all__ = ["build", "prepare", "queries", "serve"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f"nkdigital.explorer.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'nkdigital.explorer' has no attribute {name!r}")
