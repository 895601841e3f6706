"""The one error type the package raises for broken data, and the problems it carries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the package, located by file, row (header = 1; None for the whole file) and field."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {_printable(str(self.field))}")
        return f"{', '.join(where)}: {self.message}"


class PackageError(ValueError):
    """The data package is broken; `problems` lists every problem found, each with its location."""

    def __init__(self, problems: list[Problem], limit: int = 20) -> None:
        self.problems = sort_problems(problems)
        lines = [f"  - {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  ... and {len(self.problems) - limit} more")
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the data package:\n" + "\n".join(lines))


def _sort_key(problem: Problem) -> tuple:
    return (str(problem.file), problem.row or 0, str(problem.field or ""), str(problem.message))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems without duplicates, in file, row and field order."""
    return sorted(set(problems), key=_sort_key)


def shown(value: object, limit: int = 60) -> str:
    """A cell for a message: quoted, cut to `limit` characters, control characters escaped."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{_printable(text)}'"


def _printable(text: str, keep: str = "") -> str:
    """`text` with every character that is not printable (other than those in `keep`) shown as its escape."""
    return text if text.isprintable() else "".join(c if c.isprintable() or c in keep else repr(c)[1:-1] for c in text)


def for_terminal(text: str) -> str:
    """`text` safe to print: control characters (ANSI escape sequences among them) and invisible formatting
    characters shown as escapes, line breaks and tabs kept."""
    return _printable(str(text), keep="\n\t")
