"""Verifying that every quote occurs verbatim in its source's archived text."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from nkdigital.core.errors import Problem, shown
from nkdigital.core.limits import MAX_ARCHIVE_BYTES, MAX_ARCHIVE_ENTRIES, MAX_ARCHIVE_TOTAL
from nkdigital.metadata.package import MAX_QUOTE_WORDS, MIN_QUOTE_WORDS
from nkdigital.metadata.roles import ROLES

if TYPE_CHECKING:  # only annotations: the explorer and the content key read this module without numpy or pyarrow
    import pyarrow as pa

CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{CJK}]{{1,2}}|[^\s{CJK}]+")
SEPARATOR = re.compile(r"[;|]|,(?!\d)|(?<!\d),")  # a comma inside a number (1,500,000) separates nothing
CELL = r"[^\s,;|]+(?: [^\s,;|]+)*"  # words joined by single spaces: `North Korea`
TABLE_ROW = re.compile(rf"{CELL}(?:[,;|](?:{CELL})?){{2,}}")


def quote_words(quote: str) -> int:
    """Words in a quote. Commas (outside numbers), semicolons and bars separate words too, and in Chinese or
    Japanese text, which has no spaces, every two characters count as one word."""
    return len(WORD.findall(SEPARATOR.sub(" ", quote)))


def is_table_row(quote: str) -> bool:
    """A quote that is one row of a data table (`prk,2010,431919`, `North Korea,1996,0`): at least three cells,
    spaces only between the words of a cell."""
    return bool(TABLE_ROW.fullmatch(quote.strip()))


def has_quote_length(quote: str) -> bool:
    """At most MAX_QUOTE_WORDS words, and at least MIN_QUOTE_WORDS unless the quote is a whole table row."""
    words = quote_words(quote)
    return words <= MAX_QUOTE_WORDS and (words >= MIN_QUOTE_WORDS or is_table_row(quote))


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space, so line breaks in the archive do not matter."""
    return " ".join(text.split())


def evidence(text: str) -> str:
    """The archived text proper: what follows the header's `---` line (the whole file if it has no header)."""
    _, rule, body = text.partition("\n---\n")
    return body if rule else text


def part(text: str, section: object, sections: list[str]) -> str | None:
    """The part of `text` a copy covers: from the line `section` begins (the start when empty) to the next line
    another copy of the same file begins with; None when `section` is not in the text."""
    start = text.find(section) if isinstance(section, str) and section else 0
    if start < 0:
        return None
    ends = [i for i in (text.find(s) for s in sections if s) if i > start]
    return text[start:min(ends, default=len(text))]


def archive_entries(archive: Path) -> tuple[list[str], list[str]]:
    """The archive's regular files and, separately, everything else in it (symlinks, FIFOs, devices, sockets),
    as sorted paths relative to `archive`. Nothing is opened and no symlink is followed; an entry that vanishes
    while listed is left out, and an archive of more than MAX_ARCHIVE_ENTRIES entries is an OSError."""
    files, others, folders = [], [], set()
    for folder, subfolders, names in os.walk(archive):
        for name in [*names, *subfolders]:
            if len(files) + len(others) + len(folders) >= MAX_ARCHIVE_ENTRIES:
                raise OSError(f"the archive folder holds more than {MAX_ARCHIVE_ENTRIES:,} files and folders")
            path = os.path.join(folder, name)
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:  # gone while listed
                continue
            relative = os.path.relpath(path, archive).replace(os.sep, "/")
            if stat.S_ISREG(mode):
                files.append(relative)
            elif stat.S_ISDIR(mode):
                folders.add(path)
            else:
                others.append(relative)
        subfolders[:] = [d for d in subfolders if os.path.join(folder, d) in folders]
    return sorted(files), sorted(others)


NOT_REGULAR = "is a symlink, FIFO, device or socket; the archive holds only regular files and folders"


def read_archived(archive: Path, relative: str) -> bytes:
    """The bytes of one archived file; OSError unless it is a regular file of at most MAX_ARCHIVE_BYTES reached
    through folders (no symlink on the way)."""
    path = archive
    for part in Path(relative).parts:
        path = path / part
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            raise OSError("a symlink")
    if not stat.S_ISREG(mode) or os.lstat(path).st_size > MAX_ARCHIVE_BYTES:
        raise OSError(f"not a regular file of at most {MAX_ARCHIVE_BYTES:,} bytes")
    with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NOFOLLOW | os.O_NONBLOCK)) as file:
        return file.read(MAX_ARCHIVE_BYTES + 1)


