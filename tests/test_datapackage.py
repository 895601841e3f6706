"""The data package itself: frictionless validity, quotes, logic, metadata and coverage."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections import defaultdict

import frictionless
import pytest

from nkdigital.checking.credit_checks import named_outlets
from nkdigital.checking.quotes import evidence, has_quote_length, normalise
from nkdigital.checking.validation import validate
from nkdigital.core.formula import evaluate
from nkdigital.metadata import build
from nkdigital.metadata.package import MAX_QUOTE_WORDS, MIN_QUOTE_WORDS
from nkdigital.metadata.units import COUNT_UNITS

from .conftest import DESCRIPTOR, PACKAGE_DIR

DESCRIPTOR_JSON = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR_JSON["resources"]}
CLAIMS = [name for name, r in RESOURCES.items() if "quote" in {f["name"] for f in r["schema"]["fields"]}]


def rows(name: str) -> list[dict[str, str]]:
    with (PACKAGE_DIR / RESOURCES[name]["path"]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_frictionless_api_reports_the_package_valid():
    report = frictionless.validate(str(DESCRIPTOR))
    errors = report.flatten(["taskName", "rowNumber", "fieldName", "type", "message"])
    assert report.valid, "frictionless errors:\n" + "\n".join(map(str, errors))


def test_nkdigital_validation_finds_no_problem(archive):
    report = validate(DESCRIPTOR, archive)
    assert report.problems == [], "\n".join(map(str, report.problems))
    assert report.notes == []


def test_every_quote_occurs_verbatim_in_the_text_of_one_of_its_sources_copies(archive):
    texts = defaultdict(list)
    for copy in rows("source_copies"):
        text = (archive / copy["archive_path"]).read_text(encoding="utf-8")
        texts[copy["source_id"]].append(normalise(evidence(text)))
    missing, checked = [], 0
    for name in CLAIMS:
        for number, row in enumerate(rows(name), start=2):
            checked += 1
            if not any(normalise(row["quote"]) in text for text in texts[row["source_id"]]):
                missing.append(f"{name}.csv row {number}: {row['quote'][:70]!r} not in {row['source_id']}")
    assert checked > 800
    assert missing == [], "\n".join(missing)


def test_the_archive_ships_every_cited_file_byte_identical_with_its_recorded_hash(archive):
    cited = {c["archive_path"]: c["sha256"] for c in rows("source_copies")}
    shipped = {p.relative_to(archive).as_posix() for p in archive.rglob("*.txt")}
    assert shipped == set(cited)
    for path, digest in cited.items():
        assert hashlib.sha256((archive / path).read_bytes()).hexdigest() == digest, path
    terms = (archive / "README.md").read_text(encoding="utf-8")
    assert "not covered by the package's CC BY 4.0 licence" in terms


def test_no_two_sources_share_an_archived_document(archive):
    """A document is a file (or, where INDEX.csv names two outlets for it, one part of it): one source each."""
    index = {r["file"]: r for r in csv.DictReader((archive / "INDEX.csv").open(encoding="utf-8", newline=""))}
    document = {path: index[path]["duplicate_of"] or path for path in index}
    owner: dict[tuple[str, str], str] = {}
    for copy in rows("source_copies"):
        key = (document[copy["archive_path"]], copy["section"])
        assert owner.setdefault(key, copy["source_id"]) == copy["source_id"], key
    for path, entry in index.items():  # a file holding two documents cites each as its own source, by its part
        cited = {c["source_id"] for c in rows("source_copies") if c["archive_path"] == path}
        if len(re.split(r";(?![^(]*\))", entry["original_outlet"])) > 1 and len(cited) == 1:
            assert [c["section"] for c in rows("source_copies") if c["archive_path"] == path] != [""], path


def test_source_lines_name_original_outlets_and_weak_copies_follow_the_rule(archive):
    index = {r["file"]: r for r in csv.DictReader((archive / "INDEX.csv").open(encoding="utf-8", newline=""))}
    outlets = {r["source_id"]: r["original_outlet"] for r in rows("sources")}
    for copy in rows("source_copies"):
        if copy["role"] == "primary":
            named = named_outlets(index[copy["archive_path"]]["original_outlet"])
            assert outlets[copy["source_id"]] in named, (copy["source_id"], named)
    loose = [c["source_id"] for c in rows("source_copies") if c["copy"] in ("scrape", "repost")
             and outlets[c["source_id"]] == "unknown"]
    strength = {r["source_id"]: r["strength"] for r in rows("sources")}
    assert loose and all(strength[s] == "weak" for s in loose)


def test_quotes_have_between_4_and_25_words():
    wrong = [(name, r["quote"]) for name in CLAIMS for r in rows(name)
             if not has_quote_length(r["quote"])]
    assert (MIN_QUOTE_WORDS, MAX_QUOTE_WORDS) == (4, 25)
    assert wrong == []


def test_bounds_hold_wherever_given():
    broken = []
    for name in ("observations", "device_estimates", "access_tiers", "access_controls"):
        for r in rows(name):
            value, low, high = (float(r[k]) if r[k] else None for k in ("value", "low", "high"))
            if low is not None and high is not None and low > high:
                broken.append(r)
            if value is not None and ((low is not None and value < low) or (high is not None and value > high)):
                broken.append(r)
    assert broken == []


def test_counts_are_absolute_integers_and_shares_fractions():
    for name in ("observations", "device_estimates", "access_tiers", "access_controls"):
        for r in rows(name):
            for key in ("value", "low", "high"):
                if r[key] and r["unit"] in COUNT_UNITS and r.get("claim_type") != "international_statistic":
                    assert r[key].isdigit(), (name, r[name[:0] or next(iter(r))], key, r[key])
                if r[key] and r["unit"] == "share":
                    assert 0 <= float(r[key]) <= 1


def test_no_date_lies_in_the_future_and_precision_matches():
    today = dt.date.today().isoformat()
    for name, resource in RESOURCES.items():
        for field in (f["name"] for f in resource["schema"]["fields"] if f["type"] == "date"):
            for r in rows(name):
                if r[field]:
                    assert r[field] <= today, (name, r[field])
                    precision = r.get(f"{field}_precision")
                    assert precision != "year" or r[field].endswith("-01-01")
                    assert precision != "month" or r[field].endswith("-01")


def test_every_source_is_used_and_every_reference_resolves():
    used = {r["source_id"] for name in CLAIMS for r in rows(name)}
    declared = {r["source_id"] for r in rows("sources")}
    assert declared == used


def test_derived_rows_recompute_from_their_inputs():
    by_id = {r[next(iter(r))]: r for name in CLAIMS for r in rows(name)}
    derived = [r for r in by_id.values() if r.get("claim_type") == "derived"]
    assert len(derived) >= 5  # observations and device estimates (the derived zero subscriptions of 2000-2007 went)
    for r in derived:
        inputs = r["input_ids"].split()
        for bound in ("value", "low", "high"):
            if not r[bound]:
                continue
            values = {i: float(by_id[i][bound] or by_id[i]["value"]) for i in inputs}
            expected = evaluate(r["formula"], values)
            if r["unit"] in COUNT_UNITS:
                assert float(r[bound]) == round(expected), (r["formula"], bound)
            else:
                assert float(r[bound]) == pytest.approx(expected, rel=1e-3)


def test_recorded_hashes_and_sizes_match_the_files():
    for resource in DESCRIPTOR_JSON["resources"]:
        data = (PACKAGE_DIR / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), resource["name"]
        assert resource["bytes"] == len(data)


def test_rows_are_sorted_by_primary_key():
    for name, resource in RESOURCES.items():
        key = resource["schema"]["primaryKey"]
        values = [[r[k] for k in key] for r in rows(name)]
        assert values == sorted(values), name


# metadata


def test_descriptor_carries_the_package_metadata():
    d = DESCRIPTOR_JSON
    assert d["$schema"].endswith("/2.0/datapackage.json")
    assert d["version"].count(".") == 2 and all(p.isdigit() for p in d["version"].split("."))
    assert d["licenses"][0]["name"] == "CC-BY-4.0"
    for key in ("title", "description", "created", "contributors", "keywords"):
        assert d[key], key


def test_every_field_is_documented_constrained_and_exemplified():
    for resource in RESOURCES.values():
        for field in resource["schema"]["fields"]:
            assert {"name", "type", "description", "example", "constraints"} <= field.keys(), field["name"]
            assert len(field["description"]) > 20, field["name"]


def test_one_definition_per_field_name():
    definitions = defaultdict(list)
    for resource in RESOURCES.values():
        for field in resource["schema"]["fields"]:
            definitions[field["name"]].append(json.dumps(field, sort_keys=True))
    assert {name: len(set(defs)) for name, defs in definitions.items() if len(set(defs)) > 1} == {}


def test_keys_are_declared_and_required():
    for name, resource in RESOURCES.items():
        schema = resource["schema"]
        assert schema["missingValues"] == [""]
        fields = {f["name"]: f for f in schema["fields"]}
        for key in schema["primaryKey"]:
            assert fields[key]["constraints"]["required"] is True
        references = {fk["fields"][0]: fk["reference"]["resource"] for fk in schema.get("foreignKeys", [])}
        if "source_id" in fields and name != "sources":
            assert references["source_id"] == "sources"
            assert fields["source_id"]["constraints"]["required"] is True
        for column, target in references.items():
            assert fields[column]["constraints"]["required"] is True
            assert RESOURCES[target]["schema"]["primaryKey"] == [column]
    assert {fk["fields"][0]: fk["reference"]["resource"] for fk in RESOURCES["event_attestations"]["schema"][
        "foreignKeys"]} == {"source_id": "sources", "event_id": "events"}


def test_text_fields_refuse_formula_prefixes_and_markup():

    for resource in RESOURCES.values():
        for field in resource["schema"]["fields"]:
            pattern = field["constraints"].get("pattern")
            if field["type"] != "string" or "enum" in field["constraints"]:
                continue
            assert pattern, field["name"]
            for bad in ("=SUM(A1)", "+1", "-x", "@cmd", "<script>alert(1)</script>", 'x <img onerror="a()">'):
                assert not re.fullmatch(pattern, bad), (field["name"], bad)


def test_urls_must_be_http_or_https():

    pattern = next(f for f in RESOURCES["sources"]["schema"]["fields"] if f["name"] == "url")["constraints"]["pattern"]
    assert re.fullmatch(pattern, "https://38north.org/2013/11/ykim112613/")
    for bad in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://x.org", "http://a b"):
        assert not re.fullmatch(pattern, bad), bad


def test_descriptor_and_data_dictionary_are_what_the_field_dictionary_builds():
    assert build.build(DESCRIPTOR_JSON) == DESCRIPTOR_JSON
    readme = (PACKAGE_DIR / "README.md").read_text(encoding="utf-8")
    assert readme.index("## Caveats first") < readme.index("## Data dictionary")
    assert readme.endswith(build.dictionary(DESCRIPTOR_JSON, rows("indicators")))
    assert "| `mobile_subscriptions` | Mobile subscriptions |" in readme


# content and coverage


def test_coverage_targets_are_met():
    assert len(rows("observations")) >= 150
    assert len(rows("events")) >= 40
    assert len(rows("event_attestations")) > len(rows("events"))
    assert len(rows("sources")) >= 60


def test_every_core_document_is_used():
    core = {r["source_id"] for r in rows("sources") if r["is_core"] == "true"}
    assert core == {"cfds-how-nk-controls-internet-2018", "digwatch-going-online-2023",
                    "hrnk-protecting-digital-rights-2022", "pscore-ecosoc-statement-2023",
                    "pscore-internet-freedom"}


def _find(name, **match):
    return [r for r in rows(name) if all(r[k] == v for k, v in match.items())]


def test_conflicting_figures_are_kept_as_separate_rows():
    by_year: dict[str, set[tuple[str, str]]] = {}
    for r in _find("observations", indicator="mobile_subscriptions", geo="PRK"):
        if r["value"] and r["claim_type"] != "derived":
            by_year.setdefault(r["ref_date"][:4], set()).add((r["value"], r["source_id"]))
    conflicts = [year for year, found in by_year.items()
                 if len({v for v, _ in found}) > 1 and len({s for _, s in found}) > 1]
    assert "2009" in conflicts


def test_vague_phrases_keep_their_words_and_explicit_bounds():
    few_thousand = [r for name in ("observations", "access_tiers") for r in rows(name)
                    if r["phrase"].lower() == "a few thousand"]
    assert few_thousand
    assert all((r["value"], r["low"], r["high"], r["qualifier"]) == ("", "2000", "5000", "range")
               for r in few_thousand)


def test_core_study_sample_and_access_procedure_are_present():
    digwatch = "digwatch-going-online-2023"
    assert _find("observations", source_id=digwatch, indicator="interviewees", value="24")
    assert _find("observations", source_id=digwatch, indicator="survey_respondents", value="158")
    pscore = [r for r in rows("access_controls") if r["source_id"] == "pscore-internet-freedom"]
    assert {("approval", "3", "authorities"), ("session", "1", "hours"), ("monitoring", "5", "minutes")} <= {
        (r["step"], r["value"], r["unit"]) for r in pscore
    }


def test_device_ownership_range_and_its_derived_absolute_rows():
    adults = [r for r in rows("device_estimates") if r["low"] == "0.5" and r["high"] == "0.8"]
    assert adults
    derived = [r for r in rows("device_estimates") if r["claim_type"] == "derived"
               and any(i in r["input_ids"].split() for i in (a["estimate_id"] for a in adults))]
    assert derived and all(r["unit"] == "people" for r in derived)


def test_weak_kinds_of_source_are_marked_weak():
    for r in rows("sources"):
        if r["source_type"] in ("encyclopedia", "forum"):
            assert r["strength"] == "weak", r["source_id"]


def test_third_party_terms_are_recorded_per_source():
    terms = {r["source_id"]: r["usage_terms"] for r in rows("sources")}
    assert all(terms.values())
    assert any("ITU" in t and "non-commercial" in t for t in terms.values())


def test_core_coverage_map_names_only_existing_rows_and_all_core_rows():

    text = (PACKAGE_DIR / "CORE_COVERAGE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:obs|dev|evt|att|tier|ctl|rgt)-[a-z0-9-]+)`", text))
    core = {"cfds-how-nk-controls-internet-2018", "digwatch-going-online-2023", "hrnk-protecting-digital-rights-2022",
            "pscore-ecosoc-statement-2023", "pscore-internet-freedom"}
    core_rows = {next(iter(r.values())) for name in CLAIMS for r in rows(name)
                 if r["source_id"] in core and r.get("claim_type") != "derived"}
    all_rows = {next(iter(r.values())) for name in CLAIMS for r in rows(name)}
    assert named <= all_rows
    assert core_rows <= named


def test_one_event_per_happening_with_every_account_kept():
    launch = _find("event_attestations", event_id="evt-koryolink-launch")
    assert len(launch) >= 10 and len({a["source_id"] for a in launch}) == len(launch)
    law = _find("events", event_id="evt-reactionary-law-adoption")[0]
    assert (law["is_disputed"], law["actor"]) == ("true", "")
    assert (law["event_date"], law["event_date_precision"]) == ("2020-12-04", "day")  # the actor dispute, not the date
    merged = {
        "evt-pyongyang-language-act-adoption": {"koreadailyus-language-act-rfa", "wikipedia-pyongyang-language-act",
                                                "idea-democracytracker-2023-01", "asiapress-2023-05-language-act"},
        "evt-intelsat-link-2012": {"rsf-2014-enemies-of-the-internet-north-korea-refworld",
                                   "register-2017-transtelecom"},
    }
    for event_id, sources in merged.items():
        assert {a["source_id"] for a in _find("event_attestations", event_id=event_id)} == sources
    gone = {"evt-pyongyang-language-act-spa-session", "evt-china-netcom-sole-link-until-2012",
            "evt-intelsat-link-2012-2013"}
    assert not gone & {r["event_id"] for r in rows("events")}
    actors = {a["actor"] for a in _find("event_attestations", event_id="evt-reactionary-law-adoption")}
    assert any("Presidium" in a for a in actors) and any("plenary" in a.lower() or a == "Supreme People's Assembly"
                                                         for a in actors), actors


# Pairs of events on one subject, of one kind, whose dates overlap, read in the archive and found to be two happenings.
DISTINCT_HAPPENINGS = {
    frozenset({"evt-kp-nameservers-lame", "evt-kp-interim-star-jv"}): "failure in 2010, then the December fix",
    frozenset({"evt-intelsat-link-2015", "evt-china-unicom-sole-upstream"}): "still on Intelsat; Unicom only",
    frozenset({"evt-koryolink-merger-talks-2015", "evt-koryolink-deconsolidation"}): "talks, then the write-off",
    frozenset({"evt-op-crc-sc-ratification", "evt-op-crc-sc-signature"}): "signature and ratification",
    frozenset({"evt-op-crc-sc-ratification", "evt-op-crc-sc-entry-into-force"}): "ratification and entry into force",
    frozenset({"evt-star-jv-established", "evt-star-jv-address-allocation"}): "founding, then address allocation",
}


def test_events_that_could_be_one_happening_were_reviewed(package):
    """Two events on one subject, of one category, with overlapping dates may be one happening told twice: each
    such pair must have been read in the archive and listed above as two happenings (else merge them)."""
    from nkdigital.core.periods import period_end

    events = package.events().assign(_end=lambda f: period_end(f, "event_date"))
    pairs = set()
    for _, group in events.groupby(["subject", "category"], observed=True):
        for a in group.to_dict("records"):
            for b in group.to_dict("records"):
                if a["event_id"] < b["event_id"] and a["event_date"] <= b["_end"] and b["event_date"] <= a["_end"]:
                    pairs.add(frozenset({a["event_id"], b["event_id"]}))
    assert pairs <= set(DISTINCT_HAPPENINGS), sorted(map(sorted, pairs - set(DISTINCT_HAPPENINGS)))


def test_one_law_is_one_row_name_with_its_adoption_year():
    laws = {r["subject"]: r["event_date"][:4] for r in sorted(_find("events", category="law"),
                                                                 key=lambda r: r["event_date"], reverse=True)}
    domestic = _find("rights_framework", instrument_type="domestic_law")
    assert {r["instrument"] for r in domestic} <= set(laws)
    assert all(r["adoption_year"] == laws[r["instrument"]] for r in domestic)
    years = {r["instrument"]: r["adoption_year"] for r in domestic}
    assert years["Law on Rejecting Reactionary Ideology and Culture"] == "2020"
    assert not any("unnamed" in r["instrument"].lower() for r in rows("rights_framework"))


def test_access_tiers_hold_access_not_plans():
    tiers = rows("access_tiers")
    assert not any("planned" in r["group_name"] or "phone line" in r["group_name"] for r in tiers)
    plan = _find("events", event_id="evt-local-internet-plan-2004")[0]
    assert plan["category"] == "policy"


def test_comparison_rows_for_south_korea_and_the_world():
    geos = {(r["geo"], r["indicator"]) for r in rows("observations")}
    assert {("KOR", "mobile_subscriptions"), ("WLD", "mobile_subscriptions")} <= geos
    assert {r["geo"] for r in rows("observations")} <= {"PRK", "KOR", "WLD"}


def test_at_least_20_of_the_28_documents_added_on_2026_11_30_are_cited(archive):
    added = {p.stem for p in (archive.parent / "archive" / "library").glob("*.txt")
             if "\ncoverage:" in p.read_text(encoding="utf-8").split("\n---\n")[0]}
    cited = {r["source_id"] for r in rows("sources")}
    assert len(added & cited) >= 20


def test_archived_files_are_byte_identical_to_the_intake(archive):
    intake = archive.parent.parent / "shared" / "sources"
    if not (intake / "INDEX.csv").is_file():
        pytest.skip(f"no intake at {intake} to compare with (the shipped hashes are checked above)")
    for copy in rows("source_copies"):
        assert (archive / copy["archive_path"]).read_bytes() == (intake / copy["archive_path"]).read_bytes()
    assert (archive / "INDEX.csv").read_bytes() == (intake / "INDEX.csv").read_bytes()
