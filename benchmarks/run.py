"""Benchmarks: start-up, loading, validation, notebook checks and sizes, each as a ratio to a baseline.

    python benchmarks/run.py [--runs 5] [--skip-nbval]

Every timing is the median of N runs, each in a fresh process; each run of ours is paired with a run of its
baseline, one after the other, so that a machine that slows down or speeds up shifts both alike.
Prints a table and writes it, with the machine and date, to benchmarks/RESULTS.md (between the markers, so the
hand-written history below them is kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DESCRIPTOR = ROOT / "datapackage" / "datapackage.json"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- results: written by benchmarks/run.py -->", "<!-- end of results -->"
PYTHON = sys.executable
BIN = Path(PYTHON).parent

TIMED_LOAD = "import time, nkdigital as nk\nt = time.perf_counter()\nnk.load()\nprint(time.perf_counter() - t)"
TIMED_READ_CSV = (
    "import glob, time, pandas as pd\nt = time.perf_counter()\n"
    f"[pd.read_csv(f) for f in sorted(glob.glob({str(ROOT / 'datapackage' / 'data' / '*.csv')!r}))]\n"
    "print(time.perf_counter() - t)"
)
KERNEL_STARTS = (
    "import sys\nfrom jupyter_client.manager import start_new_kernel\n"
    "for _ in range(int(sys.argv[1])):\n"
    "    manager, client = start_new_kernel(kernel_name='python3')\n"
    "    client.stop_channels()\n    manager.shutdown_kernel(now=True)\n"
)


def wall(command: list[str], cwd: Path = ROOT) -> float:
    """Seconds one fresh process takes, start to exit."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - start


def reported(code: str) -> float:
    """Seconds a fresh process reports for the timed part of `code`."""
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def medians(ours, base, runs: int) -> tuple[float, float]:
    """Median seconds of `ours` and of `base` over `runs` pairs, each pair run one after the other."""
    ours(), base()  # warm the file-system cache once
    pairs = [(ours(), base()) for _ in range(runs)]
    return statistics.median(o for o, _ in pairs), statistics.median(b for _, b in pairs)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def first_response(command: list[str], path: str, env: dict[str, str]) -> float:
    """Seconds from starting a server (`{port}` in `command`) to its first complete answer at `path`."""
    port = free_port()
    start = time.perf_counter()
    process = subprocess.Popen([part.format(port=port) for part in command], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
                    response.read()
                return time.perf_counter() - start
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None:
                    sys.exit(f"failed: {' '.join(command)}")
                time.sleep(0.02)
    finally:
        process.terminate()
        process.wait(timeout=30)


def serve_timing(runs: int) -> tuple[str, float, float, str]:
    """`nkdigital serve` (its database reused) vs `datasette serve` of that database: time to the first table page."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        ours = [str(BIN / "nkdigital"), "serve", "--port", "{port}"]
        first_response(ours, "/nkdigital/observations", env)  # builds the database once
        base = [str(BIN / "datasette"), "serve", "--immutable", str(Path(cache) / "nkdigital" / "nkdigital.sqlite"),
                "--port", "{port}"]
        mine, theirs = medians(lambda: first_response(ours, "/nkdigital/observations", env),
                               lambda: first_response(base, "/nkdigital/observations", env), runs)
    return ("`nkdigital serve` (database reused) vs `datasette serve` of it: first table page", mine, theirs,
            "≤ 1.5×")


def timings(runs: int, nbval: bool) -> list[tuple[str, float, float, str]]:
    rows = []
    ours, base = medians(lambda: wall([PYTHON, "-c", "import nkdigital"]),
                         lambda: wall([PYTHON, "-c", "import pandas"]), runs)
    rows.append(("`import nkdigital` vs `import pandas`", ours, base, "≤ 1.15×"))

    ours, base = medians(lambda: reported(TIMED_LOAD), lambda: reported(TIMED_READ_CSV), runs)
    rows.append(("`nk.load()` (all resources) vs `pandas.read_csv` of the same files", ours, base, "≤ 2×"))

    ours, base = medians(lambda: wall([str(BIN / "nkdigital"), "validate", str(DESCRIPTOR)]),
                         lambda: wall([str(BIN / "frictionless"), "validate", str(DESCRIPTOR)]), runs)
    rows.append(("`nkdigital validate` (schema, keys, quotes, logic) vs `frictionless validate`", ours, base,
                 "≤ 1.5×"))
    rows.append(serve_timing(runs))

    if nbval:
        notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
        ours, base = medians(lambda: wall([PYTHON, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider",
                                           *map(str, notebooks)]),
                             lambda: wall([PYTHON, "-c", KERNEL_STARTS, str(len(notebooks))]), runs)
        rows.append((f"`pytest --nbval` over {len(notebooks)} notebooks vs {len(notebooks)} bare kernel starts",
                     ours, base, "≤ 3×"))
    return rows


def sizes() -> list[tuple[str, int, int]]:
    """(item, bytes, plotly.js bytes) for each notebook, the built report and each chart's HTML."""
    import plotly

    import nkdigital as nk
    from nkdigital import export

    plotly_js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").stat().st_size
    rows = [(f"notebook `{p.name}`", p.stat().st_size, plotly_js)
            for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))]
    with tempfile.TemporaryDirectory() as folder:
        figures = nk.charts.gallery(nk.load())
        for stem, fig in figures.items():
            path = export.write_chart_html(fig, Path(folder) / f"{stem}.html")
            rows.append((f"chart `{stem}.html` (self-contained)", path.stat().st_size, plotly_js))
        site = Path(folder) / "site"
        subprocess.run([str(BIN / "nkdigital"), "report", str(site)], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        rows.append(("built report `site/` (all files)", total, plotly_js))
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, Python"
            f" {platform.python_version()}")


def table(timed: list, sized: list, runs: int) -> str:
    lines = [START, "", f"Measured {dt.date.today().isoformat()} on {machine()}; median of {runs} fresh-process"
             " runs, each paired with a run of its baseline.", "",
             "| measurement | ours (s) | baseline (s) | ratio | target |", "|---|---:|---:|---:|---|"]
    for name, ours, base, target in timed:
        ratio = ours / base
        verdict = "" if target == "report" else (" ✓" if ratio <= float(target.strip("≤ ×")) else " ✗")
        lines.append(f"| {name} | {ours:.3f} | {base:.3f} | {ratio:.2f}× | {target}{verdict} |")
    lines += ["", "| size | bytes | vs plotly.js |", "|---|---:|---:|"]
    lines += [f"| {name} | {size:,} | {size / js:.2f}× |" for name, size, js in sized]
    return "\n".join([*lines, "", END])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (at least 5)")
    parser.add_argument("--skip-nbval", action="store_true", help="skip the slow notebook measurement")
    args = parser.parse_args()
    runs = max(5, args.runs)
    if not shutil.which("nkdigital", path=str(BIN)):
        sys.exit("install the project first (./run bench does)")
    # measure the package as installed: an editable install has no bytecode for src/ (none is written at all
    # under PYTHONDONTWRITEBYTECODE), a wheel installed by pip has
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "src")], check=True, stdout=subprocess.DEVNULL)
    result = table(timings(runs, not args.skip_nbval), sizes(), runs)
    print(result)
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else f"# Benchmark results\n\n{START}\n{END}\n"
    head, rest = previous.split(START, 1)
    RESULTS.write_text(head + result + rest.split(END, 1)[1], encoding="utf-8")


if __name__ == "__main__":
    main()
