"""Copy the archived files the package cites from the intake (`../shared/sources`) into `archive/`.

Byte-identical copies, plus the intake's INDEX.csv; files no longer cited are removed, and each copy's SHA-256 is
recorded in `source_copies.csv`. Run after adding a source, then `nkdigital refresh`.
Usage: python scripts/sync_archive.py [INTAKE]
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT / "archive"
DATA = ROOT / "datapackage" / "data"


def cited() -> set[str]:
    """Archive paths named by any resource that has an `archive_path` column."""
    paths = set()
    for table in sorted(DATA.glob("*.csv")):
        with table.open(encoding="utf-8", newline="") as handle:
            paths |= {row["archive_path"] for row in csv.DictReader(handle) if row.get("archive_path")}
    return paths


def main(intake: Path) -> None:
    if not (intake / "INDEX.csv").is_file():
        what = "has no INDEX.csv" if intake.is_dir() else "is missing"
        sys.exit(f"error: the intake folder {intake} {what}: this copies from the maintainers' source intake,"
                 " expected at ../shared/sources beside the repository (or give its path as the argument)")
    wanted = cited()
    missing = sorted(p for p in wanted if not (intake / p).is_file())
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        sys.exit(f"error: {len(missing)} cited files are not in the intake {intake}: {shown}")
    for relative in sorted(wanted):
        target = ARCHIVE / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(intake / relative, target)
    shutil.copyfile(intake / "INDEX.csv", ARCHIVE / "INDEX.csv")
    for stale in sorted(ARCHIVE.rglob("*.txt")):
        if stale.relative_to(ARCHIVE).as_posix() not in wanted:
            stale.unlink()
    record_hashes(DATA / "source_copies.csv")
    print(f"archive/: {len(wanted)} cited files copied from {intake}")


def record_hashes(table: Path) -> None:
    """Write each archived copy's SHA-256 into the `sha256` column of `table`."""
    with table.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    for row in rows:
        row["sha256"] = hashlib.sha256((ARCHIVE / row["archive_path"]).read_bytes()).hexdigest()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    table.write_text(out.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "sources")
