"""Citations for sources, rows, frames and the package itself, in the styles of :data:`STYLES`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from nkdigital.citation.package_citation import package_citation
from nkdigital.citation.styles import DEFAULT, STYLES, check

if TYPE_CHECKING:  # type hints only: citation sits below the API layer (tests/test_layout.py)
    import pandas as pd

    from nkdigital.api.package import Package

__all__ = ["STYLES", "cite", "cite_records", "package_citation", "source_ids"]


def source_ids(what: str | pd.DataFrame | Iterable[str], package: Package) -> list[str]:
    """Sorted ids of the sources behind a source id, a row id, a frame or a list of ids."""
    import pandas as pd  # here, so that the CLI reads the style registry without pandas

    if isinstance(what, (str, pd.DataFrame)):
        ids = package.source_ids(what)
    elif not isinstance(what, Iterable) or isinstance(what, (bytes, dict)):
        ids = package.source_ids(what)  # raises the TypeError that names the argument
    else:
        ids = sorted({i for one in what for i in package.source_ids(str(one))})
    missing = [i for i in ids if i not in package.source_table.index]
    if missing:  # only in a package that has not been validated
        raise KeyError(f"source id {missing[0]!r} is not in the sources resource")
    return ids


def cite(what: str | pd.DataFrame | Iterable[str] | None = None, style: str = DEFAULT, *, package: Package) -> str:
    """Cite a source id, a row id (the sources behind the row, inputs of derived rows included), every source
    behind a DataFrame, a list of such ids (sorted, once each), or the package (None), from `package`.

    `nk.cite` (:func:`nkdigital.api.package.cite`) is this with the bundled package as the default."""
    from nkdigital.citation import records

    check(style)
    if what is None:
        return package_citation(style, package.version)
    return cite_records(records.records(package, source_ids(what, package)), style)


def cite_records(items: list[dict], style: str = DEFAULT) -> str:
    """CSL-JSON items (:func:`nkdigital.citation.records.records`) in `style`: for a caller that cites the same
    sources in several styles."""
    from nkdigital.citation import render

    check(style)
    if style == "csl-json":
        return render.csl_json(items)
    if style == "bibtex":
        return render.bibtex(items)
    if style == "ris":
        return render.ris(items)
    if style == "text":
        return "\n".join(render.text(item) for item in items)
    return "\n".join(render.csl(items, style))
