"""The checks validate runs read Arrow tables without loading pandas (issue 25: validate's peak memory), and the
column accessors read sliced and chunked tables (the buffers' offsets) as whole ones."""

import datetime as dt
import hashlib
import subprocess
import sys
import textwrap

import numpy as np
import pyarrow as pa
import pyarrow.ipc

from nkdigital.checking import columns

SCRIPT = textwrap.dedent("""
    import pathlib, sys
    import pyarrow.ipc
    from nkdigital.checking import credit_checks, event_dates, quotes

    folder = pathlib.Path(sys.argv[1])
    tables = {path.stem: pyarrow.ipc.open_file(path).read_all() for path in sorted(folder.glob("*.arrow"))}
    files = quotes.Archive(folder / "archive")
    found = [*credit_checks.check_strength_claims(tables), *credit_checks.check_urls(tables),
             *credit_checks.check_creators(tables), *event_dates.check_event_dates(tables),
             *event_dates.check_one_account_per_source(tables), *quotes.check_quotes(tables, files),
             *credit_checks.check_archive_credits(tables, files), *credit_checks.check_shared_file_dates(tables, files),
             *quotes.check_quote_lengths(tables["event_attestations"], "data/event_attestations.csv")]
    print(*(f"{p.file} {p.row} {p.field}" for p in found), "pandas" in sys.modules, sep="\\n")
""")


def _tables(archive) -> dict[str, pa.Table]:
    """A small package with one planted fault per check, as the reader's Arrow tables."""
    text = b"title: t\n---\nThe network reached every county in early 2011 as planned.\n"
    (archive / "a.txt").write_bytes(text)
    digest, day = hashlib.sha256(text).hexdigest(), dt.date(2011, 3, 1)
    enum = pa.dictionary(pa.int32(), pa.large_string())
    return {
        "sources": pa.table({
            "source_id": ["s1", "s2"], "strength": pa.array(["primary", "weak"]).cast(enum),
            "note": ["a weak one", None], "url": ["https://x.org/a?utm_source=y", "https://x.org/b"],
            "title": ["T", "U"], "original_outlet": ["X", "Y"], "published_date": pa.array([day, None], pa.date32()),
            "published_date_precision": pa.array(["day", None]).cast(enum)}),
        "source_copies": pa.table({
            "archive_path": ["a.txt", "a.txt"], "source_id": ["s1", "s2"], "sha256": [digest, digest],
            "role": ["primary", "primary"], "section": pa.array([None, None], pa.large_string()),
            "copy": ["original", "original"]}),
        "creators": pa.table({"source_id": ["s1"], "family": pa.array([None], pa.large_string()), "given": ["Ann"],
                              "literal": pa.array([None], pa.large_string())}),
        "events": pa.table({
            "event_id": ["e1"], "event_date": pa.array([dt.date(2011, 1, 1)], pa.date32()),
            "event_date_precision": pa.array(["year"]).cast(enum), "event_date_end": pa.array([None], pa.date32()),
            "is_disputed": [False]}),
        "event_attestations": pa.table({
            "event_id": ["e1", "e1"], "source_id": ["s1", "s1"], "stated_date": pa.array([day, day], pa.date32()),
            "stated_date_precision": pa.array(["month", "month"]).cast(enum),
            "stated_date_end": pa.array([None, None], pa.date32()),
            "quote": ["reached every county in early 2011", "not in the text at all here"]}),
    }


def test_the_checks_find_their_problems_without_loading_pandas(tmp_path):
    (tmp_path / "archive").mkdir()
    for name, table in _tables(tmp_path / "archive").items():
        with pa.ipc.new_file(tmp_path / f"{name}.arrow", table.schema) as file:
            file.write_table(table)
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, check=True)
    *found, pandas = out.stdout.splitlines()
    assert found == [
        "data/sources.csv 2 note",  # a note calls its source weak
        "data/sources.csv 2 url",  # a tracking parameter
        "data/creators.csv 2 family",  # a given name without a family name
        "data/events.csv 2 event_date",  # the accounts agree on March 2011
        "data/event_attestations.csv 3 source_id",  # one source, two accounts
        "data/event_attestations.csv 3 quote",  # not in the archived text
        "data/sources.csv 2 published_date",  # a file two sources share does not state the date
    ]
    assert pandas == "False"


def test_sliced_and_chunked_columns_read_as_whole_ones():
    whole = pa.table({
        "text": pa.array(["a", None, "b", "a", None, "c"], pa.large_string()),
        "number": pa.array([1.0, None, 3.0, 4.0, 5.0, None]),
        "flag": pa.array([True, None, False, True, True, None]),
        "day": pa.array([dt.date(2020, 1, d) if d % 2 else None for d in range(1, 7)], pa.date32()),
    })
    chunked = pa.concat_tables([whole.slice(0, 3), whole.slice(3)])
    for offset in range(4):
        for table, rows in ((whole.slice(offset), slice(offset, None)), (chunked.slice(offset), slice(offset, None))):
            assert columns.texts(table, "text").tolist() == columns.texts(whole, "text")[rows].tolist()
            np.testing.assert_array_equal(columns.floats(table, "number"), columns.floats(whole, "number")[rows])
            assert columns.mask(table, "flag").tolist() == columns.mask(whole, "flag")[rows].tolist()
            assert columns.dates(table, "day").tolist() == columns.dates(whole, "day")[rows].tolist()
            assert columns.given(table, "text").tolist() == [v is not None for v in columns.texts(table, "text")]
    codes, values = columns.codes(whole, "text")
    assert [values[c] if c >= 0 else None for c in codes] == ["a", None, "b", "a", None, "c"]
    assert codes.tolist() == [0, -1, 1, 0, -1, 2] and values == ["a", "b", "c"]
    empty = pa.table({"n": pa.nulls(2)})  # a column of nulls only
    assert np.isnan(columns.floats(empty, "n")).all() and not columns.mask(empty, "n").any()
    assert columns.texts(empty, "n").tolist() == [None, None] and columns.codes(empty, "n")[0].tolist() == [-1, -1]


def test_a_huge_integer_reads_as_the_nearest_float():
    """Like numpy's astype: an integer beyond 2**53 is no error (pyarrow's checked cast refuses it)."""
    table = pa.table({"n": pa.array([2**60 + 1, None], pa.int64())})
    assert columns.floats(table, "n")[0] == float(2**60) and np.isnan(columns.floats(table, "n")[1])
