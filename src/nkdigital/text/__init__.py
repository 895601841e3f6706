"""Numbers, quantities and dates in words, as the charts print them: for notebooks, reports and captions.

>>> import nkdigital as nk
>>> nk.text.number(6353150)
'6,353,150'
>>> nk.text.compact(6500000)
'6.5 million'
>>> nk.text.quantity(None, 6500000, 7000000, "subscriptions", "range", fmt=nk.text.compact)
'6.5–7 million subscriptions'
>>> nk.text.when("2021-07-13", "day")
'13 July 2021'
>>> nk.text.when("2000-01-01", "range", end="2004-12-31", phrase="early 2000s")
'early 2000s (2000–2004)'

Over a whole table, :func:`dates`, :func:`quantities` and :func:`fill` write a column at once (one call per
distinct value, never a loop over rows), equal row by row to :func:`date_of` and :func:`quantity_of`.

Every function returns raw text (escape it before putting it into HTML, or with :func:`md` into Markdown); a
missing figure or date is never written as a number. Units read their words from :mod:`nkdigital.metadata.units`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence

import pandas as pd

from nkdigital.metadata.roles import ROLES
from nkdigital.metadata.units import UNITS
from nkdigital.text.columns import aligned, filled, per_distinct

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
QUALIFIER_WORDS = {"about": "about ", "at_least": "at least ", "up_to": "up to "}

__all__ = ["capital", "compact", "date_of", "dates", "fill", "labelled", "listing", "markdown", "markdown_lines", "md",
           "missing", "number", "period_end", "quantities", "quantity", "quantity_of", "tidy", "unit_words", "when"]


def missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas.NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def tidy(value: object, digits: int = 6) -> float | int | None:
    """A number for plotting: whole numbers exact (as int), others rounded to `digits` significant digits."""
    if missing(value):
        return None
    number_ = float(value)
    if not math.isfinite(number_):
        return None
    if number_.is_integer() and abs(number_) < 1e15:
        return int(number_)
    rounded = float(f"{number_:.{digits}g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 1e15 else rounded


def number(value: float, unit: object = None) -> str:
    """A figure in digits: '6,353,150', '24.13', '58.5%' (for the unit ``share``)."""
    if str(unit) == "share":
        return f"{float(value) * 100:.4g}%"
    value = tidy(value, 4 if abs(float(value)) < 1000 else 9)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4g}"


def compact(value: float, unit: object = None) -> str:
    """A short figure: '6.35 million', '20,000', '850'; shares as percentages."""
    value = float(value)
    if str(unit) == "share":
        return f"{value * 100:.3g}%"
    for size, suffix in ((1e9, " billion"), (1e6, " million")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{tidy(value, 3):,}"


def unit_words(unit: object, value: object = None) -> str:
    """How a unit reads after a figure: 'hours', 'hour' (after 1), 'per 100 people'; '' for shares and none."""
    if missing(unit) or str(unit) == "share":
        return ""
    known = UNITS.get(str(unit))
    if known is None:
        return str(unit).replace("_", " ")
    return known.singular if not missing(value) and float(value) == 1 else known.words


def quantity(value: object, low: object, high: object, unit: object, qualifier: object = None,
             fmt: Callable[[float, object], str] = number) -> str:
    """The stated quantity in words: 'at least 2,000,000 subscriptions', '3–9 authorities', 'about 2 days'.

    `fmt` writes each figure (:func:`number` or :func:`compact`); '' when no figure is stated.
    """
    qualifier = "" if missing(qualifier) else str(qualifier)
    words = unit_words(unit, value if not missing(value) else high if not missing(high) else low)
    tail = f" {words}" if words else ""
    if missing(value):
        if not missing(low) and not missing(high):
            first, second = fmt(low, unit), fmt(high, unit)
            if " " in first and first.rsplit(" ", 1)[1] == second.rsplit(" ", 1)[-1]:
                first = first.rsplit(" ", 1)[0]  # '6.5–7 million', not '6.5 million–7 million'
            return f"{first}–{second}{tail}"
        if not missing(low):
            return f"at least {fmt(low, unit)}{tail}"
        if not missing(high):
            return f"up to {fmt(high, unit)}{tail}"
        return ""
    text = f"{QUALIFIER_WORDS.get(qualifier, '')}{fmt(value, unit)}{tail}"
    if qualifier not in ("at_least", "up_to") and not (missing(low) and missing(high)):
        span = f"{fmt(low, unit) if not missing(low) else '…'}–{fmt(high, unit) if not missing(high) else '…'}"
        text += f" (range {span})"
    return text


def quantity_of(row: pd.Series | dict | pd.DataFrame, fmt: Callable[[float, object], str] = number):
    """:func:`quantity` of a package row (its `quantity` columns: value, low, high, unit, qualifier); of a table,
    :func:`quantities`."""
    if isinstance(row, pd.DataFrame):
        return quantities(row, fmt)
    return quantity(*(row.get(c) for c in ROLES["quantity"]), fmt=fmt)


def when(date: object, precision: object, end: object = None, phrase: object = None):
    """A date as precisely as it is known: '13 July 2021', 'July 2021', '2021', 'date not stated'.

    With precision ``range`` the period runs from `date` to `end`: '2000–2004', or the source's own `phrase`
    with the years, 'early 2000s (2000–2004)'. Given Series (columns of one table; the others may be single
    values), a column of dates in words with their index.
    """
    if isinstance(date, pd.Series):
        parts = {"date": date, "precision": precision, "end": end, "phrase": phrase}
        return per_distinct(aligned(parts), list(parts), when)
    if missing(date):
        return "date not stated"
    stamp = pd.Timestamp(date)
    precision = str(precision)
    if precision == "range":
        last = pd.Timestamp(end) if not missing(end) else stamp
        years = str(stamp.year) if last.year == stamp.year else f"{stamp.year}–{last.year}"
        return f"{' '.join(str(phrase).split())} ({years})" if not missing(phrase) else years
    if precision == "year":
        return str(stamp.year)
    if precision == "month":
        return f"{MONTHS[stamp.month - 1]} {stamp.year}"
    return f"{stamp.day} {MONTHS[stamp.month - 1]} {stamp.year}"


def _date_fields(column: str) -> list[str]:
    """The fields :func:`when` reads for a date `column`: the date, its precision, its end and the source's phrase."""
    return [column, f"{column}_precision", f"{column}_end", "date_phrase"]


