"""The package's own citation, from the package facts in :mod:`nkdigital.metadata.package`."""

from __future__ import annotations

from functools import lru_cache

from nkdigital.metadata import package as facts


def package_item(version: str) -> dict:
    """The package as a CSL-JSON item (a data set by an organisation)."""
    return {"id": facts.NAME, "type": "dataset", "title": f"{facts.NAME}: {facts.TITLE}",
            "author": [{"literal": facts.AUTHORS}], "issued": {"date-parts": [[facts.YEAR]]},
            "version": version, "URL": facts.HOMEPAGE, "genre": "Data set"}


@lru_cache(maxsize=64)
def package_citation(style: str, version: str) -> str:
    """The package's citation in `style` (rendered once per process: every chart page cites the package)."""
    from nkdigital.citation import render

    item = package_item(version)
    if style == "text":
        return (f"{facts.AUTHORS} ({facts.YEAR}). {item['title']}, data package version {version}."
                f" {facts.LICENCE_TITLE}. {facts.HOMEPAGE}")
    if style in ("apa", "chicago"):
        return render.csl([item], style)[0]
    return {"bibtex": render.bibtex, "ris": render.ris, "csl-json": render.csl_json}[style]([item])
