"""Checks that credits say what the archive says: notes never call a source weak against its `strength`, a title
the archive header marks as absent is printed as our description, the outlet is one the intake names for the
file, addresses carry no tracking parameters or mail-scanner wrappers, and a document read inside another's file is
dated only by a date the archive gives for it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from nkdigital.checking import columns
from nkdigital.checking.quotes import Archive, evidence, file_sections, part
from nkdigital.core.errors import Problem, shown
from nkdigital.core.urls import clean_url
from nkdigital.metadata.provenance import UNKNOWN_OUTLET, UNTITLED, ours
from nkdigital.metadata.roles import ROLES, having

WEAK_CLAIM = re.compile(r"\bweak\b", re.IGNORECASE)
# a superset of what WEAK_CLAIM finds, for pyarrow to narrow the notes to those it need look at (re's IGNORECASE
# also takes the Kelvin sign for a k)
MAY_CLAIM_WEAK = "[wW][eE][aA][kK\u212a]"
# a header title the archive marks as not the document's own: the headline is not in the excerpt, or was rebuilt
# from the address
ABSENT_TITLE = re.compile(r"^title:\s*\(headline not in|^title:.*\((title|headline) from URL slug",
                          re.IGNORECASE | re.MULTILINE)
PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")
OURS_AT_END = re.compile(r"\s*\[[^\]]*\]$")  # a bracketed part ending a title: our description or translation
WORD = re.compile(r"\w+")
CREATOR = ("a creator is a person (family name, perhaps a given name) or an organisation (literal name only), not"
           " both or neither")


def _where(name: str, table: pa.Table, position: int, field: str) -> tuple:
    return columns.label(name, table), columns.row(position), field


def _strings(table: pa.Table, field: str) -> pa.ChunkedArray:
    """A text or enum column as plain strings (an empty column read as nulls too)."""
    return table[field].cast(pa.large_string())


def check_strength_claims(tables: dict[str, pa.Table]) -> list[Problem]:
    """A row's note never speaks of its source's strength (charts and citations print weakness from
    `sources.strength`), and a source's own note or reason never calls it weak when the field does not."""
    sources = tables.get("sources")
    if sources is None or not columns.has(sources, "source_id", "strength"):
        return []
    strength = dict(zip(columns.texts(sources, "source_id").tolist(), columns.texts(sources, "strength").tolist(),
                        strict=True))
    problems = []
    for name, table in tables.items():
        if not columns.has(table, "source_id") or name == "source_copies":
            continue
        for field in ROLES["remark"]:
            if not columns.has(table, field):
                continue
            notes = _strings(table, field)
            for position in pc.indices_nonzero(pc.match_substring_regex(notes, MAY_CLAIM_WEAK)).to_pylist():
                source_id = table["source_id"][position].as_py()  # few rows: no column of Python strings
                rated = strength.get(source_id)
                if rated is not None and WEAK_CLAIM.search(notes[position].as_py()) \
                        and (rated != "weak" or name != "sources"):
                    problems.append(Problem(*_where(name, table, position, field), f"calls source '{source_id}' weak"
                                            f" (its strength is {rated}); a note never states a strength:"
                                            " `sources.strength` is the one truth"))
    return problems


def check_creators(tables: dict[str, pa.Table]) -> list[Problem]:
    """Each creator is a person (a family name, perhaps a given name) or an organisation (one literal name)."""
    table = tables.get("creators")
    names = list(ROLES["creator_name"])  # family, given, literal
    if table is None or not columns.has(table, *names):
        return []
    person, given, organisation = (columns.given(table, name) for name in names)
    wrong = (person == organisation) | (given & ~person)
    return [Problem(*_where("creators", table, position, "literal" if organisation[position] else "family"), CREATOR)
            for position in np.flatnonzero(wrong).tolist()]


def check_urls(tables: dict[str, pa.Table]) -> list[Problem]:
    """Addresses are stored cleaned: no tracking parameters, no redirect or mail-scanner wrapper (each distinct
    address cleaned once)."""
    problems = []
    for name, table in tables.items():
        for field in having("url", table.column_names):
            codes, urls = columns.codes(table, field)
            unclean = [code for code, url in enumerate(urls) if clean_url(url) != url]
            problems += [Problem(*_where(name, table, position, field), f"address {shown(urls[code])} carries"
                                 f" tracking or a wrapper; store {shown(clean_url(urls[code]))}"
                                 " (nkdigital.core.urls.clean_url)")
                         for position in np.flatnonzero(np.isin(codes, unclean)).tolist()
                         for code in [codes[position]]] if unclean else []
    return problems


