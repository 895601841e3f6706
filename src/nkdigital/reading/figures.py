"""Reading the figures a quote states, by the written rules in `nkdigital.metadata.phrases`.

`read(text)` returns every figure the text states with its kind and place; `stated(text, unit, part)` the figures
a bound in `unit` may take (percent and ratios only in shares, rates as given, phrase-table bounds by unit).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import NamedTuple

from nkdigital.metadata.phrases import PHRASES

UNITS_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"))}
TENS_WORDS = {w: 10 * i for i, w in enumerate(
    ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), 2)}
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
HALF = re.compile(rf"\bhalf\b(?! a (?:{'|'.join(SCALE_WORDS)}))")
ABBREVIATIONS = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}  # only straight after digits: 2.4m, 3bn
CJK_SCALES = {"千": 1e3, "천": 1e3, "万": 1e4, "만": 1e4, "億": 1e8, "억": 1e8}
N_WORDS = "hundred|thousand|million|billion|dozen"
N_VALUES = {"hundred": 100, "dozen": 12, **SCALE_WORDS}
PERCENT_WORDS = ("percent", "per cent", "per-cent", "パーセント", "퍼센트")
PERCENT = re.compile(r"\s?%|\s?(?:" + "|".join(re.escape(w) for w in PERCENT_WORDS) + r")\b")
NOT_ZERO_AFTER_NO = {"more", "less", "fewer", "longer", "later", "earlier", "sooner", "than", "other"}
THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")
DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")  # in a semicolon-separated row: 81,28 = 81.28
RANGE_JOINS = re.compile(r"\s*(?:-|–|to|and|or)\s*")
SPACE_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d.,])")
QUOTED_CELL = re.compile(r'"[^"]*"')
RATIO_JOINS = re.compile(r"\s+(?:in|out of|out of every)\s+")

TOKEN = re.compile(
    rf"(?P<cjk>(?:\d+(?:\.\d+)?[{''.join(CJK_SCALES)}])+\d*)"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<word>[a-z]+)"
    r"|(?P<gap>[ \-]+)"
    r"|(?P<other>.)",
    re.DOTALL,
)


class Figure(NamedTuple):
    value: float
    kind: str  # number (as written) | fraction (percent, half) | ratio (one in ten) | count_bound | share_bound
    start: int
    end: int


def normalise(text: str) -> str:
    """Full-width characters to ASCII, lower case, one space for every run of whitespace (length may change)."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _cjk_value(token: str) -> float:
    total, digits = 0.0, ""
    for char in token:
        if char in CJK_SCALES:
            total += float(digits) * CJK_SCALES[char]
            digits = ""
        else:
            digits += char
    return total + (float(digits) if digits else 0.0)


class _Token(NamedTuple):
    kind: str  # cjk | num | word | other (gaps are dropped)
    text: str
    start: int
    end: int


class _Number(NamedTuple):
    value: float
    scale: float  # the largest scale word applied (1 if none), so a range can share it
    start: int
    end: int


class _Run:
    """A number being read from consecutive number tokens (digits, number words, scale words)."""

    def __init__(self, token: _Token, current: float | None = None, scale: float = 1.0) -> None:
        self.start, self.end = token.start, token.end
        self.total, self.current, self.scale, self.after_tens = 0.0, current, scale, False

    def number(self) -> _Number | None:
        if self.current is None and not self.total:
            return None
        return _Number(self.total + (self.current or 0.0), self.scale, self.start, self.end)

    def multiply(self, token: _Token, factor: float) -> None:
        """Apply hundred or dozen (to the current group) or a scale word (closing the group)."""
        if factor >= 1e3:
            self.total += (1.0 if self.current is None else self.current) * factor
            self.current, self.scale = None, max(self.scale, factor)
        else:
            self.current = (1.0 if self.current is None else self.current) * factor
        self.after_tens, self.end = False, token.end


