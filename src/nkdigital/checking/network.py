"""Checks for `network_records`: the quote shows the record, the address lies in its block, the right date."""

from __future__ import annotations

import ipaddress

from nkdigital.checking import columns
from nkdigital.core.errors import Problem, shown

TEST_LIST = "test_list_entry"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _address(row: dict) -> str:
    """The IPv4 address a record names (its target, else its name), or ''."""
    for cell in (_text(row["target"]), _text(row["name"])):
        try:
            return str(ipaddress.IPv4Address(cell))
        except ValueError:
            continue
    return ""


def _row_problems(row: dict, label: str, r: int) -> list[Problem]:
    problems = []
    quote = " ".join(_text(row["quote"]).split())
    written = _text(row["name"])
    if row["record_type"] == "ptr_record":  # a PTR record writes its address reversed: 15.176.45.175.in-addr.arpa.
        written = ".".join(reversed(written.split("."))) + ".in-addr.arpa."
    for field, cell in (("name", written), ("target", _text(row["target"]))):
        if cell and cell not in quote:
            problems.append(Problem(label, r, field, f"{shown(cell)} does not occur in the row's quote"))
    block, address = _text(row["address_block"]), _address(row)
    if block:
        if not address:
            problems.append(Problem(label, r, "address_block", "an address block needs an address in name or target"))
        elif ipaddress.IPv4Address(address) not in ipaddress.ip_network(block, strict=False):
            problems.append(Problem(label, r, "address_block", f"{address} is not inside {block}"))
    dated = "date_added" if row["record_type"] == TEST_LIST else "observed_date"
    other = "observed_date" if dated == "date_added" else "date_added"
    if row[dated] is None:
        problems.append(Problem(label, r, dated, f"a {row['record_type']} row needs {dated}"))
    if row[other] is not None:
        problems.append(Problem(label, r, other, f"{other} belongs to the other kind of record; leave it empty"))
    return problems


def check_network_records(tables: dict) -> list[Problem]:
    """Name and target occur in the quote (a PTR record's name is its address, written reversed there); an
    address_block contains the record's address; test-list entries carry date_added, other records observed_date."""
    table = tables.get("network_records")
    if table is None or not {"record_type", "name", "target", "address_block", "observed_date", "date_added",
                              "quote"} <= set(table.column_names):
        return []
    label = columns.label("network_records", table)
    problems = []
    rows = (row for batch in table.to_batches(max_chunksize=4096) for row in batch.to_pylist())
    for position, row in enumerate(rows):  # a batch of rows as Python values at a time: a grown table is large
        problems += _row_problems(row, label, columns.row(position))
    return problems
