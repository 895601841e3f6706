"""The kinds of field the field dictionary is built from: plain text, enums, row ids, dates and precisions, each
with the constraints that kind always carries (text refuses formula prefixes and markup, ids are slugs, dates are
ISO 8601 and never before 1945)."""

from __future__ import annotations

from nkdigital.metadata.enums import values

TEXT = r"[^=+\-@<>][^<>]*"
TEXT_RULE = " Must not start with =, +, - or @ and must not contain < or >."
SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"


def text(description: str, example: str, required: bool = False, **constraints) -> dict:
    return {
        "type": "string",
        "description": description + TEXT_RULE,
        "example": example,
        "constraints": {"required": required, "pattern": TEXT, **constraints},
    }


def enum(description: str, allowed: list[str], example: str, required: bool = True) -> dict:
    return {
        "type": "string",
        "description": description,
        "example": example,
        "constraints": {"required": required, "enum": allowed},
    }


def row_id(prefix: str, what: str, example: str) -> dict:
    return {
        "type": "string",
        "description": f"Identifier of the {what}: a lowercase slug starting with `{prefix}-`, unique across the"
        " package.",
        "example": example,
        "constraints": {"required": True, "pattern": f"{prefix}-{SLUG}"},
    }


def date(description: str, example: str, required: bool) -> dict:
    return {
        "type": "date",
        "format": "%Y-%m-%d",
        "description": description
        + " ISO 8601; never in the future. With month or year precision this is the first day of the period;"
        " a figure given"
        ' for the end of a period ("end of June 2010") carries that period\'s last day with day precision.',
        "example": example,
        "constraints": {"required": required, "minimum": "1945-01-01"},
    }


def range_end(of: str, covers: str, example: str) -> dict:
    """The `_end` field of date `of`: the last day a vague date spans, filled only with precision range."""
    return date(f"Last day of {covers} covers; filled only when {of}_precision is range.", example, required=False)


def precision(of: str, required: bool) -> dict:
    return enum(
        f"How precisely `{of}` is known: day, month, year, or range (vague wording; see the matching"
        " `_end` field and `date_phrase`).",
        values("precision"),
        "month",
        required,
    )
