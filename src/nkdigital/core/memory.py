"""How the command line's own process allocates: settings for a process, never made by the library, which leaves
its caller's allocators alone."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys

# glibc's mallopt parameter for the size from which an allocation gets pages of its own (returned when freed)
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 128 * 1024  # glibc's starting value, kept from rising
# pyarrow's default allocator, mimalloc, reads its options from the environment as pyarrow loads: give freed pages
# back at once, and take pages from its reserved arenas only as they are used
_MIMALLOC_OPTIONS = {"MIMALLOC_PURGE_DELAY": "0", "MIMALLOC_ARENA_EAGER_COMMIT": "0"}


def lean_pool() -> None:
    """Let pyarrow allocate from jemalloc in this process, where its build has it (the commands that load the
    package): reading and checking a package a hundred times the bundled one peaked at about 200 MiB with pyarrow's
    default mimalloc and 163 MiB with jemalloc, in less CPU time (issue 25, measured before validation let go of
    free text)."""
    import pyarrow as pa

    with contextlib.suppress(NotImplementedError):  # a build without jemalloc keeps its default
        pa.set_memory_pool(pa.jemalloc_memory_pool())


@contextlib.contextmanager
def freed_memory_returned():
    """While the block runs, give memory back to the system as soon as it is freed, for a command whose peak
    matters more than a little CPU time (`nkdigital validate`): pyarrow's mimalloc purges freed pages at once, and
    glibc gives each large block (numpy arrays, Python bytes) pages of its own instead of raising its threshold
    after the first free and keeping them in its heap. mimalloc reads its options from the environment when it first
    needs each, so they apply only where pyarrow was not imported before, and the environment is as it was after
    the block. At a hundred times the bundled package validate's peak fell from about 157 MiB (jemalloc, purging at
    once) to 144 MiB, in less time (benchmarks/RESULTS.md)."""
    before = {name: os.environ.get(name) for name in _MIMALLOC_OPTIONS}
    if "pyarrow" not in sys.modules:
        os.environ.update(_MIMALLOC_OPTIONS)
    with contextlib.suppress(OSError, TypeError, AttributeError):  # glibc only: others keep their own policy
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
