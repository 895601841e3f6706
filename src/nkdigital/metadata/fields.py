"""The field dictionary: every field name defined once, with type, description, example and constraints.

Resources (see `resources.py`) list field names; the same name always means the same thing.
"""

from __future__ import annotations

from nkdigital.metadata import provenance
from nkdigital.metadata.enums import values
from nkdigital.metadata.field_kinds import SLUG, date, enum, precision, range_end, row_id, text
from nkdigital.metadata.package import MAX_QUOTE_WORDS, MIN_QUOTE_WORDS, YEAR
from nkdigital.metadata.units import UNITS

READING_RULE = (
    " Read from the row's quote by the reading rules and the phrase table in the data README (section 'Reading"
    " rules', generated from `nkdigital.metadata.phrases`); `nkdigital validate` refuses a figure the quote does"
    " not state."
)

FIELDS: dict[str, dict] = {
    # keys and provenance
    "source_id": {
        "type": "string",
        "description": "Identifier of the publication: the stem of its primary archived copy's file name"
        " (`library/<source_id>.txt` or `core/<source_id>.txt`); where one file holds several documents, the stem"
        " plus `-` and a short suffix for each further document. In other resources, a foreign key into sources.",
        "example": "aaqilx-2009-19000-subs",
        "constraints": {"required": True, "pattern": SLUG},
    },
    "quote": text(
        f"Verbatim excerpt of {MIN_QUOTE_WORDS} to {MAX_QUOTE_WORDS} words from the archived text (never its"
        " header) that states the claim; compared after collapsing whitespace. Non-English sources are quoted in"
        " their language.",
        "attracted 19,200 subscribers after just over three months in business",
        required=True,
        maxLength=400,
    ),
    "note": text("Remarks in our own words: inferences, caveats, context.", "Year inferred from the sequence."),
    # sources
    "archive_path": {
        "type": "string",
        "description": "Path of the archived file inside the shipped archive (`archive/`), as listed in its INDEX.csv.",
        "example": "library/aaqilx-2009-19000-subs.txt",
        "constraints": {"required": True, "pattern": r"(core|library)/[a-z0-9-]+\.txt"},
    },
    "section": text(
        "Where a file holds several texts: the verbatim line of the archived text where this copy's part begins"
        " (empty: from the start); the part runs to the next line another copy of the same file begins with."
        " Quotes of the source are looked up in its part only.",
        "[Reuters via swissinfo]",
    ),
    "copy": enum(
        "How the archived file relates to the original document (INDEX.csv `copy`).", values("copy"), "repost"
    ),
    "host": text("Site the archived copy was read from (host name).", "nkeconwatch.com", required=True),
    "copy_url": {
        "type": "string",
        "description": "Address the archived copy was read from (http or https only).",
        "example": "https://www.nkeconwatch.com/2013/05/21/koryolink-subscribers-2m/",
        "constraints": {"required": True, "pattern": r"https?://[^\s<>\"'`]+"},
    },
    "sha256": {
        "type": "string",
        "description": "SHA-256 of the archived file's bytes; validation refuses a file that no longer matches.",
        "example": "9f2c4b0a5e0c1b7f3d6e8a9b2c4d6e8f0a1b3c5d7e9f1a2b3c4d5e6f7a8b9c0d",
        "constraints": {"required": True, "pattern": "[0-9a-f]{64}"},
    },
    "role": enum(
        "Which copy quotes are read from: the primary copy, or a supplementary one kept only for words the"
        " primary lacks.",
        values("copy_role"),
        "primary",
    ),
    "title": text(
        "Title: for sources, the document's own title in the archive's words, or our description in square"
        " brackets (`[untitled excerpt on …]` where the archive header says the headline is not in the excerpt; a"
        " bracketed ending such as `[landline.csv]` is ours too); a short title in our words elsewhere.",
        "Koryolink starts service in Pyongyang",
        required=True,
    ),
    "creator_order": {
        "type": "integer",
        "description": "Position of the creator in the document's list of creators, from 1.",
        "example": 1,
        "constraints": {"required": True, "minimum": 1, "maximum": 50},
    },
    "family": text(
        "A person's family name as the archive gives it (Korean, Chinese and Japanese names: the family name"
        " written first); empty for an organisation.",
        "Kim",
    ),
    "given": text("A person's given name(s) as the archive gives them; empty for an organisation.", "Eun-jung"),
    "literal": text(
        "An organisation's name as one literal name (never split into family and given); empty for a person.",
        "Amnesty International",
    ),
    "creator_role": enum(
        "What the creator did: author, editor, contributor, data producer (the organisation that produced a"
        " statistical series) or repository maintainer (who re-hosts or converts it).",
        values("creator_role"),
        "author",
    ),
    "original_outlet": text(
        "The organisation that first published the document (INDEX.csv `original_outlet`, the part naming this"
        " document where the file holds two), whichever site the archived copy came from; `unknown` when neither"
        " the copy nor its header names it, which is never printed: credits and citations then name the host the"
        " copy was read from. Source lines print this, never a mirror's host alone.",
        "The Asahi Shimbun",
        required=True,
    ),
    "published_date": date(
        "Publication date of the document; empty when the archive gives none for this document (a post's dateline"
        " dates the post, not an article it quotes: checked where a file holds two documents).", "2013-05-01",
        required=False
    ),
    "published_date_precision": precision("published_date", required=False),
    "url": {
        "type": "string",
        "description": "Web address of the original document, tracking parameters removed; where the original's"
        " address is unknown, the address the archived copy was read from (http or https only).",
        "example": "https://www.38north.org/2013/11/ykim112613/",
        "constraints": {"required": True, "pattern": r"https?://[^\s<>\"'`]+"},
    },
    "accessed_date": date(
        "Date the document was archived: the fetch date its header records, else the date the"
        " intake received it (2026-11-30 for documents added that day; 2026-11-22, the first"
        " release, for earlier ones).",
        "2026-10-05",
        required=True,
    ),
    "source_type": enum(
        "Kind of document: state media, government, operator, NGO report, news, research, international statistic,"
        " dataset, encyclopedia, blog, forum or legal text.",
        values("source_type"),
        "news",
    ),
    "strength": enum(
        "Evidential strength: primary (originator of the figure or text), secondary (an outlet reporting"
        " another's figure) or weak (kept off default charts). " + provenance.RULE,
        values("strength"),
        "secondary",
    ),
    "strength_reason": text(
        "Why the source has that strength, in our words.", "Wire report of operator results.", required=True
    ),
    "usage_terms": text(
        "Reuse terms of the source's text or data as far as known; third-party terms recorded here"
        " override the package licence for that material.",
        "CC BY 4.0 (Our World in Data)",
        required=True,
    ),
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
    "event_date": date(
        "Best-supported date of the happening: the most precise date its strongest attestations (those from"
        " sources that are not weak, or all where every source is weak) agree on, the overlap of their stated"
        " periods at the finest precision that names it; where they do not overlap, the span from the earliest"
        " to the latest. With range precision, the first day of that span. A dispute about the actor does not"
        " blur the date; `nkdigital validate` checks the rule.",
        "2008-12-15",
        required=True,
    ),
    "event_date_precision": precision("event_date", required=True),
    "event_date_end": range_end("event_date", "the span a vague or disputed event date", "2020-12-31"),
    "is_disputed": {
        "type": "boolean",
        "description": "True where the sources attesting the event disagree on its date (two stated periods,"
        " weak ones included, that do not overlap) or on its actor; the note says who says what, and"
        " event_attestations keeps each account.",
        "example": False,
        "constraints": {"required": True},
    },
    "is_key": {
        "type": "boolean",
        "description": "True for a key event a printed timeline labels in the image: the start of mobile service and"
        " of Koryolink, subscriber milestones, DPRK laws on information and telecommunications, the Voluntary"
        " National Review. Our editorial choice, not a source's claim.",
        "example": True,
        "constraints": {"required": True},
    },
    "attestation_id": row_id("att", "attestation", "att-koryolink-launch-pcworld-idg-2009-koryolink-19200-q1"),
    "stated_date": date("The event's date as this source states it.", "2008-12-15", required=True),
    "stated_date_precision": precision("stated_date", required=True),
    "stated_date_end": range_end("stated_date", "the span a vague stated date", "2004-12-31"),
    "category": enum(
        "Kind of event: network, service, device, law, international review, treaty, reporting or policy.",
        values("category"),
        "network",
    ),
    "subject": text(
        "Entity the row is about (network, operator, service, law, treaty, study, country), with"
        " consistent naming across rows.",
        "Koryolink",
        required=True,
    ),
    "description": text(
        "One sentence in our own words.", "Koryolink opens its 3G service in Pyongyang.", required=True
    ),
    "actor": text(
        "Who acted: adopting body of a law, operator, authority, organisation. In events the best-supported"
        " actor (empty when disputed); elsewhere as the row's source names it.",
        "Presidium of the Supreme People's Assembly",
    ),
    # quantities
    "observation_id": row_id("obs", "observation", "obs-koryolink-subs-2009-03-aaqilx"),
    "estimate_id": row_id("dev", "device estimate", "dev-mobile-phone-owners-women-unicef"),
    "indicator": {
        "type": "string",
        "description": "What is counted: a snake_case indicator name defined in the indicators resource (its"
        " definition says what it counts and what it does not). In other resources, a foreign key into indicators.",
        "example": "mobile_subscriptions",
        "constraints": {"required": True, "pattern": r"[a-z0-9]+(_[a-z0-9]+)*"},
    },
    "definition": text("What the indicator counts and what it does not, in our words.",
                       "Active mobile lines (SIM cards) on a network; not people.", required=True),
    "claim_types": {
        "type": "string",
        "description": "The claim types the indicator's rows take, separated by single spaces (see claim_type).",
        "example": "operator_report international_statistic",
        "constraints": {"required": True, "pattern": "(" + "|".join(values("claim_type")) + ")( ("
                        + "|".join(values("claim_type")) + "))*"},
    },
    "scale_min": {
        "type": "number",
        "description": "Indices only: the lowest value the index's scale allows (e.g. 0 for RSF's score, 1 for"
        " Freedom House ratings); empty for counts, shares and rates.",
        "example": 0,
        "constraints": {},
    },
    "scale_max": {
        "type": "number",
        "description": "Indices only: the highest value the index's scale allows (100 for RSF's score, 7 for"
        " Freedom House ratings, 1 for V-Dem's index); empty for counts, shares and rates.",
        "example": 100,
        "constraints": {},
    },
    "direction": enum(
        "Indices only: which end of the scale is freer or better connected: higher_better or lower_better"
        " (RSF before 2022: 0 best, 100 worst; Freedom House ratings: 1 most free, 7 least free).",
        values("direction"),
        "lower_better",
        required=False,
    ),
    "methodology_break": text(
        "A change of method that makes values before and after it incomparable, in our words; empty when the"
        " producer states none.",
        "RSF changed its method in 2022: scores from 2022 run 0 worst to 100 best.",
    ),
    "caveats": text("Known limits of the indicator's figures, in our words.",
                    "Several SIM cards per person inflate counts of people.", required=True),
    "ref_date": date("Date the figure refers to (not the publication date).", "2009-03-31", required=True),
    "ref_date_precision": precision("ref_date", required=True),
    "ref_date_end": range_end("ref_date", "the period a vague reference date", "2004-12-31"),
    "date_phrase": text(
        "The source's own wording of a vague date, verbatim (e.g. 'early 2000s'); empty when the date"
        " is stated plainly.",
        "in the early 2000s",
    ),
    "geo": {
        "type": "string",
        "description": "Country the figure is about: ISO 3166-1 alpha-3 code (PRK for North Korea, KOR for South"
        " Korea), or WLD for the world.",
        "example": "PRK",
        "constraints": {"required": True, "pattern": "[A-Z]{3}"},
    },
    "value": {
        "type": "number",
        "description": "The figure as stated, converted to the unit: counts as absolute integers (2 million ="
        " 2000000), shares as fractions 0-1, rates per 100 people as given. Empty for ranges and vague phrases"
        " (a vague phrase keeps its words in `phrase` and gets low and high from the phrase table)."
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
    "unit": enum(
        "Unit of value, low and high; empty only where no quantity is stated.",
        list(UNITS),
        "subscriptions",
        required=False,
    ),
    "qualifier": enum(
        "How the source qualifies the figure: exact (plain figure), about (approximate), at_least (more than),"
        " up_to (almost, less than), range (two bounds or a vague phrase).",
        values("qualifier"),
        "about",
        required=False,
    ),
    "phrase": text("The source's own wording of the quantity, verbatim.", "more than 1.5 million"),
    "claim_type": enum(
        "Origin of the figure: operator_report, official_statement (DPRK state or government), analyst_estimate,"
        " media_report (outlet's own figure, origin not named), survey, testimony, international_statistic, or"
        " derived (our arithmetic on other rows, see formula).",
        values("claim_type"),
        "operator_report",
    ),
    "attributed_to": text(
        "Who the source says produced the figure; empty when it is the source's own.", "Orascom Telecom"
    ),
    "formula": text(
        "Derived rows only: arithmetic over input row ids in braces, evaluated separately for value, low and high"
        " (each input contributes its own bound, falling back to its value); counts are rounded to integers.",
        "{obs-itu-per100-2013-owid} / 100 * {obs-population-2013-owid}",
    ),
    "input_ids": text(
        "Derived rows only: the ids in the formula, separated by single spaces.",
        "obs-itu-per100-2013-owid obs-population-2013-owid",
    ),
    "device": enum(
        "Device the estimate is about (mobile phone, smartphone, tablet, computer, ...).",
        values("device"),
        "mobile_phone",
    ),
    "measure": enum(
        "What is measured: ownership or usage share of the population, or a count of owners, devices or users.",
        values("measure"),
        "ownership_share",
    ),
    "population": text("Group the figure refers to, in our words.", "women aged 15-49", required=True),
    # access tiers and controls
    "tier_id": row_id("tier", "access tier statement", "tier-officials-global-pscore"),
    "tier": enum(
        "Level of access the source states: global_internet (unrestricted), monitored_global_internet (a part of"
        " global access), no_global_internet (the source says only that the group cannot reach the global"
        " internet, not whether it reaches the intranet), national_intranet (Kwangmyong only),"
        " no_network_access (not even the intranet). A plan or a rule for the future is no tier: it is an event.",
        values("tier"),
        "monitored_global_internet",
    ),
    "share_of": enum(
        "What a share (unit share) is a share of: the population (people) or households. Filled exactly when the"
        " unit is share. Only a share of the population converts to people by a population count; a share of"
        " households is shown as stated.",
        values("share_of"),
        "households",
        required=False,
    ),
    "group_name": text("Group the source places in the tier, in our words.", "selected researchers", required=True),
    "conditions": text("Conditions of access in our words.", "Access only after written approval.", required=True),
    "control_id": row_id("ctl", "access control", "ctl-session-one-hour-pscore"),
    "step": enum(
        "Step of the access procedure, from application to renewal (see step_order).",
        values("step"),
        "session",
    ),
    "step_order": {
        "type": "integer",
        "description": "Position of the step in the procedure: application 1, review 2, approval 3, waiting 4,"
        " session 5, monitoring 6, authentication 7, supervision 8, renewal 9.",
        "example": 5,
        "constraints": {"required": True, "minimum": 1, "maximum": 9},
    },
    # network records
    "record_id": row_id("net", "network record", "net-kp-domain-kcna-kp-2016"),
    "record_type": enum(
        "Kind of record: a domain listed in a zone, a DNS address (A), name server (NS) or reverse (PTR) record,"
        " a censorship test-list entry, or an address seen in traffic telemetry.",
        values("record_type"),
        "a_record",
    ),
    "name": text(
        "The record's owner name as the source writes it (a DNS name with its final dot, or a test-list URL);"
        " the quote contains it.",
        "kcna.kp.",
        required=True,
    ),
    "target": text(
        "What the record points to, as written: an IPv4 address (A records, telemetry) or a host name (NS, PTR);"
        " empty for domain listings and test-list entries. The quote contains it.",
        "175.45.176.71",
    ),
    "address_block": {
        "type": "string",
        "description": "The announced IPv4 block (CIDR) the record's address lies in, e.g. 175.45.176.0/22;"
        " validation checks that the address is inside it. Empty where the record has no address.",
        "example": "175.45.176.0/22",
        "constraints": {"pattern": r"\d{1,3}(\.\d{1,3}){3}/\d{1,2}"},
    },
    "observed_date": date(
        "Day the record was observed (the zone transfer, a query, telemetry), as the source states it; empty for"
        " test-list entries, which carry date_added.",
        "2016-09-21",
        required=False,
    ),
    "date_added": date(
        "Day a test-list entry was added to its list, as the list states it; test-list entries only.",
        "2016-09-22",
        required=False,
    ),
    "list_category": text(
        "Test-list entries only: the list's category code and description, as written.",
        "NEWS News Media",
    ),
    # rights framework
    "framework_id": row_id("rgt", "rights-framework statement", "rgt-iccpr-article-19-hrnk"),
    "instrument": text(
        "International instrument or law. A DPRK law goes by one name, the `subject` of its adoption event in"
        " events, so one law is never two instruments.",
        "International Covenant on Civil and Political Rights",
        required=True,
    ),
    "instrument_type": enum(
        "Kind of instrument: treaty, declaration, SDG target, UN resolution or domestic law.",
        values("instrument_type"),
        "treaty",
    ),
    "ratification_year": {
        "type": "year",
        "description": "Year the DPRK ratified or acceded, as the source states; empty when not stated.",
        "example": 1981,
        "constraints": {"minimum": 1948, "maximum": YEAR},
    },
    "adoption_year": {
        "type": "year",
        "description": "Domestic laws only: year the DPRK adopted the law, the year of the earliest law event in"
        " events whose subject is the law's name (its adoption, dated by its attestations); empty for"
        " international instruments.",
        "example": 2020,
        "constraints": {"minimum": 1948, "maximum": YEAR},
    },
    "provision": text("Article or goal at stake; empty when none is named.", "Article 19"),
    "relevance": text(
        "Why the provision matters for internet access, in our words.",
        "Protects the freedom to seek and receive information.",
        required=True,
    ),
}
