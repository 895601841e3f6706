"""Shared fixtures: the bundled package, the source archive, and a scratch copy of the package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import nkdigital as nk
from nkdigital.paths import ARCHIVE_DIR, default_archive

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "datapackage"
DESCRIPTOR = PACKAGE_DIR / "datapackage.json"


@pytest.fixture(scope="session")
def package() -> nk.Package:
    return nk.load(DESCRIPTOR)


@pytest.fixture(scope="session")
def archive() -> Path:
    """The shipped source archive (`archive/` beside `datapackage/`, or $NKDIGITAL_ARCHIVE)."""
    return default_archive(DESCRIPTOR)


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A writable copy of the data package and its archive in a temp dir; returns its datapackage.json."""
    target = tmp_path / "datapackage"
    shutil.copytree(PACKAGE_DIR, target)
    shutil.copytree(ROOT / ARCHIVE_DIR, tmp_path / ARCHIVE_DIR)
    return target / "datapackage.json"
