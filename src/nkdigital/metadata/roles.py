"""Column roles: what each field of the dictionary (`fields.py`) is for, read by the explorer, exports, checks and
charts. This module is the one place a column's role is written; nothing outside `metadata/` lists columns by hand.

Every name here is a field of the dictionary, of the kind its role needs (a test keeps it so). Order matters: it is
the order of preference (facets shown by default, the label column, the date a row is dated by) and, for `LEAD`,
the order columns are shown in.

`MEANINGS` says what each role is for; the data README's dictionary lists them and each field's roles.
"""

from __future__ import annotations

from nkdigital.metadata.fields import FIELDS
from nkdigital.metadata.resources import primary_key, resource

MEANINGS: dict[str, str] = {
    "label": "the column that names a row where another table links to it",
    "about": "the column that says what a row is about, in order of preference (search hits, an outlet's rows)",
    "searchable": "prose and names worth full-text search",
    "facet": "short categorical values worth counting, most useful first",
    "url": "web addresses (http or https), shown as links",
    "date": "the date a row is about, in order of preference (a row is dated by the first it has)",
    "figure": "the stated figures, shown with the row's unit",
    "bounds": "the two figures that bound a range",
    "quantity": "a stated quantity as printed: the figures, their unit and qualifier",
    "evidence": "what backs a row: its source and the verbatim quote",
    "credit": "what a row's source line names about its source: outlet, address, strength",
    "copy": "where and how a source's archived copy was read",
    "creator_name": "the parts of a creator's name (a person's family and given name, or an organisation's one)",
    "remark": "our own remarks on a row or its source, never a source's claim",
    "mentions": "the words in which a row names what it is about (`Package.about` searches them)",
    "key_event": "the flag marking an event a printed timeline labels",
    "position": "a row's place in a sequence (a step of the procedure, a creator in the byline)",
    "scale": "the lowest and highest value an index's scale allows",
    "series": "what makes one series of figures: an indicator in one place as one source states it (a chart's line)",
    "provenance": "what a row rests on: its source, and a derived row's input rows",
    "free_text": "free text that only the rules for each cell check (no check reads it as a whole): validation lets it"
                 " go once its cells pass",
}
BOUNDS = ("low", "high")
FIGURE = ("value", *BOUNDS)
ROLES: dict[str, tuple[str, ...]] = {
    "label": ("title",),
    "about": ("title", "indicator", "group_name", "step", "device", "instrument", "subject", "event_id"),
    "searchable": ("title", "subject", "group_name", "description", "phrase", "conditions", "relevance", "provision",
                   "instrument", "definition", "caveats", "quote", "note", "date_phrase", "attributed_to", "actor",
                   "family", "given", "literal", "original_outlet"),
    "facet": ("indicator", "category", "device", "tier", "step", "instrument_type", "geo", "strength",
              "original_outlet", "claim_type", "measure", "source_type", "qualifier", "share_of", "is_disputed", "copy",
              "role", "unit"),
    "url": ("url", "copy_url"),
    "date": ("ref_date", "event_date", "stated_date", "observed_date", "date_added", "published_date",
             "accessed_date", "ratification_year", "adoption_year"),
    "figure": FIGURE,
    "bounds": BOUNDS,
    "quantity": (*FIGURE, "unit", "qualifier"),
    "evidence": ("source_id", "quote"),
    "credit": ("original_outlet", "url", "strength"),
    "copy": ("archive_path", "copy", "host", "copy_url", "sha256"),
    "creator_name": ("family", "given", "literal"),
    "remark": ("note", "strength_reason"),
    "mentions": ("subject", "title", "group_name", "instrument", "name", "target", "actor", "population",
                 "attributed_to", "description", "conditions", "provision", "relevance", "quote"),
    "key_event": ("is_key",),
    "position": ("step_order", "creator_order"),
    "scale": ("scale_min", "scale_max"),
    "series": ("indicator", "geo", "source_id"),
    "provenance": ("source_id", "input_ids"),
    "free_text": ("description", "attributed_to", "date_phrase", "definition", "caveats", "methodology_break",
               "conditions", "relevance", "usage_terms"),
}

# Columns shown first, in this order, wherever a table has them: when, what, how much, who says it, how strong, the
# words. Every other column follows in its resource's order.
LEAD: tuple[str, ...] = ("ref_date", "event_date", "stated_date", "indicator", "device", "tier", "step", "instrument",
                         "title", *FIGURE, "original_outlet", "strength", "quote")


def having(role: str, columns: list[str] | tuple[str, ...]) -> list[str]:
    """The columns among `columns` that have `role`, in the role's order of preference."""
    present = set(columns)
    return [c for c in ROLES[role] if c in present]


def roles_of(field: str) -> list[str]:
    """The roles of `field`, in the order of `ROLES`."""
    return [role for role, names in ROLES.items() if field in names]


def dated_by(columns: list[str] | tuple[str, ...], kind: str | None = None) -> str | None:
    """The column among `columns` that rows are dated by (the first `date` field, of field type `kind` when given:
    "date" or "year"), or None where there is none."""
    return next((f for f in having("date", columns) if kind in (None, FIELDS[f]["type"])), None)


def chronological(name: str) -> list[str]:
    """The columns that sort resource `name`'s rows oldest first: its date (`dated_by`), then its primary key."""
    date = dated_by(resource(name)["fields"])
    return [date, *primary_key(name)] if date else primary_key(name)


def precision_of(date: str) -> str | None:
    """The field that says how precisely `date` is known (`<date>_precision`), or None where it has none."""
    name = f"{date}_precision"
    return name if name in FIELDS else None
