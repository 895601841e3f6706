"""Reliability: a careless or hostile edit never passes silently.

Each corpus case breaks a scratch copy of the real package in one way, then asks both `nkdigital validate`
and `nk.load(validate=True)`: both must refuse it with exactly one problem naming file, row and field.
Cases that are not about hashes record the new hashes themselves (as `nkdigital refresh` would, but that
command refuses invalid data), so a stale hash never doubles the count. Rows are picked by what they
contain, not by number, so the corpus follows the data as it grows.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nkdigital as nk
from nkdigital.cli import main
from nkdigital.core.paths import default_archive
from nkdigital.metadata.units import COUNT_UNITS

from . import broken as b
from .conftest import DESCRIPTOR

ARCHIVE = default_archive(DESCRIPTOR)
DESCRIPTOR_NAME = DESCRIPTOR.name
OBS, EVENTS, SOURCES = "observations", "events", "sources"
LEAF = "rights_framework"  # no resource refers to it: a broken file is exactly one problem
SECONDS = 30  # validating and loading a broken copy, on a busy machine: a hang would take far longer


@dataclass(frozen=True)
class Expected:
    file: str
    row: int | None
    field: str | None
    phrase: str  # a key phrase of the message


@dataclass(frozen=True)
class Case:
    id: str
    breaks: Callable[[Path], Expected]  # breaks the copy whose datapackage.json it gets
    rehash: bool = True


CASES: list[Case] = []


def case(id: str, *, rehash: bool = True):
    def register(breaks: Callable[[Path], Expected]) -> Callable[[Path], Expected]:
        CASES.append(Case(id, breaks, rehash))
        return breaks

    return register


def cell_case(id: str, name: str, field: str, value: str | Callable[[dict], str], phrase: str,
              where: Callable[[dict], bool] = lambda row: True, **options) -> None:
    """A case that sets one cell of the first row of `name` matching `where`."""

    def breaks(path: Path) -> Expected:
        row = b.pick(path, name, where)
        b.set_cell(path, name, row["#"], field, value(row) if callable(value) else value)
        return Expected(b.label(path, name), row["#"], field, phrase)

    CASES.append(Case(id, breaks, **options))


def _even_count(bound: str) -> Callable[[dict], bool]:
    return lambda r: r["unit"] in COUNT_UNITS and r[bound] != "" and float(r[bound]) >= 2 and float(r[bound]) % 2 == 0


# cells: types, dates, bounds, keys

cell_case("malformed-date", OBS, "ref_date", "15/11/2022", "is not a date in the form YYYY-MM-DD")
cell_case("impossible-date-2021-02-30", OBS, "ref_date", "2021-02-30", "is not a real calendar date")
cell_case("date-in-the-future", EVENTS, "event_date", "2100-01-01", "is in the future")
cell_case("value-below-low", OBS, "value", lambda r: str(float(r["low"]) / 2), "is below low",
          where=lambda r: r["qualifier"] == "at_least" and _even_count("low")(r))
cell_case("low-above-high", OBS, "low", lambda r: str(float(r["high"]) * 2), "is greater than high",
          where=lambda r: r["qualifier"] == "range" and _even_count("high")(r))
cell_case("wrong-type", OBS, "value", "forty", "is not a plain number", where=lambda r: r["value"] != "")
cell_case("empty-required-cell", EVENTS, "title", "", "required value is empty")
cell_case("dangling-source-id", OBS, "source_id", "no-such-source", "source_id 'no-such-source' is not in sources")


# figures read from their quotes

def _stated(r: dict) -> bool:
    return r["claim_type"] != "derived" and r["value"] != "" and r["qualifier"] in ("exact", "about")


cell_case("typo-in-a-figure", OBS, "value", lambda r: r["value"][:-1], "is not a figure the quote states",
          where=lambda r: _stated(r) and r["value"].endswith("0000") and "," in r["quote"])
cell_case("percent-not-converted", OBS, "value", lambda r: f"{float(r['value']) * 100:.10g}",
          "is not a figure the quote states",
          where=lambda r: _stated(r) and r["unit"] == "share" and 0 < float(r["value"]) <= 0.01
          and ("%" in r["quote"] or "percent" in r["quote"]))


@case("duplicate-primary-key")
def _duplicate_key(path: Path) -> Expected:
    rows = b.read_rows(path, EVENTS)
    rows.insert(2, list(rows[1]))  # row 3 repeats row 2, so the order stays sorted
    b.write_rows(path, EVENTS, rows)
    return Expected(b.label(path, EVENTS), 3, "event_id", "is also in row 2; event_id must be unique")


# text that would run in a spreadsheet or a browser

for _name, _text in (("equals", '=HYPERLINK("http://x.example","click")'), ("plus", "+1 555 0100"),
                     ("minus", "-2+3"), ("at", "@SUM(A1:A9)")):
    cell_case(f"formula-prefix-{_name}", EVENTS, "title", _text, "must not start with =, +, - or @")
cell_case("javascript-url", SOURCES, "url", "javascript:alert(document.cookie)", "is not an http(s) URL")
cell_case("data-url", SOURCES, "url", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
          "is not an http(s) URL")
cell_case("html-in-text", EVENTS, "description", "Service opens <b>today</b>.", "must not contain < or >")
cell_case("script-in-text", EVENTS, "title", "<script>alert(1)</script>", "must not contain < or >")
cell_case("control-character-in-text", EVENTS, "title", "Launch \x1b[31mred\x1b[0m", "control character")


# sources and quotes

cell_case("quote-not-in-source", OBS, "quote", "a sentence this source never contained", "quote not found verbatim")


@case("source-never-used")
def _unused_source(path: Path) -> Expected:
    counts: dict[str, int] = {}
    claims = [r["name"] for r in b.descriptor(path)["resources"]
              if "quote" in {f["name"] for f in r["schema"]["fields"]}]
    for name in claims:
        for row in b.records(path, name):
            counts[row["source_id"]] = counts.get(row["source_id"], 0) + 1
    for name in claims:
        try:
            row = b.pick(path, name, lambda r: counts[r["source_id"]] == 1)
        except LookupError:
            continue
        b.write_rows(path, name, [r for i, r in enumerate(b.read_rows(path, name), start=1) if i != row["#"]])
        source = next(s for s in b.records(path, SOURCES) if s["source_id"] == row["source_id"])
        return Expected(b.label(path, SOURCES), source["#"], "source_id", "is not used by any row")
    raise LookupError("no source is cited by exactly one row")


# columns

def _edit_columns(path: Path, change: Callable[[list[list[str]]], list[list[str]]]) -> None:
    b.write_rows(path, LEAF, change(b.read_rows(path, LEAF)))


@case("missing-column")
def _missing_column(path: Path) -> Expected:
    last = b.read_rows(path, LEAF)[0][-1]
    _edit_columns(path, lambda rows: [r[:-1] for r in rows])
    return Expected(b.label(path, LEAF), 1, last, "column is missing")


@case("extra-column")
def _extra_column(path: Path) -> Expected:
    _edit_columns(path, lambda rows: [[*rows[0], "extra"]] + [[*r, "x"] for r in rows[1:]])
    return Expected(b.label(path, LEAF), 1, "extra", "column is not in the schema")


@case("renamed-column")
def _renamed_column(path: Path) -> Expected:
    _edit_columns(path, lambda rows: [["provisions" if c == "provision" else c for c in rows[0]], *rows[1:]])
    return Expected(b.label(path, LEAF), 1, "provisions", "but the schema expects 'provision'")


# files: encoding, line endings, truncation, absence, hashes

def _rewrite(path: Path, name: str, change: Callable[[bytes], bytes]) -> Path:
    file = b.csv_file(path, name)
    file.write_bytes(change(file.read_bytes()))
    return file


@case("utf8-bom")
def _bom(path: Path) -> Expected:
    _rewrite(path, LEAF, lambda data: b"\xef\xbb\xbf" + data)
    return Expected(b.label(path, LEAF), 1, None, "byte-order mark")


@case("crlf-line-endings")
def _crlf(path: Path) -> Expected:
    _rewrite(path, LEAF, lambda data: data.replace(b"\n", b"\r\n"))
    return Expected(b.label(path, LEAF), 1, None, "CRLF")


@case("latin1-file")
def _latin1(path: Path) -> Expected:
    row = b.pick(path, LEAF)
    b.set_cell(path, LEAF, row["#"], "relevance", "Opening of the Café Koryo.")
    text = b.csv_file(path, LEAF).read_text(encoding="utf-8")
    _rewrite(path, LEAF, lambda _: text.encode("latin-1", errors="replace"))
    line = next(n for n, line in enumerate(text.split("\n"), start=1) if any("\x80" <= c <= "\xff" for c in line))
    return Expected(b.label(path, LEAF), line, None, "not valid UTF-8")


@case("truncated-file")
def _truncated(path: Path) -> Expected:
    text = b.csv_file(path, LEAF).read_text(encoding="utf-8")
    cut = text[: len(text) // 2].rstrip("\n")
    _rewrite(path, LEAF, lambda _: cut.encode("utf-8"))
    return Expected(b.label(path, LEAF), cut.count("\n") + 1, None, "truncated")


@case("missing-resource-file")
def _missing_file(path: Path) -> Expected:
    b.csv_file(path, LEAF).unlink()
    return Expected(b.label(path, LEAF), None, None, "resource file is missing")


@case("symlink-outside-package")
def _symlink(path: Path) -> Expected:
    file = b.csv_file(path, LEAF)
    outside = path.parent.parent / "outside.csv"
    outside.write_bytes(file.read_bytes())
    file.unlink()
    file.symlink_to(outside)
    return Expected(b.label(path, LEAF), None, None, "outside the package folder")


@case("edited-without-hash-refresh", rehash=False)
def _stale_hash(path: Path) -> Expected:
    row = b.pick(path, OBS)
    b.set_cell(path, OBS, row["#"], "note", "Edited without running nkdigital refresh.")
    return Expected(b.label(path, OBS), None, None, "file changed since its hash was recorded")


# the descriptor

@case("malformed-datapackage-json", rehash=False)
def _malformed_json(path: Path) -> Expected:
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.strip().startswith('"version"'))
    lines[number] = lines[number].rstrip(",")  # a missing comma: the error shows on the next line
    path.write_text("\n".join(lines), encoding="utf-8")
    return Expected(DESCRIPTOR_NAME, number + 2, None, "not valid JSON")


@case("descriptor-of-the-wrong-shape", rehash=False)
def _wrong_shape(path: Path) -> Expected:
    b.edit_descriptor(path, lambda d: d.update(resources={r["name"]: r["path"] for r in d["resources"]}))
    return Expected(DESCRIPTOR_NAME, None, "resources", "must be an object with a list of resources")


@case("path-traversal", rehash=False)
def _traversal(path: Path) -> Expected:
    b.edit_descriptor(path, lambda d: d["resources"][1].update(path="../../etc/passwd"))
    return Expected(DESCRIPTOR_NAME, None, f"{b.descriptor(path)['resources'][1]['name']}.path",
                    "must stay inside the package folder")


@case("absolute-path", rehash=False)
def _absolute(path: Path) -> Expected:
    b.edit_descriptor(path, lambda d: d["resources"][1].update(path="/etc/passwd"))
    return Expected(DESCRIPTOR_NAME, None, f"{b.descriptor(path)['resources'][1]['name']}.path",
                    "must be relative to the package folder")


# hardening: checks that were missing

def _derived(path: Path) -> list[dict]:
    return [r for r in b.records(path, OBS) if r["claim_type"] == "derived"]


@case("derived-row-refers-to-itself")
def _self_reference(path: Path) -> Expected:
    row = _derived(path)[0]
    own = row["observation_id"]
    b.set_cell(path, OBS, row["#"], "formula", f"{{{own}}} * 1")
    b.set_cell(path, OBS, row["#"], "input_ids", own)
    return Expected(b.label(path, OBS), row["#"], "formula", "formula refers to its own row")


@case("derived-rows-refer-to-each-other")
def _mutual_reference(path: Path) -> Expected:
    first, second = _derived(path)[:2]
    for row, other in ((first, second), (second, first)):
        b.set_cell(path, OBS, row["#"], "formula", f"{{{other['observation_id']}}} * 1")
        b.set_cell(path, OBS, row["#"], "input_ids", other["observation_id"])
    return Expected(b.label(path, OBS), first["#"], "formula", "formula refers to its own row through")



# events take the date their accounts agree on; one law is one name with its adoption year

@case("actor-dispute-blurs-the-date")
def _blurred_date(path: Path) -> Expected:
    """A disputed event dated to the day its accounts agree on, blurred to its whole year."""
    row = b.pick(path, EVENTS, lambda r: r["is_disputed"] == "true" and r["event_date_precision"] == "day")
    b.set_cell(path, EVENTS, row["#"], "event_date", row["event_date"][:4] + "-01-01")
    b.set_cell(path, EVENTS, row["#"], "event_date_precision", "year")
    return Expected(b.label(path, EVENTS), row["#"], "event_date", f"attestations agree on {row['event_date']} (day)")


cell_case("accounts-disagree-but-event-not-disputed", EVENTS, "is_disputed", "false",
          "its attestations disagree on the date, so the event is disputed",
          where=lambda r: r["is_disputed"] == "true" and r["event_date_precision"] != "day")


@case("one-source-two-accounts-of-one-event")
def _second_account(path: Path) -> Expected:
    """The last attestation told again by its source under a new id (which sorts last)."""
    rows = b.read_rows(path, "event_attestations")
    rows.append([rows[-1][0] + "-again", *rows[-1][1:]])
    b.write_rows(path, "event_attestations", rows)
    return Expected(b.label(path, "event_attestations"), len(rows), "source_id",
                    "one source is one account of a happening")


cell_case("law-under-a-second-name", LEAF, "instrument", "Unnamed 2020 law against outside information",
          "is not the subject of a law event in events", where=lambda r: r["instrument_type"] == "domestic_law")
cell_case("law-without-its-adoption-year", LEAF, "adoption_year", "", "adoption_year must be",
          where=lambda r: r["instrument_type"] == "domestic_law")
cell_case("share-without-its-denominator", "access_tiers", "share_of", "", "a share needs share_of",
          where=lambda r: r["unit"] == "share")


@case("one-statement-twice")
def _statement_twice(path: Path) -> Expected:
    rows = b.read_rows(path, LEAF)
    rows.append([rows[-1][0] + "-again", *rows[-1][1:]])  # sorts last, after the row it repeats
    b.write_rows(path, LEAF, rows)
    return Expected(b.label(path, LEAF), len(rows), "quote", "one statement is one row")


def _first_word(row: dict) -> str:
    return row["quote"].split()[0]


cell_case("quote-of-one-word", OBS, "quote", _first_word, "quote has 1 words")
cell_case("quote-of-whitespace", OBS, "quote", "    ", "quote has 0 words")


@case("quote-lifted-from-the-archive-header")
def _header_quote(path: Path) -> Expected:
    """Words that occur only in the archived file's header (title, publisher, url lines), not in its text."""
    sources = {c["source_id"]: c["archive_path"] for c in b.records(path, "source_copies") if c["role"] == "primary"}
    inputs = b.input_ids(path)
    for row in b.records(path, OBS):
        if row["source_id"] not in sources or row["observation_id"] in inputs or row["claim_type"] == "derived":
            continue
        text = (ARCHIVE / sources[row["source_id"]]).read_text(encoding="utf-8")
        header, rule, body = text.partition("\n---\n")
        body = " ".join(body.split())
        for line in header.splitlines():
            words = line.split()
            quote = " ".join(words[:8])
            if rule and len(words) >= 5 and quote not in body and not any(c in quote for c in "<>=+@") \
                    and quote[0] not in "-":
                b.set_cell(path, OBS, row["#"], "quote", quote)
                return Expected(b.label(path, OBS), row["#"], "quote", "quote not found verbatim")
    raise LookupError("no archived header has a line that its text lacks")


