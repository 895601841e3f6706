"""Citations for sources, rows, frames and the package itself, as plain text, APA or BibTeX."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from nkdigital.links import via_host
from nkdigital.load import Package, bundled
from nkdigital.metadata import package as facts

Style = Literal["text", "apa", "bibtex"]
STYLES = ("text", "apa", "bibtex")


def package_citation(style: Style, version: str) -> str:
    """The package's own citation, from the package facts in :mod:`nkdigital.metadata.package`."""
    title = f"{facts.NAME}: {facts.TITLE}"
    if style == "text":
        return (f"{facts.AUTHORS} ({facts.YEAR}). {title}, data package version {version}. {facts.LICENCE_TITLE}."
                f" {facts.HOMEPAGE}")
    if style == "apa":
        return f"{facts.AUTHORS}. ({facts.YEAR}). {title} (Version {version}) [Data set]. {facts.HOMEPAGE}"
    return (f"@misc{{{facts.NAME},\n  title = {{{title}}},\n  author = {{{{{facts.AUTHORS}}}}},\n"
            f"  year = {{{facts.YEAR}}},\n  version = {{{version}}},\n  howpublished = {{Data package}},\n"
            f"  url = {{{facts.HOMEPAGE}}}\n}}")


def cite(what: str | pd.DataFrame | None = None, style: Style = "text", *, package: Package | None = None) -> str:
    """Cite a source id, a row id (obs-, evt-, att-, dev-, tier-, ctl-, rgt-: the sources behind the row), every
    source behind a DataFrame (one per line, sorted), or the package (no argument)."""
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; choose text, apa or bibtex")
    package = package or bundled()
    if what is None:
        return package_citation(style, package.version)
    sources = package.source_table
    ids = package.source_ids(what)
    missing = [i for i in ids if i not in sources.index]
    if missing:  # only in a package that has not been validated
        raise KeyError(f"source id {missing[0]!r} is not in the sources resource")
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


def _given(row: pd.Series, field: str) -> bool:
    return field in row and pd.notna(row[field]) and row[field] != ""


def _text(source_id: str, row: pd.Series) -> str:
    weak = " [weak source]" if row["strength"] == "weak" else ""
    host = via_host(row)
    via = f" (via {host})" if host else ""
    accessed = f" (accessed {row['accessed_date']:%Y-%m-%d})" if _given(row, "accessed_date") else ""
    return f"{row['original_outlet']} ({_date(row, False)}). {row['title']}. {row['url']}{accessed}{via}{weak}"


def _apa_author(name: str) -> str:
    """'Yonho Kim' -> 'Kim, Y.'; organisations and lists are kept as written."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(w.replace("-", "").replace(".", "").isalpha() for w in words):
        return name
    initials = " ".join(f"{w[0]}." for w in words[:-1])
    return f"{words[-1]}, {initials}"


def _apa(source_id: str, row: pd.Series) -> str:
    date = _date(row, True)
    site = row["original_outlet"]
    host = via_host(row)
    via = f" (archived copy via {host})" if host else ""
    link = (f"Retrieved {row['accessed_date']:%B} {row['accessed_date'].day}, {row['accessed_date'].year}, from"
            f" {row['url']}") if _given(row, "accessed_date") else row["url"]
    if _given(row, "author"):
        author = _apa_author(row["author"])
        author += "" if author.endswith(".") else "."
        return f"{author} ({date}). {row['title']}. {site}. {link}{via}"
    return f"{row['title']}. ({date}). {site}. {link}{via}"


def _bibtex(source_id: str, row: pd.Series) -> str:
    def esc(value: str) -> str:
        return value.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("%", "\\%")

    host = via_host(row)
    via = f" via {esc(host)}" if host else ""
    archived = f"Archived text: {row['archive_path']}{via}; " if _given(row, "archive_path") else ""
    fields = {
        "title": f"{{{esc(row['title'])}}}",
        "author": f"{{{esc(row['author'])}}}" if _given(row, "author") else None,
        "howpublished": f"{{{esc(row['original_outlet'])}}}",
        "year": str(row["published_date"].year) if pd.notna(row["published_date"]) else None,
        "url": f"{{{row['url']}}}",
        "urldate": f"{{{row['accessed_date']:%Y-%m-%d}}}" if _given(row, "accessed_date") else None,
        "note": f"{{{archived}{row['strength']} source}}",
    }
    body = ",\n".join(f"  {key} = {value}" for key, value in fields.items() if value is not None)
    return f"@misc{{{source_id},\n{body}\n}}"
