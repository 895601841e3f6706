"""`nkdigital serve` against `datasette serve` of the database it built: seconds to the first table page."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from pairs import BIN, NKDIGITAL, ROOT
from results import Result, first_problem

PAGE = "/nkdigital/observations"


class Refused(Exception):
    """The server exited before answering."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def first_response(command: list[str], env: dict[str, str]) -> float:
    """Seconds from starting a server (`{port}` in `command`) to its first complete answer at PAGE."""
    port = free_port()
    start = time.perf_counter()
    process = subprocess.Popen([part.format(port=port) for part in command], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{PAGE}", timeout=60) as response:
                    response.read()
                return time.perf_counter() - start
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None:
                    raise Refused(first_problem(process.stderr.read())) from None
                time.sleep(0.02)
    finally:
        process.terminate()
        process.wait(timeout=60)
        process.stderr.close()


def compare(factor: int, rows: int, descriptor: Path, cache: Path, runs: int) -> Result:
    """Paired runs once `nkdigital serve` built its database (reused while the content is unchanged)."""
    name = "`nkdigital serve` (database reused) vs `datasette serve` of it: first table page"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    ours = [NKDIGITAL, "serve", "--port", "{port}", "--package", str(descriptor)]
    try:
        first_response(ours, env)  # builds the database once
    except Refused as refused:
        return Result(name, factor, rows, target=1.5, note=f"ours failed: {refused}")
    database = next(cache.rglob("*.sqlite"))
    peer = [str(BIN / "datasette"), "serve", "--immutable", str(database), "--port", "{port}"]
    first_response(peer, env)
    pairs = [(first_response(ours, env), first_response(peer, env)) for _ in range(runs)]
    return Result(name, factor, rows, statistics.median(o for o, _ in pairs), statistics.median(p for _, p in pairs),
                  statistics.median(o / p for o, p in pairs), target=1.5)