cell_case("bidirectional-override-in-text", EVENTS, "title", "Launch of exe.\u202egnp the network",
          "invisible formatting character U+202E")
cell_case("invisible-mark-in-text", EVENTS, "title", "Launch of the\u2066 network", "U+2066")
for _char in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"):
    cell_case(f"invisible-U+{ord(_char):04X}-in-text", SOURCES, "original_outlet", f"Daily{_char} NK",
              f"invisible formatting character U+{ord(_char):04X}")
cell_case("arabic-indic-digits", OBS, "value", "\u0663\u0660\u0660", "is not a plain number",
          where=lambda r: r["value"] != "")


@case("resource-without-hash", rehash=False)
def _no_hash(path: Path) -> Expected:
    b.edit_descriptor(path, lambda d: d["resources"][1].pop("hash"))
    name = b.descriptor(path)["resources"][1]["name"]
    return Expected(DESCRIPTOR_NAME, None, f"{name}.hash", "resource has no hash")


@case("resource-without-bytes", rehash=False)
def _no_bytes(path: Path) -> Expected:
    b.edit_descriptor(path, lambda d: d["resources"][1].pop("bytes"))
    name = b.descriptor(path)["resources"][1]["name"]
    return Expected(DESCRIPTOR_NAME, None, f"{name}.bytes", "resource has no bytes")