def _numbers(text: str) -> list[_Number]:
    """Every number written in digits or words, in order."""
    tokens = [_Token(m.lastgroup, m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)
              if m.lastgroup != "gap"]
    words = [t.text if t.kind == "word" else "" for t in tokens] + ["", "", ""]
    found: list[_Number] = []
    run: _Run | None = None

    def flush(new: _Run | None = None) -> _Run | None:
        number = run.number() if run is not None else None
        if number is not None:
            found.append(number)
        return new

    i = 0
    while i < len(tokens):
        token, word = tokens[i], words[i]
        if token.kind in ("num", "cjk"):
            run = flush(_digits_run(token))
            if words[i + 1] in ABBREVIATIONS and tokens[i + 1].start == token.end:
                run.multiply(tokens[i + 1], ABBREVIATIONS[words[i + 1]])
                i += 1
        elif word in UNITS_WORDS:
            if run is None or (run.current is not None and not run.after_tens):
                run = flush(_Run(token))
            run.current = (run.current or 0.0) + UNITS_WORDS[word]
            run.after_tens, run.end = False, token.end
        elif word in TENS_WORDS:
            if run is None or run.current is not None:
                run = flush(_Run(token))
            run.current, run.after_tens, run.end = float(TENS_WORDS[word]), True, token.end
        elif word in N_VALUES:
            run = run or _Run(token)
            run.multiply(token, N_VALUES[word])
        elif word == "point" and run is not None and run.current is not None and run.current.is_integer():
            digits, j = _decimals(tokens, words, i)
            if digits:
                run.current, run.end = float(f"{int(run.current)}.{digits}"), tokens[j - 1].end
                i = j
                continue
            run = flush()
        elif word == "a" and words[i + 1] in N_VALUES:
            run = flush(_Run(token, 1.0))
        elif word == "half" and words[i + 1] == "a" and words[i + 2] in SCALE_WORDS:
            run = flush()
            scale = SCALE_WORDS[words[i + 2]]
            found.append(_Number(0.5 * scale, scale, token.start, tokens[i + 2].end))
            i += 3
            continue
        elif word == "no" and words[i + 1] and words[i + 1] not in NOT_ZERO_AFTER_NO:
            run = flush()
            found.append(_Number(0.0, 1.0, token.start, token.end))
        else:
            run = flush()
        i += 1
    flush()
    return sorted(set(_space_grouped(text) + found), key=lambda n: (n.start, n.end, n.value))


def _digits_run(token: _Token) -> _Run:
    """A run that starts with a number in digits (or in CJK numerals)."""
    if token.kind == "cjk":
        return _Run(token, _cjk_value(token.text), max(CJK_SCALES[c] for c in token.text if c in CJK_SCALES))
    return _Run(token, float(token.text.replace(",", "")))


def _decimals(tokens: list[_Token], words: list[str], i: int) -> tuple[str, int]:
    """The digits spoken or written after "point" at `i`, and the index after them."""
    j = i + 1
    while j < len(tokens) and (UNITS_WORDS.get(words[j], 10) < 10 or tokens[j].text.isdigit()):
        j += 1
    return "".join(str(UNITS_WORDS.get(words[k], tokens[k].text)) for k in range(i + 1, j)), j


def _space_grouped(text: str) -> list[_Number]:
    """'26 418 196' written with spaces as thousands separators reads 26418196 (besides its parts)."""
    return [_Number(float(m.group().replace(" ", "")), 1.0, m.start(), m.end())
            for m in SPACE_GROUPED.finditer(text)]


def table_cells(text: str) -> str | None:
    """`text` with the separators of its cells replaced by '|' (same length), if it is a row of a data table:
    at least three cells separated by commas with no space after them (quoted cells and thousands separators
    such as 100,000 aside), or by semicolons, whose cells write decimals with a comma (81,28 = 81.28)."""
    if text.count(";") >= 2 and "; " not in text:
        return DECIMAL_COMMA.sub(".", text).replace(";", "|")
    unquoted = QUOTED_CELL.sub(lambda m: "x" * len(m.group()), text)
    separators = {i for i, c in enumerate(unquoted) if c == "," and not THOUSANDS.match(unquoted, i - 1)}
    if len(separators) < 2 or ", " in unquoted:
        return None
    return "".join("|" if i in separators else t for i, t in enumerate(text))


