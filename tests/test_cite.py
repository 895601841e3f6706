"""Citations: one source, one row, every source behind a frame, the package; text, APA and BibTeX."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import nkdigital as nk
from nkdigital.metadata import package as facts

from .apitools import read_rows, set_rows

ROOT = Path(__file__).resolve().parents[1]
REPOST = {
    "source_id": "example-2013-repost", "title": "Phones in Pyongyang", "author": "Yonho Kim",
    "original_outlet": "Example Wire", "published_date": "2013-11-26", "published_date_precision": "day",
    "url": "https://example.org/a/?utm_source=rss&id=7&fbclid=x", "accessed_date": "2026-10-05",
    "source_type": "news", "strength": "secondary", "strength_reason": "Repost of a named wire story.",
    "usage_terms": "Quotation only", "language": "en", "is_core": "false",
}
PLAIN = {**REPOST, "source_id": "example-2014-report", "author": "", "original_outlet": "unknown",
         "accessed_date": "2026-11-22", "published_date": "2014-05-01", "published_date_precision": "month",
         "url": "https://example.org/report", "strength": "weak", "title": "A {braced} 100% report"}
COPIES = [
    {"archive_path": "library/example-2013-repost.txt", "source_id": "example-2013-repost", "copy": "repost",
     "host": "blog.example", "copy_url": "https://blog.example/phones", "sha256": "0" * 64, "role": "primary"},
    {"archive_path": "library/example-2014-report.txt", "source_id": "example-2014-report", "copy": "original",
     "host": "example.org", "copy_url": "https://example.org/report", "sha256": "0" * 64, "role": "primary"},
]


@pytest.fixture
def crafted(package_copy) -> nk.Package:
    """The package with two made-up sources: a repost of a named outlet, and a weak report of unknown origin."""
    set_rows(package_copy, "sources", [*read_rows(package_copy, "sources"), REPOST, PLAIN])
    set_rows(package_copy, "source_copies", [*read_rows(package_copy, "source_copies"), *COPIES])
    return nk.load(package_copy)


def test_text_citation_names_the_original_outlet_date_title_clean_url_access_date_host_and_weakness(crafted):
    assert nk.cite("example-2013-repost", package=crafted) == (
        "Example Wire (2013). Phones in Pyongyang. https://example.org/a/?id=7 (accessed 2026-10-05)"
        " (via blog.example)"
    )
    assert nk.cite("example-2014-report", package=crafted) == (
        "unknown (2014). A {braced} 100% report. https://example.org/report (accessed 2026-11-22) [weak source]"
    )


def test_apa_citation_inverts_a_personal_author_and_names_the_outlet_retrieval_date_and_copy(crafted):
    assert nk.cite("example-2013-repost", style="apa", package=crafted) == (
        "Kim, Y. (2013, November 26). Phones in Pyongyang. Example Wire."
        " Retrieved October 5, 2026, from https://example.org/a/?id=7 (archived copy via blog.example)"
    )
    assert nk.cite("example-2014-report", style="apa", package=crafted) == (
        "A {braced} 100% report. (2014, May). unknown. Retrieved November 22, 2026, from https://example.org/report"
    )


def test_bibtex_entry_is_keyed_by_source_id_with_urldate_outlet_and_archived_text(crafted):
    assert nk.cite("example-2013-repost", style="bibtex", package=crafted) == (
        "@misc{example-2013-repost,\n  title = {Phones in Pyongyang},\n  author = {Yonho Kim},\n"
        "  howpublished = {Example Wire},\n  year = 2013,\n  url = {https://example.org/a/?id=7},\n"
        "  urldate = {2026-10-05},\n"
        "  note = {Archived text: library/example-2013-repost.txt via blog.example; secondary source}\n}"
    )
    plain = nk.cite("example-2014-report", style="bibtex", package=crafted)
    assert "  title = {A \\{braced\\} 100\\% report},\n" in plain
    assert "author" not in plain and "urldate = {2026-11-22}" in plain


def test_every_source_in_the_package_cites_in_every_style(package):
    for source_id in package.sources()["source_id"]:
        for style in ("text", "apa", "bibtex"):
            assert package.source_table.loc[source_id, "url"] in nk.cite(source_id, style=style, package=package)
    outlets = package.sources().dropna(subset=["original_outlet"])
    for row in outlets.head(5).itertuples():
        for style in ("text", "apa", "bibtex"):
            assert row.original_outlet in nk.cite(row.source_id, style=style, package=package)


def test_citing_a_row_cites_the_sources_behind_it(package):
    for name in ("observations", "event_attestations", "device_estimates", "access_tiers", "access_controls",
                 "rights_framework"):
        frame = package.resource(name)
        row_id = frame.iloc[0, 0]
        assert nk.cite(row_id, style="apa", package=package) == nk.cite(frame.iloc[:1], style="apa", package=package)
        assert nk.cite(frame.iloc[0]["source_id"], package=package) in nk.cite(row_id, package=package)


def test_citing_a_frame_lists_every_source_behind_it_once_sorted(package):
    subs = package.observations("mobile_subscriptions")
    lines = nk.cite(subs, package=package).splitlines()
    ids = package.source_ids(subs)
    assert set(subs["source_id"]) <= set(ids)
    assert lines == [nk.cite(i, package=package) for i in ids]


def test_citing_derived_rows_includes_their_inputs_sources(package):
    derived = package.device_estimates(claim_type="derived")
    inputs = {i for cell in derived["input_ids"].dropna() for i in cell.split()}
    assert inputs
    ids = package.source_ids(derived)
    assert {package.row(i)["source_id"] for i in inputs} <= set(ids)
    assert len(nk.cite(derived, package=package).splitlines()) == len(ids)


def test_the_package_cites_itself_from_the_package_facts(package):
    text, apa = nk.cite(package=package), nk.cite(style="apa", package=package)
    for citation in (text, apa, nk.cite(style="bibtex", package=package)):
        for fact in (facts.NAME, facts.TITLE, facts.AUTHORS, str(facts.YEAR), facts.HOMEPAGE):
            assert fact in citation
    assert "data package version 0.1.0" in text and facts.LICENCE_TITLE in text
    assert "(Version 0.1.0) [Data set]" in apa
    assert nk.cite(style="bibtex", package=package).startswith(f"@misc{{{facts.NAME},")


def test_citation_cff_agrees_with_the_package_facts(package):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["title"] == f"{facts.NAME}: {facts.TITLE}"
    assert cff["license"] == facts.LICENCE
    assert [a["name"] for a in cff["authors"]] == [facts.AUTHORS]
    assert cff["repository-code"] == facts.HOMEPAGE
    assert str(cff["date-released"]) == facts.CREATED[:10]
    assert str(cff["version"]) == package.version


def test_unknown_ids_and_styles_are_clear_errors(package):
    with pytest.raises(KeyError, match="unknown row or source id 'nope'"):
        nk.cite("nope", package=package)
    frame = package.observations().head(1).assign(source_id="no-such-source")
    with pytest.raises(KeyError, match="source id 'no-such-source' is not in the sources resource"):
        nk.cite(frame, package=package)
    with pytest.raises(ValueError, match="unknown citation style 'mla'"):
        nk.cite(package.sources()["source_id"].iloc[0], style="mla", package=package)


def test_bundled_package_is_loaded_once_and_is_the_default():
    from nkdigital.load import bundled

    assert bundled() is bundled()
    assert nk.cite() == nk.cite(package=bundled())
