"""The reader's fast path: a plainly valid CSV file read by pyarrow and checked column by column.

`read_plain` returns the typed table `nkdigital.reading.table.read_table` would build (the column types
`nkdigital.checking.columns` lists), or None as soon as anything is
not plainly valid (a quoting or layout pyarrow and Python's csv module might read differently, a header off the
schema, a cell breaking its type, `required`, `enum` or `pattern`, a control or invisible character): the
cell-by-cell reader then finds and words every problem. Each rule is one vectorised pass over a column.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np

from nkdigital.core import arrow
from nkdigital.core.limits import MAX_CELLS, MAX_INTEGER_DIGITS, MAX_NUMBER_CHARS

# what the cell-by-cell reader refuses anywhere in a file, as bytes of valid UTF-8: control characters other than
# the line break that ends a row (_CONTROL; U+0080-U+009F are 0xC2 0x80-0x9F) and invisible formatting characters
# (_REFUSED_AFTER: U+00AD, U+061C, U+200B-U+200F, U+202A-U+202E, U+2060, U+2066-U+2069, U+FEFF by their lead byte,
# each as the ranges of its next one or two bytes); a decoded file holds no lone surrogate, and a file pyarrow finds
# not valid UTF-8 is never plain
_CONTROL = bytes([*range(0x0a), *range(0x0b, 0x20), 0x7f])
_REFUSED_AFTER = {0xc2: [((0x80, 0x9f),), ((0xad, 0xad),)], 0xd8: [((0x9c, 0x9c),)],
                  0xe2: [((0x80, 0x80), (0x8b, 0x8f)), ((0x80, 0x80), (0xaa, 0xae)), ((0x81, 0x81), (0xa0, 0xa0)),
                         ((0x81, 0x81), (0xa6, 0xa9))],
                  0xef: [((0xbb, 0xbb), (0xbf, 0xbf))]}
_NOT_SUSPECT = bytes(set(range(256)) - set(_CONTROL) - set(_REFUSED_AFTER))
_FORMS = {"number": r"-?[0-9]+(\.[0-9]+)?", "integer": r"-?[0-9]+", "year": r"[0-9]{4}",
          "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}"}
_LONGEST = {"number": MAX_NUMBER_CHARS, "integer": MAX_INTEGER_DIGITS}
# pyarrow reads, parses and converts a file in blocks of this size, one at a time (no thread pool: threads cost a
# start-up, memory of their own and, on a busy machine, waits). Converting a block reserves about 35 times its size
# for a file of 21 columns; at 1 MiB that was 35 MiB more at the peak of reading a large file, at 256 KiB 10 MiB,
# for the same CPU time.
BLOCK = 1 << 18
_TRUE, _FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")


def plain_lines(raw: bytes) -> int | None:
    """The number of lines of `raw` (a CSV file's bytes), or None when a missing final newline or a refused
    character leaves it to the careful reader to word the problem (a blank line :func:`read_plain` finds)."""
    if not raw.endswith(b"\n") or refused(raw):
        return None
    return raw.count(b"\n")


def refused(raw: bytes) -> bool:
    """`raw` (read as UTF-8, ending with a line break) holds a character the careful reader refuses; one pass over
    the bytes, and one per lead byte of a refused character that the file holds."""
    suspects = set(raw.translate(None, _NOT_SUSPECT))
    if not suspects:
        return False
    if not suspects.isdisjoint(_CONTROL):
        return True
    # `raw` ends with a line break, so a refused character starts before its last two bytes (else not UTF-8)
    data = np.frombuffer(raw, dtype=np.uint8)
    for lead in suspects:
        at = np.flatnonzero(data[:-2] == lead)
        for ranges in _REFUSED_AFTER[lead]:
            hit = np.ones(len(at), dtype=bool)
            for offset, (low, high) in enumerate(ranges, start=1):
                hit &= (data[at + offset] >= low) & (data[at + offset] <= high)
            if hit.any():
                return True
    return False


def read_plain(raw: bytes, lines: int | None, fields: list[dict], label: str, *, checked: bool = False,
               block: int = BLOCK):
    """The typed pyarrow Table of a CSV file of `lines` lines (its bytes `raw`; see :func:`plain_lines`), or None
    if it is not plainly valid (see :func:`parse_plain`)."""
    import pyarrow as pa

    table = parse_plain(pa.BufferReader(raw), fields, label, checked=checked, block=block)
    # a line break inside a cell is a control character, and pyarrow skips a blank line: rows + header lines must
    # account for every line break
    return None if table is None or (not checked and lines != table.num_rows + 1) else table


def parse_plain(source, fields: list[dict], label: str, *, checked: bool = False, block: int = BLOCK,
                pruned: Mapping[str, str | None] | None = None):
    """The typed pyarrow Table of the CSV file `source` (a pyarrow or binary file object), or None if a cell is not
    plainly valid (the caller checks that its rows account for its lines). `checked`: these bytes passed under
    these fields before (see :mod:`nkdigital.reading.known`), so what only checks (forms, lengths, patterns) is
    skipped and only what converts is done. Read and converted `block` bytes at a time: the text of one block at a
    time is held beside the typed columns. The columns `pruned` names are checked block by block like any other,
    then thinned or left out (see :func:`kept`)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = [f["name"] for f in fields]
    typed_schema = schema(fields, label, pruned)
    try:
        reader = pcsv.open_csv(
            source, read_options=pcsv.ReadOptions(use_threads=False, block_size=block), memory_pool=reader_pool(),
            parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
            # large_string: the type a text column keeps (and the frame `load` builds, without a copy)
            convert_options=pcsv.ConvertOptions(column_types={n: pa.large_string() for n in names}, null_values=[""],
                                                strings_can_be_null=True))  # an empty cell, quoted or not
        if reader.schema.names != names:
            return None
        batches = _typed_batches(reader, fields, typed_schema, checked, pruned or {})
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if not batches or not sum(b.num_rows for b in batches):
        return None
    return pa.Table.from_batches(batches, typed_schema)


def reader_pool():
    """The pool pyarrow's CSV reader allocates from here: the process's default, unless that is pyarrow's own
    mimalloc, then the system allocator (per call: the default is left alone). On mimalloc a first load of the
    bundled package took 26–30 ms in most fresh processes and 48–86 ms in a quarter of them; from the system
    allocator 26–30 ms in all but one of 16 (37 ms), as from jemalloc, which the command line sets for its process."""
    import pyarrow as pa

    default = pa.default_memory_pool()
    return pa.system_memory_pool() if default.backend_name == "mimalloc" else default


def _typed_batches(reader, fields: list[dict], typed_schema, checked: bool,
                   pruned: Mapping[str, str | None]) -> list | None:
    """Each block of `reader` with its columns typed (those `pruned` names checked, then thinned or left out), or
    None once a cell is not plainly valid or the file holds more than MAX_CELLS cells."""
    import pyarrow as pa

    batches, rows = [], 0
    for batch in reader:
        rows += batch.num_rows
        if (rows + 1) * len(fields) > MAX_CELLS:
            return None
        columns = []
        for cells, field in zip(batch.columns, fields, strict=True):
            if checked and field["name"] in pruned and pruned[field["name"]] is None:  # nothing to check or keep
                columns.append(None)
                continue
            column = _typed(cells, field, checked)
            if column is None:
                return None
            columns.append(column)
        batches.append(pa.RecordBatch.from_arrays(kept(fields, columns, pruned), schema=typed_schema))
    return batches


def arrow_type(field: dict):
    """The Arrow type of a field's column (see :mod:`nkdigital.checking.columns`)."""
    import pyarrow as pa

    kind = field.get("type", "string")
    if kind == "string" and "enum" in field.get("constraints", {}):
        return pa.dictionary(pa.int32(), pa.large_string())
    return {"string": pa.large_string, "number": pa.float64, "integer": pa.int64, "year": pa.int64,
            "boolean": pa.bool_, "date": pa.date32}[kind]()


def schema(fields: list[dict], label: str, pruned: Mapping[str, str | None] | None = None):
    """The schema of a resource's table: its fields' types, and its file as metadata `path`; with the columns
    `pruned` leaves out listed in metadata `pruned` and those it thins in `thinned` (see :func:`kept`)."""
    import pyarrow as pa

    pruned = pruned or {}
    metadata = {"path": label}
    for key, names in (("pruned", [n for n, keep in pruned.items() if keep is None]),
                       ("thinned", [n for n, keep in pruned.items() if keep is not None])):
        if names:
            metadata[key] = " ".join(names)
    fields = [f for f in fields if f["name"] not in pruned or pruned[f["name"]] is not None]
    return pa.schema([pa.field(f["name"], arrow_type(f)) for f in fields], metadata=metadata)


def kept(fields: list[dict], columns: list, pruned: Mapping[str, str | None] | None) -> list:
    """The typed `columns` of `fields` a table keeps: `pruned` maps a field to None (left out) or to a regular
    expression, and then only the cells it finds are kept, the others null (a check that reads a few cells of a
    long text column, see `nkdigital.checking.resources.THINNED`)."""
    import pyarrow.compute as pc

    pruned = pruned or {}
    out = []
    for field, column in zip(fields, columns, strict=True):
        if field["name"] not in pruned:
            out.append(column)
        elif pruned[field["name"]] is not None:
            found = pc.indices_nonzero(pc.match_substring_regex(column, pattern=pruned[field["name"]])).to_pylist()
            cells = [None] * len(column)  # built afresh: pyarrow's if_else would keep every cell's bytes
            for position in found:
                cells[position] = column[position].as_py()
            out.append(arrow.array(cells, column.type))
    return out


@functools.cache
def enum_values(allowed: tuple[str, ...]):
    """An enum's allowed values as an arrow array (an enum column's dictionary), built once per process."""
    import pyarrow as pa

    return arrow.array(list(allowed), pa.large_string())


def _typed(cells, field: dict, checked: bool = False):
    """The column's values as their arrow type (an enum as a dictionary of its allowed values), or None if a
    cell is not plainly valid; `checked`: only what converts is done (see :func:`read_plain`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind, constraints = field.get("type", "string"), field.get("constraints", {})
    if constraints.get("required") and cells.null_count:
        return None
    allowed = constraints.get("enum")
    if kind == "string" and allowed is not None:
        values = enum_values(tuple(allowed))
        codes = pc.index_in(cells, value_set=values)
        if codes.null_count != cells.null_count:  # a value the enum does not allow
            return None
        return pa.DictionaryArray.from_arrays(codes, values)
    if not checked and not _plain_cells(cells, kind, constraints):
        return None
    return _converted(cells, kind)


def _plain_cells(cells, kind: str, constraints: dict) -> bool:
    """Every present cell is in its type's plain form and length, matches its pattern and is in its enum."""
    import pyarrow.compute as pc

    present = cells.drop_null() if cells.null_count else cells
    allowed = constraints.get("enum")
    if allowed is not None and not _all(pc.is_in(present, value_set=enum_values(tuple(allowed)))):
        return False
    if kind in _FORMS and not _all_match(present, _FORMS[kind]):
        return False
    if kind in _LONGEST and len(present) and pc.max(pc.utf8_length(present)).as_py() > _LONGEST[kind]:
        return False
    pattern = constraints.get("pattern")
    return not (kind == "string" and pattern and not _all_match(present, pattern))


def _all(flags) -> bool:
    """Every flag is true (an empty column holds no false one)."""
    import pyarrow.compute as pc

    return pc.all(flags).as_py() is not False


def _all_match(cells, pattern: str) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return _all(pc.match_substring_regex(cells, pattern=f"^(?:{pattern})$"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False


def _converted(values, kind: str):
    """`values` (text) cast to the column's arrow type (see :func:`arrow_type`), or None if one does not cast."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        if kind == "string":
            return values
        if kind == "number":
            return values.cast(pa.float64())
        if kind in ("integer", "year"):
            return values.cast(pa.int64())
        if kind == "date":  # an impossible day (2021-02-30) fails the cast
            return values.cast(pa.date32())
        if kind == "boolean":
            if not _all(pc.is_in(values.drop_null(), value_set=arrow.array([*_TRUE, *_FALSE], pa.large_string()))):
                return None
            truth = pc.is_in(values, value_set=arrow.array(list(_TRUE), pa.large_string()))
            return pc.if_else(pc.is_null(values), arrow.scalar(None, pa.bool_()), truth)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OverflowError):
        return None
    return None
