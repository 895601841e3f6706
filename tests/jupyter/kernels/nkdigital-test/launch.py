"""The IPython kernel nbval runs the notebooks in (`--nbval-kernel-name nkdigital-test`, see tests/pytest_early.py).

It is the ordinary kernel, started without three things the notebook checks never use:
- jsonschema's optional `rfc3987_syntax` plugin, marked absent: plotly's notebook renderer imports nbformat and with
  it jsonschema, which would otherwise compile that grammar (about a second) in every kernel;
- the debugger (`debugpy`, marked absent; about 0.2 s per kernel start);
- IPython's history database (an SQLite file written on every cell);
- the kernel's warnings on stderr (it warns that it talks over TCP without encryption at every start).
Test-only; users' kernels are untouched. benchmarks/RESULTS.md has the measurements.
"""

import sys

if __name__ == "__main__":
    for optional in ("rfc3987_syntax", "debugpy"):
        sys.modules.setdefault(optional, None)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=[*sys.argv[1:], "--HistoryManager.enabled=False",
                                           "--IPKernelApp.log_level=ERROR"])
