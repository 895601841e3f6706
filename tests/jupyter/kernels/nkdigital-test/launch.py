"""The IPython kernel nbval runs the notebooks in (`--nbval-kernel-name nkdigital-test`, see tests/pytest_early.py).

It is the ordinary kernel, started without seven things the notebook checks never use:
- jsonschema's optional `rfc3987_syntax` plugin, marked absent: plotly's notebook renderer imports nbformat and with
  it jsonschema, which would otherwise compile that grammar (about a second) in every kernel;
- jsonschema's other optional format checkers (`FORMAT_CHECKERS`, marked absent): nothing in a kernel checks a
  JSON string's format (nbformat validates with fastjsonschema, and the notebooks never validate a schema), yet
  their import (isoduration pulls in arrow, the URI and date validators compile their grammars) cost about 30 ms
  of CPU in every kernel;
- the debugger (`debugpy`, marked absent; about 0.2 s per kernel start);
- IPython's history database (an SQLite file written on every cell);
- the kernel's warnings on stderr (it warns that it talks over TCP without encryption at every start);
- the cyclic garbage collector: the kernel runs one notebook and exits, and the collections (over the heap that
  pandas and plotly build) cost about 0.14 s of CPU in each kernel, a tenth of its time; peak memory stays the same
  (189 MiB) because our notebooks make almost no reference cycles, and everything is freed at exit;
- OpenBLAS's worker threads (`OPENBLAS_NUM_THREADS=1` unless set): numpy's OpenBLAS starts a thread per core at
  import and they spin while waiting for work, yet the notebooks do no linear algebra and pytest-xdist already runs
  a kernel per core; a process that loads the package and draws two charts spent 0.15–0.21 s more CPU with them
  (a fifth of its time), 70 ms of it in `import numpy`.
During a notebook run the kernel is forked from a process that has already imported the kernel's libraries and
numpy, pyarrow and plotly (forking.py: `launch.py --forker SOCKET`, started by tests/pytest_early.py); this file is
then the launcher Jupyter watches. Test-only; users' kernels are untouched. benchmarks/RESULTS.md has the
measurements.
"""

import gc
import os
import signal
import sys

FORMAT_CHECKERS = ("fqdn", "isoduration", "rfc3339_validator", "rfc3986_validator", "rfc3987", "uri_template",
                   "webcolors")

def prepare() -> None:
    """What this kernel runs without (above), set before anything is imported."""
    gc.disable()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    for optional in ("rfc3987_syntax", "debugpy", *FORMAT_CHECKERS):
        sys.modules.setdefault(optional, None)


def launch(argv: list[str]) -> None:
    """Run the IPython kernel with the launcher's arguments."""
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=[*argv, "--HistoryManager.enabled=False", "--IPKernelApp.log_level=ERROR"])


if __name__ == "__main__":
    prepare()
    import forking

    if sys.argv[1:2] == ["--forker"]:
        try:
            forker = forking.Forker(sys.argv[2])
        except OSError as error:
            sys.exit(f"the test kernels start fresh: no forker ({error})")
        kernel_argv = forker.serve()
        if kernel_argv is not None:  # a forked child
            launch(kernel_argv)
    else:
        code = forking.run_forked(sys.argv[1:])
        if code is None:
            launch(sys.argv[1:])
        elif code < 0:
            signal.signal(-code, signal.SIG_DFL)
            os.kill(os.getpid(), -code)
        else:
            sys.exit(code)
