"""How the chart code is laid out: one builder module per registered chart, named after it, and short functions."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from nkdigital import charts
from nkdigital.charts.registry import CHARTS

FOLDER = Path(charts.__file__).parent
MOST_LINES = 50  # a function in src/nkdigital/charts, from its `def` to its last line


def module_of(name: str) -> str:
    """The naming rule: chart 'access-tiers' is built by nkdigital.charts.builders.access_tiers."""
    return f"nkdigital.charts.builders.{name.replace('-', '_')}"


def test_every_registered_chart_is_built_by_the_module_named_after_it():
    for name, chart in CHARTS.items():
        module = importlib.import_module(module_of(name))
        assert chart.build is module.build, name
        assert chart.build.__module__ == module_of(name)


def test_every_builder_module_is_a_registered_chart():
    stems = {p.stem for p in (FOLDER / "builders").glob("*.py")} - {"__init__"}
    assert stems == {name.replace("-", "_") for name in CHARTS}


def long_functions(folder: Path, most: int) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= most:
                found.append(f"{path.relative_to(folder)}:{node.lineno} {node.name}:"
                             f" {node.end_lineno - node.lineno + 1} lines")
    return found


def test_no_chart_function_is_longer_than_fifty_lines():
    assert long_functions(FOLDER, MOST_LINES) == []


def test_no_function_in_the_library_is_longer_than_sixty_lines():
    assert long_functions(FOLDER.parent, 60) == []


def test_the_length_check_finds_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MOST_LINES))
    (tmp_path / "long.py").write_text(f"def long():\n{body}\n", encoding="utf-8")
    (tmp_path / "short.py").write_text("def short():\n    return 1\n", encoding="utf-8")
    assert long_functions(tmp_path, MOST_LINES) == [f"long.py:1 long: {MOST_LINES + 1} lines"]


COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|rgba?\(\s*\d")


def test_no_colour_literal_in_chart_modules():
    """Colours are named in nkdigital.metadata.colours (and enums, geos) and read from there."""
    assert COLOUR.search('"#ffffff"') and COLOUR.search("rgba(255,255,255,0.9)") and COLOUR.search("'#fff'")
    assert not COLOUR.search("'#rrggbb' colour") and not COLOUR.search("f'rgba({red},{green},{blue},{alpha})'")
    found = [f"{path.relative_to(FOLDER)}:{number}: {line.strip()}" for path in sorted(FOLDER.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if COLOUR.search(line)]
    assert found == []


def test_charts_read_the_figure_columns_from_their_role():
    from nkdigital.charts.skeleton import FIGURES
    from nkdigital.metadata.roles import ROLES

    assert tuple(FIGURES) == ROLES["figure"]
    code = "\n".join(p.read_text(encoding="utf-8") for p in FOLDER.rglob("*.py"))
    assert '"value", "low", "high"' not in code
