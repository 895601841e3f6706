"""A resource file's bytes taken in blocks, never held whole: one pass that hashes them and finds whether they can be
plain (see `arrow_table.plain_lines`), and a file object that hashes what pyarrow reads from it, so the table read
in a second pass is known to come from the same bytes.

Holding a large file's bytes while pyarrow builds its table from them kept both in memory at once (issue 25).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nkdigital.core.errors import Problem
from nkdigital.core.limits import MAX_FILE_BYTES, megabytes
from nkdigital.reading import known
from nkdigital.reading.arrow_table import read_plain, refused

_BLOCK = 1 << 20  # bytes read and hashed at a time


@dataclass(frozen=True)
class Scan:
    """What one pass over a file's bytes found."""

    seal: tuple[int, str | None]  # the size, and the digest by the resource's recorded hash algorithm (None: none)
    digest: bytes  # the SHA-256 of the bytes, which names them (see `known.plain_mark`)
    lines: int | None  # the number of lines, None when the bytes cannot be plain (see `arrow_table.plain_lines`)


def algorithm(resource: dict) -> str | None:
    """The hash algorithm of a resource's recorded `hash` (`ALGORITHM:HEXDIGEST`), None if it records none."""
    name, _, recorded = str(resource.get("hash", "")).partition(":")
    return name if recorded else None


def seal(raw: bytes, resource: dict) -> tuple[int, str | None]:
    """The size of a resource file's bytes `raw` and their hex digest by the algorithm of its recorded `hash`
    (None when it records none)."""
    name = algorithm(resource)
    return len(raw), hashlib.new(name, raw).hexdigest() if name else None


def scan(file: Path, resource: dict) -> Scan:
    """One pass over `file` in blocks (OSError if it cannot be read); stops hashing after MAX_FILE_BYTES plus one
    block (the file grew past the limit: the seal's size then says so)."""
    name = algorithm(resource)
    content = hashlib.sha256()
    sealing = hashlib.new(name) if name and name != "sha256" else None
    size, lines, plain, tail = 0, 0, True, b""
    with file.open("rb") as stream:
        while (block := stream.read(_BLOCK)) and size <= MAX_FILE_BYTES:
            content.update(block)
            if sealing is not None:
                sealing.update(block)
            size += len(block)
            lines += block.count(b"\n")
            # the last two bytes of the block before: a character the reader refuses may start there
            plain = plain and not refused(tail + block)
            tail = (tail + block)[-2:]
    digest = sealing.hexdigest() if sealing is not None else content.hexdigest() if name else None
    return Scan((size, digest), content.digest(), lines if plain and tail.endswith(b"\n") else None)


class Hashed(io.RawIOBase):
    """A binary file read through: the SHA-256 and the number of the bytes read so far."""

    def __init__(self, stream) -> None:
        super().__init__()
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.stream.readinto(buffer)
        self.digest.update(memoryview(buffer)[:count])
        self.size += count
        return count


def unusable(file: Path, label: str) -> Problem | None:
    """The problem when `file` is missing, not a regular file or too large, else None (OSError if it cannot be
    looked at). Only a regular file of at most MAX_FILE_BYTES is opened: a FIFO or device would block or never end."""
    if not file.exists():
        return Problem(label, None, None, "resource file is missing")
    if not file.is_file():
        return Problem(label, None, None, "resource is not a regular file (a folder, FIFO or device?)")
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        return Problem(label, None, None, f"file is {megabytes(size)}; the limit is {megabytes(MAX_FILE_BYTES)}")
    return None


def unreadable(error: OSError, label: str) -> Problem:
    """The problem when reading a resource file failed."""
    return Problem(label, None, None, f"resource file cannot be read: {error.strerror}")


def read_fast(file: Path, resource: dict, seen: Callable[[tuple], object] | None = None) -> tuple:
    """The typed table of a plainly valid file, read in blocks (see :func:`arrow_table.read_plain`), and no problem;
    None and the problem when the file cannot be read; None and no problem when it is not plain (or changed while
    it was read): the careful reader then reads it whole. `seen`, if given, gets the seal of the bytes read."""
    label, fields = resource["path"], resource["schema"]["fields"]
    try:
        problem = unusable(file, label)
        if problem is not None:
            return None, [problem]
        scanned = scan(file, resource)
        mark = known.plain_mark(fields, scanned.digest)
        checked = known.is_known(mark)  # these bytes passed under these fields before
        if not checked and scanned.lines is None:
            return None, []
        with file.open("rb") as stream:
            hashed = Hashed(stream)
            table = read_plain(hashed, scanned.lines, fields, label, checked=checked)
    except OSError as error:
        return None, [unreadable(error, label)]
    if table is None or hashed.digest.digest() != scanned.digest:
        return None, []
    if seen is not None:
        seen(scanned.seal)
    if not checked:
        known.remember(mark)
    return table, []
