"""The citation styles: one registry that `nk.cite`, the `nkdigital cite` command, the docs and the tests read."""

from __future__ import annotations

STYLES: dict[str, str] = {
    "text": "plain text: outlet (year). Title. URL (accessed date), the copy's host and weakness",
    "apa": "APA 7th edition (official CSL style, rendered by citeproc-py)",
    "chicago": "Chicago author-date (official CSL style, rendered by citeproc-py)",
    "bibtex": "BibTeX/biblatex: @online (@misc for data sets) with urldate, organisations double-braced (pybtex)",
    "ris": "RIS for Zotero and EndNote: one AU per author (rispy)",
    "csl-json": "CSL-JSON for Zotero and Pandoc: names as family/given or literal",
}
DEFAULT = "text"


def check(style: str) -> str:
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; choose one of {', '.join(STYLES)}")
    return style
