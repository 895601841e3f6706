"""benchmarks/measure.py reports the whole process tree of a command: its grandchildren's memory and its output."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT

MEASURE = str(ROOT / "benchmarks" / "measure.py")
GRANDCHILD = "data = b'x' * (150 * 2**20); print(len(data))"  # 150 MiB written, so resident
CHILD = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {GRANDCHILD!r}], check=True); print('0.25')"


def measure(*command: str) -> dict:
    done = subprocess.run([sys.executable, MEASURE, *command], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_peak_memory_is_the_grandchilds_and_the_last_line_is_kept():
    run = measure(sys.executable, "-c", CHILD)
    assert run["rc"] == 0 and run["last"] == "0.25"
    assert 150 <= run["peak_mib"] < 1000
    assert run["cpu"] > 0 and run["wall"] > 0


def test_a_failing_command_keeps_its_exit_code_and_message():
    run = measure(sys.executable, "-c", "import sys; print('  - data/x.csv: broken', file=sys.stderr); sys.exit(3)")
    assert run["rc"] == 3 and "data/x.csv: broken" in run["tail"]
