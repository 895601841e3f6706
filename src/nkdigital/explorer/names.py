"""What the explorer's build, its Datasette configuration and its Datasette hooks share: table and column names,
the search-hit markers and the search box's query rule.

Nothing here imports pandas or the package code, so that `nkdigital serve` on a reused database loads only this,
the hooks and Datasette.
"""

from __future__ import annotations

from nkdigital.metadata.roles import ROLES

DATABASE = "nkdigital"
COPIES = "source_copies"
PERIODS = "observation_periods"  # each observation's first and last day, as the library computes them
CONFLICTS = "conflicts"  # pkg.conflicts() for every geo
HELPERS = (PERIODS, CONFLICTS)  # tables the canned queries read; hidden in the explorer
VALUES = ROLES["figure"]
# What of a source's credit facets (outlet, strength): copied onto every table whose rows name a source.
FROM_SOURCES = tuple(c for c in ROLES["credit"] if c in ROLES["facet"])
SPREAD = ("spread_min", "spread_max")  # shown with the row's unit, like value, low and high
SNIPPET = ("\x02", "\x03")  # marks a search hit inside `search`'s snippets; the explorer renders them as <mark>


def fts_words(text: str | None) -> str:
    """A search box's text as an FTS5 query matching every word literally (no FTS syntax): `"a" "b"`."""
    words = str(text or "").split()
    return " ".join('"' + word.replace('"', '""') + '"' for word in words) or '""'
