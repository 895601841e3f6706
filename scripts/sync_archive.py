"""Copy the archived files the package cites from the intake (`../shared/sources`) into `archive/`.

Byte-identical copies, plus the intake's INDEX.csv; files no longer cited are removed. Run after adding a source,
then `nkdigital refresh`. Usage: python scripts/sync_archive.py [INTAKE]
"""

from __future__ import annotations

import csv
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
    wanted = cited()
    missing = sorted(p for p in wanted if not (intake / p).is_file())
    if missing:
        sys.exit(f"not in the intake {intake}: {', '.join(missing)}")
    for relative in sorted(wanted):
        target = ARCHIVE / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(intake / relative, target)
    shutil.copyfile(intake / "INDEX.csv", ARCHIVE / "INDEX.csv")
    for stale in sorted(ARCHIVE.rglob("*.txt")):
        if stale.relative_to(ARCHIVE).as_posix() not in wanted:
            stale.unlink()
    print(f"archive/: {len(wanted)} cited files copied from {intake}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "sources")
