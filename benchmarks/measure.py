"""One benchmark run in a fresh wrapper process: wall time, CPU time and peak memory of a command's process tree.

    python benchmarks/measure.py COMMAND [ARG ...]

Prints one JSON line: `wall` (s), `cpu` (user + system s of the command and every descendant it waited for),
`peak_mib` (largest resident set of any of them), `rc`, `last` (the command's last line of output, e.g. a time it
reports itself) and `tail` (the end of its output, for error messages). Being its own process, the wrapper's
`RUSAGE_CHILDREN` holds exactly this one command's tree.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(command: list[str]) -> dict:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, errors="replace")
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = done.stdout.strip().splitlines()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024,
            "rc": done.returncode, "last": lines[-1] if lines else "",
            "tail": (done.stdout[-1500:] + "\n" + done.stderr[-1500:]).strip()}


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__.split("\n\n")[1])
    print(json.dumps(main(sys.argv[1:])))
