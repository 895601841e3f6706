"""Citations for sources, frames and the package itself, as plain text, APA or BibTeX."""

from __future__ import annotations

import functools
from typing import Literal

import pandas as pd

from nkdigital.load import Package, load

Style = Literal["text", "apa", "bibtex"]
PACKAGE_CITATION = {
    "text": "nkdigital developers (2026). nkdigital: digital access and internet control in North Korea (DPRK),"
    " data package version {version}. CC BY 4.0. https://github.com/nkdigital/nkdigital",
    "apa": "nkdigital developers. (2026). nkdigital: Digital access and internet control in North Korea (DPRK)"
    " (Version {version}) [Data set]. https://github.com/nkdigital/nkdigital",
    "bibtex": "@misc{{nkdigital,\n  title = {{nkdigital: Digital access and internet control in North Korea"
    " (DPRK)}},\n  author = {{{{nkdigital developers}}}},\n  year = {{2026}},\n  version = {{{version}}},\n"
    "  howpublished = {{Data package}},\n  url = {{https://github.com/nkdigital/nkdigital}}\n}}",
}


@functools.lru_cache(maxsize=1)
def _bundled() -> Package:
    return load()


def cite(what: str | pd.DataFrame | None = None, style: Style = "text", *, package: Package | None = None) -> str:
    """Cite a source id, every source behind a DataFrame (one per line, sorted), or the package (no argument)."""
    if style not in PACKAGE_CITATION:
        raise ValueError(f"unknown citation style {style!r}; choose text, apa or bibtex")
    package = package or _bundled()
    if what is None:
        return PACKAGE_CITATION[style].format(version=package.version)
    ids = [what] if isinstance(what, str) else package.source_ids(what)
    sources = package.sources().set_index("source_id")
    unknown = [i for i in ids if i not in sources.index]
    if unknown:
        raise KeyError(f"unknown source id {unknown[0]!r}")
    formatter = {"text": _text, "apa": _apa, "bibtex": _bibtex}[style]
    return ("\n\n" if style == "bibtex" else "\n").join(formatter(i, sources.loc[i]) for i in ids)


def _date(row: pd.Series, with_day: bool) -> str:
    if pd.isna(row["published_date"]):
        return "n.d."
    stamp, precision = row["published_date"], row["published_date_precision"]
    if precision == "year" or not with_day:
        return str(stamp.year)
    if precision == "month":
        return f"{stamp.year}, {stamp:%B}"
    return f"{stamp.year}, {stamp:%B} {stamp.day}"


def _text(source_id: str, row: pd.Series) -> str:
    weak = " [weak source]" if row["strength"] == "weak" else ""
    original = f" (original: {row['original_outlet']})" if pd.notna(row["original_outlet"]) else ""
    return f"{row['publisher']}{original} ({_date(row, False)}). {row['title']}. {row['url']}{weak}"


def _apa_author(name: str) -> str:
    """'Yonho Kim' -> 'Kim, Y.'; organisations and lists are kept as written."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(w.replace("-", "").replace(".", "").isalpha() for w in words):
        return name
    initials = " ".join(f"{w[0]}." for w in words[:-1])
    return f"{words[-1]}, {initials}"


def _apa(source_id: str, row: pd.Series) -> str:
    date = _date(row, True)
    if pd.notna(row["author"]):
        author = _apa_author(row["author"])
        author += "" if author.endswith(".") else "."
        return f"{author} ({date}). {row['title']}. {row['publisher']}. {row['url']}"
    return f"{row['title']}. ({date}). {row['publisher']}. {row['url']}"


def _bibtex(source_id: str, row: pd.Series) -> str:
    def esc(value: str) -> str:
        return value.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("%", "\\%")

    fields = {
        "title": f"{{{esc(row['title'])}}}",
        "author": f"{{{esc(row['author'])}}}" if pd.notna(row["author"]) else None,
        "howpublished": f"{{{esc(row['publisher'])}}}",
        "year": str(row["published_date"].year) if pd.notna(row["published_date"]) else None,
        "url": f"{{{row['url']}}}",
        "note": f"{{Archived text: {row['archive_path']}; {row['strength']} source}}",
    }
    body = ",\n".join(f"  {key} = {value}" for key, value in fields.items() if value is not None)
    return f"@misc{{{source_id},\n{body}\n}}"
