"""The layers of src/nkdigital import only downward, and `import nkdigital` stays cheap."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "nkdigital"

# low -> high; a module may import its own layer or a lower one (see "Layout" in CONTRIBUTING.md)
LAYERS = [
    {"core"},
    {"metadata"},
    {"text"},
    {"reading"},
    {"checking"},
    {"citation"},
    {"api"},
    {"charts", "export", "report", "explorer"},  # outputs
    {"cli", "__init__"},  # the command line and the public facade
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
HEAVY = ("pandas", "pyarrow", "numpy", "plotly", "frictionless", "datasette")


def layer_of(module: str) -> str:
    """`nkdigital.api.package` -> `api`; `nkdigital` itself -> `__init__`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path, root: Path = SRC) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, (ast.Name, ast.Attribute)) and ast.unparse(test).endswith("TYPE_CHECKING")


def _is_module(root: Path, name: str) -> bool:
    return (root / name / "__init__.py").is_file() or (root / f"{name}.py").is_file()


def imported(tree: ast.AST, module: str, is_package: bool, root: Path = SRC) -> list[tuple[int, str]]:
    """(line, nkdigital module) for every import that runs, in functions too; `if TYPE_CHECKING:` blocks only
    name types and never run, so they are left out."""
    found, todo = [], [tree]
    while todo:
        node = todo.pop()
        if _type_checking_only(node):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "nkdigital"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "nkdigital":
                continue
            # `from nkdigital import charts` imports the subpackage nkdigital.charts, `__version__` the facade
            found += [(node.lineno, f"{base}.{a.name}" if base == "nkdigital" and _is_module(root, a.name) else base)
                      for a in node.names]
    return sorted(found)


def upward_imports(root: Path = SRC) -> list[str]:
    bad = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        own = RANK[layer_of(module)]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, target in imported(tree, module, path.stem == "__init__", root):
            theirs = RANK.get(layer_of(target))
            if theirs is None or theirs > own:
                bad.append(f"{path.relative_to(root.parent)}:{line} ({layer_of(module)}) imports {target}"
                           f" ({layer_of(target)})")
    return bad


def test_every_module_is_in_a_layer():
    folders = {p.name for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in SRC.glob("*.py")}
    assert folders | modules == set(RANK), "a new top-level module or package needs a layer in LAYERS"


def test_layers_import_only_downward():
    assert upward_imports() == []


def test_an_upward_import_is_caught(tmp_path):
    """The check itself can fail: a core module importing the API, even inside a function, is reported."""
    (tmp_path / "nkdigital" / "core").mkdir(parents=True)
    (tmp_path / "nkdigital" / "__init__.py").write_text("")
    (tmp_path / "nkdigital" / "core" / "__init__.py").write_text("")
    (tmp_path / "nkdigital" / "text.py").write_text("")
    (tmp_path / "nkdigital" / "core" / "low.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from nkdigital.api import package\n"
        "def f():\n    from ..api.package import load\n    import nkdigital.charts\n    from nkdigital import text\n"
        "    from nkdigital import __version__\n    from nkdigital.core import paths\n")
    assert upward_imports(tmp_path / "nkdigital") == [
        "nkdigital/core/low.py:5 (core) imports nkdigital.api.package (api)",
        "nkdigital/core/low.py:6 (core) imports nkdigital.charts (charts)",
        "nkdigital/core/low.py:7 (core) imports nkdigital.text (text)",
        "nkdigital/core/low.py:8 (core) imports nkdigital (__init__)",
    ]


@pytest.mark.parametrize("code", ["import nkdigital", "import nkdigital.cli; nkdigital.cli._parser()"])
def test_import_loads_no_heavy_library(code):
    script = f"import sys; {code}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    loaded = set(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                check=True).stdout.split())
    assert "nkdigital" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_public_names_resolve_lazily():
    script = ("import sys, nkdigital as nk; before = 'pandas' in sys.modules; "
              "print(before, nk.load.__module__, nk.cite.__module__, nk.Package.__name__, nk.PackageError.__name__,"
              " nk.Problem.__name__, nk.text.__name__, nk.export.__name__, nk.validate.__module__, "
              "'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "nkdigital.api.package", "nkdigital.api.package", "Package", "PackageError", "Problem",
                   "nkdigital.text", "nkdigital.export", "nkdigital", "True"]