@case("resource-cut-to-its-header")
def _header_only(path: Path) -> Expected:
    _rewrite(path, LEAF, lambda data: data.split(b"\n")[0] + b"\n")
    return Expected(b.label(path, LEAF), None, None, "file has a header but no rows")


# hardening: located problems instead of tracebacks

cell_case("number-of-400-digits", OBS, "value", "9" * 400, "is too long a number", where=lambda r: r["value"] != "")
cell_case("integer-of-25-digits", "access_controls", "step_order", "1" * 25, "is too large a whole number")


def _formula_case(id: str, formula: Callable[[str], str], phrase: str) -> None:
    @case(id)
    def breaks(path: Path) -> Expected:
        row = _derived(path)[0]
        b.set_cell(path, OBS, row["#"], "formula", formula(row["formula"]))
        return Expected(b.label(path, OBS), row["#"], "formula", phrase)


_formula_case("formula-too-long", lambda f: f + " + 0" * 300, "formula is longer than 500 characters")
_formula_case("formula-nested-too-deeply", lambda f: "(" * 40 + f + ")" * 40,
              "formula nests parentheses more than 20 deep")


# hardening: nothing hangs

@case("fifo-in-place-of-a-csv")
def _fifo(path: Path) -> Expected:
    file = b.csv_file(path, LEAF)
    file.unlink()
    os.mkfifo(file)
    return Expected(b.label(path, LEAF), None, None, "is not a regular file")


