"""What a validation verdict and the explorer's database depend on, as one SHA-256: every byte validation
reads, and the code reading it.

The key covers the descriptor, every resource file, every file of the archive (its path and bytes; anything in
the archive that is not a regular file by its path and kind) and the source of this package (a new check
re-validates and rebuilds). It is the same for the same bytes on any day: the one check that reads the date (no
date after today) can only pass more as time goes on, so a valid verdict stays valid. Only regular files are
opened, never a FIFO or device; when something cannot be keyed (a missing or odd file, a broken descriptor) there
is no key and the caller validates in full, which then reports the problem.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from nkdigital.core.fingerprint import code_fingerprint
from nkdigital.core.kept import is_kept, keep, kept_file
from nkdigital.core.limits import MAX_ARCHIVE_TOTAL, MAX_DESCRIPTOR_BYTES, MAX_PACKAGE_BYTES

VERDICTS = "validated"  # the folder of cached verdicts inside the cache folder


class _Unkeyable(Exception):
    pass


def _feed(digest, label: str, path: Path, budget: list[int], keep: bytearray | None = None) -> None:
    """Add `label` and the bytes of the regular file `path` to `digest` (and to `keep`, if given); _Unkeyable for
    anything else."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # never open a FIFO: it would block
            raise _Unkeyable
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        raise _Unkeyable from None
    with open(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        budget[0] -= info.st_size
        if not stat.S_ISREG(info.st_mode) or budget[0] < 0:
            raise _Unkeyable
        digest.update(f"\0{label}\0{info.st_size}\0".encode("utf-8", "surrogatepass"))
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
            if keep is not None:
                keep += block


def _descriptor(path: Path, digest=None) -> dict:
    """The descriptor's JSON, read only from a regular file within its size limit (fed to `digest` if given)."""
    raw = bytearray()
    _feed(digest or hashlib.sha256(), "datapackage.json", path, [MAX_DESCRIPTOR_BYTES], raw)
    return json.loads(raw)


def content_key(descriptor_path: Path, archive: Path) -> str | None:
    """The key of everything validating `descriptor_path` against `archive` reads, or None if it cannot be keyed."""
    from nkdigital.checking.quotes import archive_entries

    digest = hashlib.sha256(code_fingerprint().encode())
    try:
        descriptor = _descriptor(descriptor_path, digest)
        budget = [MAX_PACKAGE_BYTES]
        for resource in descriptor["resources"]:
            _feed(digest, f"resource {resource['path']}", descriptor_path.parent / resource["path"], budget)
        if not archive.is_dir():
            raise _Unkeyable
        files, others = archive_entries(archive)
        budget = [MAX_ARCHIVE_TOTAL]
        for relative in files:
            _feed(digest, f"archive {relative}", archive / relative, budget)
        digest.update("\0".join(f"other {relative}" for relative in others).encode("utf-8", "surrogatepass"))
    except (_Unkeyable, OSError, ValueError, TypeError, KeyError, RecursionError):
        return None
    return digest.hexdigest()


def stamp(descriptor_path: Path, archive: Path) -> tuple | None:
    """Inode, size, modification and change times of everything :func:`content_key` reads, without reading it:
    equal stamps before hashing and after validating mean no byte changed in between (any write moves a file's
    change time), so the verdict belongs to the key. None if something cannot be stamped."""
    def of(path: Path, follow: bool = True) -> tuple:
        info = os.stat(path, follow_symlinks=follow)
        return str(path), info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns

    from nkdigital.checking.quotes import archive_entries

    try:
        descriptor = _descriptor(descriptor_path)
        files, others = archive_entries(archive)
        return (of(descriptor_path), *(of(descriptor_path.parent / r["path"]) for r in descriptor["resources"]),
                of(archive, follow=False), *(of(archive / f, follow=False) for f in [*files, *others]))
    except (_Unkeyable, OSError, ValueError, TypeError, KeyError, RecursionError):
        return None


def verdict_file(key: str) -> Path:
    return kept_file(VERDICTS, key)


def remembered(key: str) -> bool:
    """Whether a valid verdict for `key` is on disk."""
    return is_kept(VERDICTS, key)


def remember(key: str) -> None:
    """Record on disk that the content `key` validated; a cache that cannot be written is only skipped."""
    keep(VERDICTS, key, b"valid\n")
