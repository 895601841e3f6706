"""Print fidelity: every number a chart prints is a figure a row it draws states, at the printed precision.

:func:`unstated` reads what a reader sees of a figure (title, subtitle, alt text, annotations with notes and the
source line, trace text, legend entries, axis titles and label ticks; not the hover) and returns a problem for
each number that no drawn row states. A number passes when it is

- a ``value``, ``low`` or ``high`` of a drawn row (shares also as percentages), rounded to the printed
  precision; a derived row's figure only where a figure of one of its inputs is printed in the same text;
- a product of a figure printed in the same text and a drawn row's figure (a share converted to people);
- a date (a year, a month, a day) that a drawn row's dates give, to the printed precision;
- a number the row's own words print (its phrase, quote, name, population or provision);
- a count of what the chart draws ('7 statements', '3 of 9 steps'), a unit ('per 100 people') or a licence
  version ('CC BY 4.0').

Drawn rows are ``meta["rows"]`` with the inputs of derived rows, transitively.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.charts.skeleton import FIGURES
from nkdigital.text import missing

WORDS = ("phrase", "quote", "date_phrase", "group_name", "population", "provision", "instrument", "subject",
         "title", "actor", "attributed_to", "stated_actor")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
SCALES = {"million": 1e6, "billion": 1e9}
COUNTED = ("statements?|events?|accounts?|sources?|figures?|estimates?|dates?|steps?|instruments?|outlets?|others?"
           "|more|categor(?:y|ies)|rows?|marks?|lines?|groups?|tiers?|laws?|series|gaps?|key events?")
NUMBER = re.compile(r"(?<![\w.,/])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w/]|\.\d|,\d{3})(\s*%)?"
                    r"(?:\s*(million|billion)\b)?")
DATE = re.compile(rf"\b(?:(\d{{1,2}}) )?({'|'.join(MONTHS)}) (\d{{4}})\b")
COUNT = re.compile(rf"^\s*(?:of \d[\d,]* )?(?:[a-z-]+ ){{0,2}}(?:{COUNTED})\b")
UNIT_OR_LICENCE = re.compile(r"(?:CC BY(?:-[A-Z]+)*|\b[Pp]er)\s*$")  # 'CC BY 4.0', 'per 100 people'
RANGE_DASH = re.compile(r"^\s*[–-]\s*$")



@dataclass(frozen=True)
class Printed:
    """A number as printed: its value, the step of its last printed digit and where it stands in the text."""

    value: float
    step: float
    token: str
    start: int
    end: int
    scale: float
    percent: bool
    is_year: bool


def plain(text: object) -> str:
    """Markup as a reader sees it: tags removed (a line break is a space), entities decoded."""
    if missing(text):
        return ""
    return html.unescape(re.sub(r"<[^>]*>", " ", re.sub(r"<br\s*/?>", " ", str(text))))


def printed_texts(fig) -> Iterator[tuple[str, str]]:
    """(where, plain text) for everything a reader sees printed on or beside the chart, hover excluded."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    for key in ("title", "subtitle", "description"):
        yield key, plain(meta.get(key))
    for annotation in fig.layout.annotations or ():
        yield f"annotation {annotation.name or ''}".strip(), plain(annotation.text)
    for trace in fig.data:
        texts = trace.text if isinstance(trace.text, (list, tuple)) else [trace.text]
        for text in texts:
            yield f"trace {trace.name or ''}".strip(), plain(text)
        if trace.showlegend is not False and trace.name:
            yield "legend", plain(trace.name)
    for axis in ("xaxis", "yaxis"):
        layout = fig.layout[axis]
        yield f"{axis} title", plain(layout.title.text)
        for tick in layout.ticktext or ():
            text = plain(tick)
            if not re.fullmatch(r"[\d.,\s%]*(?:million|billion)?\s*", text):  # a scale mark states nothing
                yield f"{axis} tick", text
    yield "legend title", plain(fig.layout.legend.title.text)


def numbers(text: str) -> list[Printed]:
    """The numbers in `text` with the step of their last printed digit; a range's first bound takes the
    second's scale and percent sign ('6.5–7 million', '50–80 %')."""
    found = []
    for match in NUMBER.finditer(text):
        whole, decimals, percent, scale = match.groups()
        digits = whole.replace(",", "")
        if decimals:
            step = 10.0 ** -(len(decimals) - 1)
        else:  # trailing zeros of a whole number count up to three significant digits
            zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
            step = 10.0 ** min(zeros, max(len(digits) - 3, 0))
        factor = SCALES.get(scale or "", 1.0)
        is_year = (not decimals and not scale and not percent and "," not in whole and len(digits) == 4
                   and 1900 <= int(digits) <= 2100)
        found.append(Printed(float(digits + (decimals or "")) * factor, step * factor, match.group(0).strip(),
                             match.start(), match.end(), factor, bool(percent), is_year))
    for k in range(len(found) - 1):
        first, second = found[k], found[k + 1]
        if RANGE_DASH.match(text[first.end:second.start]) and first.scale == 1 and not first.percent \
                and (second.scale > 1 or second.percent) and not first.is_year:
            found[k] = Printed(first.value * second.scale, first.step * second.scale, first.token, first.start,
                               first.end, second.scale, second.percent, False)
    return found


def _dates(row: dict) -> set[tuple[int, int | None, int | None]]:
    """(year, month, day) of every date a row gives; a range also gives each year it spans."""
    found = set()
    for column, value in row.items():
        if missing(value):
            continue
        if str(column).endswith("_year") and not isinstance(value, str):
            found.add((int(value), None, None))
        elif isinstance(value, pd.Timestamp):
            found.add((value.year, value.month, value.day))
    years = [y for y, _, _ in found]
    if years:
        found |= {(y, None, None) for y in range(min(years), max(years) + 1)}
    return found