@case("catastrophic-pattern")
def _catastrophic(path: Path) -> Expected:
    """`([^!]+)+` backtracks exponentially on Python's engine when a cell ends in `!`; RE2 answers at once."""
    assert not any("!" in r["title"] for r in b.records(path, EVENTS))
    b.edit_descriptor(path, lambda d: next(f for r in d["resources"] if r["name"] == EVENTS
                                           for f in r["schema"]["fields"] if f["name"] == "title")
                      ["constraints"].update(pattern="([^!]+)+"))
    row = b.pick(path, EVENTS)
    b.set_cell(path, EVENTS, row["#"], "title", "a" * 40 + "!")
    return Expected(b.label(path, EVENTS), row["#"], "title", "does not have the required form ([^!]+)+")



# credits as the archive gives them (one case per class of error)

REPOST = "grantmontgomery-asahi-300k"  # a weak blog repost whose header says the headline is not in the excerpt
PC_WORLD = "nkeconwatch-2013-2m-yonhap-pcworld"  # the second of two documents held by one archived file
TIDY_LANDLINE = "data-tidytuesday-owid-2020-mobile-landline-landline-csv"  # second data file of one release


def _source(source_id: str) -> Callable[[dict], bool]:
    return lambda r: r["source_id"] == source_id


def _not_weak(path: Path) -> Callable[[dict], bool]:
    rated = {r["source_id"]: r["strength"] for r in b.records(path, SOURCES)}
    return lambda r: rated[r["source_id"]] != "weak" and r["note"] == ""


