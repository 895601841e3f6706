"""The `nkdigital` command line: exit codes, messages, help."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys

import pytest

from nkdigital.cli import main

COMMANDS = ["validate", "refresh", "export", "charts", "cite", "info"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nkdigital.cli", *args], capture_output=True, text=True)


def test_validate_reports_the_bundled_package_valid(archive):
    result = run("validate", "--archive", str(archive))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("valid: 7 resources, ")
    assert result.stderr == ""


def test_validate_refuses_a_missing_or_file_archive(package_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    for where, what in (("nowhere", "does not exist"), ("a-file", "is not a folder")):
        result = run("validate", str(package_copy), "--archive", str(tmp_path / where))
        assert result.returncode == 1
        assert f"source archive {what}: quotes cannot be checked" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_copy_with_its_archive_beside_it_refuses_an_edited_quote(package_copy):
    data = package_copy.parent / "data" / "observations.csv"
    set_cell(data, 2, "quote", "words that no archived document contains anywhere")
    result = run("validate", str(package_copy))
    assert result.returncode == 1
    assert "data/observations.csv, row 2, field quote: quote not found verbatim" in result.stderr


def set_cell(path, row: int, field: str, value: str) -> None:
    """Set one cell (row numbered as in messages: header = 1) of a CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    records[row - 1][records[0].index(field)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)


def test_validate_lists_each_problem_and_exits_non_zero(package_copy, archive):
    set_cell(package_copy.parent / "data" / "events.csv", 2, "category", "networks")
    result = run("validate", str(package_copy), "--archive", str(archive))
    assert result.returncode == 1
    assert "invalid:" in result.stderr
    assert "data/events.csv, row 2, field category: 'networks' is not one of:" in result.stderr
    assert "Traceback" not in result.stderr


def test_refresh_refuses_invalid_data_and_records_hashes_for_valid_data(package_copy, archive):
    assert main(["refresh", str(package_copy), "--archive", str(archive)]) == 0
    set_cell(package_copy.parent / "data" / "observations.csv", 5, "ref_date", "2009-02-30")
    before = package_copy.read_bytes()
    assert main(["refresh", str(package_copy), "--archive", str(archive)]) == 1
    assert package_copy.read_bytes() == before


def test_refresh_sorts_an_appended_row_and_updates_the_hash(package_copy, archive, capsys):
    data = package_copy.parent / "data" / "events.csv"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    data.write_text(lines[0] + "".join(lines[2:]) + lines[1], encoding="utf-8")
    assert main(["refresh", str(package_copy), "--archive", str(archive)]) == 0
    assert "refreshed: events" in capsys.readouterr().out
    assert data.read_text(encoding="utf-8").splitlines(keepends=True) == lines
    assert main(["validate", str(package_copy), "--archive", str(archive)]) == 0


def test_export_writes_the_requested_format(tmp_path, capsys):
    assert main(["export", "sqlite", str(tmp_path / "nk.sqlite")]) == 0
    assert (tmp_path / "nk.sqlite").stat().st_size > 10_000
    assert f"wrote {tmp_path / 'nk.sqlite'}" in capsys.readouterr().out


def test_cite_prints_a_citation_and_rejects_unknown_ids(capsys):
    assert main(["cite", "aaqilx-2009-19000-subs", "--style", "apa"]) == 0
    assert capsys.readouterr().out.startswith("North Korean 3G network hits 19,000 subscribers. (2009, June).")
    assert main(["cite", "no-such-source"]) == 2
    assert capsys.readouterr().err == "error: unknown source id 'no-such-source'\n"


def test_info_lists_resources_with_row_counts(package, capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "version 0.1.0" in out
    assert re.search(rf"^  observations +{len(package.observations())} rows$", out, re.MULTILINE)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: nkdigital {command}")


def test_charts_writes_offline_html(tmp_path):
    result = run("charts", str(tmp_path), "--format", "html")
    assert result.returncode == 0, result.stderr
    pages = sorted(tmp_path.glob("*.html"))
    assert len(pages) >= 6
    text = pages[0].read_text(encoding="utf-8")
    assert '<script src="http' not in text and "<figcaption>" in text
    assert len(text) > 3_000_000  # plotly.js inlined: works offline


def test_charts_rejects_unknown_formats(tmp_path):
    result = run("charts", str(tmp_path), "--format", "gif")
    assert result.returncode == 2
    assert result.stderr == "error: unknown chart format 'gif'; choose from html, png, svg, pdf\n"


def test_png_and_svg_without_a_browser_say_how_to_get_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    assert main(["charts", str(tmp_path / "out"), "--format", "png"]) == 2
    assert "apt-get install chromium" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium for kaleido")
def test_charts_writes_png_and_svg_with_the_system_chromium(tmp_path):
    result = run("charts", str(tmp_path), "--format", "png,svg")
    assert result.returncode == 0, result.stderr
    pngs, svgs = sorted(tmp_path.glob("*.png")), sorted(tmp_path.glob("*.svg"))
    assert len(pngs) == len(svgs) >= 6
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in svgs[0].read_text(encoding="utf-8")[:500]
