"""Which third-party usage terms restrict reuse: the one rule every chart export and data file applies.

A source's ``usage_terms`` restrict reuse when they say non-commercial (also "NC", as in CC BY-NC) or "all rights
reserved". Exports that carry figures from such a source print those terms.
"""

from __future__ import annotations

import re

RESTRICTIVE = re.compile(r"non[- ]?commercial|all rights reserved", re.IGNORECASE)
NC = re.compile(r"\bNC\b")  # upper case only: CC BY-NC, CC BY-NC-SA


def restricts_reuse(terms: object) -> bool:
    """True when `terms` (a sources.usage_terms text) restrict reuse: non-commercial or all rights reserved."""
    if not isinstance(terms, str):
        return False
    return bool(RESTRICTIVE.search(terms) or NC.search(terms))
