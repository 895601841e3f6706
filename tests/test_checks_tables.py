"""Logic checks on the Arrow tables the reader gives (checking.columns): ids, sort order, indicators, stated figures."""

import subprocess
import sys
import textwrap

import pyarrow as pa
import pyarrow.ipc

from nkdigital.checking import checks
from nkdigital.checking.validation import validate

from .conftest import PACKAGE_DIR


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


SCRIPT = textwrap.dedent("""
    import datetime, pathlib, sys
    import pyarrow.ipc
    from nkdigital.checking import checks, date_checks, derived, law_checks, network, provenance, tier_checks

    tables = {path.stem: pyarrow.ipc.open_file(path).read_all() for path in sorted(pathlib.Path(sys.argv[1]).iterdir())}
    found = [*derived.check_derived(tables), *checks.check_sources_used(tables), *checks.check_indicators(tables),
             *checks.check_unique_ids({n: t for n, t in tables.items() if n != "sources"},
                                      {n: t.column_names[0] for n, t in tables.items()}),
             *provenance.check_provenance(tables), *law_checks.check_laws(tables), *tier_checks.check_share_of(tables),
             *network.check_network_records(tables)]
    for name, table in tables.items():
        found += [*checks.check_quantities(table, name), *checks.check_stated_figures(table, name),
                  *date_checks.check_dates(table, name, datetime.date(2100, 1, 1)),
                  *checks.check_sorted(table, name, [table.column_names[0]])]
    print(*sorted(str(p) for p in found), "pandas" in sys.modules, sep="\\n")
""")


def test_the_checks_run_without_pandas(tmp_path) -> None:
    """Every check of this module family on the bundled package's tables, one fault planted in observations, in a
    process that never loads pandas: the same problems as in this one."""
    report = validate(PACKAGE_DIR / "datapackage.json")
    tables = dict(report.tables)
    observations = tables["observations"]
    value = observations["value"].to_pylist()
    value[0] = 40.5  # a count that is not whole, and not the figure its quote states
    tables["observations"] = observations.set_column(observations.column_names.index("value"), "value",
                                                     pa.array(value, pa.float64()))
    for name, table in tables.items():
        with pa.ipc.new_file(tmp_path / name, table.schema) as file:
            file.write_table(table)
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, check=True)
    *problems, pandas = result.stdout.splitlines()
    assert problems == [
        "observations, row 2, field value: 40.5 is not a figure the quote states (it states 40)",
        "observations, row 2, field value: 40.5 respondents is not a whole number",
    ]
    assert pandas == "False"
