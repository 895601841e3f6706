"""Citations: structured creators rendered by real citation libraries, for sources, rows, frames and the package.

The styles come from one registry (`nkdigital.citation.styles.STYLES`); APA and Chicago are checked against expected
strings for real sources that cover every name shape; BibTeX, RIS and CSL-JSON are read back with real parsers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rispy
import yaml
from pybtex.database import parse_string

import nkdigital as nk
from nkdigital.charts.credits import source_labels
from nkdigital.citation.styles import STYLES
from nkdigital.cli import main
from nkdigital.metadata import package as facts
from nkdigital.metadata.provenance import outlet_credit

from .apitools import read_rows, set_rows

ROOT = Path(__file__).resolve().parents[1]
REPOST = {
    "source_id": "example-2013-repost", "title": "Phones in Pyongyang", "original_outlet": "Example Wire",
    "published_date": "2013-11-26", "published_date_precision": "day",
    "url": "https://example.org/a/?id=7", "accessed_date": "2026-10-05",
    "source_type": "news", "strength": "secondary", "strength_reason": "Repost of a named wire story.",
    "usage_terms": "Quotation only", "language": "en", "is_core": "false",
}
PLAIN = {**REPOST, "source_id": "example-2014-report", "original_outlet": "unknown", "accessed_date": "2026-11-22",
         "published_date": "2014-05-01", "published_date_precision": "month", "url": "https://example.org/report",
         "strength": "weak", "title": "A {braced} 100% report } with & and #"}
COPIES = [
    {"archive_path": "library/example-2013-repost.txt", "source_id": "example-2013-repost", "copy": "repost",
     "host": "blog.example", "copy_url": "https://blog.example/phones", "sha256": "0" * 64, "role": "primary"},
    {"archive_path": "library/example-2014-report.txt", "source_id": "example-2014-report", "copy": "repost",
     "host": "mirror.example", "copy_url": "https://mirror.example/report", "sha256": "0" * 64, "role": "primary"},
]
CREATORS = [{"source_id": "example-2013-repost", "creator_order": "1", "family": "Kim", "given": "Yonho",
             "literal": "", "creator_role": "author"}]

# Real sources covering every name shape, with the APA 7th and Chicago author-date entries they must produce.
EXPECTED = {
    # a Korean name (family first in the data), read through a repost
    "oananews-yonhap-2009-06-25-orascom-q1": (
        "Kim, E. (2009, June 25). Egypt's Orascom reports profit from N. Korean mobile service. Yonhap News Agency."
        " https://oananews.org/node/67718 [Read via oananews.org]",
        "Kim, E. 2009. “Egypt's Orascom Reports Profit from N. Korean Mobile Service”. Yonhap News Agency, June 25."
        " https://oananews.org/node/67718. [Read via oananews.org]",
    ),
    # two Korean names, the day the archive gives
    "ajupress-2013-2m": (
        "Park, S., & Keat, M. W. (2013, April 30). 2 million N. Koreans subscribe to 3G mobile service: report."
        " Aju Business Daily. https://m.ajupress.com/view/20130430000662",
        "Park, S., and M. W. Keat. 2013. “2 Million N. Koreans Subscribe to 3G Mobile Service: Report”. Aju Business"
        " Daily, April 30. https://m.ajupress.com/view/20130430000662.",
    ),
    # a name in Hangul (never initialised) beside an organisation
    "koreaherald-2013-foreign-phones": (
        "박한나, & Yonhap News. (2013, January 21). N. Korea allows foreign visitors to bring mobile phones: report."
        " Yonhap News Agency. https://koreaherald.com/view.php?ud=20130121000438 [Read via koreaherald.com]",
        "박한나, and Yonhap News. 2013. “N. Korea Allows Foreign Visitors to Bring Mobile Phones: Report”. Yonhap"
        " News Agency, January 21. https://koreaherald.com/view.php?ud=20130121000438. [Read via koreaherald.com]",
    ),
    # an organisation, never split into family and given names
    "amnesty-2016-03-09-connection-denied": (
        "Amnesty International. (2016, March 9). North Korea: Tightened controls on communications with the outside"
        " world leave families devastated. Amnesty International."
        " https://www.amnesty.org/en/latest/news/2016/03/north-korea-connection-denied/",
        "Amnesty International. 2016. “North Korea: Tightened Controls on Communications with the Outside World Leave"
        " Families Devastated”. Amnesty International, March 9."
        " https://www.amnesty.org/en/latest/news/2016/03/north-korea-connection-denied/.",
    ),
    # several authors, an outlet the archive does not name (the host is described), a Korean name order
    "kinu-vnr-2021-co21-22": (
        "Choi, G., & Hong, J. H. (2021, July 20). North Korea’s Implementation of SDGs: Focused on ‘Voluntary"
        " National Review’ (Online Series CO 21-22). https://123dok.com/kr/docs/north-korea-implementation-sdgs-"
        "focused-voluntary-national-review.10576969 [Original outlet not named; read on 123dok.com]",
        "Choi, G., and J. H. Hong. 2021. “North Korea’s Implementation of SDGs: Focused on ‘Voluntary National"
        " Review’ (Online Series CO 21-22)”. July 20. https://123dok.com/kr/docs/north-korea-implementation-sdgs-"
        "focused-voluntary-national-review.10576969. [Original outlet not named; read on 123dok.com]",
    ),
    # a wire story read on another site, whose headline the archive does not hold: our description, not title-cased
    "intermedia-2017-compromising-connectivity-toc-and-reuters": (
        "Pearson, J. (2017, March). [untitled excerpt on the launch of the InterMedia report Compromising"
        " Connectivity]. Reuters. http://www.swissinfo.ch/eng/reuters/north-korea-uses-sophisticated-tools-to-spy-"
        "on-citizens-digitally---report/42998532 [Read via www.swissinfo.ch]",
        "Pearson, J. 2017. “[untitled excerpt on the launch of the InterMedia report Compromising Connectivity]”."
        " Reuters, March. http://www.swissinfo.ch/eng/reuters/north-korea-uses-sophisticated-tools-to-spy-on-"
        "citizens-digitally---report/42998532. [Read via www.swissinfo.ch]",
    ),
    # an author and an editor
    "hrnk-protecting-digital-rights-2022": (
        "De Luca, D. (2022, February 22). Protecting Digital Rights in North Korea (R. Ha, ed.). Committee for Human"
        " Rights in North Korea (HRNK), NK Hidden Gulag blog."
        " https://www.nkhiddengulag.org/blog/protecting-digital-rights-in-north-korea",
        "De Luca, D. 2022. “Protecting Digital Rights in North Korea”. Edited by R. Ha. Committee for Human Rights in"
        " North Korea (HRNK), NK Hidden Gulag blog, February 22."
        " https://www.nkhiddengulag.org/blog/protecting-digital-rights-in-north-korea.",
    ),
    # a statistical series: the World Bank's WDI with its indicator code, ITU as producer, the access date, the host
    "wdi-2024-it-net-user-zs-prk-kor-world": (
        "World Bank. (2024). [World Development Indicators: Individuals using the Internet (% of population),"
        " IT.NET.USER.ZS] [Dataset]. World Bank (World Development Indicators)."
        " https://data.worldbank.org/indicator/IT.NET.USER.ZS?end=2023&start=1960&view=map&year=2023"
        " [Accessed November 30, 2026. Data produced by International Telecommunication Union. Read via github.com]",
        "World Bank. 2024. “[World Development Indicators: Individuals using the Internet (% of population),"
        " IT.NET.USER.ZS]”. World Bank (World Development Indicators)."
        " https://data.worldbank.org/indicator/IT.NET.USER.ZS?end=2023&start=1960&view=map&year=2023."
        " [Accessed November 30, 2026. Data produced by International Telecommunication Union. Read via github.com]",
    ),
    # a data producer and no author
    "data-owid-via-free-north-korea-mobile-phones": (
        "International Telecommunication Union. (2026). Mobile phone subscriptions per 100 people [mobile-phones.csv]"
        " [Dataset]. Our World in Data (ITU data via World Bank)."
        " https://ourworldindata.org/grapher/mobile-cellular-subscriptions-per-100-people [Accessed October 5, 2026."
        " Read via github.com]",
        "International Telecommunication Union. 2026. “Mobile Phone Subscriptions Per 100 People [mobile-phones.csv]”."
        " Our World in Data (ITU data via World Bank), October 5."
        " https://ourworldindata.org/grapher/mobile-cellular-subscriptions-per-100-people. [Accessed October 5, 2026."
        " Read via github.com]",
    ),
    # no author, no date
    "capacity-koryolink-almost-2m": (
        "North Korean operator Koryolink increases 3G subscribers. (n.d.). Capacity Media. Retrieved November 22,"
        " 2026, from https://www.capacitymedia.com/article/29ot5qo2lye3ttigrn11c/news/north-korean-operator-"
        "koryolink-increases-3g-subscribers",
        "Capacity Media. n.d. “North Korean Operator Koryolink Increases 3G Subscribers”. Capacity Media. Accessed"
        " November 22, 2026. https://www.capacitymedia.com/article/29ot5qo2lye3ttigrn11c/news/north-korean-operator-"
        "koryolink-increases-3g-subscribers.",
    ),
    # no author and an outlet the archive does not name: the host is described, never "unknown"
    "alertify-pyongyang-2425-mirae": (
        "North Korea mobile phone offering Wi-Fi, wireless charging and face-recognition technology. (n.d.)."
        " Retrieved November 22, 2026, from https://alertify.eu/?p=51431 [Original outlet not named; read on"
        " alertify.eu. Weak source]",
        "“North Korea Mobile Phone Offering Wi-Fi, Wireless Charging and Face-recognition Technology”. n.d. Accessed"
        " November 22, 2026. https://alertify.eu/?p=51431. [Original outlet not named; read on alertify.eu. Weak"
        " source]",
    ),
}


@pytest.fixture
def crafted(package_copy) -> nk.Package:
    """The package with two made-up sources: a repost of a named outlet, and a weak report of unknown origin."""
    set_rows(package_copy, "sources", [*read_rows(package_copy, "sources"), REPOST, PLAIN])
    set_rows(package_copy, "source_copies", [*read_rows(package_copy, "source_copies"), *COPIES])
    set_rows(package_copy, "creators", [*read_rows(package_copy, "creators"), *CREATORS])
    return nk.load(package_copy)


@pytest.fixture(scope="module")
def every_source(package) -> list[str]:
    return list(package.sources()["source_id"])


@pytest.mark.parametrize("source_id", sorted(EXPECTED))
def test_apa_and_chicago_entries_match_the_expected_strings(package, source_id):
    apa, chicago = EXPECTED[source_id]
    assert nk.cite(source_id, style="apa", package=package) == apa
    assert nk.cite(source_id, style="chicago", package=package) == chicago


def test_the_expected_strings_cover_every_name_shape(package):
    creators = package.resource("creators")
    chosen = creators[creators["source_id"].isin(EXPECTED)]
    assert set(chosen["creator_role"].astype(str)) >= {"author", "editor", "data_producer"}
    assert chosen["literal"].notna().any() and chosen["family"].notna().any()
    assert (chosen[chosen["creator_role"] == "author"].groupby("source_id").size() >= 2).any()  # several authors
    assert set(EXPECTED) - set(creators["source_id"])  # no author at all


def _creators(package) -> dict[str, list[dict]]:
    frame = package.resource("creators").astype(object)
    found: dict[str, list[dict]] = {}
    for row in frame.where(frame.notna(), None).to_dict("records"):
        found.setdefault(row["source_id"], []).append(row)
    return found


def _credited(creators: list[dict], role: str) -> list[dict]:
    """The creators a style names in `role`: authors (else data producers, for a series with no author)."""
    if role == "editor":
        return [c for c in creators if c["creator_role"] == "editor"]
    authors = [c for c in creators if c["creator_role"] == "author"]
    return authors or [c for c in creators if c["creator_role"] == "data_producer"]


def test_bibtex_of_every_source_parses_into_the_right_persons_and_organisations(package, every_source):
    parsed = parse_string(nk.cite(every_source, style="bibtex", package=package), "bibtex")
    assert sorted(parsed.entries) == sorted(every_source)
    creators = _creators(package)
    for source_id, entry in parsed.entries.items():
        assert entry.type in ("online", "misc") and re.fullmatch(r"\d{4}-\d\d-\d\d", entry.fields["urldate"])
        for role in ("author", "editor"):
            wanted = [(f"{{{c['literal']}}}", "") if c["literal"] else (c["family"], c["given"] or "")
                      for c in _credited(creators.get(source_id, []), role)]
            found = [(" ".join(p.last_names), " ".join(p.first_names + p.middle_names))
                     for p in entry.persons.get(role, [])]
            assert found == wanted, (source_id, role)


def test_bibtex_escapes_untrusted_text_so_it_parses_back_unchanged(crafted):
    entry = parse_string(nk.cite("example-2014-report", style="bibtex", package=crafted), "bibtex").entries
    title = entry["example-2014-report"].fields["title"]
    # brace-protected; a stray brace is a LaTeX command (BibTeX counts even escaped braces), % & # are escaped
    assert title == r"{A \textbraceleft{}braced\textbraceright{} 100\% report \textbraceright{} with \& and \#}"
    assert "author" not in entry["example-2014-report"].persons


def test_csl_json_holds_csl_name_objects(package, every_source):
    items = json.loads(nk.cite(every_source, style="csl-json", package=package))
    assert [i["id"] for i in items] == sorted(every_source)
    names = [n for i in items for role in ("author", "editor") for n in i.get(role, [])]
    assert names and all(set(n) in ({"family", "given"}, {"family"}, {"literal"}) for n in names)
    kim = next(i for i in items if i["id"] == "oananews-yonhap-2009-06-25-orascom-q1")
    assert kim["author"] == [{"family": "Kim", "given": "Eun-jung"}]
    assert kim["issued"] == {"date-parts": [[2009, 6, 25]]} and kim["accessed"] == {"date-parts": [[2026, 11, 30]]}


def test_ris_has_one_au_per_credited_creator(package, every_source):
    records = rispy.loads(nk.cite(every_source, style="ris", package=package))
    creators = _creators(package)
    assert len(records) == len(every_source)
    for record in records:
        assert len(record.get("authors", [])) == len(_credited(creators.get(record["id"], []), "author"))
        assert record["urls"] and record["access_date"]


def test_nothing_prints_unknown_safelinks_or_tracking(package, every_source):
    for style in STYLES:
        text = nk.cite(every_source, style=style, package=package)
        assert not re.search(r"\bunknown\b|safelinks|utm_", text, re.IGNORECASE), style


def test_apa_and_chicago_print_outlets_and_organisations_exactly_as_the_data_give_them(package, every_source):
    """No title case, no capitalised first letter, no markup: the outlet (or, unnamed, its description) and every
    organisation's name appear verbatim in both styles, for every source."""
    table, creators = package.source_table, _creators(package)
    for source_id in every_source:
        row = table.loc[source_id]
        names = [c["literal"] for c in creators.get(source_id, []) if isinstance(c["literal"], str)]
        outlet = outlet_credit(row["original_outlet"], row["host"])
        for style in ("apa", "chicago"):
            entry = nk.cite(source_id, style=style, package=package)
            assert "<" not in entry, entry
            for name in (outlet, *names):
                assert name in entry, (style, name, entry)


