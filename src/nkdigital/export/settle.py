"""Rendered images made byte-reproducible: the same figure gives the same file on every run.

plotly.js names an SVG's clip paths and definitions after a random id, and Chromium stamps a PDF with the time it
printed it. The id becomes one derived from the SVG itself (so two charts inlined in one page still differ), and the
PDF's dates become the epoch, written at the same length so the PDF's byte offsets stay valid.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_SVG_ID = re.compile(r'id="defs-([0-9a-f]{6})"')
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}([^)]*)\)")
EPOCH = b"19700101000000"


def settled_svg(text: str) -> str:
    """`text` with plotly.js's random id in every id and reference replaced by one derived from the content."""
    found = _SVG_ID.search(text)
    if found is None:
        return text
    uses = re.compile(r'((?:id="|url\(#)[A-Za-z-]*)' + found.group(1))
    blank = uses.sub(r"\g<1>000000", text)
    derived = hashlib.sha256(blank.encode("utf-8")).hexdigest()[:6]
    return uses.sub(r"\g<1>" + derived, text)


def settled_pdf(data: bytes) -> bytes:
    """`data` with its creation and modification dates set to the epoch, at the same length."""
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + EPOCH + b"+00'00')"
                         if len(m.group(2)) == len(b"+00'00'") else m.group(0), data)


def settle(path: Path, fmt: str) -> None:
    """Rewrite the rendered file at `path` in place (PNG is already reproducible)."""
    if fmt == "svg":
        path.write_text(settled_svg(path.read_text(encoding="utf-8")), encoding="utf-8")
    elif fmt == "pdf":
        path.write_bytes(settled_pdf(path.read_bytes()))
