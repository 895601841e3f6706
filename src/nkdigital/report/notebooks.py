"""The numbered notebooks, and their reproducible execution in place."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from nkdigital.core.atomic import atomic_write_bytes
from nkdigital.core.paths import bundled_notebooks

KERNEL_ENV = {"PLOTLY_RENDERER": "plotly_mimetype"}  # charts as JSON outputs: no random div id, no inlined JS
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
# the kernel's own log on the inherited stderr: errors only (its start-up warning that a local kernel talks over
# TCP without encryption would otherwise print once per notebook)
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]


def notebook_paths(folder: str | os.PathLike | None = None) -> list[Path]:
    """The numbered notebooks (`00-*.ipynb`, …) in `folder` (default: the bundled ones), in order."""
    return sorted(Path(folder or bundled_notebooks()).glob("[0-9][0-9]-*.ipynb"))


def _clean(notebook):
    """Keep only cell tags, the language name and a fixed kernelspec: no timing, no machine details; a cell's
    consecutive prints as one stream output (how the kernel split them depends on timing)."""
    import nbformat
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CoalesceStreamsPreprocessor

    class ClearEveryCell(ClearMetadataPreprocessor):
        def preprocess_cell(self, cell, resources, index):  # the base class clears code cells only
            cell.metadata = dict(self.nested_filter(cell.metadata.items(), self.preserve_cell_metadata_mask))
            return cell, resources

    notebook, _ = ClearEveryCell(preserve_cell_metadata_mask={"tags"}).preprocess(notebook, {})
    notebook, _ = CoalesceStreamsPreprocessor().preprocess(notebook, {})
    notebook.metadata["kernelspec"] = KERNELSPEC
    return nbformat.from_dict(notebook)


def execute(path: str | os.PathLike) -> bool:
    """Run a notebook top to bottom in its folder and store it cleaned; True if the file changed."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", record_timing=False, extra_arguments=KERNEL_ARGS,
                   resources={"metadata": {"path": str(path.parent)}}).execute(env={**os.environ, **KERNEL_ENV})
    text = nbformat.writes(_clean(notebook)) + "\n"
    if path.read_text(encoding="utf-8") == text:
        return False
    atomic_write_bytes(path, text.encode("utf-8"))
    return True


def execute_all(folder: str | os.PathLike | None = None) -> Iterator[tuple[Path, bool]]:
    """Execute every numbered notebook in `folder`, yielding each path and whether it changed."""
    for path in notebook_paths(folder):
        yield path, execute(path)
