"""Reading figures from quotes: the written rules, the phrase table, and the check that refuses other figures."""

from __future__ import annotations

import csv
import io

import pyarrow as pa
import pytest

from nkdigital.api.refresh import refresh
from nkdigital.checking.checks import check_stated_figures
from nkdigital.core.errors import PackageError
from nkdigital.metadata.phrases import PHRASES
from nkdigital.reading import figures as reading

from .conftest import PACKAGE_DIR


def values(text: str, unit: str | None = "people") -> list[float]:
    return [round(f.value, 6) for f in reading.stated(text, unit)]


@pytest.mark.parametrize(("text", "unit", "expected"), [
    # digits, separators and scale words
    ("7,510,000 subscribers", "subscriptions", [7510000]),
    ("1,183,806", "subscriptions", [1183806]),
    ("26 418 196 people", "people", [26, 26418196, 418, 196]),
    ("1.5 million", "people", [1500000]),
    ("7.51 million cellular mobile connections", "subscriptions", [7510000]),
    ("2.4m users", "people", [2400000]),
    ("Over 3m have", "people", [3000000]),
    ("3 billion", "people", [3000000000]),
    ("3bn", "people", [3000000000]),
    ("206 thousand", "subscriptions", [206000]),
    ("half a million", "people", [500000]),
    ("50 m away", "people", [50]),  # an abbreviation counts only straight after the digits
    ("$66.5", "usd", [66.5]),
    # number words
    ("two million", "people", [2000000]),
    ("three major laws", "laws", [3]),
    ("a dozen engineers", "people", [12]),
    ("twenty-five", "people", [25]),
    ("more than six-thousand defectors", "respondents", [6000]),
    ("one million two hundred thousand", "people", [1200000]),
    ("a million users", "people", [1000000]),
    ("no secure internet servers", "per_million_people", [0]),
    ("no more than 500", "people", [500]),
    # ranges share their scale or percent sign
    ("between 6.5 and 7 million", "subscriptions", [6.5, 6500000, 7000000]),
    ("6.5 to 7 million", "devices", [6.5, 6500000, 7000000]),
    ("50 to 80 percent of adults", "share", [0.5, 0.8]),
    ("five to fifteen years", "years", [5, 15]),
    # percent and ratios become shares; only shares take them
    ("18 percent", "share", [0.18]),
    ("18%", "share", [0.18]),
    ("18 per cent", "share", [0.18]),
    ("18 percent", "people", []),
    ("83-point-three percent of defectors", "share", [0.833]),
    ("0.03% of the whole population", "share", [0.0003]),
    ("one in ten", "share", [0.1]),
    ("one out of every 12 citizens", "share", [0.083333]),
    ("one out of every 10 people", "per_person", [1, 0.1, 10]),
    ("Perhaps half of all households", "share", [0.5]),
    ("18", "share", []),
    # rates stay as given
    ("6.6 North Koreans out of 100", "per_100_people", [6.6, 100]),
    ('"text": "4.64 (2019 est.)"', "per_100_people", [4.64, 2019]),
    # Japanese and Korean numbers, full-width digits
    ("2万人", "people", [20000]),
    ("2573万人の全人口", "people", [25730000]),
    ("1億2000万", "people", [120000000]),
    ("およそ0.1%ほどで", "share", [0.001]),
    ("３２．３％", "share", [0.323]),
    ("2만 명", "people", [20000]),
    # data-table rows: each numeric cell as written, never one comma-grouped number
    ("prk,2010,431919", "people", [2010, 431919]),
    ("North Korea,PRK,1990,20293000,NA,2.463897252725,Asia", "per_100_people", [1990, 20293000, 2.463897]),
    # the phrase table
    ("a few thousand privileged members", "people", [2000, 5000]),
    ("the few thousands who have access", "people", [2000, 5000]),
    ("several hundred", "people", [300, 900]),
    ("several officials", "authorities", [3, 9]),
    ("a few officials", "authorities", [2, 5]),
    ("hundreds of people", "people", [200, 999]),
    ("thousands of users", "people", [2000, 9999]),
    ("tens of thousands", "people", [20000, 99999]),
    ("hundreds of thousands", "people", [200000, 999999]),
    ("millions of phones", "devices", [2000000, 9999999]),
    ("Most North Koreans", "share", [0.5, 1]),
    ("the majority of the population", "share", [0.5, 1]),
    ("almost all households", "share", [0.9, 1]),
    ("nearly all households", "share", [0.9, 1]),
    ("very few people", "share", [0, 0.1]),
    ("few people know", "share", [0, 0.1]),
    ("a few hundred people or maybe 1,000 at most", "people", [200, 500, 1000]),
    ("1,000 at most", "share", []),  # 'at most' is a qualifier, not 'most'
    ("a few thousand", "share", []),  # a count phrase gives no share
    ("Most North Koreans", "people", []),  # a share phrase gives no count
    ("a handful of people", "people", []),  # no magnitude
])
def test_reading_rules(text: str, unit: str, expected: list[float]) -> None:
    assert values(text, unit) == expected


def test_a_ratio_may_be_rounded_but_a_figure_may_not() -> None:
    ratio = reading.stated("one out of every 12", "share")[0]
    assert reading.matches(0.0833, ratio) and not reading.matches(0.08, ratio)
    figure = reading.stated("7,510,000", "subscriptions")[0]
    assert reading.matches(7510000.0000001, figure) and not reading.matches(7510001, figure)