class Archive:
    """An archive folder whose files are each read once (by :func:`read_archived`) however many checks ask."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.name = root.name
        self._read: dict[str, bytes | OSError] = {}

    def __str__(self) -> str:
        return str(self.root)

    def read(self, relative: str) -> bytes:
        """The bytes of one archived file; OSError as :func:`read_archived` raises it."""
        if relative not in self._read:
            try:
                self._read[relative] = read_archived(self.root, relative)
            except OSError as error:
                self._read[relative] = error
        found = self._read[relative]
        if isinstance(found, OSError):
            raise found
        return found

    def text(self, relative: str) -> str:
        """An archived file as text (undecodable bytes replaced), for checks that only look into it."""
        return self.read(relative).decode("utf-8", errors="replace")


def check_quote_lengths(table: pa.Table, label: str) -> list[Problem]:
    """Quotes of MIN_QUOTE_WORDS to MAX_QUOTE_WORDS words (or a whole table row); each distinct quote counted once."""
    import numpy as np

    from nkdigital.checking import columns

    if not columns.has(table, "quote"):
        return []
    codes, quotes = columns.codes(table, "quote")
    wrong = [code for code, quote in enumerate(quotes) if not has_quote_length(quote)]
    return [Problem(label, columns.row(position), "quote", f"quote has {quote_words(quotes[code])} words;"
                    f" {MIN_QUOTE_WORDS} to {MAX_QUOTE_WORDS} are allowed")
            for position in np.flatnonzero(np.isin(codes, wrong)).tolist() for code in [codes[position]]] \
        if wrong else []


def check_quotes(tables: dict[str, pa.Table], archive: Archive) -> list[Problem]:
    """Each archived copy is a regular file that matches its recorded SHA-256, and each quote occurs in the text
    (not the header) of one of its source's copies, after whitespace normalisation."""
    from nkdigital.checking import columns

    copies = tables.get("source_copies")
    if copies is None or not columns.has(copies, "source_id", "archive_path", "sha256"):
        return []
    label = columns.label("source_copies", copies)
    try:
        others = set(archive_entries(archive.root)[1])
    except OSError as error:
        return [Problem(str(archive.root), None, None, f"the archive cannot be listed: {error}")]
    rows = columns.records(copies)
    referenced = {row["archive_path"] for row in rows} - {None}
    problems = [Problem(f"{archive.name}/{other}", None, None, f"{other} {NOT_REGULAR}; replace it with the file"
                        " itself or remove it") for other in sorted(others - referenced)]
    sections = file_sections(rows) if columns.has(copies, "section") else None
    texts: dict[str, list[str]] = {}
    problems += _copies_read(label, rows, archive, others, sections, texts)
    for name, table in tables.items():
        if name != "source_copies" and columns.has(table, *ROLES["evidence"]):
            problems += _quotes_not_found(columns.label(name, table), table, texts)
    return problems


def file_sections(copies: list[dict]) -> dict[str, list[str]]:
    """The sections of each archived file's copies (rows with `archive_path` and `section`), in row order."""
    found: dict[str, list[str]] = {}
    for copy in copies:
        if copy["archive_path"] is not None:
            found.setdefault(copy["archive_path"], []).extend([copy["section"]] if copy["section"] is not None else [])
    return found


def _copies_read(label: str, rows: list[dict], archive: Archive, others: set[str],
                 sections: dict[str, list[str]] | None, texts: dict[str, list[str]]) -> list[Problem]:
    """Each copy's file read, checked and its (part of the) text put into `texts` under its source."""
    problems, read = [], 0
    for position, row in enumerate(rows):
        relative, source_id = row["archive_path"], row["source_id"]
        if not isinstance(relative, str) or not isinstance(source_id, str):
            continue  # an empty cell, reported by the table reader
        where = (label, position + 2, "archive_path")
        if Path(relative).is_absolute() or ".." in Path(relative).parts:
            problems.append(Problem(*where, f"archive path {shown(relative)} must stay inside the archive"))
            continue
        if relative in others:
            problems.append(Problem(*where, f"archived file {relative} {NOT_REGULAR}"))
            continue
        try:
            data = archive.read(relative)
        except OSError:
            problems.append(Problem(*where, f"archived file {relative} not found (or not a regular file of at most"
                                            f" {MAX_ARCHIVE_BYTES:,} bytes) in {archive}"))
            continue
        read += len(data)
        if read > MAX_ARCHIVE_TOTAL:
            problems.append(Problem(*where, f"archived texts together exceed {MAX_ARCHIVE_TOTAL:,} bytes"))
            break
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            problems.append(Problem(label, position + 2, "sha256",
                                    f"archived file {relative} does not match its recorded SHA-256"))
            continue
        try:
            text = evidence(data.decode("utf-8"))
        except UnicodeDecodeError:
            problems.append(Problem(*where, f"archived file {relative} is not UTF-8 text"))
            continue
        section = row["section"] if sections is not None else None
        found = part(text, section, sections.get(relative, []) if sections is not None else [])
        if found is None:
            problems.append(Problem(label, position + 2, "section",
                                    f"section {shown(section)} is not a line of the text of {relative}"))
            continue
        texts.setdefault(source_id, []).append(normalise(found))
    return problems


def _quotes_not_found(label: str, table: pa.Table, texts: dict[str, list[str]]) -> list[Problem]:
    """Rows whose quote is in none of its source's texts; each distinct (source, quote) pair looked up once."""
    import numpy as np

    from nkdigital.checking import columns

    source_codes, source_ids = columns.codes(table, "source_id")
    quote_codes, quotes = columns.codes(table, "quote")
    pairs = source_codes * len(quotes) + quote_codes  # one number per (source, quote); negative where one is missing
    given = (source_codes >= 0) & (quote_codes >= 0)
    missing = [pair for pair in np.unique(pairs[given]).tolist()
               if (source_id := source_ids[pair // len(quotes)]) in texts
               and not any(normalise(quotes[pair % len(quotes)]) in text for text in texts[source_id])]
    return [Problem(label, columns.row(position), "quote", f"quote not found verbatim in the text of"
                    f" {source_ids[source_codes[position]]}: {shown(quotes[quote_codes[position]])}")
            for position in np.flatnonzero(given & np.isin(pairs, missing)).tolist()] if missing else []
