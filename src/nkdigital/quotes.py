"""Verifying that every quote occurs verbatim in its source's archived text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nkdigital.errors import Problem

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
    texts: dict[str, str] = {}
    problems = []
    for index, row in sources.iterrows():
        path = archive / row["archive_path"]
        if Path(row["archive_path"]).stem != row["source_id"]:
            problems.append(Problem("data/sources.csv", int(index) + 2, "archive_path",
                                    f"file name must be the source_id '{row['source_id']}'"))
        try:
            texts[row["source_id"]] = normalise(path.read_text(encoding="utf-8"))
        except OSError:
            problems.append(Problem("data/sources.csv", int(index) + 2, "archive_path",
                                    f"archived file {row['archive_path']} not found in {archive}"))
    for name, frame in frames.items():
        if "quote" not in frame:
            continue
        for index, row in frame[["source_id", "quote"]].dropna().iterrows():
            text = texts.get(row["source_id"])
            if text is not None and normalise(row["quote"]) not in text:
                problems.append(Problem(f"data/{name}.csv", int(index) + 2, "quote",
                                        f"quote not found verbatim in {row['source_id']}: \"{row['quote'][:60]}\""))
    return problems