@case("note-calls-a-non-weak-source-weak")
def _weak_claim(path: Path) -> Expected:
    row = b.pick(path, OBS, _not_weak(path))
    b.set_cell(path, OBS, row["#"], "note", "Weak source (blog repost).")
    return Expected(b.label(path, OBS), row["#"], "note", f"calls source '{row['source_id']}' weak")


@case("note-restates-that-a-source-is-weak")
def _weak_restated(path: Path) -> Expected:
    rated = {r["source_id"]: r["strength"] for r in b.records(path, SOURCES)}
    row = b.pick(path, OBS, lambda r: rated[r["source_id"]] == "weak" and r["note"] == "")
    b.set_cell(path, OBS, row["#"], "note", "Weak source (blog).")
    return Expected(b.label(path, OBS), row["#"], "note", "a note never states a strength")


cell_case("absent-headline-printed-as-a-title", SOURCES, "title", "North Korea Cell Phone Users Top 300,000",
          "says the headline is not in the excerpt", where=_source(REPOST))
cell_case("title-rebuilt-from-the-address-printed-as-a-title", SOURCES, "title",
          "North Korea to Introduce Second Cellular Provider", "or rebuilds it from the address",
          where=_source("upi-2015-07-08-byol"))
cell_case("title-the-archive-does-not-give", SOURCES, "title", "North Korea's Phone Boom, Explained",
          "its words are neither in", where=_source("globaltimes-2013-foreigners-phones"))
cell_case("outlet-the-intake-does-not-name", SOURCES, "original_outlet", "Reuters",
          "is not one INDEX.csv names", where=_source(REPOST))
cell_case("source-url-not-the-original-the-intake-gives", SOURCES, "url", "https://www.upi.com/",
          "is not the original address INDEX.csv gives", where=_source("upi-2015-07-08-byol"))
cell_case("tracking-parameter-in-a-source-url", SOURCES, "url", lambda r: r["url"] + "?utm_source=feed",
          "carries tracking or a wrapper", where=lambda r: "?" not in r["url"])
cell_case("mail-scanner-link-as-copy-url", "source_copies", "copy_url",
          lambda r: "https://eur01.safelinks.protection.outlook.com/?url=" + r["copy_url"].replace(":", "%3A")
          .replace("/", "%2F") + "&data=05", "carries tracking or a wrapper", where=lambda r: "?" not in r["copy_url"])


@case("quote-from-the-other-document-of-a-file")
def _other_document(path: Path) -> Expected:
    row = b.pick(path, OBS, _source(PC_WORLD))
    b.set_cell(path, OBS, row["#"], "source_id", "nkeconwatch-2013-2m-yonhap")
    return Expected(b.label(path, OBS), row["#"], "quote",
                    "not found verbatim in the text of nkeconwatch-2013-2m-yonhap")


@case("host-post-dateline-as-the-date-of-the-document-it-quotes")
def _host_dateline(path: Path) -> Expected:
    row = b.pick(path, SOURCES, _source(PC_WORLD))  # the blog post quoting PC World is dated 27 April 2013
    b.set_cell(path, SOURCES, row["#"], "published_date", "2013-04-27")
    b.set_cell(path, SOURCES, row["#"], "published_date_precision", "day")
    return Expected(b.label(path, SOURCES), row["#"], "published_date", "is not stated for this document")


@case("data-file-of-a-release-dated-by-a-date-no-header-gives")
def _release_file_date(path: Path) -> Expected:
    row = b.pick(path, SOURCES, _source(TIDY_LANDLINE))  # dated by the release's published: header item only
    b.set_cell(path, SOURCES, row["#"], "published_date", "2017-06-01")
    return Expected(b.label(path, SOURCES), row["#"], "published_date", "is not stated for this document")


cell_case("creator-both-person-and-organisation", "creators", "literal", "Orascom Telecom Holding",
          "a creator is a person", where=lambda r: r["family"] != "")
cell_case("section-that-is-not-a-line-of-the-file", "source_copies", "section", "KoryoLink passes 3m subscribers",
          "is not a line of the text", where=_source(PC_WORLD))

# running the corpus