def _header(archive: Archive, relative: str) -> str:
    """The header of an archived file (read as the quote check reads it: no symlink, bounded); empty if none."""
    try:
        text = archive.text(relative)
    except OSError:
        return ""
    head, rule, _ = text.partition("\n---\n")
    return head if rule else ""


def _index(archive: Archive) -> dict[str, dict[str, str]]:
    """INDEX.csv's rows by file; empty when the archive has no (readable) index."""
    try:
        text = archive.text("INDEX.csv")
    except OSError:
        return {}
    return {row.get("file", ""): row for row in csv.DictReader(io.StringIO(text, newline=""))}


def named_outlets(named: str) -> set[str]:
    """The outlets INDEX.csv names for a file, each also without a trailing parenthesis."""
    parts = [p.strip() for p in re.split(r";(?![^(]*\))", named) if p.strip()]
    return set(parts) | {PARENTHESIS.sub("", p) for p in parts}


def _words(text: str) -> str:
    return " ".join(WORD.findall(text.casefold()))


def _given_by_archive(title: str, path: str, entry: dict, archive: Archive, seen: dict[str, str | None]) -> bool:
    """Whether `title` is ours (in brackets) or the archive's: its words, less a bracketed ending of ours, in the
    archived file (header or text) or its INDEX.csv title, whatever the punctuation and spacing between them. A
    file that cannot be read is not judged here (the quote check reports it)."""
    if ours(title):
        return True
    if path not in seen:
        try:
            seen[path] = _words(archive.text(path))
        except OSError:
            seen[path] = None
    said = _words(OURS_AT_END.sub("", title))
    text = seen[path]
    return text is None or not said or said in text or said in _words(entry.get("title") or "")


def check_archive_credits(tables: dict[str, pa.Table], archive: Archive) -> list[Problem]:
    """Titles the header marks absent are bracketed descriptions, and any other title is the archive's words or
    bracketed as ours; outlets are named by INDEX.csv for the file; a source read from a file of its own has the
    original address INDEX.csv gives for it (cleaned), where it gives one."""
    sources, copies = tables.get("sources"), tables.get("source_copies")
    if sources is None or copies is None or not columns.has(copies, "archive_path", "source_id", "role"):
        return []
    primary = columns.texts(copies, "role") == "primary"
    path_of = dict(zip(columns.texts(copies, "source_id")[primary].tolist(),
                       columns.texts(copies, "archive_path")[primary].tolist(), strict=True))
    holders: dict[str, set[str]] = {}
    for held, source_id in zip(columns.texts(copies, "archive_path").tolist(),
                               columns.texts(copies, "source_id").tolist(), strict=True):
        holders.setdefault(held, set()).add(source_id)
    index, problems, words = _index(archive), [], {}
    for i, row in enumerate(columns.records(sources)):
        path = path_of.get(row["source_id"])
        if not isinstance(path, str) or Path(path).is_absolute() or ".." in Path(path).parts:
            continue
        title = str(row.get("title", ""))
        if ABSENT_TITLE.search(_header(archive, path)) and not title.startswith(UNTITLED):
            problems.append(Problem(*_where("sources", sources, i, "title"),
                                    f"the archive header of {path} says the headline is not in the excerpt (or"
                                    f" rebuilds it from the address); write our description as '{UNTITLED}…]'"
                                    f" instead of {shown(title)}"))
        elif not _given_by_archive(title, path, index.get(path, {}), archive, words):
            problems.append(Problem(*_where("sources", sources, i, "title"),
                                    f"title {shown(title)}: its words are neither in {path} nor in its INDEX.csv"
                                    " title; give the document's own title, or mark ours with square brackets"
                                    " ('[…]')"))
        entry = index.get(path)
        outlet = " ".join(str(row.get("original_outlet", "")).split())
        if entry is not None and outlet not in named_outlets(entry.get("original_outlet") or UNKNOWN_OUTLET):
            problems.append(Problem(*_where("sources", sources, i, "original_outlet"),
                                    f"outlet {shown(outlet)} is not one INDEX.csv names for {path}:"
                                    f" {shown(entry.get('original_outlet', ''))}"))
        original = clean_url(entry.get("original_url") or "") if entry is not None else ""
        url = str(row.get("url") or "")
        if original and len(holders.get(path, ())) == 1 and clean_url(url) != original:
            problems.append(Problem(*_where("sources", sources, i, "url"),
                                    f"address {shown(url)} is not the original address INDEX.csv gives for {path}:"
                                    f" store {shown(original)}"))
    return problems


