"""Benchmarks: ours against a peer for each measurement, at ×1, ×10 and ×100 the bundled package's rows.

    python benchmarks/run.py [--only load,validate] [--sizes 1,10,100] [--runs 5] [--no-write]

Each run is a fresh wrapper process (benchmarks/measure.py) that records wall time, CPU time and peak memory of
the command's process tree; each run of ours is paired with a run of its peer, one after the other, so that a
machine that slows down shifts both alike, and the ratio is the median of the per-pair ratios. The grown packages
are written by benchmarks/growth.py into a temporary folder. Prints the table and writes it, with the machine,
load average and versions, to benchmarks/RESULTS.md (between the markers: the history below them is kept).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import growth
import pairs
import results
import serving
import sizes
from pairs import MEASUREMENTS, ONLY_AT_ONE, PYTHON, ROOT, Pair
from results import Result

MEASURE = str(ROOT / "benchmarks" / "measure.py")


def sample(command: list[str], cache: Path, fresh_cache: bool) -> dict:
    """One run of `command` in a fresh wrapper process, with a fresh `{out}` folder (and cache, if asked)."""
    with tempfile.TemporaryDirectory(prefix="nkbench-") as out:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(out) / "cache") if fresh_cache else str(cache)}
        argv = [part.replace("{out}", out) for part in command]
        done = subprocess.run([PYTHON, MEASURE, *argv], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the wrapper failed on {' '.join(argv)}:\n{done.stderr}")
    return json.loads(done.stdout)


def value(run: dict, metric: str) -> float:
    return float(run["last"]) if metric == "reported" else run[metric]


def compare(pair: Pair, factor: int, rows: int, cache: Path, runs: int) -> Result:
    """Warm both once, then `runs` interleaved pairs; a command of ours that fails is reported, not timed (its
    peer's warm-up run is)."""
    result = Result(pair.name, factor, rows, target=pair.target, metric=pair.metric,
                    memory_target=pair.memory_target)
    first = sample(pair.ours, cache, pair.fresh_cache)
    peer = sample(pair.peer, cache, pair.fresh_cache)
    if first["rc"]:  # the peer's one run still shows what this size costs it
        result.note = f"ours failed (exit {first['rc']}): {results.first_problem(first['tail'])}"
        if not peer["rc"]:
            result.peer, result.peak_peer = value(peer, pair.metric), peer["peak_mib"]
        return result
    runs_done = [(sample(pair.ours, cache, pair.fresh_cache), sample(pair.peer, cache, pair.fresh_cache))
                 for _ in range(runs)]
    for ours, peer in runs_done:
        for run, command in ((ours, pair.ours), (peer, pair.peer)):
            if run["rc"]:
                sys.exit(f"failed (exit {run['rc']}): {' '.join(command)}\n{run['tail']}")
    result.ours = statistics.median(value(o, pair.metric) for o, _ in runs_done)
    result.peer = statistics.median(value(p, pair.metric) for _, p in runs_done)
    result.ratio = statistics.median(value(o, pair.metric) / value(p, pair.metric) for o, p in runs_done)
    result.peak_ours = statistics.median(o["peak_mib"] for o, _ in runs_done)
    result.peak_peer = statistics.median(p["peak_mib"] for _, p in runs_done)
    return result


def measure(only: list[str], factors: list[int], runs: int, scratch: Path) -> list[Result]:
    measured = []
    for factor in factors:
        wanted = [m for m in only if m != "sizes" and (factor == 1 or m not in ONLY_AT_ONE)]
        if not wanted:
            continue
        descriptor = growth.grow(factor, scratch / f"x{factor}")
        rows = sum(growth.row_counts(descriptor).values())
        cache = scratch / f"cache-x{factor}"
        for name in wanted:
            print(f"×{factor}: {name} ...", file=sys.stderr, flush=True)
            if name == "serve":
                measured.append(serving.compare(factor, rows, descriptor, cache, runs))
            else:
                measured.append(compare(pairs.pair(name, factor, descriptor), factor, rows, cache, runs))
            print("  " + results.row(measured[-1]), file=sys.stderr, flush=True)
        shutil.rmtree(scratch / f"x{factor}")
    return measured


def names(text: str) -> list[str]:
    chosen = {n.strip() for n in text.split(",") if n.strip()}
    if "export" in chosen:  # every export
        chosen = (chosen - {"export"}) | {m for m in MEASUREMENTS if m.startswith("export-")}
    unknown = sorted(set(chosen) - set(MEASUREMENTS))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown measurement {unknown[0]!r}; choose from {', '.join(MEASUREMENTS)}")
    return [m for m in MEASUREMENTS if m in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=names, default=list(MEASUREMENTS),
                        help=f"comma-separated measurements (default: all): {', '.join(MEASUREMENTS)};"
                        " 'export' means every export")
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated growth factors (default: 1,10,100)")
    parser.add_argument("--runs", type=int, default=5, help="paired runs per measurement (default: 5)")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave RESULTS.md alone")
    args = parser.parse_args()
    factors = sorted({int(f) for f in args.sizes.split(",") if f.strip()})
    if not shutil.which("nkdigital", path=str(pairs.BIN)):
        sys.exit("install the project first (./run bench does)")
    # measure the package as installed: an editable install has no bytecode for src/ (none is written at all
    # under PYTHONDONTWRITEBYTECODE), a wheel installed by pip has
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "src")], check=True, stdout=subprocess.DEVNULL)
    start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="nkbench-") as scratch:
        measured = measure(args.only, factors, max(1, args.runs), Path(scratch))
    sized = sizes.table(sizes.sizes()) if "sizes" in args.only else []
    text = results.block(measured, sized, max(1, args.runs), (start, os.getloadavg()))
    print(text)
    if not args.no_write:
        results.write(text)


if __name__ == "__main__":
    main()
