"""Write datapackage/datapackage.json from one field dictionary (metadata as code).

Each field name is defined once in FIELDS and reused by every resource that has it, so the same
name always means the same thing. Run after changing a schema; then `nkdigital refresh` records
hashes and sizes. Data edits alone need only `nkdigital refresh`.
"""

from __future__ import annotations

import json
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "datapackage"

TEXT = r"[^=+\-@<>][^<>]*"
TEXT_RULE = " Must not start with =, +, - or @ and must not contain < or >."
SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"
PRECISIONS = ["day", "month", "year"]


def text(description: str, example: str, required: bool = False, **constraints) -> dict:
    return {
        "type": "string",
        "description": description + TEXT_RULE,
        "example": example,
        "constraints": {"required": required, "pattern": TEXT, **constraints},
    }


def enum(description: str, values: list[str], example: str, required: bool = True) -> dict:
    return {
        "type": "string",
        "description": description,
        "example": example,
        "constraints": {"required": required, "enum": values},
    }


def row_id(prefix: str, what: str, example: str) -> dict:
    return {
        "type": "string",
        "description": f"Identifier of the {what}: a lowercase slug starting with `{prefix}-`, unique across the"
        " package.",
        "example": example,
        "constraints": {"required": True, "unique": True, "pattern": f"{prefix}-{SLUG}"},
    }


def date(description: str, example: str, required: bool) -> dict:
    return {
        "type": "date",
        "format": "%Y-%m-%d",
        "description": description
        + " ISO 8601; never in the future. With month or year precision this is the first day of the period;"
        " a figure given"
        " for the end of a period (\"end of June 2010\") carries that period's last day with day precision.",
        "example": example,
        "constraints": {"required": required, "minimum": "1945-01-01"},
    }


def precision(of: str, required: bool) -> dict:
    return enum(f"How precisely `{of}` is known: day, month or year.", PRECISIONS, "month", required)


INDICATORS = sorted([
    "mobile_subscriptions", "mobile_subscriptions_per_100", "mobile_users", "active_mobile_users",
    "mobile_population_coverage_share", "fixed_telephone_subscriptions", "fixed_telephone_per_100",
    "internet_users", "internet_users_share", "population", "population_aged_15_plus",
    "population_aged_0_14_share", "ipv4_addresses", "ipv4_blocks", "intranet_sites", "websites",
    "survey_respondents", "interviewees", "prison_term_years", "base_stations", "computers", "tablets_sold",
    "smartphones", "document_pages", "core_human_rights_treaties_party", "global_internet_unaware_share",
    "households_with_intranet_access_share", "law_articles", "law_chapters", "laws_enacted", "mobile_circuit_lines",
    "mobile_penetration_share", "mobile_residential_area_coverage_share", "mobile_subscription_additions",
    "mobile_territory_coverage_share", "national_sdg_goals", "national_sdg_indicators", "national_sdg_targets",
    "outside_video_access_share", "population_aged_15_64_share", "population_aged_65_plus_share", "recommendations",
    "rights_violations_increase_factor", "secure_internet_servers_per_million", "statistics_reported",
    "survey_respondents_share", "technical_committees", "telephone_users_per_100", "cities_covered", "device_price",
    "investment", "iptv_users", "mapped_locations", "population_share_without_internet", "preloaded_ebooks",
    "service_price", "social_media_users", "tablet_models_released", "tv_channels",
])
UNITS = sorted(["subscriptions", "per_100_people", "people", "share", "addresses", "blocks", "sites", "respondents",
                "years", "devices", "base_stations", "pages", "authorities", "minutes", "hours", "days", "weeks",
                "months", "articles", "chapters", "committees", "fold", "goals", "households", "indicators",
                "instruments", "laws", "lines", "per_million_people", "recommendations", "statistics", "targets",
                "channels",
                "cities", "ebooks", "euros", "models", "points", "usd"])
DEVICES = sorted(["mobile_phone", "smartphone", "tablet", "computer", "mp3_player", "tv", "radio", "usb_drive",
                  "digital_devices", "fixed_telephone", "portable_media_player"])
MEASURES = sorted(["ownership_share", "usage_share", "owners", "devices", "users", "devices_per_person"])

READING_RULE = (
    " Reading rule for vague phrases without a figure (qualifier range, value empty):"
    " 'a few N' 2N-5N (a few thousand = 2000-5000); 'several N' 3N-9N (several hundred = 300-900);"
    " 'hundreds' 200-999; 'thousands' 2000-9999; 'tens of thousands' 20000-99999; 'millions' 2000000-9999999;"
    " shares: 'most'/'majority' 0.5-1, 'almost all' 0.9-1, 'few' 0-0.1. 'more than N' sets low = value = N;"
    " 'almost N'/'up to N' sets high = value = N. A phrase with no magnitude ('a handful', 'a small selection')"
    " leaves value, low, high, unit and qualifier empty."
)