# a host post's own dateline ("Saturday, April 27th, 2013"): the date of the page quoting a document, not the document's
DATELINE = re.compile(r"^\s*(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \w+ \d{1,2}(st|nd|rd|th)?, \d{4}\s*$",
                      re.IGNORECASE | re.MULTILINE)


def date_forms(stamp: dt.date, precision: str) -> set[str]:
    """The ways an archived text writes a date at its precision (ISO with or without zero padding, month names)."""
    month, year = f"{stamp:%B}", stamp.year
    if precision == "day":
        day = stamp.day
        return {f"{stamp:%Y-%m-%d}", f"{year}-{stamp.month}-{day}", f"{month} {day}, {year}", f"{day} {month} {year}"}
    if precision == "month":
        return {f"{stamp:%Y-%m}", f"{month} {year}"}
    return {str(year)}


def _first_shared_paths(copies: list[dict]) -> dict[str, str]:
    """Each source's first copy read from a section, or from a file that holds another source's document too."""
    held: dict[str, set[str]] = {}
    for copy in copies:
        if copy["archive_path"] is not None and copy["source_id"] is not None:
            held.setdefault(copy["archive_path"], set()).add(copy["source_id"])
    first: dict[str, str] = {}
    for copy in copies:
        if len(held.get(copy["archive_path"], ())) > 1 or copy["section"]:
            first.setdefault(copy["source_id"], copy["archive_path"])
    return first


def check_shared_file_dates(tables: dict[str, pa.Table], archive: Archive) -> list[Problem]:
    """A source read from a section of a file (or from a file that holds another source's document too) is dated
    only by a date its own part of the text states, or a `published:` header item naming its outlet; never by the
    dateline of the host's post that quotes it. The data files of one data rehost (a release of several files) are
    each dated by the release's `published:` header item."""
    sources, copies = tables.get("sources"), tables.get("source_copies")
    if sources is None or copies is None or not columns.has(copies, "archive_path", "source_id", "section"):
        return []
    rows = columns.records(copies)  # one row per archived copy: few
    first_path, sections = _first_shared_paths(rows), file_sections(rows)
    own: dict[str, list[dict]] = {}  # any of a source's copies may give the date
    for copy in rows:
        own.setdefault(copy["source_id"], []).append(copy)
    problems = []
    for i, row in enumerate(columns.records(sources)):
        stamp = row.get("published_date")
        if row["source_id"] not in first_path or stamp is None:
            continue
        forms = date_forms(stamp, str(row.get("published_date_precision")))
        outlet = str(row.get("original_outlet", ""))
        if not any(_dated(archive, c, sections, forms, outlet) for c in own.get(row["source_id"], [])):
            problems.append(Problem(*_where("sources", sources, i, "published_date"),
                                    f"{stamp:%Y-%m-%d} is not stated for this document in its part of"
                                    f" {first_path[row['source_id']]} (a host post's dateline dates the post, not"
                                    f" the document it quotes); leave the date empty (n.d.)"))
    return problems


def _dated(archive: Archive, copy: dict, sections: dict[str, list[str]], forms: set[str], outlet: str) -> bool:
    path = str(copy["archive_path"])
    if Path(path).is_absolute() or ".." in Path(path).parts:
        return True  # the quote check reports such a path
    try:
        text = archive.text(path)
    except OSError:
        return True  # the quote check reports a missing file
    section = copy["section"] if isinstance(copy["section"], str) else ""
    own = DATELINE.sub("", part(evidence(text), section, sections.get(path, [])) or "")
    published = re.search(r"^published:(.*)$", _header(archive, path), re.MULTILINE)
    release = str(copy["copy"]) == "data_rehost"
    named = [item for item in (published.group(1).split(";") if published else [])
             if release or outlet.split(" ")[0].casefold() in item.casefold()]
    return any(form in chunk for form in forms for chunk in (own, *named))
