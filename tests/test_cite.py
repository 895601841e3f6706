"""Citations: one source, every source behind a frame, the package; text, APA and BibTeX."""

from __future__ import annotations

import pytest

import nkdigital as nk


def test_text_citation_names_publisher_original_outlet_date_title_url_and_weakness(package):
    assert nk.cite("aaqilx-2009-19000-subs", package=package) == (
        "aaqilx.blogspot.com (original: Orascom Telecom) (2009). North Korean 3G network hits 19,000 subscribers."
        " https://aaqilx.blogspot.com/2009/06/north-korean-3g-network-hits-19000.html [weak source]"
    )


def test_apa_citation_inverts_a_personal_author_and_keeps_month_precision(package):
    assert nk.cite("38north-2013-ykim-explosion", style="apa", package=package).startswith(
        "Kim, Y. (2013, November). A Closer Look at the ‘Explosion of Cell Phone Subscribers’ in North Korea. 38 North."
    )


def test_bibtex_entry_is_keyed_by_source_id_and_points_at_the_archived_text(package):
    entry = nk.cite("38north-2013-ykim-explosion", style="bibtex", package=package)
    assert entry.startswith("@misc{38north-2013-ykim-explosion,\n")
    assert "  author = {Yonho Kim},\n" in entry
    assert "  year = 2013,\n" in entry
    assert "note = {Archived text: library/38north-2013-ykim-explosion.txt; secondary source}" in entry
    assert entry.endswith("\n}")


def test_citing_a_frame_lists_every_source_behind_it_once_sorted(package):
    subs = package.observations("mobile_subscriptions")
    lines = nk.cite(subs, package=package).splitlines()
    ids = package.source_ids(subs)
    assert set(subs["source_id"]) < set(ids)  # derived rows add the population source
    assert "data-owid-via-free-north-korea-population" in ids
    assert lines == [nk.cite(i, package=package) for i in ids]


def test_citing_derived_rows_includes_their_inputs_sources(package):
    derived = package.device_estimates(claim_type="derived")
    text = nk.cite(derived, package=package)
    assert "CIA" in text or "factbook" in text.lower()
    assert len(text.splitlines()) == len(package.source_ids(derived))


def test_the_package_cites_itself_with_its_version(package):
    assert "data package version 0.1.0" in nk.cite(package=package)
    assert "(Version 0.1.0) [Data set]" in nk.cite(style="apa", package=package)
    assert nk.cite(style="bibtex", package=package).startswith("@misc{nkdigital,")


def test_unknown_ids_and_styles_are_clear_errors(package):
    with pytest.raises(KeyError, match="unknown source id 'nope'"):
        nk.cite("nope", package=package)
    with pytest.raises(ValueError, match="unknown citation style 'mla'"):
        nk.cite("aaqilx-2009-19000-subs", style="mla", package=package)
