"""The bottom layer: errors, bounds, paths, atomic writes, safe patterns and formulas, URLs and periods.

Imports nothing else from nkdigital (see "Layout" in CONTRIBUTING.md; tests/test_layout.py keeps it so)."""
