"""The wheel ships the data package, and the installed library loads it outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out)], check=True, capture_output=True)
    return next(out.glob("nkdigital-*.whl"))


def test_wheel_contains_the_library_the_data_package_and_the_entry_point(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "nkdigital/datapackage/datapackage.json" in names
    for resource in ("sources", "events", "observations", "device_estimates", "access_tiers", "access_controls",
                     "rights_framework"):
        assert f"nkdigital/datapackage/data/{resource}.csv" in names
    assert "nkdigital/archive/INDEX.csv" in names
    assert "nkdigital/archive/README.md" in names
    assert "nkdigital/archive/core/pscore-internet-freedom.txt" in names
    assert "nkdigital/notebooks/00-start-here.ipynb" in names  # what `nkdigital report` renders
    for asset in ("report/templates/nkdigital/index.html.j2", "report/templates/index.html.j2",
                  "report/templates/report.css", "export/vendor/plotly-basic.min.js",
                  "export/vendor/plotly.js-LICENSE", "explorer/explorer.css", "explorer/templates/table.html",
                  "explorer/templates/query.html"):
        assert f"nkdigital/{asset}" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "nkdigital = nkdigital.cli:command" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_loads_its_bundled_package_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import nkdigital as nk, pathlib; p = nk.load(); "
            "print(pathlib.Path(nk.__file__).parent == pathlib.Path(p.path).parent.parent, len(p.observations()))")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    inside, rows = result.stdout.split()
    assert inside == "True"
    assert int(rows) >= 150


def test_installed_wheel_checks_every_quote_against_its_shipped_archive(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = "import nkdigital as nk; r = nk.validate(); print(r.valid, len(r.problems), r.notes)"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["True", "0"], result.stdout