def test_an_unnamed_outlet_is_described_in_every_place_a_name_would_be(crafted):
    description = "Original outlet not named; read on mirror.example"
    assert nk.cite("example-2014-report", package=crafted).startswith(f"{description} (2014). ")
    assert crafted.row("example-2014-report")["original_outlet"] == description
    assert source_labels(crafted, ["example-2014-report"], width=100) == {
        "example-2014-report": f"{description} [weak source]"}
    assert outlet_credit("unknown", None) == "Original outlet not named"
    assert outlet_credit(" Example   Wire ", "blog.example") == "Example Wire"


def test_text_citation_names_the_outlet_date_title_url_access_date_host_and_weakness(crafted):
    assert nk.cite("example-2013-repost", package=crafted) == (
        "Example Wire (2013). Phones in Pyongyang. https://example.org/a/?id=7 (accessed 2026-10-05)"
        " [Read via blog.example]"
    )
    assert nk.cite("example-2014-report", package=crafted) == (
        "Original outlet not named; read on mirror.example (2014). A {braced} 100% report } with & and #."
        " https://example.org/report (accessed 2026-11-22) [Weak source]"
    )


def test_dates_keep_the_precision_the_archive_gives(crafted):
    assert "(2013, November 26)" in nk.cite("example-2013-repost", style="apa", package=crafted)
    assert "(2014, May)" in nk.cite("example-2014-report", style="apa", package=crafted)
    ris = rispy.loads(nk.cite(["example-2013-repost", "example-2014-report"], style="ris", package=crafted))
    assert [r["date"] for r in ris] == ["2013/11/26", "2014/05"]


