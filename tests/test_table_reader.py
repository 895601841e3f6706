"""The reader's two paths: pyarrow for a plainly valid file, cell by cell for anything else, same table."""

from __future__ import annotations

import functools
import hashlib
import io
import json

import pyarrow as pa
import pytest

from nkdigital.core.paths import bundled_descriptor
from nkdigital.reading import arrow_table, scan, table

DEFAULT_DESCRIPTOR = bundled_descriptor()


def _resources() -> list[dict]:
    return json.loads(DEFAULT_DESCRIPTOR.read_text(encoding="utf-8"))["resources"]


def _careful(resource: dict, monkeypatch) -> pa.Table:
    with monkeypatch.context() as patched:
        patched.setattr(scan, "parse_plain", lambda *args, **kwargs: None)
        read, problems = table.read_table(DEFAULT_DESCRIPTOR.parent, resource)
    assert problems == []
    return read


_TYPES = {"string": pa.large_string(), "number": pa.float64(), "integer": pa.int64(), "year": pa.int64(),
          "boolean": pa.bool_(), "date": pa.date32()}


def _type(field: dict) -> pa.DataType:
    if "enum" in field.get("constraints", {}):
        return pa.dictionary(pa.int32(), pa.large_string())
    return _TYPES[field.get("type", "string")]


@pytest.mark.parametrize("resource", _resources(), ids=lambda r: r["name"])
def test_the_fast_path_reads_every_bundled_file_into_the_table_the_careful_reader_builds(resource, monkeypatch):
    raw = (DEFAULT_DESCRIPTOR.parent / resource["path"]).read_bytes()
    fields = resource["schema"]["fields"]
    fast = arrow_table.read_plain(raw, arrow_table.plain_lines(raw), fields, resource["path"])
    assert fast is not None  # the bundled files are plainly valid: no cell goes the slow way
    careful = _careful(resource, monkeypatch)
    assert fast.combine_chunks().equals(careful.combine_chunks(), check_metadata=True)
    assert fast.schema.metadata == {b"path": resource["path"].encode()}
    assert [(f.name, f.type) for f in fast.schema] == [(f["name"], _type(f)) for f in fields]
    for field in fields:  # an enum's dictionary: its allowed values in the schema's order, for every chunk
        if "enum" in field.get("constraints", {}):
            for column in (fast[field["name"]], careful[field["name"]]):
                assert {tuple(c.dictionary.to_pylist()) for c in column.chunks} == {
                    tuple(field["constraints"]["enum"])}


@pytest.mark.parametrize("text", [
    "a,b\n1,2",  # no final newline
    "a,b\n1,2\u200b\n",  # an invisible character
    "a,b\n1,\u2014\u202e2\n",  # a bidirectional override after a dash (both start with byte 0xE2)
    "a,b\n1,\u00852\n",  # a C1 control character
    "\ufeffa,b\n1,2\n",  # a byte-order mark
    "a,b\r\n1,2\r\n",  # Windows line endings
    "a,b\n1,\x1b[31m2\n",  # an ANSI escape
])
def test_a_file_that_is_not_plainly_valid_goes_to_the_careful_reader(text):
    assert arrow_table.plain_lines(text.encode("utf-8")) is None


def test_a_cell_breaking_its_type_or_enum_goes_to_the_careful_reader():
    fields = [{"name": "n", "type": "number"}, {"name": "e", "type": "string", "constraints": {"enum": ["x", "y"]}}]
    assert arrow_table.read_plain(b"n,e\n1.5,x\n", 2, fields, "f.csv") is not None
    assert arrow_table.read_plain(b"n,e\n1e5,x\n", 2, fields, "f.csv") is None  # not a plain number
    assert arrow_table.read_plain(b"n,e\n1.5,z\n", 2, fields, "f.csv") is None  # not in the enum
    assert arrow_table.read_plain(b"n,e,x\n1.5,x,1\n", 2, fields, "f.csv") is None  # a column off the schema
    # a line break inside a cell, or a blank line (which pyarrow skips): more lines than rows
    for text in ('n,e\n"1.5",x\n2,"x\ny"\n', "n,e\n1.5,x\n\n2,y\n", "\nn,e\n1.5,x\n"):
        assert arrow_table.read_plain(text.encode(), arrow_table.plain_lines(text.encode()), fields, "f.csv") is None
    assert arrow_table.read_plain(b"n\n1.5\n2\n", 3, fields[:1], "f.csv") is not None
    blank = b"n\n1.5\n\n2\n"
    assert arrow_table.read_plain(blank, arrow_table.plain_lines(blank), fields[:1], "f.csv") is None


