"""pytest plugin the test configuration loads first (`-p tests.pytest_early` in pyproject.toml; not in the wheel).

jsonschema imports its optional `rfc3987_syntax` plugin at import time when it is installed (jupyterlab pulls it
in), and nbval's plugin imports jsonschema through nbformat as pytest starts: compiling that grammar costs about a
second in every test process, and nothing here checks IRI syntax. Marking the module absent before any plugin
loads skips the import (see benchmarks/RESULTS.md). jsonschema's other optional format checkers are marked absent
too (the test kernel's `FORMAT_CHECKERS`): their import (isoduration pulls in arrow, the URI and date validators
compile grammars) cost about 30 ms of CPU in every test process, and nothing the tests run checks a JSON string's
`format` (nbformat and frictionless validate without a format checker).

The notebooks' kernels get the same treatment: the test kernel `nkdigital-test` (tests/jupyter/kernels, found
through JUPYTER_PATH, which this plugin extends for the test run only) is the ordinary IPython kernel started after
the same mark; pyproject.toml selects it with `--nbval-kernel-name`. Before a run's first notebook cell, this plugin
starts the forker those kernels are forked from (tests/jupyter/kernels/nkdigital-test/forking.py), and stops and
waits for it when the run ends.
"""

import functools
import gc
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import pytest

FORMAT_CHECKERS = ("fqdn", "isoduration", "rfc3339_validator", "rfc3986_validator", "rfc3987", "uri_template",
                   "webcolors")

for _optional in ("rfc3987_syntax", *FORMAT_CHECKERS):
    sys.modules.setdefault(_optional, None)


def _forward(name: str):
    """`nbval.cover.<name>`, importing the real module (and coverage) on the first call."""
    def forward(*args, **kwargs):
        if sys.modules.get("nbval.cover") is COVER_STAND_IN:
            del sys.modules["nbval.cover"]
        return getattr(importlib.import_module("nbval.cover"), name)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = name
    return forward


# nbval's plugin imports nbval.cover, and with it coverage (about 40 ms of CPU in every test process), for
# `--nbval-cov` alone: its two functions stand in and import the real module when a run asks for coverage
COVER_STAND_IN = types.ModuleType("nbval.cover", "Stands in for nbval.cover until coverage is asked for.")
COVER_STAND_IN.setup_coverage = _forward("setup_coverage")
COVER_STAND_IN.teardown_coverage = _forward("teardown_coverage")
if "nbval.cover" not in sys.modules:
    sys.modules["nbval.cover"] = COVER_STAND_IN

_KERNELS = str(Path(__file__).resolve().parent / "jupyter")
KERNEL = ("kernels", "nkdigital-test")
SOCKET_ROOM = 80  # the longest temporary folder the forker's socket is made in (else in /tmp)
_FORKER: dict = {}  # the running forker: its process and its socket's folder
os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [_KERNELS, os.environ.get("JUPYTER_PATH")]))


class _Formatted:
    """`pprint.pformat(value)`, computed only if a log record is actually written."""

    def __init__(self, value) -> None:
        self.value = value

    def __str__(self) -> str:
        from pprint import pformat

        return pformat(self.value)


def pytest_configure(config) -> None:
    """nbval logs every kernel message at debug level with an eager `pformat(msg)`: a third of its own CPU time
    over our notebooks (their plotly figures are large), paid even though nothing logs at debug level. The message
    is formatted lazily instead (the log text is unchanged).

    What pytest and its plugins built at start-up lives until the process ends, so it is moved out of the cyclic
    garbage collector's sight (`gc.freeze`): the collections during the run, and the full one pytest makes at the
    end to report unraisable exceptions, no longer walk it again (in a notebook run the collector's time fell from
    0.08–0.11 s to 0.03–0.04 s). Everything made later, by the tests, is collected as before."""
    kernel = sys.modules.get("nbval.kernel")
    if kernel is not None and hasattr(kernel, "pformat"):
        kernel.pformat = _Formatted
    gc.freeze()


@functools.cache
def _forking():
    """The test kernel's forking module (tests/jupyter/kernels/nkdigital-test/forking.py; not a package)."""
    spec = importlib.util.spec_from_file_location("nkdigital_test_forking", Path(_KERNELS, *KERNEL, "forking.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def address(folder: str) -> str:
    """The forker's socket in `folder`, as :func:`start_forker` made it."""
    return os.path.join(folder, "socket")


def start_forker() -> tuple[subprocess.Popen, str]:
    """Start a forker for the test kernel (forking.py); its process and the folder holding its socket, once the
    socket listens (launchers that connect then wait while it imports; before, they would start kernels alone)."""
    short = len(tempfile.gettempdir()) <= SOCKET_ROOM  # a socket's path holds 107 bytes at most
    folder = tempfile.mkdtemp(prefix="nkdigital-forker-", dir=None if short else "/tmp")
    socket_path = Path(address(folder))
    launch = Path(_KERNELS, *KERNEL, "launch.py")
    # the environment as Jupyter gives it to a kernel (os.environ; without it, variables set in C, such as readline's
    # LINES and COLUMNS, would be inherited too, and no kernel's environment would match)
    process = subprocess.Popen([sys.executable, str(launch), "--forker", str(socket_path)], stdin=subprocess.DEVNULL,
                               env=dict(os.environ))
    for _ in range(1000):  # 10 s at most
        if socket_path.exists() or process.poll() is not None:
            break
        time.sleep(0.01)
    return process, folder


def stop_forker(process: subprocess.Popen, folder: str) -> None:
    """Stop a forker (the kernels still running are killed) and wait for it; remove its socket's folder."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    """Before the first notebook cell of a run that uses the test kernel, start the forker its kernels are forked
    from (forking.py says why); it is this process's child, stopped and waited for at the end of the run."""
    if _FORKER or not type(item).__module__.startswith("nbval"):
        return
    if item.config.getoption("nbval_kernel_name", None) != KERNEL[-1]:
        return
    capture = item.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():  # its own errors go to the run's stderr, not into one test's
        process, folder = start_forker()
    _FORKER.update(process=process, folder=folder)
    os.environ[_forking().ADDRESS_VARIABLE] = address(folder)


def pytest_unconfigure(config) -> None:
    """Stop the forker (its kernels have shut down with their notebooks) and wait for it."""
    if _FORKER:
        os.environ.pop(_forking().ADDRESS_VARIABLE, None)
        stop_forker(_FORKER["process"], _FORKER["folder"])
        _FORKER.clear()