def test_every_source_in_the_package_cites_in_every_style(package, every_source):
    for style in STYLES:
        text = nk.cite(every_source, style=style, package=package)
        for source_id in every_source:
            assert package.source_table.loc[source_id, "url"] in text


def test_citing_a_row_cites_the_sources_behind_it(package):
    for name in ("observations", "event_attestations", "device_estimates", "access_tiers", "access_controls",
                 "rights_framework"):
        frame = package.resource(name)
        row_id = frame.iloc[0, 0]
        assert nk.cite(row_id, style="apa", package=package) == nk.cite(frame.iloc[:1], style="apa", package=package)
        assert nk.cite(frame.iloc[0]["source_id"], package=package) in nk.cite(row_id, package=package)


def test_citing_a_frame_or_a_list_lists_every_source_behind_it_once_sorted(package):
    subs = package.observations("mobile_subscriptions")
    lines = nk.cite(subs, package=package).splitlines()
    ids = package.source_ids(subs)
    assert set(subs["source_id"]) <= set(ids)
    assert lines == [nk.cite(i, package=package) for i in ids]
    rows = list(subs["observation_id"])
    assert nk.cite(rows + rows[:3], package=package) == nk.cite(subs, package=package)


def test_citing_derived_rows_includes_their_inputs_sources(package):
    derived = package.device_estimates(claim_type="derived")
    inputs = {i for cell in derived["input_ids"].dropna() for i in cell.split()}
    assert inputs
    ids = package.source_ids(derived)
    assert {package.row(i)["source_id"] for i in inputs} <= set(ids)
    assert len(nk.cite(derived, package=package).splitlines()) == len(ids)


