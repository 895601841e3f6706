"""Benchmark results as a Markdown table, with the machine and versions, written into benchmarks/RESULTS.md."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- results: written by benchmarks/run.py -->", "<!-- end of results -->"
VERSIONS = ("pandas", "pyarrow", "frictionless", "plotly", "datasette", "duckdb")
UNITS = {"wall": "s", "cpu": "s CPU", "reported": "s"}


@dataclass
class Result:
    name: str
    factor: int
    rows: int
    ours: float | None = None  # median seconds over the paired runs
    peer: float | None = None
    ratio: float | None = None  # median of the per-pair ratios
    target: float | None = None
    metric: str = "wall"
    peak_ours: float | None = None  # median peak MiB of the process tree
    peak_peer: float | None = None
    memory_target: float | None = None
    note: str = ""


def first_problem(output: str) -> str:
    """The first problem a failed command names (a `  - ` line), else its last line of output."""
    lines = output.strip().splitlines() or ["no output"]
    return next((line.strip(" -") for line in lines if line.startswith("  - ")), lines[-1])


def verdict(ratio: float, target: float | None) -> str:
    return "" if target is None else f" (≤ {target:g}× {'✓' if ratio <= target else '✗'})"


def row(r: Result) -> str:
    size = f"×{r.factor} ({r.rows:,} rows)"
    unit = UNITS[r.metric]
    if r.ratio is None:
        peer, memory = ("—", "—") if r.peer is None else (f"{r.peer:.3f} {unit} (1 run)", f"— / {r.peak_peer:.0f}")
        return f"| {r.name} | {size} | — | {peer} | {r.note} | {memory} |"
    memory = "—"
    if r.peak_ours is not None:
        memory = f"{r.peak_ours:.0f} / {r.peak_peer:.0f}"
        memory += f" = {r.peak_ours / r.peak_peer:.2f}×{verdict(r.peak_ours / r.peak_peer, r.memory_target)}"
    return (f"| {r.name} | {size} | {r.ours:.3f} {unit} | {r.peer:.3f} {unit} |"
            f" {r.ratio:.2f}×{verdict(r.ratio, r.target)} | {memory} |")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores"


def versions() -> str:
    found = []
    for name in VERSIONS:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return f"Python {platform.python_version()}, " + ", ".join(found)


def commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def block(results: list[Result], sized: list[str], runs: int, load: tuple[tuple, tuple]) -> str:
    start, end = (", ".join(f"{x:.1f}" for x in avg) for avg in load)
    lines = [START, "", f"Measured {dt.date.today().isoformat()} at commit {commit()} on {machine()}; load average"
             f" (1, 5, 15 min) {start} at the start, {end} at the end. {versions()}.", "",
             f"Median of {runs} paired runs per row (ours, then its peer, each in a fresh wrapper process); the"
             " ratio is the median of the per-pair ratios; peak memory is the largest resident set in the"
             " command's process tree (median over the runs).", "",
             "| measurement | size | ours | peer | ratio (target) | peak MiB ours / peer |",
             "|---|---|---:|---:|---|---|", *map(row, results)]
    if sized:
        lines += ["", *sized]
    return "\n".join([*lines, "", END])


def write(text: str) -> None:
    """Replace the results block of RESULTS.md; the hand-written text and history after it are kept."""
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else f"# Benchmark results\n\n{START}\n{END}\n"
    head, rest = previous.split(START, 1)
    RESULTS.write_text(head + text + rest.split(END, 1)[1], encoding="utf-8")
