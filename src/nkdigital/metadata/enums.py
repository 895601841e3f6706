"""Every enum: its allowed values in order, each with the label readers see and, where charts colour by it, a colour
and marker. The descriptor's `enum` constraints, the data dictionary, the xlsx field sheet and the chart legends all
read from here."""

from __future__ import annotations

from typing import NamedTuple

from nkdigital.metadata.colours import DARK_YELLOW, OKABE_ITO


class Value(NamedTuple):
    label: str
    colour: str | None = None
    symbol: str | None = None
    short: str | None = None  # the legend name where the label runs long (at most ~40 characters, no brackets)


ENUMS: dict[str, dict[str, Value]] = {
    "precision": {
        "day": Value("Exact day known", OKABE_ITO["blue"], "circle"),
        "month": Value("Month known", OKABE_ITO["orange"], "square"),
        "year": Value("Year known", OKABE_ITO["bluish_green"], "diamond"),
        "range": Value("Only a range known (vague wording)", OKABE_ITO["reddish_purple"], "triangle-up",
                       "Only a range known"),
    },
    "source_type": {
        "state_media": Value("DPRK state media"),
        "government": Value("Government"),
        "operator": Value("Operator"),
        "ngo_report": Value("NGO report"),
        "news": Value("News"),
        "research": Value("Research"),
        "international_statistic": Value("International statistic"),
        "dataset": Value("Dataset"),
        "encyclopedia": Value("Encyclopedia"),
        "blog": Value("Blog"),
        "forum": Value("Forum"),
        "legal_text": Value("Legal text"),
    },
    "strength": {
        "primary": Value("Primary"),
        "secondary": Value("Secondary"),
        "weak": Value("Weak"),
    },
    "copy": {
        "original": Value("Publisher's own site or document"),
        "excerpt_of_original": Value("Opening of the publisher's own page"),
        "faithful_copy": Value("Verbatim mirror or document host"),
        "repost": Value("Repost by another outlet, possibly in part"),
        "scrape": Value("Scrape, machine translation or proxy"),
        "data_rehost": Value("Copy of a statistical series in a repository"),
    },
    "copy_role": {
        "primary": Value("The copy quotes are read from"),
        "supplementary": Value("A further copy, cited only for words the primary copy lacks"),
    },
    "creator_role": {
        "author": Value("Author"),
        "editor": Value("Editor"),
        "contributor": Value("Contributor"),
        "data_producer": Value("Producer of the data"),
        "repository_maintainer": Value("Maintainer of the repository that re-hosts the data"),
    },
    "category": {
        "network": Value("Network"),
        "service": Value("Service"),
        "device": Value("Device"),
        "law": Value("Law"),
        "international_review": Value("International review"),
        "treaty": Value("Treaty"),
        "reporting": Value("Reporting"),
        "policy": Value("Policy"),
    },
    "qualifier": {
        "exact": Value("Exact"),
        "about": Value("About"),
        "at_least": Value("At least"),
        "up_to": Value("Up to"),
        "range": Value("Range"),
    },
    "claim_type": {  # estimates (ESTIMATE_CLAIMS) have open markers, each claim type its own shape
        "operator_report": Value("Operator report", OKABE_ITO["blue"], "circle"),
        "official_statement": Value("Official (DPRK) statement", OKABE_ITO["reddish_purple"], "square"),
        "international_statistic": Value("International statistic", OKABE_ITO["bluish_green"], "diamond"),
        "media_report": Value("Media report", OKABE_ITO["sky_blue"], "triangle-up"),
        "analyst_estimate": Value("Analyst estimate", OKABE_ITO["orange"], "circle-open"),
        "derived": Value("Derived by nkdigital", OKABE_ITO["vermillion"], "diamond-open"),
        "survey": Value("Survey", OKABE_ITO["black"], "square-open"),
        "testimony": Value("Testimony", DARK_YELLOW, "star"),
    },
    "device": {
        "mobile_phone": Value("Mobile phone"),
        "smartphone": Value("Smartphone"),
        "tablet": Value("Tablet"),
        "computer": Value("Computer"),
        "mp3_player": Value("MP3 player"),
        "tv": Value("TV"),
        "radio": Value("Radio"),
        "usb_drive": Value("USB drive"),
        "digital_devices": Value("Digital devices"),
        "fixed_telephone": Value("Fixed telephone"),
        "portable_media_player": Value("Portable media player"),
    },
    "measure": {
        "ownership_share": Value("Share who own one"),
        "usage_share": Value("Share who use one"),
        "owners": Value("Owners"),
        "devices": Value("Devices in use"),
        "users": Value("Users"),
        "devices_per_person": Value("Devices per person"),
    },
    "tier": {
        "global_internet": Value("Global internet", OKABE_ITO["vermillion"], "circle"),
        "monitored_global_internet": Value("Monitored global internet", OKABE_ITO["orange"], "diamond"),
        "no_global_internet": Value("No global internet (intranet use not stated)", OKABE_ITO["sky_blue"],
                                    "square-open", "No global internet"),
        "national_intranet": Value("National intranet only", OKABE_ITO["blue"], "square"),
        "no_network_access": Value("No network access", OKABE_ITO["reddish_purple"], "triangle-up"),
    },
    "share_of": {
        "population": Value("Share of the population"),
        "households": Value("Share of households"),
    },
    "step": {  # in the order of the procedure: step_order is the position here
        "application": Value("Application"),
        "review": Value("Review"),
        "approval": Value("Approval"),
        "waiting": Value("Waiting"),
        "session": Value("Session"),
        "monitoring": Value("Monitoring"),
        "authentication": Value("Authentication"),
        "supervision": Value("Supervision"),
        "renewal": Value("Renewal"),
    },
    "direction": {
        "higher_better": Value("Higher is freer or better connected"),
        "lower_better": Value("Lower is freer (0 best)"),
    },
    "record_type": {
        "domain": Value("Registered domain (zone listing)"),
        "a_record": Value("Address record (A)"),
        "ns_record": Value("Name server record (NS)"),
        "ptr_record": Value("Reverse record (PTR)"),
        "test_list_entry": Value("Censorship test-list entry"),
        "traffic_observation": Value("Address seen in traffic telemetry"),
    },
    "instrument_type": {
        "treaty": Value("Treaty", OKABE_ITO["blue"], "circle"),
        "declaration": Value("Declaration", OKABE_ITO["bluish_green"], "diamond"),
        "un_resolution": Value("UN resolution", OKABE_ITO["reddish_purple"], "square"),
        "sdg_target": Value("Development goal", OKABE_ITO["orange"], "triangle-up"),
        "domestic_law": Value("DPRK law", OKABE_ITO["vermillion"], "x"),
    },
}


# Claim types whose figures are estimates (drawn with open markers and dashed lines): analysts' figures, our own
# arithmetic on other rows, and survey shares (sample-based).
ESTIMATE_CLAIMS = frozenset({"analyst_estimate", "derived", "survey"})


def values(enum: str) -> list[str]:
    """The allowed values of `enum`, in their defined order."""
    return list(ENUMS[enum])
# Tiers that are a part of another rather than a separate group of people: monitored access to the global internet
# is a kind of global internet access (charts name the overlap; no chart adds the two).
TIER_PART_OF = {"monitored_global_internet": "global_internet"}
