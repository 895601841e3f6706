"""The resources of the package: name, title, description, fields (by name, from `fields.py`) and keys."""

from __future__ import annotations

RESOURCES: list[dict] = [
    {
        "name": "sources",
        "title": "Sources",
        "description": "One row per archived document the package draws on: citation, provenance, strength and"
        " usage terms.",
        "fields": ["source_id", "archive_path", "title", "publisher", "author", "original_outlet", "published_date",
                   "published_date_precision", "url", "accessed_date", "source_type", "strength",
                   "strength_reason", "usage_terms", "language", "is_core"],
        "primaryKey": ["source_id"],
    },
    {
        "name": "events",
        "title": "Timeline events",
        "description": "Dated events: networks and services, devices, laws, international review, treaties and"
        " reporting. Conflicting dates from different sources are separate rows.",
        "fields": ["event_id", "event_date", "event_date_precision", "category", "subject", "title",
                   "description", "actor", "source_id", "quote", "note"],
    },
    {
        "name": "observations",
        "title": "Observations",
        "description": "Every counted quantity in the archive, long form: one row per source, indicator and"
        " reference date. Conflicting figures are separate rows; derived rows carry their formula.",
        "fields": ["observation_id", "indicator", "geo", "subject", "ref_date", "ref_date_precision", "ref_date_end",
                   "date_phrase", "value", "low",
                   "high", "unit", "qualifier", "phrase", "claim_type", "attributed_to", "source_id", "quote",
                   "formula", "input_ids", "note"],
    },
    {
        "name": "device_estimates",
        "title": "Device estimates",
        "description": "Ownership and use of devices with ranges and the population each figure refers to;"
        " derived absolute numbers are separate rows.",
        "fields": ["estimate_id", "device", "measure", "population", "ref_date", "ref_date_precision", "ref_date_end",
                   "date_phrase", "value",
                   "low", "high", "unit", "qualifier", "phrase", "claim_type", "attributed_to", "source_id",
                   "quote", "formula", "input_ids", "note"],
    },
    {
        "name": "access_tiers",
        "title": "Access tiers",
        "description": "Who can reach what: the groups sources place in each tier of access, with their size as"
        " stated and the conditions of access.",
        "fields": ["tier_id", "tier", "group_name", "ref_date", "ref_date_precision", "ref_date_end",
                   "date_phrase", "value", "low", "high",
                   "unit", "qualifier", "phrase", "conditions", "source_id", "quote"],
    },
    {
        "name": "access_controls",
        "title": "Access controls",
        "description": "The procedure around global internet access, step by step, with durations and counts.",
        "fields": ["control_id", "step", "step_order", "actor", "description", "value", "low", "high", "unit",
                   "qualifier", "phrase", "source_id", "quote"],
    },
    {
        "name": "rights_framework",
        "title": "Rights framework",
        "description": "International instruments the DPRK is party to, ratification years, and the articles and"
        " goals sources connect to internet access.",
        "fields": ["framework_id", "instrument", "instrument_type", "ratification_year", "provision", "relevance",
                   "source_id", "quote"],
    },
]