def test_the_command_line_cites_several_ids_in_every_registered_style(package, capsys):
    ids = ["ajupress-2013-2m", "wdi-2024-it-net-user-zs-prk-kor-world"]
    for style in STYLES:
        assert main(["cite", *ids, "--style", style]) == 0
        assert capsys.readouterr().out == nk.cite(ids, style=style) + "\n"
    with pytest.raises(SystemExit):
        main(["cite", "--style", "mla"])
    assert "chicago" in capsys.readouterr().err


def test_the_package_cites_itself_from_the_package_facts(package):
    for style in STYLES:
        citation = nk.cite(style=style, package=package)
        for fact in (facts.AUTHORS, str(facts.YEAR), facts.HOMEPAGE):
            assert fact in citation, style
    assert "(Version 0.1.0) [Data set]" in nk.cite(style="apa", package=package)
    assert parse_string(nk.cite(style="bibtex", package=package), "bibtex").entries[facts.NAME].type == "misc"


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
    with pytest.raises(ValueError, match="unknown citation style 'mla'; choose one of text, apa, chicago"):
        nk.cite(package.sources()["source_id"].iloc[0], style="mla", package=package)


def test_bundled_package_is_loaded_once_and_is_the_default():
    from nkdigital.api.package import bundled

    assert bundled() is bundled()
    assert nk.cite() == nk.cite(package=bundled())


