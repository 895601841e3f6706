"""Exports: the package as tables (SQLite, DuckDB, CSV, Excel, Parquet) and charts as HTML, PNG, SVG, PDF or
CSV. Writes are atomic."""

from nkdigital.export.chart_file import chart_rows, write_chart, write_chart_csv
from nkdigital.export.html import chart_html, escape_once, write_chart_html
from nkdigital.export.images import find_browser, write_charts, write_image, write_images
from nkdigital.export.tables import (
    WRITERS,
    export,
    read_sqlite,
    to_csv,
    to_duckdb,
    to_parquet,
    to_sqlite,
    to_xlsx,
)

__all__ = ["WRITERS", "chart_html", "chart_rows", "escape_once", "export", "find_browser", "read_sqlite", "to_csv",
           "to_duckdb", "to_parquet", "to_sqlite", "to_xlsx", "write_chart", "write_chart_csv", "write_chart_html",
           "write_charts", "write_image", "write_images"]
