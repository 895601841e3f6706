"""What the benchmark compares: each measurement as a pair of commands, ours and its peer, with its target.

A command may hold `{out}`: a fresh empty folder for each run. `metric` says which figure of a run is compared:
`wall` (s), `cpu` (s of the whole process tree) or `reported` (the seconds the command prints for its timed part).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
TASKS = str(ROOT / "benchmarks" / "tasks.py")
NKDIGITAL = str(BIN / "nkdigital")
EXPORTS = ("sqlite", "duckdb", "xlsx", "parquet")
# the measurements `--only` can name, in the order they run; `serve` and `sizes` are not pairs of commands
MEASUREMENTS = ("import", "load", "validate", *(f"export-{f}" for f in EXPORTS), "serve", "report", "nbval", "sizes")
ONLY_AT_ONE = {"import", "report", "nbval", "sizes"}  # these use the bundled package and notebooks: size ×1 only


@dataclass(frozen=True)
class Pair:
    name: str
    ours: list[str]
    peer: list[str]
    target: float
    metric: str = "wall"
    fresh_cache: bool = False  # each run starts with an empty validation cache (else the size's warm one)
    memory_target: float | None = None


def notebooks() -> list[str]:
    return [str(p) for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))]


def pair(measurement: str, factor: int, descriptor: Path) -> Pair:
    """The pair of commands for `measurement` on the package at `descriptor` (`factor` times the bundled size)."""
    data = str(descriptor.parent / "data")
    if measurement == "import":
        return Pair("`import nkdigital` vs `import pandas`", [PYTHON, "-c", "import nkdigital"],
                    [PYTHON, "-c", "import pandas"], 1.15)
    if measurement == "load":
        return Pair("`nk.load()` vs `pandas.read_csv` of the same files (in-process)",
                    [PYTHON, TASKS, "load", str(descriptor)], [PYTHON, TASKS, "read_csv", data],
                    2 if factor == 1 else 3, metric="reported")
    if measurement == "validate":
        return Pair("`nkdigital validate` vs `frictionless validate` (both skip the IRI grammar)",
                    [NKDIGITAL, "validate", str(descriptor)], [PYTHON, TASKS, "frictionless", "validate",
                                                               str(descriptor)],
                    1.5 if factor == 1 else 2, fresh_cache=True, memory_target=2)
    if measurement.startswith("export-"):
        fmt = measurement.removeprefix("export-")
        return Pair(f"`nkdigital export {fmt}` (validated before) vs its pandas writer",
                    [NKDIGITAL, "export", fmt, f"{{out}}/out.{fmt}", "--package", str(descriptor)],
                    [PYTHON, TASKS, "export", fmt, f"{{out}}/out.{fmt}", data], 1.5)
    if measurement == "report":
        return Pair("`nkdigital report` vs `jupyter nbconvert --to html` of the same stored notebooks",
                    [NKDIGITAL, "report", "{out}/site"],
                    [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--output-dir", "{out}",
                     *notebooks()], 2)
    if measurement == "nbval":
        return Pair(f"`pytest --nbval` over {len(notebooks())} notebooks vs as many bare kernel starts (CPU)",
                    [PYTHON, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider", *notebooks()],
                    [PYTHON, TASKS, "kernels", str(len(notebooks()))], 3, metric="cpu")
    raise ValueError(f"no pair of commands for {measurement!r}")
