"""pytest plugin the test configuration loads first (`-p tests.pytest_early` in pyproject.toml; not in the wheel).

jsonschema imports its optional `rfc3987_syntax` plugin at import time when it is installed (jupyterlab pulls it
in), and nbval's plugin imports jsonschema through nbformat as pytest starts: compiling that grammar costs about a
second in every test process, and nothing here checks IRI syntax. Marking the module absent before any plugin
loads skips the import (see benchmarks/RESULTS.md).
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
