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
from collections.abc import Iterable

_INLINE_OPEN = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)  # an inline script starts
_CLOSE = re.compile(r"</script>", re.IGNORECASE)
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)


def inline_scripts(page: str) -> list[str]:
    """The text of every inline script in `page` (or in a fragment of one), in order: from its opening tag to the
    first ``</script>`` after it (found by a plain search: a lazy ``.*?`` crawled the inlined plotly.js)."""
    found, position = [], 0
    while (start := _INLINE_OPEN.search(page, position)) and (end := _CLOSE.search(page, start.end())):
        found.append(page[start.end():end.start()])
        position = end.end()
    return found


def script_hashes(scripts: Iterable[str]) -> list[str]:
    """CSP source expressions for `scripts` (their texts), in order, without repeats."""
    hashes = []
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        if f"'sha256-{digest}'" not in hashes:
            hashes.append(f"'sha256-{digest}'")
    return hashes


def policy(hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *hashes]) if hashes else "'self'"
    return (f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            " object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'self'")


def with_policy(page: str, trusted: Iterable[str] | None = None) -> str:
    """`page` with a CSP meta element first in its head, allowing the inline scripts `trusted` (their texts, as
    we wrote them) or, without `trusted`, every inline script the page holds now: then call it only on a page
    built from escaped data.
    """
    hashes = script_hashes(inline_scripts(page) if trusted is None else trusted)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    head = _HEAD.search(page)
    if head is None:
        raise ValueError("page has no <head> to carry its Content-Security-Policy")
    return page[: head.end()] + "\n" + meta + page[head.end():]
