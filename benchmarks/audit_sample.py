"""An independent audit sample: 40 evidence rows drawn by a fixed seed, each to be re-read in the archive.

    python benchmarks/audit_sample.py            # the review sheet: each drawn row with its archived context
    python benchmarks/audit_sample.py --counts   # the verdicts recorded in benchmarks/audit_verdicts.csv

The pool is every row of every resource that carries a quote (observations, device estimates, access tiers and
controls, the rights framework, event attestations). A row's place in the draw is the SHA-256 of "<SEED>:<row id>",
so the draw needs no random state and a row keeps its rank however the other rows change. For each drawn row the
sheet prints what a new user would check: the figures and date as coded, the source as credited (outlet, title,
URL, strength) and the quote with the archived text around it. The reviewer's verdicts go into audit_verdicts.csv,
one line per drawn row: `verdict` judges the row itself (figures, date, quote, coding), `credit` the credit its source
gets (outlet, title, URL, strength); each is ok, minor or error, with a reason.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import Counter
from pathlib import Path

from nkdigital.checking.quotes import evidence, normalise

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "datapackage" / "data"
ARCHIVE = ROOT / "archive"
VERDICTS = ROOT / "benchmarks" / "audit_verdicts.csv"
SEED = 19  # the issue that asked for the audit
SIZE = 40
RESOURCES = ("observations", "device_estimates", "access_tiers", "access_controls", "rights_framework",
             "event_attestations")
SHOWN = ("indicator", "measure", "tier", "step", "instrument", "event_id", "geo", "subject", "group_name",
         "population", "ref_date", "ref_date_precision", "ref_date_end", "stated_date", "stated_date_precision",
         "stated_date_end", "date_phrase", "value", "low", "high", "unit", "share_of", "qualifier", "phrase",
         "claim_type", "attributed_to", "actor", "ratification_year", "adoption_year", "provision", "note",
         "conditions", "relevance")
CONTEXT = 400  # characters of archived text either side of the quote


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rank(row_id: str) -> str:
    return hashlib.sha256(f"{SEED}:{row_id}".encode()).hexdigest()


def draw() -> list[tuple[str, dict[str, str]]]:
    """The SIZE rows of the pool with the lowest rank, as (resource, row)."""
    pool = [(name, row) for name in RESOURCES for row in rows(name)]
    return sorted(pool, key=lambda item: rank(next(iter(item[1].values()))))[:SIZE]


def context(source_id: str, quote: str, copies: dict[str, list[str]]) -> str:
    """The archived text around the quote in the first copy holding it, with that copy's header."""
    wanted = normalise(quote)
    for path in copies.get(source_id, []):
        text = (ARCHIVE / path).read_text(encoding="utf-8")
        body = evidence(text)
        header = text[: len(text) - len(body)].removesuffix("\n---\n")
        flat = normalise(body)
        at = flat.find(wanted)
        if at >= 0:
            start, end = max(0, at - CONTEXT), at + len(wanted) + CONTEXT
            return f"[{path}]\n{header}\n---\n…{flat[start:at]}»{wanted}«{flat[at + len(wanted):end]}…"
    return f"QUOTE NOT FOUND in {copies.get(source_id)}"


def sheet() -> None:
    sources = {r["source_id"]: r for r in rows("sources")}
    creators: dict[str, list[str]] = {}
    for creator in rows("creators"):
        name = creator["literal"] or ", ".join(filter(None, (creator["family"], creator["given"])))
        creators.setdefault(creator["source_id"], []).append(f"{name} ({creator['creator_role']})")
    copies: dict[str, list[str]] = {}
    for copy in rows("source_copies"):
        copies.setdefault(copy["source_id"], []).append(copy["archive_path"])
    for number, (name, row) in enumerate(draw(), start=1):
        row_id = next(iter(row.values()))
        source = sources[row["source_id"]]
        print(f"\n=== {number}. {name}: {row_id}")
        print("  " + "; ".join(f"{k}={row[k]}" for k in SHOWN if row.get(k)))
        named = "; ".join(creators.get(row["source_id"], []))
        print(f"  credit: {source['original_outlet']} | {source['title']} | {named} |"
              f" {source['published_date']} | {source['url']} | strength={source['strength']}")
        print(f"  quote: {row['quote']}")
        print("  " + context(row["source_id"], row["quote"], copies).replace("\n", "\n  "))


def counts() -> int:
    """Tally the verdicts on the rows (figures, date, quote, coding) and, apart, on their sources' credits."""
    drawn = [next(iter(row.values())) for _, row in draw()]
    with VERDICTS.open(encoding="utf-8", newline="") as handle:
        verdicts = {r["row_id"]: r for r in csv.DictReader(handle)}
    missing = [i for i in drawn if i not in verdicts]
    print(f"seed {SEED}: {len(drawn)} rows drawn, {len(drawn) - len(missing)} with a verdict")
    errors = 0
    for column, what in (("verdict", "rows (figures, date, quote, coding)"), ("credit", "source credits")):
        tally = Counter(verdicts[i][column] for i in drawn if i in verdicts)
        errors += tally["error"]
        print(f"  {what}: {tally['ok']} ok, {tally['minor']} minor, {tally['error']} error")
    for row_id in missing:
        print(f"  no verdict for {row_id} (the data changed since the review: review it)")
    return 1 if missing or errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", action="store_true", help="tally the recorded verdicts instead")
    if parser.parse_args(argv).counts:
        return counts()
    sheet()
    return 0


if __name__ == "__main__":
    sys.exit(main())
