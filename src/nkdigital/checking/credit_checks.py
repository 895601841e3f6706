"""Checks that credits say what the archive says: notes never call a source weak against its `strength`, a title
the archive header marks as absent is printed as our description, the outlet is one the intake names for the
file, addresses carry no tracking parameters or mail-scanner wrappers, and a document read inside another's file is
dated only by a date the archive gives for it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from nkdigital.checking.checks import _label, _row
from nkdigital.checking.quotes import Archive, evidence, part
from nkdigital.core.errors import Problem, shown
from nkdigital.core.urls import clean_url
from nkdigital.metadata.provenance import UNKNOWN_OUTLET, UNTITLED
from nkdigital.metadata.roles import ROLES, having

WEAK_CLAIM = re.compile(r"\bweak\b", re.IGNORECASE)
# a header title the archive marks as not the document's own: the headline is not in the excerpt, or was rebuilt
# from the address
ABSENT_TITLE = re.compile(r"^title:\s*\(headline not in|^title:.*\((title|headline) from URL slug",
                          re.IGNORECASE | re.MULTILINE)
PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")


def _where(name: str, frame: pd.DataFrame, index: object, field: str) -> tuple:
    return _label(name, frame), _row(index), field


def check_strength_claims(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """A row's note never speaks of its source's strength (charts and citations print weakness from
    `sources.strength`), and a source's own note or reason never calls it weak when the field does not."""
    sources = frames.get("sources")
    if sources is None or not {"source_id", "strength"} <= set(sources.columns):
        return []
    strength = dict(zip(sources["source_id"], sources["strength"].astype(str), strict=True))
    problems = []
    for name, frame in frames.items():
        if "source_id" not in frame or name == "source_copies":
            continue
        for field in ROLES["remark"]:
            if field not in frame:
                continue
            rows = frame[["source_id", field]].dropna()
            rated = rows["source_id"].astype(object).map(strength)
            claims = rows[field].astype(str).str.contains(WEAK_CLAIM).to_numpy(dtype=bool)
            wrong = rated.notna().to_numpy() & claims & ((rated != "weak").to_numpy() | (name != "sources"))
            problems += [Problem(*_where(name, frame, index, field), f"calls source '{source_id}' weak (its strength"
                                 f" is {strength[source_id]}); a note never states a strength: `sources.strength`"
                                 " is the one truth")
                         for index, source_id in rows["source_id"][wrong].items()]
    return problems


def check_creators(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Each creator is a person (a family name, perhaps a given name) or an organisation (one literal name)."""
    frame = frames.get("creators")
    names = list(ROLES["creator_name"])  # family, given, literal
    if frame is None or not set(names) <= set(frame.columns):
        return []
    problems = []
    for index, family, given, literal in frame[names].itertuples():
        person, organisation = pd.notna(family), pd.notna(literal)
        if person == organisation or (pd.notna(given) and not person):
            field = "literal" if organisation else "family"
            problems.append(Problem(*_where("creators", frame, index, field),
                                    "a creator is a person (family name, perhaps a given name) or an organisation"
                                    " (literal name only), not both or neither"))
    return problems


def check_urls(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Addresses are stored cleaned: no tracking parameters, no redirect or mail-scanner wrapper."""
    problems = []
    for name, frame in frames.items():
        addresses = ((f, i, u) for f in having("url", frame.columns) for i, u in frame[f].dropna().items())
        for field, index, url in addresses:
            if clean_url(str(url)) != str(url):
                problems.append(Problem(*_where(name, frame, index, field),
                                        f"address {shown(url)} carries tracking or a wrapper; store"
                                        f" {shown(clean_url(str(url)))} (nkdigital.core.urls.clean_url)"))
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


def check_archive_credits(frames: dict[str, pd.DataFrame], archive: Archive) -> list[Problem]:
    """Titles the header marks absent are bracketed descriptions; outlets are named by INDEX.csv for the file."""
    sources, copies = frames.get("sources"), frames.get("source_copies")
    if sources is None or copies is None or not {"archive_path", "source_id", "role"} <= set(copies.columns):
        return []
    primary = copies[copies["role"].astype(str) == "primary"]
    path_of = dict(zip(primary["source_id"], primary["archive_path"], strict=False))
    index, problems = _index(archive), []
    for i, row in zip(sources.index, sources.to_dict("records"), strict=True):
        path = path_of.get(row["source_id"])
        if not isinstance(path, str) or Path(path).is_absolute() or ".." in Path(path).parts:
            continue
        title = str(row.get("title", ""))
        if ABSENT_TITLE.search(_header(archive, path)) and not title.startswith(UNTITLED):
            problems.append(Problem(*_where("sources", sources, i, "title"),
                                    f"the archive header of {path} says the headline is not in the excerpt (or"
                                    f" rebuilds it from the address); write our description as '{UNTITLED}…]'"
                                    f" instead of {shown(title)}"))
        entry = index.get(path)
        outlet = " ".join(str(row.get("original_outlet", "")).split())
        if entry is not None and outlet not in named_outlets(entry.get("original_outlet") or UNKNOWN_OUTLET):
            problems.append(Problem(*_where("sources", sources, i, "original_outlet"),
                                    f"outlet {shown(outlet)} is not one INDEX.csv names for {path}:"
                                    f" {shown(entry.get('original_outlet', ''))}"))
    return problems


# a host post's own dateline ("Saturday, April 27th, 2013"): the date of the page quoting a document, not the document's
DATELINE = re.compile(r"^\s*(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \w+ \d{1,2}(st|nd|rd|th)?, \d{4}\s*$",
                      re.IGNORECASE | re.MULTILINE)


def date_forms(stamp: pd.Timestamp, precision: str) -> set[str]:
    """The ways an archived text writes a date at its precision (ISO with or without zero padding, month names)."""
    month, year = f"{stamp:%B}", stamp.year
    if precision == "day":
        day = stamp.day
        return {f"{stamp:%Y-%m-%d}", f"{year}-{stamp.month}-{day}", f"{month} {day}, {year}", f"{day} {month} {year}"}
    if precision == "month":
        return {f"{stamp:%Y-%m}", f"{month} {year}"}
    return {str(year)}


def check_shared_file_dates(frames: dict[str, pd.DataFrame], archive: Archive) -> list[Problem]:
    """A source read from a section of a file (or from a file that holds another source's document too) is dated
    only by a date its own part of the text states, or a `published:` header item naming its outlet; never by the
    dateline of the host's post that quotes it. The data files of one data rehost (a release of several files) are
    each dated by the release's `published:` header item."""
    sources, copies = frames.get("sources"), frames.get("source_copies")
    if sources is None or copies is None or not {"archive_path", "source_id", "section"} <= set(copies.columns):
        return []
    shared = copies.groupby("archive_path")["source_id"].transform("nunique") > 1
    chosen = copies[shared | copies["section"].fillna("").astype(str).ne("")]
    first_path = chosen.drop_duplicates("source_id").set_index("source_id")["archive_path"]
    sections = copies.assign(section=copies["section"].fillna("").astype(str)) \
        .groupby("archive_path")["section"].agg(list).to_dict()
    own: dict[str, list[dict]] = {}  # any of a source's copies may give the date
    for copy in copies.to_dict("records"):
        own.setdefault(copy["source_id"], []).append(copy)
    problems = []
    for i, row in zip(sources.index, sources.to_dict("records"), strict=True):
        stamp = row.get("published_date")
        if row["source_id"] not in first_path or not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
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
