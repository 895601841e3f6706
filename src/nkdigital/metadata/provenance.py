"""The strength rule: which `sources.strength` a publication may have, from its archived copies and outlet.

One definition, read by the field description (so the descriptor states it) and by the check that enforces it.
"""

from __future__ import annotations

from collections.abc import Iterable

UNKNOWN_OUTLET = "unknown"
UNNAMED_OUTLET = "original outlet not named"  # how an outlet the archive does not name is described, never "unknown"
UNTITLED = "[untitled excerpt on "  # how our description of an excerpt without its headline begins


def ours(title: str) -> bool:
    """Whether a source's title is our description (in square brackets, as UNTITLED's), not the document's words."""
    return title.startswith("[") and title.endswith("]")
STRONG_COPIES = frozenset({"original", "excerpt_of_original", "faithful_copy", "data_rehost"})
UNVETTED_TYPES = frozenset({"forum", "encyclopedia"})
SELF_PUBLISHED = "blog"
OWN_SITE_COPIES = frozenset({"original", "excerpt_of_original"})

RULE = (
    "Rule (checked): weak where the document's best archived copy is a repost or scrape and its original outlet is"
    " unknown, where it is a forum post or an encyclopedia article, or where it is a self-published blog read on"
    " the blog itself; otherwise primary or secondary, and primary only when the best copy is the original, an"
    " excerpt of it, a faithful copy or a data rehost (a repost is at most secondary, and weak where the intake's"
    " stronger_copy names another file for the same figures, be it the same outlet's text or another outlet's"
    " report of them). A faithful copy is as strong as its original. Notes never"
    " restate the strength: a row note that calls its source weak, or a source's reason that does when this"
    " field does not, is refused."
)


def allowed_strengths(copies: Iterable[str], outlet: str, source_type: str) -> frozenset[str]:
    """The strengths the rule allows for a publication with these copy kinds, outlet and source type."""
    kinds = set(copies)
    best_is_strong = bool(kinds & STRONG_COPIES)
    weak = (
        (not best_is_strong and outlet == UNKNOWN_OUTLET)
        or source_type in UNVETTED_TYPES
        or (source_type == SELF_PUBLISHED and bool(kinds & OWN_SITE_COPIES))
    )
    if weak:
        return frozenset({"weak"})
    return frozenset({"primary", "secondary"} if best_is_strong else {"secondary", "weak"})


def outlet_credit(outlet: object, host: object = None) -> str:
    """The outlet as credited: the name as the archive gives it, or, where it names none, the description every
    output prints ("Original outlet not named; read on vuink.com"), never "unknown"."""
    name = " ".join(str(outlet).split()) if isinstance(outlet, str) else ""
    if name and name != UNKNOWN_OUTLET:
        return name
    described = UNNAMED_OUTLET[0].upper() + UNNAMED_OUTLET[1:]
    return f"{described}; read on {host}" if isinstance(host, str) and host.strip() else described
