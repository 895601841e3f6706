"""The bounds that keep `nkdigital validate` fast and small on any input (stated in the README)."""

from __future__ import annotations

MAX_DESCRIPTOR_BYTES = 2_000_000  # datapackage.json
MAX_JSON_DEPTH = 20  # nested objects and lists in datapackage.json (the package's own go 8 deep)
# Validation at these limits takes under 30 s of CPU time (benchmarks/limits.py; the README states it). They leave
# room for a package a hundred times today's (benchmarks/growth.py: 38 MB and 1.9 million cells of observations,
# 53 MB of files at x100); cell by cell, validation took 20 s at the former 20 MB and 1,000,000 cells.
MAX_FILE_BYTES = 50_000_000  # one resource's CSV file
MAX_CELLS = 2_500_000  # cells (rows x fields) in one resource
MAX_PACKAGE_BYTES = 100_000_000  # all resource files together
MAX_ARCHIVE_BYTES = 5_000_000  # one archived source text
MAX_ARCHIVE_TOTAL = 50_000_000  # all archived texts read in one validation
MAX_ARCHIVE_ENTRIES = 10_000  # files and folders listed in the archive folder (the package's hold about 160)
MAX_NUMBER_CHARS = 30  # a number cell, sign and decimal point included
MAX_INTEGER_DIGITS = 18  # a whole number (fits a 64-bit integer)
MAX_FORMULA_CHARS = 500  # a derived row's formula
MAX_FORMULA_DEPTH = 20  # nested parentheses in a formula
MAX_IMAGE_PX = 5_000  # an image's width or height as asked for (a PNG is drawn at twice this)
MAX_XLSX_CELL_CHARS = 32_767  # Excel's limit on the text of one cell
MAX_PATTERN_CHARS = 500  # a descriptor `pattern`, which runs on RE2 (linear time, no backtracking)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