@dataclass
class Outcome:
    path: Path
    expected: Expected
    exit_code: int
    stdout: str
    stderr: str
    problems: list[nk.Problem] | None  # from nk.load(validate=True); None if it loaded
    seconds: float  # validate and load together

    @property
    def exact(self) -> bool:
        """Refused by both, with exactly the one expected problem."""
        if self.exit_code != 1 or self.problems is None or len(self.problems) != 1:
            return False
        [problem] = self.problems
        e = self.expected
        return ((problem.file, problem.row, problem.field) == (e.file, e.row, e.field) and e.phrase in problem.message
                and f"  - {problem}\n" in self.stderr and "invalid: 1 problem\n" in self.stderr)


def _archive_args() -> list[str]:
    return ["--archive", str(ARCHIVE)]


def _run(case: Case, folder: Path) -> Outcome:
    path = b.copy_package(folder)
    expected = case.breaks(path)
    if case.rehash:
        b.rehash(path)
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(path), *_archive_args()])
    try:
        nk.load(path, validate=True, archive=ARCHIVE)
        problems = None
    except nk.PackageError as error:
        problems = error.problems
    return Outcome(path, expected, code, out.getvalue(), err.getvalue(), problems, time.perf_counter() - start)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Callable[[Case], Outcome]:
    """Each case is broken and checked once per session, whichever test asks first."""
    base = tmp_path_factory.mktemp("broken")
    outcomes: dict[str, Outcome] = {}

    def outcome(case: Case) -> Outcome:
        if case.id not in outcomes:
            outcomes[case.id] = _run(case, base / case.id / "datapackage")
        return outcomes[case.id]

    return outcome


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_package_is_refused_with_exactly_one_located_problem(case, corpus):
    result = corpus(case)
    e = result.expected
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.problems is not None, "nk.load(validate=True) loaded the broken package"
    assert len(result.problems) == 1, "\n".join(map(str, result.problems))
    [problem] = result.problems
    assert (problem.file, problem.row, problem.field) == (e.file, e.row, e.field), str(problem)
    assert e.phrase in problem.message
    assert "invalid: 1 problem\n" in result.stderr
    assert f"  - {problem}\n" in result.stderr, result.stderr
    assert result.seconds < SECONDS, f"took {result.seconds:.1f} s"


def test_an_untouched_copy_passes_so_each_case_counts_only_its_own_problem(tmp_path, capsys):
    path = b.copy_package(tmp_path / "datapackage")
    b.rehash(path)
    assert path.read_bytes() == DESCRIPTOR.read_bytes(), "recording hashes changed the descriptor"
    assert main(["validate", str(path), *_archive_args()]) == 0, capsys.readouterr().err
    assert nk.load(path, validate=True, archive=ARCHIVE).resource_names == NAMES


SUBPROCESS_CASES = ["latin1-file", "truncated-file", "malformed-datapackage-json", "path-traversal",
                    "duplicate-primary-key", "formula-prefix-equals", "fifo-in-place-of-a-csv", "catastrophic-pattern",
                    "number-of-400-digits", "formula-too-long"]


