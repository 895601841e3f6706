"""Shared fixtures: the bundled package, the source archive, and a scratch copy of the package; tests marked
`browser` are skipped without a Chromium (a failure when CI=true, where the browser is required)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import nkdigital as nk
from nkdigital.core.paths import ARCHIVE_DIR, default_archive

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "datapackage"
DESCRIPTOR = PACKAGE_DIR / "datapackage.json"


def find_chromium() -> str | None:
    """The browser kaleido and Playwright use ($BROWSER_PATH, chromium, chromium-browser, google-chrome, ...)."""
    from nkdigital.export.images import find_browser

    try:
        return find_browser()
    except RuntimeError:
        return None


CHROMIUM = find_chromium()
NO_BROWSER = ("needs Chromium (looked for $BROWSER_PATH, chromium, chromium-browser, google-chrome):"
              " apt-get install chromium")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if CHROMIUM is None and item.get_closest_marker("browser"):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI requires the browser tests: {NO_BROWSER}", pytrace=False)
        pytest.skip(NO_BROWSER)


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Validation verdicts and explorer files go to a cache folder of this test session, not the user's."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


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
