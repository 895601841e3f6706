"""Validate once per content: a valid verdict is reused only for exactly the same bytes."""

from __future__ import annotations

import shutil

import pytest

import nkdigital as nk
from nkdigital.checking import content, validation
from nkdigital.core.paths import ARCHIVE_DIR, cache_dir

from . import broken as b


@pytest.fixture
def copy(package_copy, monkeypatch, tmp_path):
    """A package copy with its archive, validated once into an empty cache folder of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(validation, "_VALID", set())
    return package_copy


def _runs(monkeypatch) -> list[int]:
    """Counts full validations from now on."""
    calls = []
    real = validation.validate

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(validation, "validate", counted)
    return calls


def test_a_valid_package_is_validated_once_then_served_from_memory_and_disk(copy, monkeypatch):
    runs = _runs(monkeypatch)
    assert validation.validated(copy).valid
    assert len(runs) == 1
    [verdict] = list(cache_dir().joinpath(content.VERDICTS).iterdir())
    assert verdict.read_text() == "valid\n"
    validation.validated(copy)
    monkeypatch.setattr(validation, "_VALID", set())  # a new process: only the disk remembers
    validation.validated(copy)
    nk.load(copy, validate=True)
    assert len(runs) == 1


@pytest.mark.parametrize("where", ["descriptor", "resource", "archive", "new-archive-file"])
def test_an_edited_byte_is_never_served_from_the_cache(copy, monkeypatch, where):
    runs = _runs(monkeypatch)
    validation.validated(copy)
    archived = copy.parent.parent / ARCHIVE_DIR
    if where == "descriptor":
        text = copy.read_text(encoding="utf-8")
        copy.write_text(text.replace('"version": "', '"version": "9', 1), encoding="utf-8")
    elif where == "resource":
        row = b.pick(copy, "observations", lambda r: r["note"] == "")
        b.set_cell(copy, "observations", row["#"], "note", "An edit.")  # the hash no longer matches
    elif where == "archive":
        first = sorted(p for p in archived.rglob("*.txt"))[0]
        data = first.read_bytes()
        first.write_bytes(data[:-2] + bytes([data[-2] ^ 1]) + data[-1:])  # one bit of one byte
    else:
        shutil.copyfile(sorted(archived.rglob("*.txt"))[0], archived / "extra.txt")
    if where in ("descriptor", "new-archive-file"):
        validation.validated(copy)  # still valid, but checked again
    else:
        with pytest.raises(nk.PackageError):
            validation.validated(copy)
    assert len(runs) == 2


def test_an_invalid_package_is_never_remembered(copy, monkeypatch):
    runs = _runs(monkeypatch)
    row = b.pick(copy, "events")
    b.set_cell(copy, "events", row["#"], "title", "Launch\u200b of the network")
    b.rehash(copy)
    for _ in range(2):
        with pytest.raises(nk.PackageError, match="U\\+200B"):
            nk.load(copy, validate=True)
    assert len(runs) == 2
    assert not cache_dir().joinpath(content.VERDICTS).exists()


def test_a_file_changed_while_validating_leaves_no_verdict(copy, monkeypatch):
    """The key is hashed once, before validating; a write meanwhile (here a new archive file) keeps the verdict
    out of the cache, so the changed content is validated again."""
    archived = copy.parent.parent / ARCHIVE_DIR
    real = validation.validate
    calls = []

    def changing(*args, **kwargs):
        calls.append(1)
        report = real(*args, **kwargs)
        if len(calls) == 1:
            shutil.copyfile(sorted(archived.rglob("*.txt"))[0], archived / "extra.txt")
        return report

    monkeypatch.setattr(validation, "validate", changing)
    validation.validated(copy)
    assert not cache_dir().joinpath(content.VERDICTS).exists()
    validation.validated(copy)
    validation.validated(copy)
    assert len(calls) == 2