def test_text_with_dashes_quotes_and_hangul_stays_plain():
    assert arrow_table.plain_lines("a,b\n1,\u2014 \u201cok\u201d \ubd81\ud55c \u00e9\n".encode()) == 2


def _read(resource: dict, monkeypatch, seals: list, **patches) -> pa.Table:
    with monkeypatch.context() as patched:
        for name, value in patches.items():
            patched.setattr(scan, name, value)
        read, problems = table.read_table(DEFAULT_DESCRIPTOR.parent, resource, seals.append)
    assert problems == []
    return read


@pytest.mark.parametrize("resource", _resources(), ids=lambda r: r["name"])
def test_a_file_read_in_blocks_twice_is_the_table_the_careful_reader_builds(resource, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # the first time checked in full, the second on its mark
    careful = _careful(resource, monkeypatch).combine_chunks()
    raw = (DEFAULT_DESCRIPTOR.parent / resource["path"]).read_bytes()
    seals: list = []
    for _ in range(2):  # blocks of 1 KiB: a bundled file is several
        read = _read(resource, monkeypatch, seals, WHOLE=0, parse_plain=functools.partial(
            arrow_table.parse_plain, block=1 << 10))
        assert read.combine_chunks().equals(careful, check_metadata=True)
    assert seals == [scan.seal(raw, resource)] * 2


def test_a_file_changed_between_its_scan_and_its_parse_is_read_again_by_the_careful_reader(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    resource = next(r for r in _resources() if r["name"] == "observations")
    raw = (DEFAULT_DESCRIPTOR.parent / resource["path"]).read_bytes()
    real, parsed, seals = scan.scan, [], []

    def other_bytes(file, resource):  # the scan saw bytes other than those parsed next
        return scan.Scan((1, "0" * 64), real(file, resource).digest[::-1])

    read = _read(resource, monkeypatch, seals, WHOLE=0, scan=other_bytes,
                 parse_plain=lambda *args, **kwargs: parsed.append(1) or arrow_table.parse_plain(*args, **kwargs))
    assert parsed == [1]  # parsed, but not taken: the careful reader read the file again and sealed what it read
    assert read.combine_chunks().equals(_careful(resource, monkeypatch).combine_chunks(), check_metadata=True)
    assert seals == [scan.seal(raw, resource)]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 64])
@pytest.mark.parametrize("text", ["a,b\n1,2\n\u00e9\u2014x,y\n", "a,b\n1,\u200b2\n", "a,b\n1,2\r\n", "a,b\n\u202e,2\n",
                                  "a,b\n1,2"])
def test_lines_and_refused_characters_are_found_across_the_blocks_a_file_is_read_in(text, size):
    raw = text.encode()
    hashed = scan.Hashed(io.BytesIO(raw), plain=True)
    while hashed.read(size):  # blocks of `size` bytes: every character split at every place
        pass
    assert hashed.lines == arrow_table.plain_lines(raw)
    assert hashed.digest.digest() == hashlib.sha256(raw).digest()


def test_the_reader_allocates_from_the_system_where_the_default_is_mimalloc_and_keeps_any_other_default(monkeypatch):
    """pyarrow's mimalloc made a first load of the package take twice as long in a quarter of fresh processes; the
    CSV reader then asks the system allocator, per call, and the process's default pool is left as it was."""
    fields = [{"name": "t", "type": "string"}]
    raw = b"t\n" + b"".join(b"text %d\n" % n for n in range(20_000))
    monkeypatch.setattr(pa, "default_memory_pool", pa.mimalloc_memory_pool)
    system = pa.system_memory_pool()
    before = system.bytes_allocated()
    read = arrow_table.read_plain(raw, 20_001, fields, "f.csv")
    assert read.num_rows == 20_000
    assert system.bytes_allocated() - before >= len(raw) - 2  # the cells' text, held by the table
    del read
    assert system.bytes_allocated() == before
    monkeypatch.setattr(pa, "default_memory_pool", pa.jemalloc_memory_pool)
    assert arrow_table.reader_pool().backend_name == "jemalloc"  # a default the process chose is kept
