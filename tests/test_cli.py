"""The `nkdigital` command line: exit codes, messages, help."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys

import pytest

import nkdigital as nk
from nkdigital.cli import main

COMMANDS = ["validate", "refresh", "export", "charts", "report", "cite", "info", "serve"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nkdigital.cli", *args], capture_output=True, text=True)


def test_validate_reports_the_bundled_package_valid(archive):
    result = run("validate", "--archive", str(archive))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"valid: {len(nk.load().resource_names)} resources, ")
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
    assert main(["cite", "pcworld-idg-2009-koryolink-19200-q1", "--style", "apa"]) == 0
    assert capsys.readouterr().out.startswith("[untitled excerpt on Koryolink's first-quarter 2009 subscribers]."
                                              " (2009, June). IDG News Service (PC World).")
    assert main(["cite", "no-such-source"]) == 2
    assert capsys.readouterr().err == "error: unknown row or source id 'no-such-source'\n"


def test_info_lists_resources_with_row_counts(package, capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "version 0.1.0" in out
    assert re.search(rf"^  observations +{len(package.resource('observations'))} rows$", out, re.MULTILINE)


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
    assert "plotly.js (basic - minified) v" in text  # plotly.js inlined: works offline


def test_charts_rejects_unknown_formats(tmp_path):
    result = run("charts", str(tmp_path), "--format", "gif")
    assert result.returncode == 2
    assert result.stderr == "error: unknown chart format 'gif'; choose from html, png, svg, pdf\n"


def test_report_needs_an_output_folder_and_never_replaces_a_folder_that_is_no_report(tmp_path):
    assert run("report").stderr == "error: give an output folder, e.g. nkdigital report site\n"
    (tmp_path / "notes.txt").write_text("mine")
    result = run("report", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == (f"error: {tmp_path} is neither empty nor a report built by nkdigital (no"
                             " .nkdigital-report file in it): choose a new folder\n")
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_png_and_svg_without_a_browser_say_how_to_get_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    assert main(["charts", str(tmp_path / "out"), "--format", "png"]) == 2
    assert "apt-get install chromium" in capsys.readouterr().err


@pytest.mark.browser
def test_charts_writes_png_and_svg_with_the_system_chromium(tmp_path):
    result = run("charts", str(tmp_path), "--format", "png,svg")
    assert result.returncode == 0, result.stderr
    pngs, svgs = sorted(tmp_path.glob("*.png")), sorted(tmp_path.glob("*.svg"))
    assert len(pngs) == len(svgs) >= 6
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in svgs[0].read_text(encoding="utf-8")[:500]


def test_refresh_refuses_when_no_archive_is_reachable(package_copy, tmp_path):
    set_cell(package_copy.parent / "data" / "observations.csv", 2, "quote", "words no archived document contains")
    before = package_copy.read_bytes()
    result = run("refresh", str(package_copy), "--archive", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "source archive does not exist: quotes cannot be checked" in result.stderr
    assert "Traceback" not in result.stderr
    assert package_copy.read_bytes() == before


def test_refresh_writes_through_a_symlinked_descriptor(package_copy, archive, tmp_path):
    real = tmp_path / "real-datapackage.json"
    real.write_bytes(package_copy.read_bytes())
    package_copy.unlink()
    package_copy.symlink_to(real)
    data = package_copy.parent / "data" / "events.csv"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    data.write_text(lines[0] + "".join(lines[2:]) + lines[1], encoding="utf-8")
    assert main(["refresh", str(package_copy), "--archive", str(archive)]) == 0
    assert package_copy.is_symlink() and package_copy.resolve() == real.resolve()
    assert main(["validate", str(package_copy), "--archive", str(archive)]) == 0


def test_refresh_refuses_a_number_too_large_for_a_float(package_copy, archive):
    data = package_copy.parent / "data" / "observations.csv"
    with data.open(encoding="utf-8", newline="") as handle:
        row = next(n for n, r in enumerate(csv.DictReader(handle), start=2) if r["value"] and not r["formula"])
    set_cell(data, row, "value", "9" * 400)
    result = run("refresh", str(package_copy), "--archive", str(archive))
    assert result.returncode == 1
    assert f"data/observations.csv, row {row}, field value: " in result.stderr
    assert "is too long a number" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["validate", "info"])
def test_a_fifo_in_place_of_the_descriptor_is_refused_at_once(command, tmp_path):
    fifo = tmp_path / "datapackage.json"
    os.mkfifo(fifo)
    args = [command, str(fifo)] if command == "validate" else [command, "--package", str(fifo)]
    result = subprocess.run([sys.executable, "-m", "nkdigital.cli", *args], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert f"{fifo}: descriptor is not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_hash_is_refused_until_refresh_records_it(package_copy, archive):
    data = json.loads(package_copy.read_text(encoding="utf-8"))
    del data["resources"][0]["hash"]
    package_copy.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run("validate", str(package_copy), "--archive", str(archive))
    assert result.returncode == 1
    assert f"datapackage.json, field {data['resources'][0]['name']}.hash: resource has no hash" in result.stderr
    assert main(["refresh", str(package_copy), "--archive", str(archive)]) == 0
    assert main(["validate", str(package_copy), "--archive", str(archive)]) == 0


def test_only_the_command_process_skips_the_iri_grammar():
    """`nkdigital` (cli.command) marks jsonschema's optional IRI grammar absent for its own process; main(), as the
    library, leaves sys.modules alone."""
    probe = "import sys, atexit; atexit.register(lambda: print(repr(sys.modules.get('rfc3987_syntax', 'unset'))));"
    as_command = subprocess.run([sys.executable, "-c", probe + " sys.argv = ['nkdigital', 'validate'];"
                                 " from nkdigital.cli import command; command()"],
                                capture_output=True, text=True, timeout=300)
    as_library = subprocess.run([sys.executable, "-c", probe + " from nkdigital.cli import main; main(['validate'])"],
                                capture_output=True, text=True, timeout=300)
    assert as_command.returncode == 0 and as_command.stdout.splitlines()[-1] == "None"
    assert as_library.returncode == 0 and as_library.stdout.splitlines()[-1] != "None"