def test_the_command_line_refuses_broken_packages_without_a_traceback(corpus):
    """The real `nkdigital validate` process, three at a time on a few cases: exit 1, the problem, no traceback."""
    cases = [c for c in CASES if c.id in SUBPROCESS_CASES]
    outcomes = [corpus(c) for c in cases]

    def validate(outcome: Outcome) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "nkdigital.cli", "validate", str(outcome.path), *_archive_args()],
                              capture_output=True, text=True, encoding="utf-8", timeout=300)

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(validate, outcomes))
    for case, outcome, result in zip(cases, outcomes, results, strict=True):
        assert result.returncode == 1, (case.id, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, (case.id, result.stderr)
        assert "invalid: 1 problem\n" in result.stderr, (case.id, result.stderr)
        assert f"  - {outcome.problems[0]}\n" in result.stderr, (case.id, result.stderr)


@pytest.mark.parametrize("count", [len(CASES)], ids=[f"{len(CASES)}-broken-packages"])
def test_every_broken_package_is_refused(count, corpus, capsys):
    outcomes = {c.id: corpus(c) for c in CASES}
    refused = [i for i, o in outcomes.items() if o.exit_code == 1 and o.problems]
    exact = [i for i, o in outcomes.items() if o.exact]
    line = (f"reliability corpus: {len(CASES)} broken packages, {len(refused)} refused, "
            f"{len(exact)} with exactly the one expected problem")
    with capsys.disabled():
        print(f"\n{line}")
    assert count >= 23
    assert len(refused) == len(exact) == len(CASES), sorted(set(outcomes) - set(exact))


# the descriptor: any shape is a problem, never an exception

def _set(path: list, value: object) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


FIELD0 = ["resources", 1, "schema", "fields", 0]
HOSTILE_DESCRIPTORS = {
    "top-level-list": ("[1, 2]", "resources"),
    "empty-file": ("", None),
    "deeply-nested": ("[" * 100_000, None),
    "not-utf8": (b"\xff\xfe{}", None),
    "no-resources": (_set(["resources"], []), "resources"),
    "resource-not-object": (_set(["resources", 9], "rights_framework"), "resources[9]"),
    "path-is-url": (_set(["resources", 1, "path"], "https://example.org/events.csv"), "events.path"),
    "path-is-list": (_set(["resources", 1, "path"], ["data/events.csv"]), "events.path"),
    "path-with-backslash": (_set(["resources", 1, "path"], "..\\..\\events.csv"), "events.path"),
    "path-not-csv": (_set(["resources", 1, "path"], "datapackage.json"), "events.path"),
    "same-name-twice": (_set(["resources", 2, "name"], "events"), "events.name"),
    "schema-missing": (_set(["resources", 1, "schema"], "schema.json"), "events.schema"),
    "fields-empty": (_set(["resources", 1, "schema", "fields"], []), "events.schema"),
    "field-without-name": (_set(FIELD0, {"type": "string"}), "events.schema.fields[0]"),
    "unknown-type": (_set([*FIELD0, "type"], "uuid"), "events.event_id"),
    "constraints-not-object": (_set([*FIELD0, "constraints"], "required"), "events.event_id"),
    "enum-not-list": (_set(["resources", 1, "schema", "fields", 2, "constraints", "enum"], "day"),
                      "events.event_date_precision"),
    "bad-pattern": (_set([*FIELD0, "constraints", "pattern"], "(("), "events.event_id"),
    "backreference-pattern": (_set([*FIELD0, "constraints", "pattern"], r"(a)\1"), "events.event_id"),
    "lookahead-pattern": (_set([*FIELD0, "constraints", "pattern"], "(?=a)a"), "events.event_id"),
    "pattern-too-long": (_set([*FIELD0, "constraints", "pattern"], "a" * 600), "events.event_id"),
    "bidi-override-in-title": (_set(["title"], "Digital access \u202e)KRPD("), "title"),
    "invisible-mark-in-a-field": (_set([*FIELD0, "description"], "Identifier\u200f of the event"),
                                  "resources.1.schema.fields.0.description"),
    "ansi-escape-in-title": (_set(["title"], "Digital \x1b[2J\x1b[31maccess"), "title"),
    "invisible-U+200B-in-title": (_set(["title"], "Digital\u200b access"), "title"),
    "soft-hyphen-in-a-key": (_set(["resources", 1, "schema", "fields", 0, "constraints", "requ\u00adired"], True),
                             "resources.1.schema.fields.0.constraints"),
    "lone-surrogate-in-the-title": (DESCRIPTOR.read_text(encoding="utf-8")
                                    .replace('"title": "', '"title": "\\ud800', 1), "title"),
    "nested-too-deeply": (_set(["keywords"], json.loads("[" * 30 + "]" * 30)), "keywords" + ".0" * 20),
    "key-given-twice": ('{"name": "x", "resources": [], "resources": []}', "resources"),
    "resource-name-as-sql": (_set(["resources", 9, "name"], 'r"; COPY (SELECT 1) TO \'/tmp/x\'; --'),
                             'r"; COPY (SELECT 1) TO \'/tmp/x\'; --.name'),
    "resource-name-with-path": (_set(["resources", 9, "name"], "../../outside"), "../../outside.name"),
    "field-name-as-sql": (_set([*FIELD0, "name"], 'event_id" TEXT); DROP TABLE x; --'),
                          'events.event_id" TEXT); DROP TABLE x; --'),
    "primary-key-string": (_set(["resources", 1, "schema", "primaryKey"], "event_id"), "events.primaryKey"),
    "primary-key-unknown": (_set(["resources", 1, "schema", "primaryKey"], ["id"]), "events.primaryKey"),
    "foreign-keys-number": (_set(["resources", 1, "schema", "foreignKeys"], 5), "events.foreignKeys"),
    "foreign-key-to-nowhere": (_set(["resources", 2, "schema", "foreignKeys", 0, "reference", "resource"], "nope"),
                               "event_attestations.foreignKeys"),
    "date-format": (_set(["resources", 1, "schema", "fields", 1, "format"], "%d/%m/%Y"), "events.event_date"),
    "minimum-text": (_set(["resources", 1, "schema", "fields", 1, "constraints", "minimum"], "yesterday"),
                     "events.event_date"),
    "hash-number": (_set(["resources", 1, "hash"], 5), "events.hash"),
    "bytes-text": (_set(["resources", 1, "bytes"], "many"), "events.bytes"),
    "semicolon-dialect": (_set(["resources", 1, "dialect", "delimiter"], ";"), "events.dialect"),
    "latin1-encoding": (_set(["resources", 1, "encoding"], "latin-1"), "events.encoding"),
    "extra-missing-values": (_set(["resources", 1, "schema", "missingValues"], ["", "NA"]), "events.missingValues"),
    "minimum-beyond-64-bit": (_set(["resources", 4, "schema", "fields", 1, "constraints", "minimum"], 2**63),
                              "resources.4.schema.fields.1.constraints.minimum"),
    "max-length-1e20": (_set([*FIELD0, "constraints", "maxLength"], 1e20),
                        "resources.1.schema.fields.0.constraints.maxLength"),
    "minimum-nan": (DESCRIPTOR.read_text(encoding="utf-8").replace('"minimum": 1', '"minimum": NaN', 1), None),
    "minimum-infinity": (DESCRIPTOR.read_text(encoding="utf-8").replace('"minimum": 1', '"minimum": -Infinity', 1),
                         None),
}


@pytest.mark.parametrize("kind", HOSTILE_DESCRIPTORS, ids=list(HOSTILE_DESCRIPTORS))
def test_a_descriptor_of_any_shape_is_one_problem_never_an_exception(kind, package_copy):
    change, field = HOSTILE_DESCRIPTORS[kind]
    if isinstance(change, bytes):
        package_copy.write_bytes(change)
    elif isinstance(change, str):
        package_copy.write_text(change, encoding="utf-8")
    else:
        b.edit_descriptor(package_copy, change)
    with pytest.raises(nk.PackageError) as caught:
        nk.load(package_copy, validate=True, archive=ARCHIVE)
    assert [(p.file, p.field) for p in caught.value.problems] == [(DESCRIPTOR_NAME, field)], str(caught.value)
    assert nk.validate(package_copy, ARCHIVE).problems == caught.value.problems


# property: a mutated cell either loads exactly as read without validation, or is refused

NAMES = [r["name"] for r in json.loads(DESCRIPTOR.read_text(encoding="utf-8"))["resources"]]
MARKUP = ["<b>bold</b>", "<script>alert(1)</script>", "=1+1", "+1", "-1", "@SUM(A1)", "javascript:alert(1)",
          "data:text/html,x", "2021-02-30", "2021-13-01", "2999-01-01", "NaN", "inf", "1e5", "-0", "true", "0.5",
          "a,b", 'say "hi"', "two\nlines", "\x00", "\r", "\ufeff", "no-such-source", " ", "day", "share"]
REPLACEMENTS = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.floats().map(str),
    st.dates().map(str),
    st.sampled_from(MARKUP),
)


