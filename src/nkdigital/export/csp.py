"""A Content-Security-Policy for the pages we write (chart pages, report pages, the report index).

Scripts run only from the page's own folder tree ('self', e.g. assets/plotly.min.js) or when their text has one of
the SHA-256 hashes the policy lists: the inline scripts we wrote. With hashes listed, browsers ignore
'unsafe-inline', so no inline event handler (``onerror=``), ``javascript:`` URL or injected script runs. Styles
may be inline: plotly.js sets them as it draws.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)


def script_hashes(page: str) -> list[str]:
    """CSP source expressions for the inline scripts of `page`, in order, without repeats."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(page):
        digest = base64.b64encode(hashlib.sha256(match.group(1).encode("utf-8")).digest()).decode("ascii")
        if f"'sha256-{digest}'" not in hashes:
            hashes.append(f"'sha256-{digest}'")
    return hashes


def policy(hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *hashes]) if hashes else "'self'"
    return (f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            " object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'self'")


def with_policy(page: str) -> str:
    """`page` with a CSP meta element first in its head, allowing exactly the inline scripts it holds now.

    Call it on a page built from escaped data only: any script already in the page is trusted.
    """
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(script_hashes(page))}">'
    head = _HEAD.search(page)
    if head is None:
        raise ValueError("page has no <head> to carry its Content-Security-Policy")
    return page[: head.end()] + "\n" + meta + page[head.end():]
