"""The archived texts as the explorer serves them: regular `.txt` files inside the archive only, shown as their
header (without curation notes) and their evidence text, with a row's quote marked.

Anything else (a symlink anywhere on the path, a FIFO, device or folder, a file outside the archive, a missing
file, a file over the size limit) is the same "not found", so a visitor learns nothing about what exists.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from markupsafe import Markup, escape

from nkdigital.checking.quotes import evidence
from nkdigital.core.limits import MAX_ARCHIVE_BYTES

HIDDEN_HEADER = ("note",)  # curation notes: ours, not the document's
# The page runs nothing and loads nothing: only its own inline style.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def read(root: Path, relative: str) -> str | None:
    """The text of `root/relative` if it is a regular UTF-8 `.txt` file inside `root` reached without symlinks,
    else None."""
    parts = relative.split("/")
    if not relative.endswith(".txt") or not all(_PART.fullmatch(p) and ".." not in p for p in parts):
        return None
    path = root
    try:
        for part in parts:
            path = path / part
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return None
        # O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: no symlink swapped in meanwhile
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    found = os.fstat(handle)
    if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_ARCHIVE_BYTES:
        os.close(handle)
        return None
    with os.fdopen(handle, "rb") as file:
        data = file.read(MAX_ARCHIVE_BYTES + 1)
    try:
        return data.decode("utf-8") if len(data) <= MAX_ARCHIVE_BYTES else None
    except UnicodeDecodeError:
        return None


def header(text: str) -> list[tuple[str, str]]:
    """The header's `key: value` lines, curation notes left out."""
    head, rule, _ = text.partition("\n---\n")
    if not rule:
        return []
    pairs = [line.partition(":") for line in head.splitlines()]
    return [(key.strip(), value.strip()) for key, colon, value in pairs
            if colon and key.strip().lower() not in HIDDEN_HEADER]


def marked(body: str, quote: str | None) -> tuple[Markup, bool]:
    """`body` escaped, with the first occurrence of `quote` (whitespace-insensitive) in `<mark id="quote">`."""
    words = (quote or "").split()
    found = re.search(r"\s+".join(re.escape(w) for w in words), body) if words else None
    if found is None:
        return escape(body), False
    return (escape(body[:found.start()]) + Markup('<mark id="quote">') + escape(found.group())
            + Markup("</mark>") + escape(body[found.end():])), True


def page(relative: str, text: str, quote: str | None) -> str:
    """The HTML page of one archived text."""
    body, found = marked(evidence(text), quote)
    rows = "".join(f"<tr><th>{escape(key)}</th><td>{escape(value)}</td></tr>" for key, value in header(text))
    status = ""
    if quote:
        status = ('<p class="found"><a href="#quote">Go to the quoted passage</a> (marked).</p>' if found else
                  '<p class="missing">The quoted passage is not in this copy; the source may have another.</p>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Archived text: {escape(relative)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;"
        "line-height:1.5}th{text-align:left;padding-right:1rem;vertical-align:top}td{overflow-wrap:anywhere}"
        "pre{white-space:pre-wrap;overflow-wrap:anywhere;font:inherit}mark{background:#ffe066;scroll-margin-top:30vh}</style>"
        f"</head><body><p><a href=\"/nkdigital\">nkdigital</a> › archive › {escape(relative)}</p>"
        f"<h1>Archived text</h1><table class=\"header\">{rows}</table>{status}"
        f'<h2>Text</h2><pre class="evidence">{body}</pre></body></html>'
    )