FIELDS: dict[str, dict] = {
    # keys and provenance
    "source_id": {
        "type": "string",
        "description": "Identifier of the archived document: the stem of its file in the source archive"
        " (`library/<source_id>.txt` or `core/<source_id>.txt`). In other resources, a foreign key into sources.",
        "example": "aaqilx-2009-19000-subs",
        "constraints": {"required": True, "pattern": SLUG},
    },
    "quote": text(
        "Verbatim excerpt of at most 25 words that locates the claim in the archived file (compared after"
        " collapsing whitespace). Non-English sources are quoted in their language.",
        "attracted 19,200 subscribers after just over three months in business",
        required=True,
        maxLength=400,
    ),
    "note": text("Remarks in our own words: inferences, caveats, context.", "Year inferred from the sequence."),
    # sources
    "archive_path": {
        "type": "string",
        "description": "Path of the archived text relative to the source archive (`../shared/sources`).",
        "example": "library/aaqilx-2009-19000-subs.txt",
        "constraints": {"required": True, "unique": True, "pattern": r"(core|library)/[a-z0-9-]+\.txt"},
    },
    "title": text("Title: the document's own title for sources; a short title in our words elsewhere.",
                  "Koryolink starts service in Pyongyang", required=True),
    "publisher": text("Organisation or site that published the archived copy.", "Mobile World Live (GSMA)",
                      required=True),
    "author": text("Author as named in the document; empty when none is given.", "Martyn Williams"),
    "original_outlet": text("Original outlet a repost, quotation or mirror names; empty when the copy is original.",
                            "Asahi Shimbun"),
    "published_date": date("Publication date of the document; empty when the archive gives none.", "2013-05-01",
                           required=False),
    "published_date_precision": precision("published_date", required=False),
    "url": {
        "type": "string",
        "description": "Web address of the document (http or https only).",
        "example": "https://www.38north.org/2013/11/ykim112613/",
        "constraints": {"required": True, "pattern": r"https?://[^\s<>\"'`]+"},
    },
    "accessed_date": date("Date the archived copy was fetched, where the archive records it; else empty.",
                          "2026-10-05", required=False),
    "source_type": enum(
        "Kind of document: state media, government, operator, NGO report, news, research, international statistic,"
        " dataset, encyclopedia, blog, forum or legal text.",
        ["state_media", "government", "operator", "ngo_report", "news", "research", "international_statistic",
         "dataset", "encyclopedia", "blog", "forum", "legal_text"],
        "news",
    ),
    "strength": enum(
        "Evidential strength: primary (originator of the figure or text), secondary (reputable outlet reporting"
        " another's figure) or weak (repost, mirror, forum, aggregator, encyclopedia, unknown provenance).",
        ["primary", "secondary", "weak"],
        "secondary",
    ),
    "strength_reason": text("Why the source has that strength, in our words.", "Wire report of operator results.",
                            required=True),
    "usage_terms": text("Reuse terms of the source's text or data as far as known; third-party terms recorded here"
                        " override the package licence for that material.",
                        "CC BY 4.0 (Our World in Data)", required=True),
    "language": {
        "type": "string",
        "description": "ISO 639-1 code of the archived text's language.",
        "example": "en",
        "constraints": {"required": True, "pattern": "[a-z]{2}"},
    },
    "is_core": {
        "type": "boolean",
        "description": "True for the five documents this package was commissioned from.",
        "example": False,
        "constraints": {"required": True},
    },
    # events
    "event_id": row_id("evt", "event", "evt-koryolink-launch-aaqilx"),
    "event_date": date("Date of the event.", "2008-12-15", required=True),
    "event_date_precision": precision("event_date", required=True),
    "category": enum(
        "Kind of event: network, service, device, law, international review, treaty, reporting or policy.",
        ["network", "service", "device", "law", "international_review", "treaty", "reporting", "policy"],
        "network",
    ),
    "subject": text("Entity the row is about (network, operator, service, law, treaty, study, country), with"
                    " consistent naming across rows.", "Koryolink", required=True),
    "description": text("One sentence in our own words.", "Koryolink opens its 3G service in Pyongyang.",
                        required=True),
    "actor": text("Who acted, as the source names it: adopting body of a law, operator, authority, organisation.",
                  "Presidium of the Supreme People's Assembly"),
    # quantities
    "observation_id": row_id("obs", "observation", "obs-koryolink-subs-2009-03-aaqilx"),
    "estimate_id": row_id("dev", "device estimate", "dev-mobile-phone-owners-women-unicef"),
    "indicator": enum("What is counted, as a snake_case indicator name; the unit column says in what.", INDICATORS,
                      "mobile_subscriptions"),
    "ref_date": date("Date the figure refers to (not the publication date).", "2009-03-31", required=True),
    "ref_date_precision": precision("ref_date", required=True),
    "value": {
        "type": "number",
        "description": "The figure as stated, converted to the unit: counts as absolute integers (2 million ="
        " 2000000), shares as fractions 0-1, rates per 100 people as given. Empty for ranges and vague phrases."
        + READING_RULE,
        "example": 19200,
        "constraints": {"minimum": 0},
    },
    "low": {
        "type": "number",
        "description": "Lower bound implied by the source's wording, in the row's unit; low <= value <= high."
        + READING_RULE,
        "example": 6500000,
        "constraints": {"minimum": 0},
    },
    "high": {
        "type": "number",
        "description": "Upper bound implied by the source's wording, in the row's unit; low <= value <= high."
        + READING_RULE,
        "example": 7000000,
        "constraints": {"minimum": 0},
    },
    "unit": enum("Unit of value, low and high; empty only where no quantity is stated.", UNITS, "subscriptions",
                 required=False),
    "qualifier": enum(
        "How the source qualifies the figure: exact (plain figure), about (approximate), at_least (more than),"
        " up_to (almost, less than), range (two bounds or a vague phrase).",
        ["exact", "about", "at_least", "up_to", "range"],
        "about",
        required=False,
    ),
    "phrase": text("The source's own wording of the quantity, verbatim.", "more than 1.5 million"),
    "claim_type": enum(
        "Origin of the figure: operator_report, official_statement (DPRK state or government), analyst_estimate,"
        " media_report (outlet's own figure, origin not named), survey, testimony, international_statistic, or"
        " derived (our arithmetic on other rows, see formula).",
        ["operator_report", "official_statement", "analyst_estimate", "media_report", "survey", "testimony",
         "international_statistic", "derived"],
        "operator_report",
    ),
    "attributed_to": text("Who the source says produced the figure; empty when it is the source's own.",
                          "Orascom Telecom"),
    "formula": text(
        "Derived rows only: arithmetic over input row ids in braces, evaluated separately for value, low and high"
        " (each input contributes its own bound, falling back to its value); counts are rounded to integers.",
        "{obs-itu-per100-2013-owid} / 100 * {obs-population-2013-owid}",
    ),
    "input_ids": text("Derived rows only: the ids in the formula, separated by single spaces.",
                      "obs-itu-per100-2013-owid obs-population-2013-owid", ),
    "device": enum("Device the estimate is about (mobile phone, smartphone, tablet, computer, ...).", DEVICES,
                   "mobile_phone"),
    "measure": enum("What is measured: ownership or usage share of the population, or a count of owners, devices or"
                    " users.",
                      MEASURES, "ownership_share"),
    "population": text("Group the figure refers to, in our words.", "women aged 15-49", required=True),
    # access tiers and controls
    "tier_id": row_id("tier", "access tier statement", "tier-officials-global-pscore"),
    "tier": enum(
        "Level of access: global_internet (unrestricted), monitored_global_internet, national_intranet"
        " (Kwangmyong only), no_network_access.",
        ["global_internet", "monitored_global_internet", "national_intranet", "no_network_access"],
        "monitored_global_internet",
    ),
    "group_name": text("Group the source places in the tier, in our words.", "selected researchers",
                       required=True),
    "conditions": text("Conditions of access in our words.", "Access only after written approval.",
                       required=True),
    "control_id": row_id("ctl", "access control", "ctl-session-one-hour-pscore"),
    "step": enum(
        "Step of the access procedure, from application to renewal (see step_order).",
        ["application", "review", "approval", "waiting", "session", "monitoring", "authentication", "supervision",
         "renewal"],
        "session",
    ),
    "step_order": {
        "type": "integer",
        "description": "Position of the step in the procedure: application 1, review 2, approval 3, waiting 4,"
        " session 5, monitoring 6, authentication 7, supervision 8, renewal 9.",
        "example": 5,
        "constraints": {"required": True, "minimum": 1, "maximum": 9},
    },
    # rights framework
    "framework_id": row_id("rgt", "rights-framework statement", "rgt-iccpr-article-19-hrnk"),
    "instrument": text("International instrument or law.", "International Covenant on Civil and Political Rights",
                       required=True),
    "instrument_type": enum("Kind of instrument: treaty, declaration, SDG target, UN resolution or domestic law.",
                            ["treaty", "declaration", "sdg_target", "un_resolution", "domestic_law"], "treaty"),
    "ratification_year": {
        "type": "year",
        "description": "Year the DPRK ratified or acceded, as the source states; empty when not stated.",
        "example": 1981,
        "constraints": {"minimum": 1948, "maximum": 2026},
    },
    "provision": text("Article or goal at stake; empty when none is named.", "Article 19"),
    "relevance": text("Why the provision matters for internet access, in our words.",
                      "Protects the freedom to seek and receive information.", required=True),
}

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
        "fields": ["observation_id", "indicator", "subject", "ref_date", "ref_date_precision", "value", "low",
                   "high", "unit", "qualifier", "phrase", "claim_type", "attributed_to", "source_id", "quote",
                   "formula", "input_ids", "note"],
    },
    {
        "name": "device_estimates",
        "title": "Device estimates",
        "description": "Ownership and use of devices with ranges and the population each figure refers to;"
        " derived absolute numbers are separate rows.",
        "fields": ["estimate_id", "device", "measure", "population", "ref_date", "ref_date_precision", "value",
                   "low", "high", "unit", "qualifier", "phrase", "claim_type", "attributed_to", "source_id",
                   "quote", "formula", "input_ids", "note"],
    },
    {
        "name": "access_tiers",
        "title": "Access tiers",
        "description": "Who can reach what: the groups sources place in each tier of access, with their size as"
        " stated and the conditions of access.",
        "fields": ["tier_id", "tier", "group_name", "ref_date", "ref_date_precision", "value", "low", "high",
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

def field(name: str) -> dict:
    return {"name": name, **FIELDS[name]}


def resource_descriptor(spec: dict, previous: dict) -> dict:
    name = spec["name"]
    fields = [field(f) for f in spec["fields"]]
    key = spec.get("primaryKey", [spec["fields"][0]])
    schema: dict = {"fields": fields, "missingValues": [""], "primaryKey": key}
    if name != "sources":
        schema["foreignKeys"] = [
            {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}}
        ]
    descriptor = {
        "name": name,
        "type": "table",
        "title": spec["title"],
        "description": spec["description"],
        "path": f"data/{name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
        "schema": schema,
    }
    for kept in ("hash", "bytes"):
        if kept in previous:
            descriptor[kept] = previous[kept]
    return descriptor


def build(previous: dict) -> dict:
    old = {r["name"]: r for r in previous.get("resources", [])}
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "nkdigital",
        "title": "Digital access and internet control in North Korea (DPRK)",
        "description": "Timelines, subscriber and device estimates with their uncertainty, access tiers, access"
        " controls and the rights framework for digital access in the DPRK. Every row names an archived source"
        " and carries a verbatim quote of at most 25 words that locates the claim.",
        "version": previous.get("version", "0.1.0"),
        "created": previous.get("created", "2026-11-22T00:00:00Z"),
        "homepage": "https://github.com/nkdigital/nkdigital",
        "keywords": ["North Korea", "DPRK", "internet", "intranet", "Kwangmyong", "mobile phones", "Koryolink",
                     "censorship", "digital rights", "open data"],
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (our data and descriptions; third-party terms per"
                " source in sources.usage_terms)",
            }
        ],
        "contributors": [{"title": "nkdigital developers", "roles": ["creator"]}],
        "resources": [resource_descriptor(spec, old.get(spec["name"], {})) for spec in RESOURCES],
    }


