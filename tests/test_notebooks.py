"""The narrative notebooks as stored: complete, executed in order, small, reproducible and free of machine traces.

nbval (``pytest --nbval notebooks``) re-runs them and compares outputs; these tests check the stored files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NUMBERS = ["00", "01", "02", "03", "04", "05"]
PLOTLY_MIME = "application/vnd.plotly.v1+json"
MAX_BYTES = 500_000
# A path on this or another machine: /work/…, /tmp/…, /root/…, /home/… (not the path part of a URL).
ABSOLUTE_PATH = re.compile(r"(?<![\w.:/-])/(?:work|tmp|root|home|Users)/")
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?")
INLINED_PLOTLY = ("plotly.min.js", "Plotly.newPlot", "plotly.js v", "window.PlotlyConfig")


def notebook_path(number: str) -> Path:
    found = sorted(NOTEBOOKS.glob(f"{number}-*.ipynb"))
    assert len(found) == 1, f"expected one notebook numbered {number} in notebooks/, found {[p.name for p in found]}"
    return found[0]


def load(number: str) -> dict:
    return json.loads(notebook_path(number).read_text(encoding="utf-8"))


def text_of(value) -> str:
    return "".join(value) if isinstance(value, list) else value if isinstance(value, str) else json.dumps(value)


def outputs(notebook: dict):
    for cell in notebook["cells"]:
        yield from cell.get("outputs", [])


def output_texts(notebook: dict):
    """Every string in every output (stream text, each mime bundle entry, tracebacks)."""
    for output in outputs(notebook):
        if "text" in output:
            yield text_of(output["text"])
        for value in output.get("data", {}).values():
            yield text_of(value)
        yield from output.get("traceback", [])


def headings(cell: dict) -> list[str]:
    return [line for line in text_of(cell["source"]).splitlines() if line.startswith("## ")]


def test_numbered_notebooks_are_exactly_00_to_05():
    stored = sorted(p.name[:2] for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    assert stored == NUMBERS


@pytest.mark.parametrize("number", NUMBERS)
def test_notebook_is_small(number):
    size = notebook_path(number).stat().st_size
    assert size < MAX_BYTES, f"{notebook_path(number).name} is {size:,} bytes; keep it under {MAX_BYTES:,}"


@pytest.mark.parametrize("number", NUMBERS)
def test_no_plotly_js_inlined(number):
    raw = notebook_path(number).read_text(encoding="utf-8")
    for marker in INLINED_PLOTLY:
        assert marker not in raw, f"{marker!r} found: charts must use the plotly mimetype renderer (fig.show())"
    for text in output_texts(load(number)):
        assert "<script" not in text, "an output carries a <script>: plotly.js or HTML was inlined"


@pytest.mark.parametrize("number", NUMBERS)
def test_no_absolute_paths(number):
    raw = notebook_path(number).read_text(encoding="utf-8")
    found = ABSOLUTE_PATH.findall(raw)
    assert not found, f"absolute paths in {notebook_path(number).name}: {sorted(set(found))}"


@pytest.mark.parametrize("number", NUMBERS)
def test_no_timestamps_in_outputs_or_metadata(number):
    notebook = load(number)
    places = [json.dumps(notebook["metadata"])]
    places += [json.dumps(cell.get("metadata", {})) for cell in notebook["cells"]]
    places += list(output_texts(notebook))
    stamped = [m.group(0) for text in places for m in ISO_TIMESTAMP.finditer(text)]
    assert not stamped, f"timestamps found: {stamped[:5]}"


@pytest.mark.parametrize("number", NUMBERS)
def test_no_execution_metadata(number):
    notebook = load(number)
    assert set(notebook["metadata"]) <= {"kernelspec", "language_info"}, notebook["metadata"]
    for index, cell in enumerate(notebook["cells"]):
        assert "execution" not in cell.get("metadata", {}), f"cell {index} carries execution timing"
        assert set(cell.get("metadata", {})) <= {"tags"}, f"cell {index} metadata: {cell['metadata']}"


@pytest.mark.parametrize("number", NUMBERS)
def test_every_code_cell_executed_in_order(number):
    code = [cell for cell in load(number)["cells"] if cell["cell_type"] == "code"]
    assert code, "a notebook without code"
    assert [cell.get("execution_count") for cell in code] == list(range(1, len(code) + 1))
    for cell in code:
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                assert output["execution_count"] == cell["execution_count"]


@pytest.mark.parametrize("number", NUMBERS)
def test_no_errors_or_warnings_in_outputs(number):
    for output in outputs(load(number)):
        assert output["output_type"] != "error", f"{output.get('ename')}: {output.get('evalue')}"
        assert output.get("name") != "stderr", f"stderr output: {text_of(output.get('text', ''))[:300]}"


@pytest.mark.parametrize("number", NUMBERS[1:])
def test_chart_output_in_every_story_notebook(number):
    charts = [o for o in outputs(load(number)) if PLOTLY_MIME in o.get("data", {})]
    assert charts, f"no {PLOTLY_MIME} output: draw at least one chart with nkdigital.charts and .show()"


@pytest.mark.parametrize("number", NUMBERS)
def test_charts_carry_description_and_source_line(number):
    for output in outputs(load(number)):
        bundle = output.get("data", {}).get(PLOTLY_MIME)
        if bundle is None:
            continue
        meta = bundle["layout"].get("meta") or {}
        assert meta.get("description") and meta.get("source_line") and meta.get("filename"), meta


@pytest.mark.parametrize("number", NUMBERS)
def test_first_cell_is_a_title_and_first_code_cell_imports_nkdigital(number):
    cells = load(number)["cells"]
    assert cells[0]["cell_type"] == "markdown" and text_of(cells[0]["source"]).startswith("# ")
    first_code = next(cell for cell in cells if cell["cell_type"] == "code")
    assert "import nkdigital as nk" in text_of(first_code["source"]).splitlines()


def test_only_notebook_00_carries_the_reuse_and_citation_boilerplate():
    for number in NUMBERS:
        cells = load(number)["cells"]
        last = [i for i, cell in enumerate(cells) if cell["cell_type"] == "markdown" and headings(cell)][-1]
        assert "Reuse this chart" in headings(cells[last])[-1], number
        tail = [text_of(cell["source"]) for cell in cells[last + 1:] if cell["cell_type"] == "code"]
        printed = [text_of(o.get("text", "")) for cell in cells[last + 1:] for o in cell.get("outputs", [])]
        if number == "00":
            assert any("nk.cite(" in source for source in tail) and any("https://" in t for t in printed)
        else:
            assert tail == [] and "Notebook 00" in text_of(cells[last]["source"]), number


@pytest.mark.parametrize("number", NUMBERS)
def test_opens_with_its_answer_computed_and_rendered_as_markdown(number):
    code = [cell for cell in load(number)["cells"] if cell["cell_type"] == "code"]
    setup, answer = code[0], code[1]
    assert setup.get("outputs") == [], "the setup cell shows nothing"
    assert answer["metadata"].get("tags") == ["answer"] and "nk.text.markdown(" in text_of(answer["source"])
    shown = [text_of(o["data"]["text/markdown"]) for o in answer["outputs"] if "text/markdown" in o.get("data", {})]
    assert len(shown) == 1 and shown[0].startswith("**In short:**") and len(shown[0].split(". ")) <= 3, shown


ROW_LOOP = re.compile(r"\.(?:iterrows|itertuples)\(|\bfor _, row in\b")
NUMBERED_FIELD = re.compile(r"\{v\d+[}:!]|\bv\d+=")


@pytest.mark.parametrize("number", NUMBERS)
def test_code_never_loops_over_rows_and_template_fields_say_what_they_hold(number):
    for index, cell in enumerate(load(number)["cells"]):
        code = text_of(cell["source"]) if cell["cell_type"] == "code" else ""
        assert not ROW_LOOP.search(code), f"cell {index} loops over rows: use nk.text.dates/quantities/fill"
        assert not NUMBERED_FIELD.search(code), f"cell {index} names a template field v<N>: name it for its value"


def test_the_notebook_code_checks_catch_a_row_loop_and_a_numbered_field():
    assert ROW_LOOP.search("[nk.text.date_of(row) for _, row in frame.iterrows()]")
    assert NUMBERED_FIELD.search("nk.text.markdown('{v0} events', v0=len(events))")
    assert not ROW_LOOP.search("nk.text.dates(frame)") and not NUMBERED_FIELD.search("'{events}', events=n, dev0=1")


def test_execution_keeps_only_cell_tags_the_language_name_and_a_fixed_kernelspec():
    import nbformat

    from nkdigital.report.notebooks import KERNELSPEC, _clean

    notebook = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.7"}, "widgets": {}})
    notebook.cells = [nbformat.v4.new_markdown_cell("# t", metadata={"jp-MarkdownHeadingCollapsed": True}),
                      nbformat.v4.new_code_cell("1", metadata={"tags": ["x"], "execution": {"iopub.status": "1"}})]
    cleaned = _clean(notebook)
    assert cleaned.metadata == {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    assert [cell.metadata for cell in cleaned.cells] == [{}, {"tags": ["x"]}]


def test_execution_stores_a_cells_consecutive_prints_as_one_output_however_the_kernel_flushed_them():
    import nbformat

    from nkdigital.report.notebooks import _clean

    cell = nbformat.v4.new_code_cell("print(1); print(2); 3", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="1\n"),
        nbformat.v4.new_output("stream", name="stdout", text="2\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "3"}, execution_count=1)])
    notebook = nbformat.v4.new_notebook(cells=[cell])
    outputs = _clean(notebook).cells[0].outputs
    assert [(o.output_type, o.get("text")) for o in outputs] == [("stream", "1\n2\n"), ("execute_result", None)]
