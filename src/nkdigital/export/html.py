"""Charts as self-contained, offline HTML pages with alt text and caption."""

from __future__ import annotations

import html
import os
from pathlib import Path

from nkdigital.atomic import atomic_write_bytes


def escape_once(text: str) -> str:
    """HTML-escape text that may already be escaped (chart meta is), without double-escaping it."""
    return html.escape(html.unescape(text))


def chart_html(fig, include_plotlyjs: bool | str = True) -> str:
    """A complete, offline HTML page for a house chart, with its description as alt text and caption."""
    from nkdigital.charts.house import config

    meta = fig.layout.meta or {}
    description, source_line, title = (
        escape_once(meta.get(key, default))
        for key, default in (("description", ""), ("source_line", ""), ("filename", "nkdigital chart"))
    )
    div = fig.to_html(full_html=False, include_plotlyjs=include_plotlyjs, config=config(fig),
                      div_id=meta.get("filename", "nkdigital-chart"))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="icon" href="data:,">\n'
        f"<title>{title}</title>\n</head>\n"
        f'<body>\n<figure role="img" aria-label="{description}">\n{div}\n'
        f"<figcaption>{description}<br>{source_line}</figcaption>\n</figure>\n</body>\n</html>\n"
    )


def write_chart_html(fig, out: str | os.PathLike, include_plotlyjs: bool | str = True) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out, chart_html(fig, include_plotlyjs).encode("utf-8"))
    return out
