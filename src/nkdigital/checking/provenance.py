"""Checks on provenance: each publication has one primary archived copy named after it, and its strength follows
the written rule in `nkdigital.metadata.provenance`."""

from __future__ import annotations

from pathlib import PurePosixPath

import pandas as pd

from nkdigital.core.errors import Problem
from nkdigital.metadata.provenance import allowed_strengths


def check_provenance(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    sources, copies = frames.get("sources"), frames.get("source_copies")
    if sources is None or copies is None:
        return []
    source_label = sources.attrs.get("path", "data/sources.csv")
    copy_label = copies.attrs.get("path", "data/source_copies.csv")
    problems = []
    primary = copies[copies["role"] == "primary"]
    shared = copies.groupby("archive_path")["source_id"].nunique()
    for index, row in zip(primary.index, primary.to_dict("records"), strict=True):
        stem, source_id = PurePosixPath(str(row["archive_path"])).stem, str(row["source_id"])
        if stem != source_id and not (shared.get(row["archive_path"], 1) > 1 and source_id.startswith(stem + "-")):
            problems.append(Problem(copy_label, int(index) + 2, "archive_path",
                                    f"a primary copy's file name must be its source_id '{source_id}' (or, for a"
                                    " file that holds several documents, the start of it)"))
    kinds: dict = {}  # copy kinds per source, in one pass over two columns
    for source_id, kind in zip(copies["source_id"].tolist(), copies["copy"].astype(str).tolist(), strict=True):
        kinds.setdefault(source_id, set()).add(kind)
    primaries = primary["source_id"].value_counts()
    for index, row in zip(sources.index, sources.to_dict("records"), strict=True):
        source_id, where = row["source_id"], int(index) + 2
        count = int(primaries.get(source_id, 0))
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
