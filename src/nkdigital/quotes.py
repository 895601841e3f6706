"""Verifying that every quote occurs verbatim in its source's archived text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nkdigital.errors import Problem, shown

MAX_QUOTE_WORDS = 25


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space, so line breaks in the archive do not matter."""
    return " ".join(text.split())


def check_quote_lengths(frame: pd.DataFrame, label: str) -> list[Problem]:
    if "quote" not in frame:
        return []
    return [
        Problem(label, int(i) + 2, "quote", f"quote has {len(q.split())} words; at most {MAX_QUOTE_WORDS} allowed")
        for i, q in frame["quote"].dropna().items()
        if len(q.split()) > MAX_QUOTE_WORDS
    ]


def check_quotes(frames: dict[str, pd.DataFrame], archive: Path) -> list[Problem]:
    """Each source's archived file exists, and each quote occurs in it after whitespace normalisation."""
    sources = frames["sources"]
    if not {"source_id", "archive_path"} <= set(sources.columns):
        return []
    texts: dict[str, str] = {}
    problems = []
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
        try:
            texts[row["source_id"]] = normalise((archive / relative).read_text(encoding="utf-8"))
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