def _figures(row: dict) -> list[float]:
    """A row's stated figures: value, low, high (shares also in percent) and a step's number."""
    figures = [float(row[c]) for c in FIGURES if c in row and not missing(row[c])]
    if str(row.get("unit", "")) == "share":
        figures += [f * 100 for f in figures]
    if "step_order" in row and not missing(row["step_order"]):
        figures.append(float(row["step_order"]))
    return figures


def _equal(figure: float, number: Printed) -> bool:
    return abs(figure - number.value) <= number.step / 2 * (1 + 1e-9) + 1e-9 * abs(number.value)


_INDEX: list = []  # [(package, index)]: the last package indexed, held so that its id cannot be reused


def _index(package: Package) -> dict[str, dict]:
    """Row id -> row (a dict) for every resource; an attestation carries its event's columns."""
    if not _INDEX or _INDEX[0][0] is not package:
        index = {}
        for name in package.resource_names:
            frame = package.resource(name)
            if name == "event_attestations":
                frame = frame.merge(package.resource("events"), on="event_id", how="left")
            for row in frame.to_dict("records"):
                index.setdefault(str(row[frame.columns[0]]), row)
        _INDEX[:] = [(package, index)]
    return _INDEX[0][1]


class Drawn:
    """The rows a figure draws (``meta["rows"]`` and, transitively, the inputs of derived rows): their figures,
    dates and words."""

    def __init__(self, package: Package, row_ids: list[str]):
        index = _index(package)
        self.rows: dict[str, dict] = {}
        pending = list(row_ids)
        while pending:
            row_id = pending.pop()
            if row_id in self.rows or row_id not in index:
                continue
            self.rows[row_id] = index[row_id]
            pending += self.inputs(row_id)
        self.figures = [(row_id, figure) for row_id, row in self.rows.items() for figure in _figures(row)]
        self.dates = set().union(*(_dates(row) for row in self.rows.values())) if self.rows else set()
        self.years = {year for year, _, _ in self.dates}
        words = " ".join(str(row[c]) for row in self.rows.values() for c in WORDS if not missing(row.get(c)))
        self.worded = {float(n) for n in re.findall(r"\d+", words.replace(",", ""))}

    def stating(self, number: Printed) -> set[str]:
        """Ids of drawn rows with a figure equal to `number` at its printed precision."""
        return {row_id for row_id, figure in self.figures if _equal(figure, number)}

    def derived(self, row_id: str) -> bool:
        return str(self.rows[row_id].get("claim_type", "")) == "derived"

    def inputs(self, row_id: str) -> list[str]:
        value = self.rows[row_id].get("input_ids")
        return [] if missing(value) else str(value).split()


def _passes(number: Printed, text: str, drawn: Drawn, matched: dict[int, set[str]], where: str) -> bool:
    """Whether `number` (one of `text`'s) is stated by a drawn row, by the rules in the module docstring."""
    if UNIT_OR_LICENCE.search(text[:number.start]) or COUNT.match(text[number.end:]):
        return True
    if number.is_year:  # the source line's years are citations (credited outlets), not figures
        return where == "annotation footer" or number.value in drawn.years | drawn.worded
    rows = matched.get(number.start, set())
    if any(not drawn.derived(r) for r in rows):
        return True
    beside = set().union(*matched.values())
    if any(set(drawn.inputs(r)) & beside for r in rows):  # a derived figure beside a stated one it comes from
        return True
    if not number.percent and number.scale == 1 and number.value in drawn.worded:
        return True
    others = {figure for start, ids in matched.items() if start != number.start for r in ids
              if not drawn.derived(r) for figure in _figures(drawn.rows[r])}
    return any(_equal(a * b, number) for a in others for _, b in drawn.figures)


def _text_problems(text: str, drawn: Drawn, where: str) -> list[str]:
    problems = []
    dates = list(DATE.finditer(text))
    for match in dates:
        day, month, year = match.groups()
        wanted = (int(year), MONTHS.index(month) + 1, int(day) if day else None)
        if not any(d[:2] == wanted[:2] and wanted[2] in (None, d[2]) for d in drawn.dates):
            problems.append(f"date {match.group(0)!r} is no drawn row's date")
    for match in dates:  # blanked out: their numbers are checked as dates
        text = text[:match.start()] + " " * (match.end() - match.start()) + text[match.end():]
    found = numbers(text)
    matched = {n.start: drawn.stating(n) for n in found if not n.is_year}
    return problems + [f"{n.token!r} is no figure of a drawn row" for n in found
                       if not _passes(n, text, drawn, matched, where)]


def unstated(fig, package: Package) -> list[str]:
    """Problems: each printed number of `fig` that no row it draws states (empty when every number is stated)."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    drawn = Drawn(package, list(meta.get("rows", [])))
    chart = meta.get("filename", "chart")
    outlets = sorted((plain(o) for o in meta.get("sources", [])), key=len, reverse=True)
    return [f"{chart}: {where}: {problem} in {text!r}" for where, text in printed_texts(fig)
            for problem in _text_problems(_without_names(text, outlets), drawn, where)]


def _without_names(text: str, names: list[str]) -> str:
    """`text` with the credited outlets' names blanked out: a name ('38 North') states no figure."""
    for name in names:
        text = text.replace(name, " " * len(name))
    return text
