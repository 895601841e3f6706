"""Execute the notebooks reproducibly and build the offline report in site/.

    python scripts/report.py site            # build site/ from the stored notebooks
    python scripts/report.py site --execute  # re-execute every notebook in place first
    python scripts/report.py --execute-only  # only re-execute the notebooks

Executed notebooks carry no timing, no execution metadata and no machine-specific kernel details, so a re-run
without data changes leaves them byte-identical. The site ships plotly.js once (assets/plotly.min.js), renders
every stored chart offline, and adds PNG, SVG and HTML of every house chart with its source line.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.modules.setdefault("rfc3987_syntax", None)  # jsonschema's optional IRI plugin: ~1 s import, unused here

import nbformat  # noqa: E402

from nkdigital.export import escape_once  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
KEPT_CELL_METADATA = ("tags",)
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222;
       line-height: 1.5; }
nav { font-size: .9rem; margin-bottom: 2rem; }
details { margin: .5rem 0; } summary { cursor: pointer; color: #666; font-size: .85rem; }
pre { background: #f6f6f6; padding: .75rem; overflow-x: auto; font-size: .85rem; }
table { border-collapse: collapse; font-size: .85rem; } td, th { border: 1px solid #ddd; padding: .25rem .5rem; }
figure { margin: 1.5rem 0; } figcaption { font-size: .85rem; color: #555; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
.gallery img { width: 100%; border: 1px solid #ddd; }
"""


def notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


# executing


def clean(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop timing, execution and machine-specific metadata so stored notebooks are reproducible."""
    notebook.metadata = nbformat.from_dict({
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    for cell in notebook.cells:
        cell.metadata = nbformat.from_dict({k: v for k, v in cell.metadata.items() if k in KEPT_CELL_METADATA})
    return notebook


def execute(path: Path) -> bool:
    """Run a notebook top to bottom in its folder and store it cleaned; True if the file changed."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    text = nbformat.writes(clean(notebook)) + "\n"
    if path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


# rendering


def _script_json(value: object) -> str:
    """JSON safe to embed in a <script> element: no `</` can close it early."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def _plotly(bundle: dict, div_id: str) -> str:
    layout = bundle.get("layout", {})
    meta = layout.get("meta") or {}
    description = escape_once(meta.get("description", "Interactive chart"))
    source = escape_once(meta.get("source_line", ""))
    height = int(layout.get("height") or 520)
    return (
        f'<figure role="img" aria-label="{description}">'
        f'<div id="{div_id}" class="plotly-graph-div" style="height:{height}px;width:100%"></div>'
        f"<script>Plotly.newPlot({json.dumps(div_id)}, {_script_json(bundle.get('data', []))},"
        f" {_script_json(layout)}, {_script_json(bundle.get('config', {}))});</script>"
        f"<figcaption>{description}<br>{source}</figcaption></figure>"
    )


def _output(output: dict, div_id: str) -> str:
    from nbconvert.filters import ansi2html

    if output.get("output_type") == "stream":
        return f"<pre>{ansi2html(output.get('text', ''))}</pre>"
    if output.get("output_type") == "error":
        return f"<pre>{ansi2html(chr(10).join(output.get('traceback', [])))}</pre>"
    data = output.get("data", {})
    if PLOTLY_MIME in data:
        return _plotly(data[PLOTLY_MIME], div_id)
    if "text/html" in data:
        return f'<div class="output">{"".join(data["text/html"])}</div>'
    if "image/png" in data:
        return f'<img alt="chart" src="data:image/png;base64,{data["image/png"]}">'
    if "text/plain" in data:
        return f"<pre>{html.escape(''.join(data['text/plain']))}</pre>"
    return ""


def title_of(notebook: nbformat.NotebookNode, fallback: str) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def render(path: Path) -> str:
    """One notebook as an offline HTML page that loads plotly.js from assets/."""
    from nbconvert.filters import markdown2html

    notebook = nbformat.read(path, as_version=4)
    title = html.escape(title_of(notebook, path.stem))
    body = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            body.append(markdown2html(cell.source))
        elif cell.cell_type == "code":
            if cell.source.strip():
                body.append(f"<details><summary>code</summary><pre>{html.escape(cell.source)}</pre></details>")
            body += [_output(o, f"{path.stem}-cell{index}-{n}") for n, o in enumerate(cell.get("outputs", []))]
    return _page(title, "\n".join(body), script="assets/plotly.min.js")


def _page(title: str, body: str, script: str | None = None) -> str:
    head_script = f'<script src="{script}"></script>\n' if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="icon" href="data:,">\n'
        f"<title>{title} — nkdigital</title>\n<style>{STYLE}</style>\n{head_script}</head>\n<body>\n"
        f'<nav><a href="index.html">nkdigital report</a></nav>\n{body}\n</body>\n</html>\n'
    )


def build_site(out: Path) -> Path:
    """Build the report into `out` (replaced whole, only once complete)."""
    import plotly

    import nkdigital as nk
    from nkdigital import export

    out = out.resolve()
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    try:
        (staging / "assets").mkdir()
        shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", staging / "assets")
        pages = []
        for path in notebooks():
            (staging / f"{path.stem}.html").write_text(render(path), encoding="utf-8")
            pages.append((path.stem, title_of(nbformat.read(path, as_version=4), path.stem)))
        package = nk.load()
        figures = nk.charts.gallery(package)
        charts = staging / "charts"
        for stem, fig in figures.items():
            export.write_chart_html(fig, charts / f"{stem}.html", include_plotlyjs="../assets/plotly.min.js")
        export.write_images(figures, charts, ("png", "svg"))
        (staging / "index.html").write_text(_index(pages, figures), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _index(pages: list[tuple[str, str]], figures: dict) -> str:
    items = "\n".join(f'<li><a href="{stem}.html">{html.escape(title)}</a></li>' for stem, title in pages)
    tiles = "\n".join(
        f'<figure><a href="charts/{stem}.html"><img src="charts/{stem}.png"'
        f' alt="{escape_once((fig.layout.meta or {}).get("description", stem))}"></a>'
        f'<figcaption>{html.escape(stem)}: <a href="charts/{stem}.png">PNG</a> · <a href="charts/{stem}.svg">SVG</a>'
        f' · <a href="charts/{stem}.html">HTML</a></figcaption></figure>'
        for stem, fig in figures.items()
    )
    body = (
        "<h1>Digital access and internet control in North Korea</h1>\n"
        "<p>Narrative notebooks built on the nkdigital data package. Every figure names its archived source;"
        " every chart below downloads as PNG, SVG or a self-contained HTML page.</p>\n"
        f"<h2>Notebooks</h2>\n<ol>\n{items}\n</ol>\n<h2>Charts</h2>\n<div class=\"gallery\">\n{tiles}\n</div>"
    )
    return _page("Report", body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, help="output folder for the site")
    parser.add_argument("--execute", action="store_true", help="re-execute every notebook in place first")
    parser.add_argument("--execute-only", action="store_true", help="only re-execute the notebooks")
    args = parser.parse_args()
    if args.execute or args.execute_only:
        for path in notebooks():
            print(f"{'updated' if execute(path) else 'unchanged'}: {path.relative_to(ROOT)}")
    if not args.execute_only:
        if args.out is None:
            parser.error("give an output folder, e.g. site")
        print(f"built {build_site(args.out)}")


if __name__ == "__main__":
    main()
