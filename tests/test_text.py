"""nkdigital.text: numbers, quantities and dates in words, as charts and notebooks print them."""

from __future__ import annotations

import pandas as pd
import pytest

import nkdigital as nk
from nkdigital import text
from nkdigital.metadata.units import UNITS


def test_text_is_reached_lazily_from_the_package():
    assert nk.text is text
    assert set(text.__all__) <= set(dir(text))


def test_numbers():
    assert text.number(6353150) == "6,353,150" and text.number(24.13) == "24.13"
    assert text.number(0.585, "share") == "58.5%"
    assert text.compact(6500000) == "6.5 million" and text.compact(20000) == "20,000"
    assert text.compact(2.4e9) == "2.4 billion" and text.compact(0.5, "share") == "50%"
    assert text.tidy(1 / 3) == 0.333333 and text.tidy(6353150.0) == 6353150 and text.tidy(None) is None
    assert text.tidy(float("inf")) is None and text.missing(pd.NA) and not text.missing(0)


def test_quantities_with_units_and_qualifiers():
    assert text.quantity(2000000, 2000000, None, "subscriptions", "at_least") == "at least 2,000,000 subscriptions"
    assert text.quantity(None, 3, 9, "authorities", "range") == "3–9 authorities"
    assert text.quantity(1, None, None, "hours", "exact") == "1 hour"
    assert text.quantity(2, None, None, "hours", "about") == "about 2 hours"
    assert text.quantity(None, None, 2, "days", "up_to") == "up to 2 days"
    assert text.quantity(None, 0.5, 0.8, "share", "range") == "50%–80%"
    assert text.quantity(None, 6500000, 7000000, None, "range", fmt=text.compact) == "6.5–7 million"
    assert text.quantity(7, 6, 8, "per_100_people", "about") == "about 7 per 100 people (range 6–8)"
    assert text.quantity(None, None, None, "people", None) == ""
    row = pd.Series({"value": None, "low": 2000, "high": 5000, "unit": "people", "qualifier": "range"})
    assert text.quantity_of(row) == "2,000–5,000 people"


def test_every_unit_reads_from_the_metadata():
    for name, unit in UNITS.items():
        if name != "share":
            assert text.unit_words(name, 2) == unit.words and text.unit_words(name, 1) == unit.singular
    assert text.unit_words("share", 2) == "" and text.unit_words(None) == ""


def test_dates_with_their_precision():
    assert text.when(pd.Timestamp("2021-07-13"), "day") == "13 July 2021"
    assert text.when("2008-12-01", "month") == "December 2008"
    assert text.when("2008-01-01", "year") == "2008"
    assert text.when(None, "day") == "date not stated"
    assert text.when("2000-01-01", "range", end="2004-12-31") == "2000–2004"
    assert text.when("2000-01-01", "range", end="2004-12-31", phrase="early 2000s") == "early 2000s (2000–2004)"
    assert text.when("2010-01-01", "range", end="2010-06-30") == "2010"
    row = {"ref_date": pd.Timestamp("2000-01-01"), "ref_date_precision": "range",
           "ref_date_end": pd.Timestamp("2004-12-31"), "date_phrase": "in the early 2000s"}
    assert text.date_of(row) == "in the early 2000s (2000–2004)"


@pytest.mark.parametrize(("precision", "end", "last"), [("day", None, "2021-07-13"), ("month", None, "2021-07-31"),
                                                        ("year", None, "2021-12-31"),
                                                        ("range", "2024-06-30", "2024-06-30")])
def test_period_end(precision, end, last):
    assert text.period_end("2021-07-13", precision, end).isoformat() == last


def test_listing():
    assert text.listing([]) == "" and text.listing(["A"]) == "A" and text.listing(["A", "B"]) == "A and B"
    assert text.listing(["A", "B", "C"], lower=False) == "A, B and C"
    assert text.listing(["Mobile users", "Active users"], lower=True) == "Mobile users and active users"


def test_markdown_findings_render_a_rows_text_inert_and_as_written():
    import mistune

    import nkdigital as nk

    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script> [link](javascript:x) *b* 6.5–7\n# h & `c`'
    finding = nk.text.markdown("**Found:** {phrase}.", phrase=hostile)
    html_out = mistune.html(finding.data)
    assert "<img" not in html_out and "<script" not in html_out and "<a " not in html_out and "<h1" not in html_out
    assert html_out.startswith("<p><strong>Found:</strong> &lt;img src=x onerror=")
    assert "[link](javascript:x) *b* 6.5–7\n# h &amp; `c`." in html_out


DATED = [("sources", "published_date"), ("events", "event_date"), ("event_attestations", "stated_date"),
         ("observations", "ref_date"), ("device_estimates", "ref_date"), ("access_tiers", "ref_date")]
FIGURED = ["observations", "device_estimates", "access_tiers", "access_controls"]


