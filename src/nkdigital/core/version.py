"""The code's version (as in pyproject.toml), for `nkdigital --version` and the report; `nk.__version__`."""

VERSION = "0.1.0"
