"""Shared fixtures: the bundled package, the source archive, and a scratch copy of the package."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import nkdigital as nk
from nkdigital.paths import default_archive

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "datapackage"
DESCRIPTOR = PACKAGE_DIR / "datapackage.json"


@pytest.fixture(scope="session")
def package() -> nk.Package:
    return nk.load(DESCRIPTOR)


@pytest.fixture(scope="session")
def archive() -> Path:
    """The source archive ($NKDIGITAL_ARCHIVE or ../shared/sources); skip, saying why, where there is none."""
    found = default_archive(DESCRIPTOR)
    if found is None or not found.is_dir():
        where = os.environ.get("NKDIGITAL_ARCHIVE") or str(ROOT.parent / "shared" / "sources")
        pytest.skip(f"no source archive at {where}: quotes cannot be verified (set NKDIGITAL_ARCHIVE)")
    return found


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A writable copy of the data package in a temp dir; returns its datapackage.json."""
    target = tmp_path / "datapackage"
    shutil.copytree(PACKAGE_DIR, target)
    return target / "datapackage.json"
