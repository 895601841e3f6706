"""Verifying that every quote occurs verbatim in its source's archived text."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from nkdigital.errors import Problem, shown
from nkdigital.limits import MAX_ARCHIVE_BYTES, MAX_ARCHIVE_TOTAL
from nkdigital.metadata.package import MAX_QUOTE_WORDS, MIN_QUOTE_WORDS

CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{CJK}]{{1,2}}|[^\s{CJK}]+")
SEPARATOR = re.compile(r"[;|]|,(?!\d)|(?<!\d),")  # a comma inside a number (1,500,000) separates nothing
TABLE_ROW = re.compile(r"[^\s,;|]+(?:[,;|][^\s,;|]*){2,}")


def quote_words(quote: str) -> int:
    """Words in a quote. Commas (outside numbers), semicolons and bars separate words too, and in Chinese or
    Japanese text, which has no spaces, every two characters count as one word."""
    return len(WORD.findall(SEPARATOR.sub(" ", quote)))


def is_table_row(quote: str) -> bool:
    """A quote that is one row of a data table (`prk,2010,431919`): at least three cells and no spaces."""
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


def read_archived(file: Path) -> str:
    """The evidence of one archived file; OSError if it is not a regular file of at most MAX_ARCHIVE_BYTES."""
    if not file.is_file() or file.stat().st_size > MAX_ARCHIVE_BYTES:
        raise OSError(f"not a regular file of at most {MAX_ARCHIVE_BYTES:,} bytes")
    return evidence(file.read_text(encoding="utf-8"))


def check_quote_lengths(frame: pd.DataFrame, label: str) -> list[Problem]:
    if "quote" not in frame:
        return []
    return [
        Problem(label, int(i) + 2, "quote",
                f"quote has {quote_words(q)} words; {MIN_QUOTE_WORDS} to {MAX_QUOTE_WORDS} are allowed")
        for i, q in frame["quote"].dropna().items()
        if not has_quote_length(q)
    ]


def check_quotes(frames: dict[str, pd.DataFrame], archive: Path) -> list[Problem]:
    """Each source's archived file exists, and each quote occurs in it after whitespace normalisation."""
    sources = frames["sources"]
    if not {"source_id", "archive_path"} <= set(sources.columns):
        return []
    texts: dict[str, str] = {}
    problems, read = [], 0
    for index, row in sources.iterrows():
        where = (sources.attrs.get("path", "data/sources.csv"), int(index) + 2, "archive_path")
        relative = row["archive_path"]
        if not isinstance(relative, str) or not isinstance(row["source_id"], str):
            continue  # an empty cell, reported by the table reader
        if Path(relative).is_absolute() or ".." in Path(relative).parts:
            problems.append(Problem(*where, f"archive path {shown(relative)} must stay inside the archive"))
            continue
        if Path(relative).stem != row["source_id"]:
            problems.append(Problem(*where, f"file name must be the source_id '{row['source_id']}'"))
        read += (archive / relative).stat().st_size if (archive / relative).is_file() else 0
        if read > MAX_ARCHIVE_TOTAL:
            problems.append(Problem(*where, f"archived texts together exceed {MAX_ARCHIVE_TOTAL:,} bytes"))
            break
        try:
            texts[row["source_id"]] = normalise(read_archived(archive / relative))
        except (OSError, UnicodeDecodeError):
            problems.append(Problem(*where, f"archived file {relative} not found (or not UTF-8 text) in {archive}"))
    for name, frame in frames.items():
        if not {"source_id", "quote"} <= set(frame.columns):
            continue
        for index, row in frame[["source_id", "quote"]].dropna().iterrows():
            text = texts.get(row["source_id"])
            if text is not None and normalise(row["quote"]) not in text:
                problems.append(Problem(frame.attrs.get("path", f"data/{name}.csv"), int(index) + 2, "quote",
                                        f"quote not found verbatim in {row['source_id']}: {shown(row['quote'])}"))
    return problems
