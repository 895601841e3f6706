"""Facts about the package itself: name, title, licence, authors, year, home page."""

from __future__ import annotations

NAME = "nkdigital"
TITLE = "Digital access and internet control in North Korea (DPRK)"
DESCRIPTION = (
    "Timelines, subscriber and device estimates with their uncertainty, access tiers, access controls and the"
    " rights framework for digital access in the DPRK. Every row names an archived source and carries a verbatim"
    " quote of at most 25 words that locates the claim."
)
AUTHORS = "nkdigital developers"
YEAR = 2026
CREATED = "2026-11-22T00:00:00Z"
HOMEPAGE = "https://github.com/nkdigital/nkdigital"
LICENCE = "CC-BY-4.0"
LICENCE_TITLE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NOTE = "Licence: CC BY 4.0 for our data and descriptions; third-party terms per source in sources.usage_terms"
KEYWORDS = ["North Korea", "DPRK", "internet", "intranet", "Kwangmyong", "mobile phones", "Koryolink", "censorship",
            "digital rights", "open data"]
MAX_QUOTE_WORDS = 25
MIN_QUOTE_WORDS = 4
