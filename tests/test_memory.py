"""core.memory: how the command line's own process allocates (each setting checked in a process of its own)."""

from __future__ import annotations

import os
import subprocess
import sys

import pyarrow as pa
import pytest


def test_the_command_lines_pool_is_jemalloc_where_pyarrow_has_it():
    code = ("import pyarrow as pa; from nkdigital.core.memory import lean_pool; lean_pool();"
            " print(pa.default_memory_pool().backend_name)")
    try:
        pa.jemalloc_memory_pool()
        expected = "jemalloc"
    except NotImplementedError:
        expected = pa.default_memory_pool().backend_name
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == expected, done.stderr


def test_validate_has_mimalloc_give_freed_pages_back_and_leaves_the_environment_as_it_was():
    code = ("import os; from nkdigital.core.memory import freed_memory_returned\n"
            "with freed_memory_returned():\n"
            "    import pyarrow as pa; pa.array([1, 2]); pool = pa.default_memory_pool().backend_name\n"
            "print(pool, os.environ.get('MIMALLOC_PURGE_DELAY'), os.environ.get('MIMALLOC_VERBOSE'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "MIMALLOC_VERBOSE": "1"})
    pool, purge_delay, verbose = done.stdout.split()
    if pool != "mimalloc":
        pytest.skip(f"this pyarrow allocates from {pool} by default")
    assert "option 'purge_delay': 0" in done.stderr and "option 'arena_eager_commit': 0" in done.stderr
    assert (purge_delay, verbose) == ("None", "1")