def test_the_phrase_narrows_the_quote_to_its_own_figures() -> None:
    quote = "there are 2.8 million mobile phone subscribers in the country, a steady increase from two million in 2013"
    assert values(quote, "subscriptions") == [2800000, 2000000, 2013]
    assert [f.value for f in reading.stated(quote, "subscriptions", "two million")] == [2000000]
    assert [f.value for f in reading.stated(quote, "subscriptions", "not in the quote")] == [2800000, 2000000, 2013]
    # the phrase keeps the context of the whole quote: the shared scale of a range
    figures = reading.stated("a total of between 6.5 and 7 million lines", "lines", "6.5")
    assert 6500000 in [f.value for f in figures]


@pytest.mark.parametrize("phrase", PHRASES, ids=lambda p: p.wordings[0])
def test_every_wording_of_the_phrase_table_is_read_with_its_bounds(phrase) -> None:
    for wording in phrase.wordings:
        text = wording.replace("N", "thousand") if wording.endswith(" N") else f"{wording} of them"
        scale = 1000 if wording.endswith(" N") else 1
        unit = "share" if phrase.unit == "share" else "people"
        assert values(text, unit) == [phrase.low * scale, phrase.high * scale]


def test_the_phrase_table_is_in_the_data_readme() -> None:
    readme = (PACKAGE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Reading rules"):readme.index("## Data dictionary")]
    for phrase in PHRASES:
        assert all(f"'{w}'" in section for w in phrase.wordings)
    assert "Reading rules" in readme[readme.index("| `value` |"):]


def one_row(**row) -> pa.Table:
    """A one-row table as the reader gives it: figures as float64, text as large_string."""
    return pa.table({name: pa.array([cell], pa.float64() if name in ("value", "low", "high") else pa.large_string())
                     for name, cell in row.items()})


def frame(**row) -> pa.Table:
    defaults = {"value": None, "low": None, "high": None, "unit": "subscriptions", "phrase": None,
                "claim_type": "operator_report", "formula": None}
    return one_row(**{**defaults, **row})


def test_check_refuses_a_typo_and_names_what_the_quote_states() -> None:
    quote = "there were 7.51 million cellular mobile connections in North Korea at the start of 2024"
    assert check_stated_figures(frame(value=7510000.0, quote=quote), "data/x.csv") == []
    [problem] = check_stated_figures(frame(value=751000.0, quote=quote), "data/x.csv")
    assert (problem.file, problem.row, problem.field) == ("data/x.csv", 2, "value")
    assert problem.message == "751000 is not a figure the quote states (it states 7510000, 2024)"


def test_check_refuses_a_percent_left_unconverted_and_checks_every_bound() -> None:
    quote = "Mobile phones may now be owned by 50 to 80 percent of adults."
    assert check_stated_figures(frame(low=0.5, high=0.8, unit="share", quote=quote), "f") == []
    problems = check_stated_figures(frame(low=50.0, high=0.8, unit="share", quote=quote), "f")
    assert [(p.field, p.message.split(" (")[0]) for p in problems] == [("low", "50 is not a figure the quote states")]


def test_check_skips_derived_rows_and_rows_without_figures() -> None:
    quote = "a quote without any figure in it"
    assert check_stated_figures(frame(value=5.0, claim_type="derived", formula="{a} * 2", quote=quote), "f") == []
    assert check_stated_figures(frame(value=5.0, claim_type=None, formula="{a} * 2", quote=quote), "f") == []
    assert check_stated_figures(frame(quote=quote), "f") == []
    [problem] = check_stated_figures(frame(value=5.0, quote=quote), "f")
    assert problem.message.endswith("(it states no figure in unit subscriptions)")


def test_check_applies_to_resources_without_claim_type() -> None:
    rows = one_row(value=2.0, low=None, high=None, unit="days", phrase="around two days",
                   quote="It took around three days to get permission")
    [problem] = check_stated_figures(rows, "data/access_controls.csv")
    assert problem.field == "value"


def _set_first(path, name: str, where, field: str, change) -> None:
    file = path.parent / "data" / f"{name}.csv"
    rows = list(csv.DictReader(io.StringIO(file.read_text(encoding="utf-8"), newline="")))
    row = next(r for r in rows if where(r))
    row[field] = change(row[field])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    file.write_text(out.getvalue(), encoding="utf-8")


def test_refresh_refuses_a_typo_in_a_figure(package_copy, archive) -> None:
    def typo(r: dict) -> bool:
        return r["claim_type"] != "derived" and r["value"].endswith("0000") and "," in r["quote"]

    _set_first(package_copy, "observations", typo, "value", lambda v: v[:-1])
    before = (package_copy.parent / "datapackage.json").read_bytes()
    with pytest.raises(PackageError) as raised:
        refresh(package_copy, archive)
    assert [p.message for p in raised.value.problems if "is not a figure the quote states" in p.message]
    assert (package_copy.parent / "datapackage.json").read_bytes() == before


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("PRK,2009,0.2784", "per_100_people", [2009, 0.2784]),
    ("4.632902784,6.720288038,62.2", "share", [0.046329, 0.067203, 0.622]),
    ('"Korea, Dem. People\'s Rep.",PRK,Individuals using the Internet (% of population),IT.NET.USER.ZS,,0,1.5',
     "share", [0, 0.015]),
    ("prk,2010,431,919", "people", [2010, 431919]),  # a thousands separator is not a cell separator
    ("rose to 430,000 in December 2010 and reached 810,000", "people", [430000, 2010, 810000]),  # prose
    ("In 2010,500 people", "share", []),  # one comma is no table
])
def test_table_rows(text: str, unit: str, expected: list[float]) -> None:
    assert values(text, unit) == expected
