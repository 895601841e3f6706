"""Export formats, chart names and citation styles are each listed once: the CLI, the exporter and the README
read the registry."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from nkdigital import cli
from nkdigital.charts.registry import CHARTS
from nkdigital.citation.styles import STYLES
from nkdigital.export import images, tables
from nkdigital.export.chart_file import format_of
from nkdigital.export.formats import CHART_FILE_FORMATS, CHART_FORMATS, IMAGE_FORMATS, TABLE_FORMATS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _command(name: str) -> argparse.ArgumentParser:
    commands = next(a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices[name]


def _option(command: str, dest: str) -> argparse.Action:
    return next(a for a in _command(command)._actions if a.dest == dest)


def test_export_choices_are_the_exporters():
    assert list(tables.WRITERS) == list(TABLE_FORMATS)
    assert _option("export", "format").choices == list(TABLE_FORMATS)
    assert "sqlite: one SQLite database; duckdb: one DuckDB database;" in _command("export").description


def test_chart_formats_are_the_exporters():
    assert images.IMAGE_FORMATS == IMAGE_FORMATS and set(IMAGE_FORMATS) < set(CHART_FORMATS) < set(CHART_FILE_FORMATS)
    assert _option("charts", "format").help == "comma-separated: html,png,svg,pdf (default: html)"
    assert [format_of(f"x.{f}") for f in CHART_FILE_FORMATS] == list(CHART_FILE_FORMATS)
    assert ".png, .svg, .pdf, .html or .csv" in _command("chart").description


def test_cite_styles_are_the_registry():
    assert _option("cite", "style").choices == list(STYLES)
    assert _option("cite", "style").help.split("; ")[0] == f"text: {STYLES['text']}"


def test_chart_list_is_the_registry(capsys):
    assert cli.main(["chart", "--list"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == list(CHARTS)


def test_readme_usage_lists_each_registry():
    """The README's command-line block names exactly the registered formats and styles, in order."""
    usage = {pattern: re.search(pattern, README) for pattern in (
        r"nkdigital export \{([a-z,]+)\} OUT", r"nkdigital charts OUT --format ([a-z,]+)",
        r"nkdigital chart NAME OUT\.\{([a-z,]+)\}", r"nkdigital cite \[ID \.\.\.\] \[--style ([a-z|-]+)\]")}
    assert [re.split("[,|]", m.group(1)) if m else None for m in usage.values()] == [
        list(TABLE_FORMATS), list(CHART_FORMATS), list(CHART_FILE_FORMATS), list(STYLES)]
    for style in STYLES:
        assert f"`{style}`" in README, style
