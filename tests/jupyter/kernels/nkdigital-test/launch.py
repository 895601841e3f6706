"""The IPython kernel nbval runs the notebooks in (`--nbval-kernel-name nkdigital-test`, see tests/pytest_early.py).

It is the ordinary kernel, started after marking jsonschema's optional `rfc3987_syntax` plugin absent: plotly's
notebook renderer imports nbformat and with it jsonschema, which would otherwise compile that grammar (about a
second) in every kernel, and nothing in the notebooks checks IRI syntax. Test-only; users' kernels are untouched.
"""

import sys

if __name__ == "__main__":
    sys.modules.setdefault("rfc3987_syntax", None)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
