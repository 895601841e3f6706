"""`./run`, the newcomers' entry point: its help, and what it does without Chromium or without Python's venv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

BASH = shutil.which("bash")
TOOLS = ("id", "dirname", "rm", "cat")  # the commands the functions under test call


def shell(script: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """`script` after sourcing ./run (its functions only), with only `tmp_path/bin` and TOOLS on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in TOOLS:
        if not (bin_dir / tool).exists():
            (bin_dir / tool).symlink_to(shutil.which(tool))
    return subprocess.run([BASH, "-c", f"source {ROOT / 'run'}; {script}"], capture_output=True, text=True,
                          env={"PATH": str(bin_dir), "HOME": str(tmp_path), **env}, check=False)


def fake(tmp_path: Path, name: str, body: str) -> None:
    path = tmp_path / "bin" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"#!{BASH}\n{body}\n")
    path.chmod(0o755)


def test_help_lists_every_command_and_nothing_else():
    result = subprocess.run([BASH, str(ROOT / "run")], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith("One entry point")
    commands = [line.split()[0] for line in lines if line.startswith("  ./run ")]
    assert [line.split()[1] for line in lines if line.startswith("  ./run ")] == [
        "report", "lab", "test", "notebooks", "bench", "lock", "upgrade", "test-min"]
    assert set(commands) == {"./run"}
    assert not any("set -" in line or line.startswith("#") for line in lines)


def test_without_chromium_the_run_goes_on_and_says_what_is_skipped(tmp_path):
    result = shell("setup_browser; echo carried-on", tmp_path)
    assert result.returncode == 0 and result.stdout == "carried-on\n"
    assert "chromium, chromium-browser, google-chrome" in result.stderr
    assert "browser tests are skipped" in result.stderr and "apt-get install chromium" in result.stderr


def test_without_chromium_ci_fails_at_once(tmp_path):
    result = shell("setup_browser; echo carried-on", tmp_path, CI="true")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("error: no Chromium found") and "CI needs it" in result.stderr


def test_chromium_browser_is_found(tmp_path):
    fake(tmp_path, "chromium-browser", "exit 0")
    result = shell("setup_browser; echo carried-on", tmp_path, CI="true")
    assert (result.returncode, result.stdout, result.stderr) == (0, "carried-on\n", "")


def test_python_without_venv_gets_a_helpful_message(tmp_path):
    # Debian's python3 without python3-venv: no ensurepip module
    fake(tmp_path, "python3", f'case "$*" in *ensurepip*) exit 1;; *) exec {sys.executable} "$@";; esac')
    result = shell(f"make_venv {tmp_path / 'venv'}", tmp_path)
    assert result.returncode == 1 and not (tmp_path / "venv").exists()
    assert result.stderr == ("error: python3 cannot create virtual environments: it lacks the venv module and pip"
                             " (Debian/Ubuntu: sudo apt-get install python3-venv)\n")


def test_too_old_a_python_is_named(tmp_path):
    fake(tmp_path, "python3", "exit 1")
    result = shell(f"make_venv {tmp_path / 'venv'}", tmp_path)
    assert result.returncode == 1 and "needs Python 3.11 or newer" in result.stderr


@pytest.mark.parametrize(("ci", "outcome"), [("", "1 skipped"), ("true", "1 error")])
def test_browser_tests_skip_without_chromium_and_fail_under_ci(tmp_path, ci, outcome):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "BROWSER_PATH", "PYTEST_XDIST_WORKER")}
    env["PATH"] = str(Path(sys.executable).parent)
    test = "tests/test_export.py::test_a_quoted_outlet_shows_plain_quotes_in_the_svg_source_line"
    result = subprocess.run([sys.executable, "-m", "pytest", test, "-p", "no:cacheprovider", "-rsf", "-p",
                             "no:xdist"], cwd=ROOT, capture_output=True, text=True, env={**env, "CI": ci},
                            check=False)
    assert outcome in result.stdout, result.stdout[-2000:]
    assert "needs Chromium (looked for $BROWSER_PATH, chromium, chromium-browser, google-chrome)" in result.stdout


def test_installs_are_the_locked_versions_with_hashes():
    text = (ROOT / "run").read_text(encoding="utf-8")
    assert '--require-hashes -r "$2"' in text and "--no-deps --no-build-isolation -e ." in text
    assert 'install_locked "$VENV" "$LOCK"' in text and 'LOCK="requirements/lock.txt"' in text
    assert "exec ./run test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
