"""Sizes of what readers download: each notebook, each chart's self-contained HTML and the built report."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from pairs import NKDIGITAL, ROOT


def sizes() -> list[tuple[str, int, int]]:
    """(item, bytes, plotly.js bytes) for each notebook, the built report and each chart's HTML."""
    import plotly

    plotly_js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").stat().st_size
    rows = [(f"notebook `{p.name}`", p.stat().st_size, plotly_js)
            for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))]
    with tempfile.TemporaryDirectory() as folder:
        charts = Path(folder) / "charts"
        subprocess.run([NKDIGITAL, "charts", str(charts)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        rows += [(f"chart `{p.name}` (self-contained)", p.stat().st_size, plotly_js)
                 for p in sorted(charts.glob("*.html"))]
        site = Path(folder) / "site"
        subprocess.run([NKDIGITAL, "report", str(site)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        rows.append(("built report `site/` (all files)", total, plotly_js))
    return rows


def table(rows: list[tuple[str, int, int]]) -> list[str]:
    return ["| size | bytes | vs plotly.js |", "|---|---:|---:|",
            *(f"| {name} | {size:,} | {size / js:.2f}× |" for name, size, js in rows)]
