"""The one error type the package raises for broken data, and the problems it carries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the package, located by file, row (line number, header = 1) and field."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {self.field}")
        return f"{', '.join(where)}: {self.message}"


class PackageError(ValueError):
    """The data package is broken; `problems` lists every problem found, each with its location."""

    def __init__(self, problems: list[Problem], limit: int = 20) -> None:
        self.problems = sorted(set(problems), key=_sort_key)
        shown = [f"  - {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            shown.append(f"  ... and {len(self.problems) - limit} more")
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the data package:\n" + "\n".join(shown))


def _sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.row or 0, problem.field or "", problem.message)