@pytest.mark.parametrize(("resource", "column"), DATED)
def test_dates_equal_date_of_on_every_row_of_the_package(package, resource, column):
    rows = package.resource(resource)
    shown = nk.text.dates(rows, column)
    assert shown.tolist() == [nk.text.date_of(row, column) for _, row in rows.iterrows()]
    assert shown.index.equals(rows.index) and nk.text.date_of(rows, column).equals(shown)
    assert shown.nunique() > 5 and "date not stated" not in set(shown[rows[column].notna()])
    columns = nk.text.when(rows[column], rows[f"{column}_precision"], rows.get(f"{column}_end"),
                           rows.get("date_phrase"))
    assert columns.equals(shown)


@pytest.mark.parametrize("resource", FIGURED)
@pytest.mark.parametrize("fmt", [text.number, text.compact])
def test_quantities_equal_quantity_of_on_every_row_of_the_package(package, resource, fmt):
    rows = package.resource(resource)
    shown = nk.text.quantities(rows, fmt)
    assert shown.tolist() == [nk.text.quantity_of(row, fmt) for _, row in rows.iterrows()]
    assert shown.index.equals(rows.index) and nk.text.quantity_of(rows, fmt).equals(shown)


def test_a_column_of_ranges_prints_both_stated_ends_never_a_midpoint():
    rows = pd.DataFrame({"value": [None, 5.0, None], "low": [2000.0, None, None], "high": [5000.0, None, 9.0],
                         "unit": ["people", "hours", "authorities"], "qualifier": ["range", "about", "up_to"]},
                        index=[7, 3, 9])
    shown = nk.text.quantities(rows)
    assert shown.to_dict() == {7: "2,000–5,000 people", 3: "about 5 hours", 9: "up to 9 authorities"}
    assert "3,500" not in "".join(shown)
    assert nk.text.quantities(rows.iloc[:0]).tolist() == []


def test_dates_of_a_table_missing_the_precision_columns_say_so_rather_than_guess():
    rows = pd.DataFrame({"ref_date": pd.to_datetime(["2021-07-13", None]),
                         "ref_date_precision": ["month", None]})
    assert nk.text.dates(rows).tolist() == ["July 2021", "date not stated"]
    assert nk.text.when(rows["ref_date"], "year").tolist() == ["2021", "date not stated"]


def test_fill_writes_a_template_per_row_with_format_specs_and_blank_missing_values():
    rows = pd.DataFrame({"who": ["KCNA", "NK News", "KCNA"], "ratio": [1.25, None, 1.25]}, index=[5, 6, 7])
    filled = nk.text.fill("{who} ({ratio:.1f} times)", who=rows["who"], ratio=rows["ratio"])
    assert filled.to_dict() == {5: "KCNA (1.2 times)", 6: "NK News ( times)", 7: "KCNA (1.2 times)"}
    assert nk.text.listing(filled) == "KCNA (1.2 times), NK News ( times) and KCNA (1.2 times)"
    with pytest.raises(ValueError, match="same rows"):
        nk.text.fill("{a} {b}", a=rows["who"], b=rows["who"].reset_index(drop=True))


def test_markdown_lines_render_one_inert_line_per_row():
    import mistune

    rows = pd.DataFrame({"id": ["est-1", "<img src=x onerror=alert(1)>"], "figure": ["*6.5–7 million*", "[a](b)"]})
    lines = nk.text.markdown_lines("* {id}: **{figure}**", id=rows["id"], figure=rows["figure"])
    html_out = mistune.html(lines.data)
    assert html_out.count("<li>") == 2 and "<img" not in html_out and "<a " not in html_out
    assert "<li>est-1: <strong>*6.5–7 million*</strong></li>" in html_out


def test_labelled_shows_enum_labels_unit_words_titles_and_column_names_in_words(package):
    import nkdigital as nk

    rows = package.observations("mobile_subscriptions").head(2)[["indicator", "ref_date_precision", "unit",
                                                                 "claim_type"]]
    shown = nk.text.labelled(rows, {"mobile_subscriptions": "Mobile subscriptions"})
    assert list(shown.columns) == ["Indicator", "Ref date precision", "Unit", "Claim type"]
    assert set(shown["Indicator"]) == {"Mobile subscriptions"} and set(shown["Unit"]) == {"subscriptions"}
    assert "_" not in "".join(map(str, shown["Claim type"])) and rows["indicator"].iloc[0] == "mobile_subscriptions"


def test_a_text_column_is_written_once_per_distinct_row_with_missing_values_as_none():
    from nkdigital.text.columns import per_distinct

    frame = pd.DataFrame({"when": pd.to_datetime(["2008-12-15", None, "2008-12-15", None]),
                          "value": pd.array([1.5, None, 1.5, 2.0], dtype="Float64"),
                          "label": pd.Categorical(["a", "b", "a", None])}, index=[7, 3, 9, 1])
    calls = []

    def write(*values):
        calls.append(values)
        return repr(values)

    column = per_distinct(frame, ["when", "value", "label", "absent"], write)
    assert calls == [(pd.Timestamp("2008-12-15"), 1.5, "a", None), (None, None, "b", None),
                     (None, 2.0, None, None)]
    assert column.index.tolist() == [7, 3, 9, 1] and column.dtype == object
    assert column.tolist() == [repr(calls[0]), repr(calls[1]), repr(calls[0]), repr(calls[2])]
    assert per_distinct(frame.iloc[:0], ["when"], write).tolist() == []
