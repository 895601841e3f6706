"""Checks on provenance: each publication has one primary archived copy named after it, and its strength follows
the written rule in `nkdigital.metadata.provenance`."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath

from nkdigital.checking import columns
from nkdigital.core.errors import Problem
from nkdigital.metadata.provenance import allowed_strengths


def check_provenance(tables: dict) -> list[Problem]:
    sources, copies = tables.get("sources"), tables.get("source_copies")
    if sources is None or copies is None:
        return []
    copy_rows = columns.records(copies)
    problems = _primary_file_problems(columns.label("source_copies", copies), copy_rows)
    kinds: dict = {}  # copy kinds per source
    for row in copy_rows:
        kinds.setdefault(row["source_id"], set()).add(str(row["copy"]))
    primaries = Counter(row["source_id"] for row in copy_rows if row["role"] == "primary")
    source_label = columns.label("sources", sources)
    for position, row in enumerate(columns.records(sources)):
        source_id, where = row["source_id"], columns.row(position)
        count = primaries[source_id]
        if count != 1:
            problems.append(Problem(source_label, where, "source_id",
                                    f"source '{source_id}' needs exactly one primary archived copy, has {count}"))
            continue
        allowed = allowed_strengths(kinds[source_id], str(row["original_outlet"]), str(row["source_type"]))
        if row["strength"] not in allowed:
            problems.append(Problem(source_label, where, "strength",
                                    f"strength {row['strength']} breaks the strength rule; allowed here:"
                                    f" {', '.join(sorted(allowed))}"))
    return problems


def _primary_file_problems(label: str, copy_rows: list[dict]) -> list[Problem]:
    """A primary copy's file is named after its source (a file holding several documents: the start of its id)."""
    documents: dict = {}  # the sources each archived file holds
    for row in copy_rows:
        if row["archive_path"] is not None and row["source_id"] is not None:
            documents.setdefault(row["archive_path"], set()).add(row["source_id"])
    problems = []
    for position, row in enumerate(copy_rows):
        if row["role"] != "primary":
            continue
        stem, source_id = PurePosixPath(str(row["archive_path"])).stem, str(row["source_id"])
        if stem != source_id and not (len(documents.get(row["archive_path"], ())) > 1
                                      and source_id.startswith(stem + "-")):
            problems.append(Problem(label, columns.row(position), "archive_path",
                                    f"a primary copy's file name must be its source_id '{source_id}' (or, for a"
                                    " file that holds several documents, the start of it)"))
    return problems