def date_of(row: pd.Series | dict | pd.DataFrame, column: str = "ref_date"):
    """:func:`when` of a package row's date `column` with its ``_precision``, ``_end`` and ``date_phrase``; of a
    table, :func:`dates`."""
    if isinstance(row, pd.DataFrame):
        return dates(row, column)
    return when(*(row.get(field) for field in _date_fields(column)))


def dates(frame: pd.DataFrame, column: str = "ref_date") -> pd.Series:
    """The date `column` of every row in words at its precision (:func:`date_of` per row), same index."""
    return per_distinct(frame, _date_fields(column), when)


def quantities(frame: pd.DataFrame, fmt: Callable[[float, object], str] = number) -> pd.Series:
    """The stated figure of every row in words (:func:`quantity_of` per row): a range as its two stated ends,
    never a midpoint; same index."""
    return per_distinct(frame, ROLES["quantity"], lambda *values: quantity(*values, fmt=fmt))


def fill(template: str, **columns: object) -> pd.Series:
    """`template` filled once per row with the ``{name}`` values of `columns` (Series of one table, e.g. from
    :func:`dates`; format specs allowed, ``{ratio:.1f}``); a missing value prints as ''. Same index.

    >>> fill("{who} ({n})", who=pd.Series(["KCNA", "NK News"]), n=pd.Series([2, 1])).tolist()
    ['KCNA (2)', 'NK News (1)']
    """
    return filled(template, columns)


