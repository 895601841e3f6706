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
the same mark; pyproject.toml selects it with `--nbval-kernel-name`.
"""

import gc
import importlib
import os
import sys
import types
from pathlib import Path

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
