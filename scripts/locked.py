"""Check that this Python has exactly the versions a lock file pins (`./run` calls it after installing).

Usage: python scripts/locked.py [requirements/lock.txt]
Prints one line naming every pinned package and version, or each difference and exits 1.
"""

from __future__ import annotations

import re
import sys
import textwrap
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][^\s\\]*==[^\s\\;]+(?:\s*;[^\\]+)?)", re.M)


def pins(lock: Path, everywhere: bool = False) -> dict[str, str]:
    """Package name -> pinned version, for the pins whose markers hold here (every pin with `everywhere`)."""
    found = {}
    for line in PIN.findall(lock.read_text(encoding="utf-8")):
        requirement = Requirement(line.strip())
        if everywhere or requirement.marker is None or requirement.marker.evaluate():
            found[canonicalize_name(requirement.name)] = str(requirement.specifier).removeprefix("==")
    return found


def differences(wanted: dict[str, str]) -> list[str]:
    """'name: installed X, locked Y' for each pinned package not installed at its pinned version."""
    found = []
    for name, version in sorted(wanted.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "nothing"
        if installed != version:
            found.append(f"{name}: installed {installed}, locked {version}")
    return found


def main(lock: Path) -> int:
    wanted = pins(lock)
    problems = differences(wanted)
    if problems:
        print(f"error: this environment differs from {lock}:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    listed = " ".join(f"{name}=={version}" for name, version in sorted(wanted.items()))
    print(f"Installed exactly the {len(wanted)} versions locked in {lock}:")
    print(textwrap.indent(textwrap.fill(listed, 116, break_on_hyphens=False), "  "))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "requirements" / "lock.txt"))
