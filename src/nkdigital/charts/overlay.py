"""Annotations and reference lines added to a figure in one step.

plotly's ``add_annotation`` and ``add_vline`` copy and re-validate every earlier annotation or shape on each call,
so adding n of them one by one costs n² copies. Charts collect them as plain dicts and call :func:`add` once.
The shape dicts are the ones ``add_vline``, ``add_hline`` and ``add_vrect`` make on a single-plot figure.
"""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go


def vline(x, line: dict) -> dict:
    """A vertical line at `x` across the plot's height."""
    return {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": line}


def hline(y, line: dict) -> dict:
    """A horizontal line at `y` across the plot's width."""
    return {"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y, "y1": y, "yref": "y", "line": line}


def vrect(x0, x1, **style) -> dict:
    """A band from `x0` to `x1` across the plot's height."""
    return {"type": "rect", "x0": x0, "x1": x1, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", **style}


def add(fig: go.Figure, annotations: Iterable[dict] = (), shapes: Iterable[dict] = ()) -> None:
    """Append `annotations` and `shapes` to `fig`'s layout after those it already has."""
    annotations, shapes = list(annotations), list(shapes)
    if annotations:
        fig.layout.annotations = (*fig.layout.annotations, *annotations)
    if shapes:
        fig.layout.shapes = (*fig.layout.shapes, *shapes)