def _table_sizes(path: Path) -> dict[str, int]:
    return {name: len(b.read_rows(path, name)) - 1 for name in NAMES}


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_cell_either_loads_exactly_or_is_refused(data):
    with tempfile.TemporaryDirectory() as folder:
        path = b.copy_package(Path(folder) / "datapackage")
        name = data.draw(st.sampled_from(NAMES), label="resource")
        rows = b.read_rows(path, name)
        row = data.draw(st.integers(min_value=2, max_value=len(rows)), label="row")
        field = data.draw(st.sampled_from(rows[0]), label="field")
        value = data.draw(REPLACEMENTS, label="value")
        b.set_cell(path, name, row, field, value)
        b.rehash(path)
        try:
            package = nk.load(path, validate=True, archive=ARCHIVE)
        except nk.PackageError as error:
            assert error.problems, "PackageError without problems"
            assert all(p.file and p.message for p in error.problems)
            assert not any(p.message.startswith("frictionless cannot read") for p in error.problems), error
            return
        plain = nk.load(path)
        assert package.resource_names == plain.resource_names == NAMES
        sizes = _table_sizes(path)
        for resource_name in NAMES:
            frame = package.resource(resource_name)
            pd.testing.assert_frame_equal(frame, plain.resource(resource_name))
            assert len(frame) == sizes[resource_name], f"{resource_name} is only partly loaded"
        frame = package.resource(name)  # sorted by date, then id: find the row by its (maybe composite) key
        schema = b.resource(path, name)["schema"]
        key_fields = schema.get("primaryKey") or [rows[0][0]]
        key_fields = [key_fields] if isinstance(key_fields, str) else key_fields
        mutated = b.read_rows(path, name)[row - 1]
        match = pd.Series(True, index=frame.index)
        for key_field in key_fields:
            match &= frame[key_field].astype(str) == mutated[rows[0].index(key_field)]
        loaded = frame.loc[match, field].iloc[0]
        if b.resource(path, name)["schema"]["fields"][rows[0].index(field)].get("type", "string") == "string":
            assert (pd.isna(loaded) if value == "" else str(loaded) == value), (loaded, value)



HOUSE_PATTERNS = sorted({f["constraints"]["pattern"] for r in json.loads(DESCRIPTOR.read_text())["resources"]
                         for f in r["schema"]["fields"] if "pattern" in f.get("constraints", {})})


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern=st.sampled_from(HOUSE_PATTERNS),
       texts=st.lists(st.one_of(st.text(max_size=30), st.from_regex(r"https?://[a-z./]{1,20}", fullmatch=True),
                                st.sampled_from(["=SUM(A1)", "<b>", "a\nb", "-1", "2024-01-01", "obs-x"])),
                      min_size=1, max_size=5))
def test_whole_column_pattern_check_agrees_with_the_per_cell_check(pattern, texts):
    """The fast column check (pyarrow's RE2) and the per-cell check (the re2 module) give the same verdict."""
    from nkdigital.core.patterns import all_match, fullmatch

    assert all_match(pattern, texts) == all(fullmatch(pattern, t) for t in texts)
