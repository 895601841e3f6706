"""Exports: the package as tables (SQLite, DuckDB, CSV, Excel, Parquet) and charts as HTML, PNG, SVG, PDF or
CSV (the names: :mod:`nkdigital.export.formats`). Writes are atomic.

Each name loads its module on first use, so reading the format registry imports no pandas or plotly.
"""

from __future__ import annotations

import importlib

_MODULES = {
    "chart_file": ["chart_rows", "write_chart", "write_chart_csv"],
    "html": ["chart_html", "escape_once", "write_chart_html"],
    "images": ["find_browser", "write_charts", "write_image", "write_images"],
    "tables": ["WRITERS", "export", "read_sqlite", "to_csv", "to_duckdb", "to_parquet", "to_sqlite", "to_xlsx"],
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'nkdigital.export' has no attribute {name!r}")
    return getattr(importlib.import_module(f"nkdigital.export.{_WHERE[name]}"), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
