"""Clean web addresses: tracking parameters, search-engine redirects and mail-scanner wrappers removed.

Used by citations and by the data build, so a URL reads the same everywhere.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_",)
TRACKING_KEYS = frozenset({"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
                           "mc_eid", "_ga", "_gl", "oref", "ocid", "cmpid", "ref_src", "ref_url"})
SHARE_BUTTON = "share=jetpack-"  # WordPress share-button links (?share=jetpack-whatsapp)
REDIRECT_HOSTS = ("google.", "www.google.", "images.google.", "news.google.")
WRAPPER_HOSTS = (".safelinks.protection.outlook.com", "urldefense.proofpoint.com", "urldefense.com")


def _is_tracking(parameter: str) -> bool:
    key = parameter.split("=", 1)[0].lower()
    return key.startswith(TRACKING_PREFIXES) or key in TRACKING_KEYS or parameter.startswith(SHARE_BUTTON)


def clean_url(url: str) -> str:
    """`url` without tracking parameters (utm_*, fbclid, ...), unwrapped from a Google `/url?q=` redirect and from
    a mail scanner's link (Outlook safelinks, Proofpoint: their `url=` parameter).

    Other parameters keep their order and their exact spelling; the fragment is kept.
    """
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    if host.endswith(WRAPPER_HOSTS) or host in WRAPPER_HOSTS:
        target = parse_qs(parts.query).get("url") or parse_qs(parts.query).get("u")
        if target and target[0].startswith(("http://", "https://")):
            return clean_url(target[0])
    if parts.path == "/url" and host.startswith(REDIRECT_HOSTS):
        target = parse_qs(parts.query).get("q") or parse_qs(parts.query).get("url")
        if target and target[0].startswith(("http://", "https://")):
            return clean_url(target[0])
    kept = [p for p in parts.query.split("&") if p and not _is_tracking(p)]
    return urlunsplit(parts._replace(query="&".join(kept)))
