"""Validation at the size limits: a valid package as large as `nkdigital.core.limits` allows, validated once.

    python benchmarks/limits.py [FOLDER]

`observations.csv` grows (rows copied under new ids) to just under MAX_FILE_BYTES or MAX_CELLS, and archived
texts are padded to MAX_ARCHIVE_BYTES each until the archive nears MAX_ARCHIVE_TOTAL; `nkdigital refresh` sorts
and records hashes. Prints the sizes, then the wall and CPU time and peak memory of `nk.validate`: the README
states the result, and the limits are set so that it stays under 30 s of CPU time.
"""

from __future__ import annotations

import hashlib
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nkdigital as nk  # noqa: E402
from nkdigital.api.refresh import refresh  # noqa: E402
from nkdigital.core.limits import MAX_ARCHIVE_BYTES, MAX_ARCHIVE_TOTAL, MAX_CELLS, MAX_FILE_BYTES  # noqa: E402
from tests import broken as b  # noqa: E402

FILLER = b"\nfiller words that make the archived text as large as allowed and no larger" * 80_000


def grow_observations(path: Path) -> None:
    header, *rows = b.read_rows(path, "observations")
    plain = [r for r in rows if r[header.index("claim_type")] != "derived"]
    per_row = b.csv_file(path, "observations").stat().st_size / len(rows)
    extra = min(int(MAX_FILE_BYTES * 0.97 / per_row) - len(rows), MAX_CELLS // len(header) - len(rows) - 10)
    grown = [header, *rows]
    for n in range(extra):
        row = list(plain[n % len(plain)])
        row[0] = f"{row[0]}-c{n // len(plain) + 1}"
        grown.append(row)
    b.write_rows(path, "observations", grown)


def pad_archive(path: Path, archive: Path) -> None:
    copies = b.read_rows(path, "source_copies")
    header = copies[0]
    for row in copies[1: MAX_ARCHIVE_TOTAL // MAX_ARCHIVE_BYTES]:  # one file short of the total: room for the rest
        file = archive / row[header.index("archive_path")]
        data = (file.read_bytes() + FILLER)[: MAX_ARCHIVE_BYTES - 1000]
        file.write_bytes(data)
        row[header.index("sha256")] = hashlib.sha256(data).hexdigest()
    b.write_rows(path, "source_copies", copies)


def main(folder: Path) -> None:
    path = b.copy_package(folder / "datapackage")
    shutil.copytree(ROOT / "archive", folder / "archive")
    grow_observations(path)
    pad_archive(path, folder / "archive")
    refresh(path)
    observations = b.csv_file(path, "observations")
    archived = sum(p.stat().st_size for p in (folder / "archive").rglob("*") if p.is_file())
    rows = len(b.read_rows(path, "observations")) - 1
    print(f"observations.csv {observations.stat().st_size / 1e6:.1f} MB, {rows} rows; archive {archived / 1e6:.1f} MB")
    wall, cpu = time.perf_counter(), time.process_time()
    report = nk.validate(path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"validate: {len(report.problems)} problems, {time.perf_counter() - wall:.1f} s wall,"
          f" {time.process_time() - cpu:.1f} s CPU, {peak} MiB peak")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as scratch:
        main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(scratch))
