"""What a newcomer sees on first use: messages that say what is needed, quiet output off a terminal, dates at
their precision, an export that stands alone."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings

import nbformat
import pandas as pd
import pytest

from nkdigital.charts import house
from nkdigital.cli import main
from nkdigital.export import images

from .conftest import ROOT


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nkdigital.cli", *args], capture_output=True, text=True, **kwargs)


def test_a_csv_export_validates_on_its_own(tmp_path):
    out = tmp_path / "csv"
    exported = run("export", "csv", str(out))
    assert exported.returncode == 0 and exported.stderr == "", exported.stderr
    result = run("validate", str(out / "datapackage.json"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("valid: ") and result.stderr == ""


def test_sync_archive_without_the_intake_says_in_one_line_where_it_is_expected(tmp_path):
    before = sorted((ROOT / "archive").rglob("*"))
    result = subprocess.run([sys.executable, ROOT / "scripts" / "sync_archive.py", str(tmp_path / "sources")],
                            capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"error: the intake folder {tmp_path / 'sources'} is missing: this copies from the"
                             " maintainers' source intake, expected at ../shared/sources beside the repository"
                             " (or give its path as the argument)\n")
    assert sorted((ROOT / "archive").rglob("*")) == before


def test_charts_off_a_terminal_print_no_progress_bar(tmp_path):
    result = run("charts", str(tmp_path), "--format", "html")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == f"wrote {len(list(tmp_path.glob('*.html')))} files to {tmp_path}\n"


def test_the_charts_progress_counts_the_files_written(package, tmp_path, monkeypatch):
    counted = []

    class Recorder:
        def __init__(self, total, enabled, what):
            counted.append([total, 0])

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, n):
            counted[-1][1] += n

    monkeypatch.setattr(images, "counter", Recorder)
    # the images come from one browser session; here they are only named
    monkeypatch.setattr(images, "write_images", lambda figures, out, formats: [
        out / f"{stem}.{fmt}" for stem in figures for fmt in formats])
    paths = images.write_charts(package, tmp_path / "charts", ["html", "png", "svg"], progress=True)
    charts = len(list((tmp_path / "charts").glob("*.html")))
    assert counted == [[3 * charts, 3 * charts]] and len(paths) == 3 * charts and charts >= 6


def test_reexecuting_notebooks_prints_one_line_each_and_no_kernel_warning(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    nbformat.write(notebook, tmp_path / "00-try.ipynb")
    result = run("report", "--execute-only", "--notebooks", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("updated: 00-try.ipynb\n", "")
    assert nbformat.read(tmp_path / "00-try.ipynb", 4).cells[0].outputs[0]["text"] == "42\n"


def test_report_without_a_browser_builds_the_html_and_says_what_is_left_out(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    assert main(["report", str(tmp_path / "site"), "--notebooks", str(tmp_path / "none")]) == 0
    out, err = capsys.readouterr()
    assert out == f"built {tmp_path / 'site'}\n"
    assert err.startswith("note: the report's charts are HTML only, without PNG, SVG and PDF: PNG, SVG and PDF"
                          " export need Chromium or Chrome; install it (Debian: apt-get install chromium)")
    assert err.rstrip().endswith("note: no embed snippets. Embed code needs the address the report is served from:"
                                 " build it with nkdigital report OUT --base-url https://example.org/report/")
    charts = tmp_path / "site" / "charts"
    assert list(charts.glob("*.png")) == list(charts.glob("*.svg")) == [] and list(charts.glob("*.html"))
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert ".png" not in index and "PNG, SVG and PDF were not built: no Chromium" in index


def test_show_in_a_plain_script_says_what_to_do_instead(package, monkeypatch):
    import plotly.io as pio

    monkeypatch.setattr(pio.renderers, "default", "")
    monkeypatch.setattr(house, "in_ipython_kernel", lambda: False)
    fig = house.HouseFigure()
    with pytest.warns(UserWarning, match=r"displays nothing outside Jupyter.*write_html.*nkdigital chart NAME"):
        fig.show()
    monkeypatch.setattr(pio.renderers, "default", "json")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        house.HouseFigure().show()  # a renderer is set: it displays, no warning


@pytest.mark.parametrize(("resource", "field", "precision", "pattern"), [
    ("observations", "ref_date", "year", r"\d{4}"),
    ("observations", "ref_date", "month", r"\d{4}-\d\d"),
    ("events", "event_date", "day", r"\d{4}-\d\d-\d\d"),
    ("sources", "published_date", "month", r"\d{4}-\d\d"),
])
def test_a_row_prints_its_dates_at_their_precision(package, resource, field, precision, pattern):
    frame = package.resource(resource)
    first = frame[frame[f"{field}_precision"].astype(str) == precision].iloc[0]
    row = package.row(first.iloc[0])  # the id is the first column
    shown = first[field].strftime({"year": "%Y", "month": "%Y-%m"}.get(precision, "%Y-%m-%d"))
    assert re.fullmatch(pattern, shown)
    assert re.search(rf"^{field}\s+{shown}$", repr(row), re.M), repr(row)
    assert re.search(rf"^{field}\s+{shown}$", repr(row[[field, "citation"]]), re.M)
    assert row[field] == first[field] and isinstance(row[field], pd.Timestamp) and "00:00:00" not in repr(row)
