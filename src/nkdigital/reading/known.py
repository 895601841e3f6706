"""The reader's verdicts kept between runs: a descriptor text that passed every check, a CSV file that the plain
reader read under its schema. A verdict is a mark named by the SHA-256 of exactly those bytes (and the schema),
the reading code (every layer the reader may import) and the versions of Python and pyarrow; any other byte,
field, check or version has another name, so it is read and checked in full again. Only success is kept."""

from __future__ import annotations

import functools
import hashlib
import json
import sys

from nkdigital.core.fingerprint import code_fingerprint
from nkdigital.core.kept import is_kept, keep

FOLDER = "read"  # the folder of marks inside the cache folder
_READER_LAYERS = ("core", "metadata", "text", "reading")  # what reading code may import (tests/test_layout.py)


@functools.cache
def _code() -> bytes:
    return f"{code_fingerprint(*_READER_LAYERS)}\0{sys.version}\0".encode()


def _mark(kind: str, *parts: bytes) -> str:
    digest = hashlib.sha256(_code() + kind.encode() + b"\0")
    for part in parts:  # each part's length first: no two splits of the same bytes share a mark
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()


def descriptor_mark(text: str) -> str:
    """The mark of a descriptor's text."""
    return _mark("descriptor", text.encode("utf-8", "surrogatepass"))


def plain_mark(fields: list[dict], digest: bytes) -> str:
    """The mark of a CSV file's bytes (named by their SHA-256 `digest`) read under `fields` (the resource's schema
    fields)."""
    import pyarrow

    schema = json.dumps(fields, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return _mark("plain", pyarrow.__version__.encode(), schema, digest)


def is_known(mark: str) -> bool:
    """Whether the content of `mark` passed before."""
    return is_kept(FOLDER, mark)


def remember(mark: str) -> None:
    """Keep the mark of content that passed (a cache that cannot be written is only skipped)."""
    keep(FOLDER, mark, b"passed\n")
