"""The reading rules: how a figure is read from a quote, and the table of vague phrases with their bounds.

One definition, used by `nkdigital.reading.figures` (which reads figures from quotes for the validation check) and by
`build.py` (which writes the rules and the table into the data README).
"""

from __future__ import annotations

from typing import NamedTuple


class Phrase(NamedTuple):
    wordings: tuple[str, ...]  # lower-case wording; N marks a number word (hundred, thousand, million, billion, dozen)
    low: float  # lower bound: a multiple of N where the wording has N, else absolute
    high: float  # upper bound, likewise
    unit: str  # "count" (any unit but share) or "share"
    example: str


PHRASES: tuple[Phrase, ...] = (
    Phrase(("a few N",), 2, 5, "count", "a few thousand = 2000-5000; a few officials = 2-5"),
    Phrase(("several N",), 3, 9, "count", "several hundred = 300-900; several officials = 3-9"),
    Phrase(("hundreds",), 200, 999, "count", "hundreds of people = 200-999"),
    Phrase(("thousands",), 2000, 9999, "count", "thousands of users = 2000-9999"),
    Phrase(("tens of thousands",), 20000, 99999, "count", "tens of thousands = 20000-99999"),
    Phrase(("hundreds of thousands",), 200000, 999999, "count", "hundreds of thousands = 200000-999999"),
    Phrase(("millions",), 2000000, 9999999, "count", "millions of phones = 2000000-9999999"),
    Phrase(("most", "majority"), 0.5, 1, "share", "most North Koreans = 0.5-1"),
    Phrase(("almost all", "nearly all"), 0.9, 1, "share", "nearly all households = 0.9-1"),
    Phrase(("few", "very few"), 0, 0.1, "share", "very few people = 0-0.1"),
)
"""Vague phrases without a figure: qualifier range, value empty, low and high from the table."""

NO_MAGNITUDE: tuple[str, ...] = ("a select few", "a handful", "a small selection")
"""Phrases with no magnitude: value, low, high, unit and qualifier all stay empty."""

RULES: tuple[str, ...] = (
    "Every non-derived `value`, `low` and `high` is a figure the row's `quote` states, read by these rules"
    " (where the row's `phrase` occurs in the quote, from that part of the quote); `nkdigital validate` refuses"
    " any other figure.",
    "Digits with separators: 7,510,000 = 7510000; 26 418 196 = 26418196; full-width digits read as digits.",
    "Scale words multiply: 1.5 million = 1500000; 206 thousand = 206000; 2.4m = 2400000; 3 billion (3bn) ="
    " 3000000000; half a million = 500000. In Japanese, Chinese and Korean text 万/만 = 10000, 億/억 = 100000000,"
    " 千/천 = 1000: 2万人 = 20000, 2573万人 = 25730000.",
    "Number words: zero to twenty, thirty to ninety, hundred, thousand, million and billion combine as usual"
    " (two million = 2000000; six-thousand = 6000; eighty-three point three = 83.3); a dozen = 12; half = 0.5;"
    " 'no' before a noun = 0.",
    "A shared scale applies to both ends of a range: between 6.5 and 7 million = 6500000 and 7000000;"
    " 50 to 80 percent = 0.5 and 0.8.",
    "Percent becomes a fraction in unit `share`: 18 percent = 18 per cent = 18% = 0.18. Ratios too: one in ten ="
    " 0.1; one out of every 12 = 1/12 (a ratio may be rounded to three significant digits, 0.0833).",
    "Rates stay as given: per 100 people (unit per_100_people), per million people, per person.",
    "A row of a data table (three or more cells separated by commas with no space after them, quoted cells and"
    " thousands separators aside: `prk,2010,431919`) states each cell that is a number, as written; in unit"
    " `share` a cell is a percentage (tables give shares as '% of population'), so 62.2 = 0.622.",
    "A row of a table whose cells are separated by semicolons (three or more cells, no space after a semicolon:"
    " `2021;PRK;...;179;81,28`) writes decimals with a decimal comma, as published: 81,28 = 81.28. A cell written"
    " with the binary noise of a conversion (83.90000000000001) states the figure it rounds to at 15 significant"
    " digits (83.9).",
    "Qualifiers: about, around, approximately, some, an estimated = `about`, value = the figure; more than, over,"
    " at least, above, exceeded = `at_least`, value = low = the figure, high empty; almost, up to, less than,"
    " under, fewer than, no more than = `up_to`, value = high = the figure, low empty; between A and B, A to B,"
    " A-B = `range`, value empty, low = A, high = B.",
    "Vague phrases get bounds from the phrase table (qualifier range, value empty, unless a qualifier above"
    " applies to them: no more than a few hundred = up_to 500). N is a number word; the article and a"
    " plural N do not matter (the few thousands = a few thousand); without a number word N = 1.",
)