def test_a_rendered_entry_is_kept_on_disk_and_a_changed_item_is_rendered_anew(tmp_path, monkeypatch):
    from nkdigital.citation import render

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    item = {"id": "SRC-X", "type": "webpage", "title": "A page", "URL": "https://example.org/a",
            "container-title": "Example Outlet", "issued": {"date-parts": [[2020]]}}
    [first] = render.csl([item], "apa")
    assert len(list((tmp_path / "nkdigital" / "citations").iterdir())) == 1
    render._entry.cache_clear()
    monkeypatch.setattr(render, "_rendered", lambda style, encoded: pytest.fail("rendered again"))
    assert render.csl([item], "apa") == [first]  # read back from disk, not rendered
    with pytest.raises(pytest.fail.Exception, match="rendered again"):
        render.csl([{**item, "title": "Another page"}], "apa")


@pytest.mark.parametrize("style", ["apa", "chicago"])
def test_an_ampersand_in_an_outlet_or_untitled_title_is_printed_as_given_never_as_an_entity(style, tmp_path,
                                                                                              monkeypatch):
    from nkdigital.citation import render

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    item = {"id": "SRC-AMP", "type": "webpage", "title": "[untitled excerpt on R&D budgets]",
            "URL": "https://example.org/a", "container-title": "Johnson & Johnson News",
            "publisher": "AT&T Research", "issued": {"date-parts": [[2020]]}}
    [entry] = render.csl([item], style)
    assert "&amp;" not in entry
    assert "Johnson & Johnson News" in entry and "AT&T Research" in entry and "R&D budgets" in entry