DICTIONARY_START = "<!-- data dictionary: generated by scripts/build_descriptor.py, do not edit below -->"


def dictionary(descriptor: dict) -> str:
    """The data dictionary section of datapackage/README.md: one table per resource."""
    parts = [DICTIONARY_START, "", "## Data dictionary", ""]
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        parts += [f"### `{resource['name']}` — {resource['title']}", "", resource["description"], "",
                  f"File `{resource['path']}`; primary key `{', '.join(schema['primaryKey'])}`"
                  + ("; `source_id` references `sources`." if schema.get("foreignKeys") else "."), "",
                  "| field | type | required | description | allowed values / example |", "|---|---|---|---|---|"]
        for f in schema["fields"]:
            constraints = f["constraints"]
            allowed = ", ".join(constraints["enum"]) if "enum" in constraints else f"e.g. `{f['example']}`"
            description = f["description"].replace(TEXT_RULE, " (plain text).").replace("|", "/")
            parts.append(f"| `{f['name']}` | {f['type']} | {'yes' if constraints.get('required') else ''} |"
                         f" {description} | {allowed} |")
        parts.append("")
    return "\n".join(parts)


def main() -> None:
    path = PACKAGE_DIR / "datapackage.json"
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    descriptor = build(previous)
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    readme = PACKAGE_DIR / "README.md"
    head = readme.read_text(encoding="utf-8").split(DICTIONARY_START)[0] if readme.exists() else ""
    readme.write_text(head + dictionary(descriptor), encoding="utf-8")
    print(f"wrote {path} and the data dictionary in {readme}")


if __name__ == "__main__":
    main()
