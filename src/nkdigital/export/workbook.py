"""The package as an Excel workbook: an `about` sheet, a `fields` sheet describing every column, and one sheet per
resource with a bold frozen header, filters, sensible widths and live links. No cell is ever a formula."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.core.atomic import atomic_path
from nkdigital.core.limits import MAX_XLSX_CELL_CHARS
from nkdigital.export.common import fields_table, guard, steps
from nkdigital.metadata.package import LICENCE_NOTE
from nkdigital.metadata.roles import having

SHEET_CHARS = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH, SAMPLE_ROWS = 60, 500


def sheet_names(names: list[str], taken: tuple[str, ...] = ("about", "fields")) -> dict[str, str]:
    """A distinct, valid sheet name (at most 31 characters) for each resource name."""
    used = {t.lower() for t in taken}
    result = {}
    for name in names:
        base = _NOT_IN_SHEET_NAMES.sub("_", name).strip("'")[:SHEET_CHARS] or "sheet"
        candidate, number = base, 1
        while candidate.lower() in used:
            number += 1
            suffix = f"~{number}"
            candidate = base[: SHEET_CHARS - len(suffix)] + suffix
        used.add(candidate.lower())
        result[name] = candidate
    return result


def _plain(value: object) -> object:
    """A value openpyxl stores as data: None for missing, dates as dates, text as text."""
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _put(sheet, row: int, column: int, value: object, link: bool = False):
    """Write one cell; text is always stored as text, so `=SUM(…)` or `@x` never becomes a formula."""
    cell = sheet.cell(row=row, column=column)
    value = _plain(value)
    if isinstance(value, str) and len(value) > MAX_XLSX_CELL_CHARS:
        raise ValueError(f"cannot export xlsx: sheet {sheet.title}, row {row}, column"
                         f" {sheet.cell(row=1, column=column).value} holds {len(value):,} characters; Excel keeps"
                         f" at most {MAX_XLSX_CELL_CHARS:,} in a cell (export csv or parquet instead)")
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value and value[0] in "=+-@":
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
        if link:
            cell.hyperlink = value
            cell.style = "Hyperlink"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _sheet(book, title: str, frame: pd.DataFrame, links: set[str] = frozenset()) -> None:
    """A sheet with a bold frozen header, a filter over every column and widths that fit the content."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    bold = Font(bold=True)
    for column, name in enumerate(frame.columns, start=1):
        _put(sheet, 1, column, str(name)).font = bold
        values = frame[name].tolist()
        for row, value in enumerate(values, start=2):
            _put(sheet, row, column, value, link=name in links)
        longest = max([len(str(name)), *(len(str(_plain(v) or "")) for v in values[:SAMPLE_ROWS])])
        sheet.column_dimensions[get_column_letter(column)].width = min(longest + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def to_xlsx(package: Package, out: str | os.PathLike, progress: bool = False) -> Path:
    """`about` (title, citation, licence), `fields` (every column described), then one sheet per resource."""
    from openpyxl import Workbook

    from nkdigital.citation import cite

    out = Path(out)
    guard(out, package)
    book = Workbook()
    book.remove(book.active)
    about = [package.descriptor.get("title", ""), package.descriptor.get("description", ""),
             "Cite as: " + cite(package=package), LICENCE_NOTE]
    _sheet(book, "about", pd.DataFrame({"about": about}))
    names = sheet_names(package.resource_names)
    dictionary = fields_table(package)
    dictionary.insert(1, "sheet", dictionary["resource"].map(names))
    _sheet(book, "fields", dictionary)
    for resource in steps(package.descriptor["resources"], progress, "xlsx"):
        links = set(having("url", [f["name"] for f in resource["schema"]["fields"]]))
        _sheet(book, names[resource["name"]], package.resource(resource["name"]), links)
    with atomic_path(out) as temporary:
        book.save(temporary)
    return out
