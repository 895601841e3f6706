"""CONTRIBUTING.md's first recipe, "Add a document and its rows", followed step by step on a temporary copy of the
package and its archive (the shipped package is never touched; no network): the document arrives in an intake,
gets a source row, a copy row and an observation row quoting it, `scripts/sync_archive.py` archives it and records
its hash, and `nkdigital refresh` accepts it; a quote the document does not contain is refused, located."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import re
import shutil
from pathlib import Path

import pytest

import nkdigital as nk
from nkdigital.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = "library/recipe-example-2025-subscribers.txt"
SOURCE_ID = "recipe-example-2025-subscribers"
OBSERVATION_ID = "obs-recipe-example-subs-2025-03"
HEADER = ("title: Operator reports subscriber growth\npublisher: Example Wire\nauthor: not given\n"
          "published: 2025-03-02\nurl: https://example.org/news/2025/koryolink-subscribers\n")
TEXT = ("Operator reports subscriber growth\n\nThe operator said its network counted 3,250,000 subscribers at the "
        "end of February, up from the year before.\n")
QUOTE = "The operator said its network counted 3,250,000 subscribers at the end of February"


def append_row(table: Path, row: dict[str, str]) -> None:
    """Append `row` to a package CSV under its own header (missing columns empty), as an editor would."""
    with table.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with table.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, header, lineterminator="\n").writerow({name: row.get(name, "") for name in header})


def sync_archive(package_dir: Path, intake: Path, monkeypatch) -> None:
    """Run scripts/sync_archive.py's main on the copy (its folders pointed at the copy, never the repository)."""
    spec = importlib.util.spec_from_file_location("sync_archive_recipe", ROOT / "scripts" / "sync_archive.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "ARCHIVE", package_dir.parent / "archive")
    monkeypatch.setattr(script, "DATA", package_dir / "data")
    script.main(intake)


@pytest.fixture
def recipe(package_copy: Path, tmp_path: Path, monkeypatch) -> Path:
    """Step 1-2 of the recipe on the copy: the document in an intake, its source and copy rows, synced."""
    package_dir = package_copy.parent
    intake = tmp_path / "intake"
    shutil.copytree(package_dir.parent / "archive", intake)  # the intake holds every file the archive cites
    (intake / DOCUMENT).write_text(f"{HEADER}---\n{TEXT}", encoding="utf-8")
    append_row(intake / "INDEX.csv", {
        "file": DOCUMENT, "kind": "library", "title": "Operator reports subscriber growth", "publisher": "Example Wire",
        "url": "https://example.org/news/2025/koryolink-subscribers", "original_outlet": "Example Wire",
        "original_url": "https://example.org/news/2025/koryolink-subscribers", "copy": "original"})
    data = package_dir / "data"
    append_row(data / "sources.csv", {
        "source_id": SOURCE_ID, "title": "Operator reports subscriber growth", "original_outlet": "Example Wire",
        "published_date": "2025-03-02", "published_date_precision": "day",
        "url": "https://example.org/news/2025/koryolink-subscribers", "accessed_date": "2025-03-05",
        "source_type": "news", "strength": "secondary", "strength_reason": "A news report relaying the operator.",
        "usage_terms": "All rights reserved; short quotation for research (fair use / quotation right)",
        "language": "en", "is_core": "false"})
    append_row(data / "source_copies.csv", {
        "archive_path": DOCUMENT, "source_id": SOURCE_ID, "copy": "original", "host": "example.org",
        "copy_url": "https://example.org/news/2025/koryolink-subscribers", "role": "primary"})
    sync_archive(package_dir, intake, monkeypatch)
    return package_copy


def add_observation(package_copy: Path, quote: str, value: str = "3250000") -> int:
    """Step 3: one observation row whose figure is read from its verbatim quote; returns its line in the CSV."""
    table = package_copy.parent / "data" / "observations.csv"
    append_row(table, {
        "observation_id": OBSERVATION_ID, "indicator": "mobile_subscriptions", "geo": "PRK", "subject": "Koryolink",
        "ref_date": "2025-02-01", "ref_date_precision": "month", "date_phrase": "end of February", "value": value,
        "unit": "subscriptions", "qualifier": "exact", "phrase": "3,250,000 subscribers",
        "claim_type": "media_report", "source_id": SOURCE_ID, "quote": quote})
    return len(table.read_text(encoding="utf-8").splitlines())


def test_the_archived_copy_is_byte_identical_and_its_hash_recorded(recipe):
    archived = recipe.parent.parent / "archive" / DOCUMENT
    assert archived.read_text(encoding="utf-8") == f"{HEADER}---\n{TEXT}"
    with (recipe.parent / "data" / "source_copies.csv").open(encoding="utf-8", newline="") as handle:
        copies = {row["archive_path"]: row["sha256"] for row in csv.DictReader(handle)}
    assert copies[DOCUMENT] == hashlib.sha256(archived.read_bytes()).hexdigest()
    assert not (ROOT / "archive" / DOCUMENT).exists(), "the recipe test must not write into the repository"


def test_a_new_document_and_its_row_refresh_load_and_carry_the_quoted_figure(recipe, capsys):
    add_observation(recipe, QUOTE)
    assert main(["refresh", str(recipe)]) == 0, capsys.readouterr().err
    package = nk.load(recipe, validate=True)
    row = package.row(OBSERVATION_ID)
    assert row["source_id"] == SOURCE_ID and row["quote"] == QUOTE
    assert row["value"] == 3_250_000 and nk.text.number(row["value"]) in row["quote"]
    assert nk.text.date_of(row) == "February 2025"
    assert package.sources().set_index("source_id").loc[SOURCE_ID, "original_outlet"] == "Example Wire"
    assert main(["validate", str(recipe)]) == 0


def test_a_quote_the_document_does_not_contain_is_refused_with_its_place(recipe, capsys):
    line = add_observation(recipe, QUOTE.replace("3,250,000", "3,520,000"), value="3520000")
    before = recipe.read_bytes()
    assert main(["refresh", str(recipe)]) == 1
    assert capsys.readouterr().err.splitlines()[1:] == [
        f"  - data/observations.csv, row {line}, field quote: quote not found verbatim in the text of {SOURCE_ID}:"
        " 'The operator said its network counted 3,520,000 subscribers…'"]
    assert recipe.read_bytes() == before, "a refused refresh writes nothing"


def test_a_figure_the_quote_does_not_state_is_refused_with_its_place(recipe, capsys):
    line = add_observation(recipe, QUOTE, value="3300000")
    assert main(["refresh", str(recipe)]) == 1
    assert capsys.readouterr().err.splitlines()[1:] == [
        f"  - data/observations.csv, row {line}, field value: 3300000 is not a figure the quote states"
        " (it states 3250000)"]


def test_every_path_the_contributing_guide_names_exists():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:src|tests|scripts|datapackage|notebooks)/[^`\s]+)`", guide)) - {"tests/test_x.py"}
    assert len(named) > 20
    missing = []
    for path in sorted(named):
        path = path.split("#")[0].split("<")[0]  # an anchor or a placeholder: the part before it
        if not (ROOT / path).exists():
            missing.append(path)
    assert missing == [], "CONTRIBUTING.md names paths that are not in the tree"
