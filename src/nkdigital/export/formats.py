"""Every export format, once: the exporter, the `nkdigital` command's choices and help, the README and the tests
read these names (no heavy import here, so `nkdigital --help` stays cheap)."""

from __future__ import annotations

# `nkdigital export FORMAT OUT` / `export.export(pkg, FORMAT, OUT)`: format -> what OUT becomes
TABLE_FORMATS: dict[str, str] = {
    "sqlite": "one SQLite database",
    "duckdb": "one DuckDB database",
    "csv": "a data package folder of CSV files with its archive",
    "xlsx": "one Excel workbook",
    "parquet": "a folder of Parquet files",
}
IMAGE_FORMATS = ("png", "svg", "pdf")  # drawn by Chromium
CHART_FORMATS = ("html", *IMAGE_FORMATS)  # `nkdigital charts --format`: every chart at once
CHART_FILE_FORMATS = (*IMAGE_FORMATS, "html", "csv")  # `nkdigital chart NAME OUT`: OUT's suffix picks one


def unknown(kind: str, asked: str, known: tuple[str, ...] | dict[str, str]) -> ValueError:
    """The error for a format not in a registry, naming the ones there are."""
    return ValueError(f"unknown {kind} format {asked!r}; choose from {', '.join(known)}")