def test_an_entry_kept_by_another_version_of_the_renderer_is_never_served(tmp_path, monkeypatch):
    from nkdigital.citation import render

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    item = {"id": "SRC-X", "type": "webpage", "title": "A page", "URL": "https://example.org/a",
            "container-title": "Example Outlet", "issued": {"date-parts": [[2020]]}}
    render.csl([item], "apa")
    render._entry.cache_clear()
    monkeypatch.setattr(render, "_renderer", lambda: "citeproc-py 0.1:an older nkdigital")
    monkeypatch.setattr(render, "_rendered", lambda style, encoded: "rendered anew")
    assert render.csl([item], "apa") == ["rendered anew"]


def test_bibtex_keeps_backslashes_and_hyphen_runs_literal_and_never_splits_a_name_at_a_comma_or_and():
    from nkdigital.citation.render import bibtex

    item = {"id": "x-1", "type": "webpage", "title": r"C:\new \input{x} -- off – en", "URL": "https://e.org",
            "author": [{"family": "Kim}, title={pwned", "given": r"\input{/etc/passwd}"},
                       {"family": "Lee and Park", "given": "Ji, Hoon"}, {"family": "Choe", "given": "Min-ho"}]}
    entry = parse_string(bibtex([item]), "bibtex").entries["x-1"]
    assert entry.fields["title"] == (r"{C:\textbackslash{}new \textbackslash{}input\textbraceleft{}x\textbraceright{}"
                                     " -{}- off – en}")
    assert [(p.last_names, p.first_names) for p in entry.persons["author"]] == [
        ([r"{Kim\textbraceright{}, title=\textbraceleft{}pwned}"],
         [r"\textbackslash{}input\textbraceleft{}/etc/passwd\textbraceright{}"]),
        (["{Lee and Park}"], ["{Ji, Hoon}"]), (["Choe"], ["Min-ho"])]
    assert set(entry.fields) == {"title", "url"}
