"""Root pytest configuration, loaded before anything imports jsonschema.

jsonschema imports the optional `rfc3987_syntax` plugin at import time when it is installed (jupyterlab pulls
it in); compiling its grammar costs about a second in every test process, and nothing here checks IRI syntax.
Marking it absent skips that import (measured in benchmarks/RESULTS.md).
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
