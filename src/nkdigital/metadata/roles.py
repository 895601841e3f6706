"""Column roles: what each field of the dictionary (`fields.py`) is for in a browsing tool such as the explorer.

Every name here is a field of the dictionary (a test keeps it so). Order matters: it is the order of preference
(facets shown by default, the label column) and, for `LEAD`, the order columns are shown in.

- `label`: the column that names a row where another table links to it.
- `searchable`: prose and names worth full-text search.
- `facet`: short categorical values worth counting, most useful first.
- `url`: addresses and archive paths.
- `date`: the date a row is about.
- `figure`: the stated figures, shown with the row's unit.
"""

from __future__ import annotations

ROLES: dict[str, tuple[str, ...]] = {
    "label": ("title",),
    "searchable": ("title", "subject", "group_name", "description", "phrase", "conditions", "relevance", "provision",
                   "instrument", "definition", "caveats", "quote", "note", "date_phrase", "attributed_to", "actor",
                   "family", "given", "literal", "original_outlet"),
    "facet": ("indicator", "category", "device", "tier", "step", "instrument_type", "geo", "strength",
              "original_outlet", "claim_type", "measure", "source_type", "qualifier", "share_of", "is_disputed", "copy",
              "role", "unit"),
    "url": ("url", "copy_url", "archive_path"),
    "date": ("ref_date", "event_date", "stated_date", "published_date", "accessed_date", "ratification_year",
             "adoption_year"),
    "figure": ("value", "low", "high"),
}

# Columns shown first, in this order, wherever a table has them: when, what, how much, who says it, how strong, the
# words. Every other column follows in its resource's order.
LEAD: tuple[str, ...] = ("ref_date", "event_date", "stated_date", "indicator", "device", "tier", "step", "instrument",
                         "title", "value", "low", "high", "original_outlet", "strength", "quote")


def having(role: str, columns: list[str] | tuple[str, ...]) -> list[str]:
    """The columns among `columns` that have `role`, in the role's order of preference."""
    present = set(columns)
    return [c for c in ROLES[role] if c in present]
