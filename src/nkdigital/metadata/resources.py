"""The resources of the package: name, title, description, fields (by name, from `fields.py`) and keys.

`counts`, where given, names the columns that say what a resource's figures count: rows that agree on them, on
geo, unit and period state the same quantity (`nkdigital.conflicts`). `what` names the columns that say, in a
reader's words, what a row is about (a chart's table joins them: "Mobile phone: Owners: women aged 15-49").
"""

from __future__ import annotations

# A dated figure as a source states it, read by the reading rules, and derived rows' formula.
STATED_FIGURE = ["ref_date", "ref_date_precision", "ref_date_end", "date_phrase", "value", "low", "high", "unit",
                 "qualifier", "phrase", "claim_type", "attributed_to", "source_id", "quote", "formula", "input_ids",
                 "note"]
RESOURCES: list[dict] = [
    {
        "name": "sources",
        "title": "Sources",
        "description": "One row per publication the package draws on: the original outlet and address, citation,"
        " strength by a written rule, and reuse terms. Its archived copies are in source_copies.",
        "fields": ["source_id", "title", "original_outlet", "published_date", "published_date_precision",
                   "url", "accessed_date", "source_type", "strength", "strength_reason", "usage_terms", "language",
                   "is_core", "note"],
        "primaryKey": ["source_id"],
    },
    {
        "name": "events",
        "title": "Timeline events",
        "description": "One row per real-world happening (networks and services, devices, laws, international"
        " review, treaties, reporting) with its best-supported date; disputed dates or actors are marked and kept in"
        " event_attestations.",
        "fields": ["event_id", "event_date", "event_date_precision", "event_date_end", "is_disputed", "category",
                   "subject", "title", "description", "actor", "note", "is_key"],
    },
    {
        "name": "event_attestations",
        "title": "Event attestations",
        "description": "One row per source that reports an event, with the date, precision and actor as that source"
        " states them and a verbatim quote. Every disagreement between sources stays visible here.",
        "fields": ["attestation_id", "event_id", "source_id", "stated_date", "stated_date_precision",
                   "stated_date_end", "date_phrase", "actor", "quote", "note"],
        "what": ["event_id"],
        "references": {"event_id": "events"},
    },
    {
        "name": "source_copies",
        "title": "Archived copies",
        "description": "One row per archived file: which publication it is a copy of, the kind of copy, where it was"
        " read, and its SHA-256. Duplicates of one document are copies of one source, never two sources.",
        "fields": ["archive_path", "source_id", "copy", "host", "copy_url", "sha256", "role", "section"],
        "primaryKey": ["archive_path", "source_id", "host"],
    },
    {
        "name": "creators",
        "title": "Creators",
        "description": "One row per creator of a source, in the document's order: a person as family and given"
        " name, an organisation as one literal name, with the role where it is not the author. Read from each"
        " archived file's header and byline; citations are built from these rows.",
        "fields": ["source_id", "creator_order", "family", "given", "literal", "creator_role"],
        "primaryKey": ["source_id", "creator_order"],
    },
    {
        "name": "indicators",
        "title": "Indicators",
        "description": "One row per indicator the observations use: its title, unit, a definition of what it counts"
        " and what it does not, the kinds of claim it takes, and caveats; for indices also the scale, which end"
        " is better, and any methodology break.",
        "fields": ["indicator", "title", "unit", "definition", "claim_types", "caveats", "scale_min", "scale_max",
                   "direction", "methodology_break"],
    },
    {
        "name": "observations",
        "title": "Observations",
        "description": "Every counted quantity in the archive, long form: one row per source, indicator and"
        " reference date. Conflicting figures are separate rows; derived rows carry their formula.",
        "fields": ["observation_id", "indicator", "geo", "subject", *STATED_FIGURE],
        "references": {"indicator": "indicators"},
        "counts": ["indicator"],
        "what": ["indicator"],
    },
    {
        "name": "device_estimates",
        "title": "Device estimates",
        "description": "Ownership and use of devices with ranges and the population each figure refers to;"
        " derived absolute numbers are separate rows.",
        "fields": ["estimate_id", "device", "measure", "population", *STATED_FIGURE],
        "counts": ["device", "measure", "population"],
        "what": ["device", "measure", "population"],
    },
    {
        "name": "access_tiers",
        "title": "Access tiers",
        "description": "Who can reach what: the groups sources place in each tier of access, with their size as"
        " stated and the conditions of access.",
        "fields": ["tier_id", "tier", "group_name", "ref_date", "ref_date_precision", "ref_date_end",
                   "date_phrase", "value", "low", "high",
                   "unit", "share_of", "qualifier", "phrase", "conditions", "source_id", "quote"],
        "counts": ["tier"],
        "what": ["tier", "group_name"],
    },
    {
        "name": "access_controls",
        "title": "Access controls",
        "description": "The procedure around access to the global internet and to the national intranet, step by"
        " step, with durations and counts.",
        "fields": ["control_id", "step", "step_order", "actor", "description", "value", "low", "high", "unit",
                   "qualifier", "phrase", "source_id", "quote"],
        "what": ["step", "description"],
    },
    {
        "name": "rights_framework",
        "title": "Rights framework",
        "description": "International instruments the DPRK is party to, ratification years, and the articles and"
        " goals sources connect to internet access; DPRK laws that restrict it, with their adoption year.",
        "fields": ["framework_id", "instrument", "instrument_type", "ratification_year", "adoption_year", "provision",
                   "relevance", "source_id", "quote"],
        "what": ["instrument", "provision"],
    },
    {
        "name": "network_records",
        "title": "Network records",
        "description": "The .kp namespace as data: domains, name servers and addresses from the 2016 zone transfer,"
        " censorship test-list entries for .kp and other North Korea-related sites, and addresses seen in traffic"
        " telemetry; one row per"
        " record and source, with the address block, the date observed or added, and the quote.",
        "fields": ["record_id", "record_type", "name", "target", "address_block", "subject", "observed_date",
                   "date_added", "list_category", "source_id", "quote", "note"],
    },
]


def resource(name: str) -> dict:
    """The resource called `name`."""
    return next(r for r in RESOURCES if r["name"] == name)


def primary_key(name: str) -> list[str]:
    """The primary key of resource `name`: its declared `primaryKey`, else its first field."""
    spec = resource(name)
    return list(spec.get("primaryKey", spec["fields"][:1]))
