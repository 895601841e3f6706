"""What a frame carries in ``attrs`` besides strings: read-only values that copies share.

pandas deep-copies ``attrs`` on nearly every operation (filter, sort, column access); with a plain nested dict of
field notes and a list of source ids, that copy was a quarter of the time spent building a chart. Read-only values
are safe to share, so their deep copy is themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType


class FieldNotes(Mapping):
    """Field name -> read-only ``{"type": ..., "description": ...}``, in schema order."""

    __slots__ = ("_fields",)

    def __init__(self, fields: Mapping[str, Mapping[str, str]]):
        self._fields = {name: MappingProxyType(dict(notes)) for name, notes in fields.items()}

    def __getitem__(self, name: str) -> Mapping[str, str]:
        return self._fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __deepcopy__(self, memo: dict) -> FieldNotes:
        return self

    def as_dict(self) -> dict[str, dict[str, str]]:
        """A plain, writable copy."""
        return {name: dict(notes) for name, notes in self._fields.items()}

    def __reduce__(self):  # pickles (multiprocessing, caches) as plain dicts
        return FieldNotes, (self.as_dict(),)

    def __repr__(self) -> str:
        return f"FieldNotes({', '.join(self._fields)})"


class SourceIds(tuple):
    """The sorted ``source_id`` values of a frame's rows (``attrs["sources"]``)."""

    __slots__ = ()

    def __deepcopy__(self, memo: dict) -> SourceIds:
        return self


def plain(attrs: dict) -> dict:
    """`attrs` as plain JSON-ready data (what file formats that store them, such as Parquet, can write)."""
    def convert(value):
        if isinstance(value, FieldNotes):
            return value.as_dict()
        return list(value) if isinstance(value, SourceIds) else value

    return {key: convert(value) for key, value in attrs.items()}