def read(text: str) -> list[Figure]:
    """Every figure `text` states (in the order it states them), by the reading rules."""
    text = normalise(text)
    cells = table_cells(text)
    text = cells or text
    numbers = _numbers(text)
    figures: list[Figure] = []
    for index, (value, scale, start, end) in enumerate(numbers):
        percent = _percent_after(text, end)
        if percent:
            figures.append(Figure(value / 100, "fraction", start, percent))
        else:
            figures.append(Figure(value, "number", start, end))
            if cells:
                figures.append(Figure(value / 100, "fraction", start, end))
        if index + 1 < len(numbers):
            nxt_value, nxt_scale, nxt_start, nxt_end = numbers[index + 1]
            between = text[end:nxt_start]
            if scale == 1 and nxt_scale > 1 and RANGE_JOINS.fullmatch(between):
                figures.append(Figure(value * nxt_scale, "number", start, end))
            if not percent and _percent_after(text, nxt_end) and RANGE_JOINS.fullmatch(between):
                figures.append(Figure(value / 100, "fraction", start, end))
            if not percent and nxt_value and RATIO_JOINS.fullmatch(between):
                figures.append(Figure(value / nxt_value, "ratio", start, nxt_end))
    figures += [Figure(0.5, "fraction", m.start(), m.end())
                for m in HALF.finditer(text)]
    bounds = _phrase_bounds(text)
    figures = [f for f in figures if not any(b.start <= f.start and f.end <= b.end for b in bounds)]
    return sorted(figures + bounds, key=lambda f: (f.start, f.end, f.value))


def _percent_after(text: str, end: int) -> int:
    """End of a percent sign or word straight after `end` (0 if there is none)."""
    match = PERCENT.match(text, end)
    return match.end() if match else 0


def _phrase_patterns() -> list[tuple[re.Pattern, float, float, str]]:
    """One regex per wording of the phrase table, with the bounds it gives (N taken from the match)."""
    patterns = []
    for phrase in PHRASES:
        for wording in phrase.wordings:
            if wording.endswith(" N"):
                words = wording[:-2]
                core = words[2:] if words.startswith("a ") else words
                numbered = rf"\b(?:(?:a|the) )?{core} (?P<n>{N_WORDS})s?\b"
                plain = rf"\b{words} (?!(?:{N_WORDS})s?\b)(?=[a-z])"
                patterns.append((re.compile(f"{numbered}|{plain}"), phrase.low, phrase.high, phrase.unit))
            else:
                guard = {"most": r"(?<!\bat )(?<!\bthe )", "few": r"(?<!\ba )(?<!\bvery )"}.get(wording, "")
                after = rf"(?! (?:{N_WORDS})s?\b)" if wording.endswith("few") else ""
                patterns.append((re.compile(rf"{guard}\b{wording}\b{after}"), phrase.low, phrase.high, phrase.unit))
    return patterns


PHRASE_PATTERNS = _phrase_patterns()


def _phrase_bounds(text: str) -> list[Figure]:
    """Bounds of every phrase-table wording in `text`; a wording inside a longer one (thousands in tens of
    thousands) gives none."""
    found = []
    for pattern, low, high, unit in PHRASE_PATTERNS:
        for match in pattern.finditer(text):
            n = N_VALUES[match.group("n")] if "n" in pattern.groupindex and match.group("n") else 1
            found.append((match.start(), match.end(), low * n, high * n, f"{unit}_bound"))
    return [Figure(value, kind, start, end) for start, end, low, high, kind in found
            if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, *_ in found)
            for value in (low, high)]


KINDS_BY_UNIT = {
    "share": ("fraction", "ratio", "share_bound"),
    "per_person": ("number", "fraction", "ratio"),
}
DEFAULT_KINDS = ("number", "count_bound")


def stated(quote: str, unit: str | None, part: str | None = None) -> list[Figure]:
    """The figures `quote` states that a bound in `unit` may take; only those in `part` where `part` (the row's
    phrase) occurs in the quote."""
    figures = [f for f in read(quote) if f.kind in KINDS_BY_UNIT.get(unit or "", DEFAULT_KINDS)]
    text, phrase = normalise(quote), normalise(part or "")
    spans = _spans(text, phrase) if phrase else []
    if spans:
        figures = [f for f in figures if any(f.start < e and s < f.end for s, e in spans)]
    return figures


def _spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where `phrase` occurs in `text`, left to right without overlap (as `re.finditer` of it would find it, but
    without compiling a pattern per phrase)."""
    spans, start = [], text.find(phrase)
    while start >= 0:
        spans.append((start, start + len(phrase)))
        start = text.find(phrase, start + len(phrase))
    return spans


def matches(bound: float, figure: Figure) -> bool:
    """A bound equals a figure: exactly (up to float noise), or a ratio rounded to three significant digits."""
    tolerance = 1e-3 if figure.kind == "ratio" else 1e-9
    return math.isclose(bound, figure.value, rel_tol=tolerance, abs_tol=1e-12)
