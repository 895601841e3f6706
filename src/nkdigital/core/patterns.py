"""Descriptor `pattern` constraints, run on RE2: linear time in the cell's length, so no pattern can hang."""

from __future__ import annotations

import functools

from nkdigital.core.limits import MAX_PATTERN_CHARS

TEXT_PATTERN_HINT = "text must not start with =, +, - or @ and must not contain < or >"


@functools.cache
def _compiled(pattern: str):
    import re2

    options = re2.Options()
    options.log_errors = False
    return re2.compile(pattern, options)


def pattern_problem(pattern: object) -> str | None:
    """Why `pattern` cannot be used, or None if it can."""
    if not isinstance(pattern, str):
        return "pattern must be text"
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"pattern is longer than {MAX_PATTERN_CHARS} characters"
    try:
        _compiled(pattern)
    except Exception:  # re2.error, or a pattern too large for RE2's memory budget
        return "pattern must be a regular expression RE2 accepts (no backreferences or lookaround)"
    return None


def fullmatch(pattern: str, text: str) -> bool:
    return _compiled(pattern).fullmatch(text) is not None


def all_match(pattern: str, texts: list[str]) -> bool:
    """True if every text matches `pattern` in full: one pass over the column in pyarrow, whose regular
    expressions are RE2 too (per-cell calls through the re2 module cost most of the time to load the package).
    `pattern` must already be accepted by :func:`pattern_problem`, so wrapping it cannot change its meaning."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from nkdigital.core import arrow

    if not texts:
        return True
    try:
        matched = pc.match_substring_regex(arrow.array(texts, pa.large_string()), pattern=f"^(?:{pattern})$")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False  # the caller's per-cell path gives the precise problem
    return bool(pc.all(matched).as_py())


def pattern_message(cell: str, pattern: str) -> str:
    """A plain-word message for a cell (already `shown`) that does not match `pattern`."""
    if "https?" in pattern:
        return f"{cell} is not an http(s) URL"
    if "<>" in pattern:
        return f"{cell}: {TEXT_PATTERN_HINT}"
    return f"{cell} does not have the required form {pattern}"
