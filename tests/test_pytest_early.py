"""The test configuration's first plugin (tests/pytest_early.py): nbval's debug log of kernel messages is formatted
only when a record is written, and then reads as before; jsonschema's optional modules are skipped as in the test
kernel; coverage is imported only for a run that asks for it; the test kernel keeps numpy's OpenBLAS to one thread;
what pytest built at start-up is frozen out of the garbage collector's sight."""

from __future__ import annotations

import gc
import importlib.util
import logging
import os
import sys
from pathlib import Path
from pprint import pformat

import nbval.kernel
import pytest

from tests import pytest_early

MESSAGE = {"header": {"msg_type": "display_data"}, "content": {"data": {"text/plain": ["x" * 90, "y"]}}}


def test_nbval_formats_a_kernel_message_only_when_it_is_logged(caplog):
    assert nbval.kernel.pformat is pytest_early._Formatted
    with caplog.at_level(logging.DEBUG, logger=nbval.kernel.logger.name):
        nbval.kernel.logger.debug("Kernel message (%s):\n%s", "iopub", nbval.kernel.pformat(MESSAGE))
    assert caplog.records[-1].getMessage() == f"Kernel message (iopub):\n{pformat(MESSAGE)}"


def test_the_test_process_skips_the_optional_modules_the_test_kernel_skips():
    """jsonschema's IRI grammar and optional format checkers: marked absent in the test process as in the kernel
    (tests/jupyter/kernels/nkdigital-test/launch.py), so jsonschema's format checker has none of them."""
    import jsonschema

    launch = Path(pytest_early.__file__).parent / "jupyter" / "kernels" / "nkdigital-test" / "launch.py"
    spec = importlib.util.spec_from_file_location("nkdigital_test_launch", launch)
    kernel = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kernel)  # its start-up runs under __main__ only
    assert kernel.FORMAT_CHECKERS == pytest_early.FORMAT_CHECKERS
    assert all(sys.modules[name] is None for name in ("rfc3987_syntax", *pytest_early.FORMAT_CHECKERS))
    checked = jsonschema.FormatChecker().checkers
    assert {"iri", "uri", "duration", "date-time", "color"}.isdisjoint(checked)
    assert "email" in checked  # the checkers jsonschema needs no optional module for remain


def test_nbval_imports_coverage_only_when_a_run_asks_for_it(monkeypatch):
    """nbval's plugin holds the stand-in's functions; the first call imports the real nbval.cover and runs it."""
    import nbval.plugin

    assert nbval.plugin.setup_coverage is pytest_early.COVER_STAND_IN.setup_coverage
    assert nbval.plugin.teardown_coverage is pytest_early.COVER_STAND_IN.teardown_coverage
    monkeypatch.setitem(sys.modules, "nbval.cover", pytest_early.COVER_STAND_IN)

    class Kernel:
        language = "R"

    with pytest.warns(UserWarning, match="Coverage currently not supported for language 'R'"):
        nbval.plugin.setup_coverage(None, Kernel(), ("notebook.ipynb", 0))
    assert sys.modules["nbval.cover"] is not pytest_early.COVER_STAND_IN
    assert sys.modules["nbval.cover"].setup_coverage.__module__ == "nbval._cover5"


def test_the_test_kernel_runs_numpys_openblas_on_one_thread():
    """The notebooks' kernel (found through the JUPYTER_PATH this plugin sets) keeps OpenBLAS to the calling
    thread: importing numpy starts no worker threads that would spin beside the kernel (unless the environment
    asks for more: the kernel here starts without the variable)."""
    from jupyter_client.manager import start_new_kernel

    env = {name: value for name, value in os.environ.items() if name != "OPENBLAS_NUM_THREADS"}
    manager, client = start_new_kernel(kernel_name="nkdigital-test", env=env)
    printed = []
    try:
        code = ("import os\nbefore = len(os.listdir('/proc/self/task'))\nimport numpy\n"
                "print(os.environ.get('OPENBLAS_NUM_THREADS'), len(os.listdir('/proc/self/task')) - before)")
        reply = client.execute_interactive(code, timeout=60, output_hook=lambda msg: printed.append(
            msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok"
    assert "".join(printed).split() == ["1", "0"]


def test_what_pytest_built_at_start_up_is_out_of_the_collectors_sight():
    assert gc.get_freeze_count() > 1000  # pytest, its plugins and their imports: tens of thousands of objects
    assert gc.isenabled()  # what the tests make is still collected
