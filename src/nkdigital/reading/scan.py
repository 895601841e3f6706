"""The reader's fast path for a file: a small one read whole, a large one never held whole but read twice in blocks,
once to hash it (its seal, and the SHA-256 that names it in the reader's marks) and once through a file object that
hashes what pyarrow parses, checks its lines and characters (see `arrow_table.plain_lines`) unless a mark vouches
for the bytes, and so knows the table comes from the bytes scanned.

Holding a large file's bytes while pyarrow builds its table from them kept both in memory at once (issue 25).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from nkdigital.core.errors import Problem
from nkdigital.core.limits import MAX_FILE_BYTES, megabytes
from nkdigital.reading import known
from nkdigital.reading.arrow_table import parse_plain, plain_lines, refused

_BLOCK = 1 << 20  # bytes read and hashed at a time
# a file of up to this size is read whole and parsed as one block: holding its bytes costs little, and reading it
# twice would cost more CPU time than it saves memory
WHOLE = 1 << 22


@dataclass(frozen=True)
class Scan:
    """What one pass over a file's bytes found."""

    seal: tuple[int, str | None]  # the size, and the digest by the resource's recorded hash algorithm (None: none)
    digest: bytes  # the SHA-256 of the bytes, which names them (see `known.plain_mark`)


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
    """One pass over `file` in blocks, hashing (OSError if it cannot be read); stops after MAX_FILE_BYTES plus one
    block (the file grew past the limit: the seal's size then says so)."""
    name = algorithm(resource)
    content = hashlib.sha256()
    sealing = hashlib.new(name) if name and name != "sha256" else None
    size = 0
    with file.open("rb") as stream:
        while (block := stream.read(_BLOCK)) and size <= MAX_FILE_BYTES:
            content.update(block)
            if sealing is not None:
                sealing.update(block)
            size += len(block)
    digest = sealing.hexdigest() if sealing is not None else content.hexdigest() if name else None
    return Scan((size, digest), content.digest())


class Hashed(io.RawIOBase):
    """A binary file read through: the SHA-256 of the bytes read so far and, if `plain` is asked for, whether they
    can be plain (see :func:`arrow_table.plain_lines`)."""

    def __init__(self, stream, plain: bool = False) -> None:
        super().__init__()
        self.stream, self.digest, self.checks = stream, hashlib.sha256(), plain
        self.count, self.plain, self.tail = 0, True, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.stream.readinto(buffer)
        block = memoryview(buffer)[:count]
        self.digest.update(block)
        if self.checks and count:
            block = self.tail + bytes(block)
            self.count += block.count(b"\n", len(self.tail))
            # the last two bytes of the block before: a character the reader refuses may start there
            self.plain = self.plain and not refused(block)
            self.tail = block[-2:]
        return count

    @property
    def lines(self) -> int | None:
        """The number of lines read, None when they cannot be plain."""
        return self.count if self.plain and self.tail.endswith(b"\n") else None


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


def read_fast(file: Path, resource: dict, seen: Callable[[tuple], object] | None = None,
              pruned: Mapping[str, str | None] | None = None) -> tuple:
    """The typed table of a plainly valid file (see :func:`arrow_table.parse_plain`, which thins or leaves out the
    columns `pruned` names) and no problem; None and the problem when the file cannot be read; None and no problem
    when it is not plain (or changed while it was read): the careful reader then reads it whole. `seen`, if given,
    gets the seal of the bytes read. A file of up to WHOLE bytes is read whole, a larger one in blocks, twice (see
    :func:`scan`)."""
    label = resource["path"]
    try:
        problem = unusable(file, label)
        if problem is not None:
            return None, [problem]
        read = _whole if file.stat().st_size <= WHOLE else _streamed
        scanned, table, mark = read(file, resource, pruned)
    except OSError as error:
        return None, [unreadable(error, label)]
    if table is None:
        return None, []
    if seen is not None:
        seen(scanned.seal)
    if mark is not None:
        known.remember(mark)
    return table, []


def _whole(file: Path, resource: dict, pruned: Mapping[str, str | None] | None) -> tuple:
    """(scan, table or None, the mark to keep or None) of a file read whole, for :func:`read_fast`."""
    import pyarrow as pa

    fields, label = resource["schema"]["fields"], resource["path"]
    raw = file.read_bytes()
    digest = hashlib.sha256(raw)
    sealed = (len(raw), digest.hexdigest()) if algorithm(resource) == "sha256" else seal(raw, resource)
    scanned = Scan(sealed, digest.digest())
    mark = known.plain_mark(fields, scanned.digest)
    if known.is_known(mark):  # these bytes passed under these fields before
        return scanned, parse_plain(pa.BufferReader(raw), fields, label, checked=True, block=WHOLE,
                                    pruned=pruned), None
    lines = plain_lines(raw)
    table = None if lines is None else parse_plain(pa.BufferReader(raw), fields, label, block=WHOLE, pruned=pruned)
    if table is None or lines != table.num_rows + 1:  # see read_plain
        return scanned, None, None
    return scanned, table, mark


def _streamed(file: Path, resource: dict, pruned: Mapping[str, str | None] | None) -> tuple:
    """(scan, table or None, the mark to keep or None) of a file read in blocks, twice, for :func:`read_fast`."""
    fields = resource["schema"]["fields"]
    scanned = scan(file, resource)
    mark = known.plain_mark(fields, scanned.digest)
    checked = known.is_known(mark)  # these bytes passed under these fields before
    with file.open("rb") as stream:
        hashed = Hashed(stream, plain=not checked)
        table = parse_plain(hashed, fields, resource["path"], checked=checked, pruned=pruned)
    # the bytes parsed are the bytes scanned; a line break inside a cell is a control character, and pyarrow skips
    # a blank line: rows + header lines must account for every line break
    if table is None or hashed.digest.digest() != scanned.digest or (
            not checked and hashed.lines != table.num_rows + 1):
        return scanned, None, None
    return scanned, table, None if checked else mark