def period_end(date: object, precision: object, end: object = None) -> dt.date:
    """Last day of the period a date stands for: its month or year, `end` for a range, the day itself."""
    stamp = pd.Timestamp(date)
    precision = str(precision)
    if precision == "range" and not missing(end):
        return pd.Timestamp(end).date()
    if precision in ("year", "range"):
        return dt.date(stamp.year, 12, 31)
    if precision == "month":
        return (stamp + pd.offsets.MonthEnd(0)).date()
    return stamp.date()


def listing(names: Sequence[str], lower: bool = False) -> str:
    """'A', 'A and B', 'A, B and C' (later names lower-cased with `lower`)."""
    names = list(names)  # a Series too, in its order
    names = [names[0], *(n.lower() if lower else n for n in names[1:])] if names else []
    return "" if not names else names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def capital(value: object) -> str:
    """Text with its first letter capitalised (the rest untouched); '' when missing."""
    text = "" if missing(value) else str(value)
    return text[:1].upper() + text[1:]


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}()>#+\-.!|~])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;"}


def md(value: object) -> str:
    """`value` as literal text inside Markdown (e.g. an output built with IPython's ``Markdown``): every Markdown
    character is backslash-escaped and ``&`` and ``<`` become entities, so data never becomes a tag, an entity, a
    link, emphasis or code, and reads the same in Jupyter and in the report.

    >>> md("[click](javascript:x) <b> & co")
    '\\\\[click\\\\]\\\\(javascript:x\\\\) &lt;b\\\\> &amp; co'
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))
    return "".join(_HTML_SPECIAL.get(char, char) for char in escaped)


def markdown(template: str, **values: object):
    """A finding as rendered Markdown: `template` (our own words, Markdown allowed) with ``{name}`` fields filled
    by `values`, each made inert with :func:`md`. Returns an IPython ``Markdown`` object (displayed in a notebook)."""
    from IPython.display import Markdown

    return Markdown(template.format(**{name: md(value) for name, value in values.items()}))


def markdown_lines(template: str, **columns: object):
    """Rendered Markdown with one line per row: `template` (e.g. a bullet, ``"* {id}: **{figure}**"``) filled
    with each row's values of `columns` as :func:`fill` does, each value made inert with :func:`md`."""
    from IPython.display import Markdown

    return Markdown("\n".join(filled(template, columns, md)))


def _enum_of(column: str) -> str | None:
    """The enum a column's values belong to: its own name, or 'precision' for a ``*_precision`` column."""
    from nkdigital.metadata.enums import ENUMS

    name = "precision" if column.endswith("_precision") else column
    return name if name in ENUMS else None


def labelled(frame: pd.DataFrame, titles: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy of `frame` for readers: enum values as their labels, units in words, values found in `titles`
    (e.g. indicator id → title) replaced, and snake_case column names in words ('claim_type' → 'Claim type')."""
    from nkdigital.metadata.enums import ENUMS

    shown = frame.copy()
    for column in shown.columns:
        enum = _enum_of(str(column))
        if enum:
            labels = {value: found.label for value, found in ENUMS[enum].items()}
            shown[column] = shown[column].astype("object").map(lambda v, m=labels: m.get(str(v), v))
        elif column == "unit":
            shown[column] = shown[column].map(lambda v: unit_words(v) or ("share" if str(v) == "share" else v))
        if titles:
            shown[column] = shown[column].map(lambda v: titles.get(v, v) if isinstance(v, str) else v)
    words = {c: capital(str(c).replace("_", " ")) for c in shown.columns}
    if isinstance(shown.index, pd.Index) and shown.index.name:
        shown.index.name = capital(str(shown.index.name).replace("_", " "))
    return shown.rename(columns=words)
