"""Logic checks on the Arrow tables the reader gives (checking.columns): ids, sort order, indicators, stated figures."""

import pyarrow as pa

from nkdigital.checking import checks


def _table(name: str, **cells: list) -> pa.Table:
    """Text columns as the reader gives them, the file named in the schema's metadata."""
    return pa.table({column: pa.array(values, pa.large_string()) for column, values in cells.items()}
                    ).replace_schema_metadata({"path": f"data/{name}.csv"})


def test_an_id_an_earlier_resource_uses_names_that_resource() -> None:
    tables = {"a": _table("a", id=["x", "y", None, "x"]), "b": _table("b", id=["q", "y", "x", None, "q"]),
              "c": _table("c", id=["q"]), "d": _table("d", id=[])}
    assert [str(p) for p in checks.check_unique_ids(tables, {n: "id" for n in tables})] == [
        "data/b.csv, row 3, field id: id 'y' is also used in a",
        "data/b.csv, row 4, field id: id 'x' is also used in a",
        "data/c.csv, row 2, field id: id 'q' is also used in b",
    ]


def test_a_key_sorts_as_its_text_as_refresh_sorts_it() -> None:
    creators = pa.table({"source_id": ["s", "s", "t"], "creator_order": pa.array([10, 2, 1], pa.int64())})
    assert checks.check_sorted(creators, "f", ["source_id", "creator_order"]) == []
    [problem] = checks.check_sorted(creators.take([1, 0, 2]), "f", ["source_id", "creator_order"])
    assert (problem.row, problem.field) == (3, "source_id")


def test_an_observation_unit_is_its_indicator_unit() -> None:
    indicators = _table("indicators", indicator=["i", "j"], unit=["people", None], claim_types=["survey", "survey"])
    observations = _table("observations", indicator=["i", "j", "i", "k"], unit=["people", "days", "days", "days"],
                          claim_type=["survey", "survey", "testimony", "survey"])
    problems = checks.check_indicators({"indicators": indicators, "observations": observations})
    assert [str(p) for p in problems] == [
        "data/observations.csv, row 3, field unit: days is not the unit of j (it has none)",
        "data/observations.csv, row 4, field unit: days is not the unit of i (people)",
        "data/observations.csv, row 4, field claim_type: testimony is not a claim type i takes",
    ]


def test_rows_alike_each_get_their_problem_in_row_order() -> None:
    quote = "there were 7.51 million cellular mobile connections"
    rows = pa.table({"value": [751000.0, 7510000.0, 751000.0], "low": pa.nulls(3, pa.float64()),
                     "high": [None, 2.0, None], "unit": ["subscriptions"] * 3, "quote": [quote] * 3})
    assert [(p.row, p.field, p.message) for p in checks.check_stated_figures(rows, "f")] == [
        (2, "value", "751000 is not a figure the quote states (it states 7510000)"),
        (3, "high", "2 is not a figure the quote states (it states 7510000)"),
        (4, "value", "751000 is not a figure the quote states (it states 7510000)"),
    ]
