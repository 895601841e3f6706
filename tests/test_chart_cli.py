"""`nkdigital chart NAME OUT`: one chart in the format OUT's suffix names; clear errors, nothing half-written."""

from __future__ import annotations

import pandas as pd
import pytest

from nkdigital import __version__, cli
from nkdigital.charts.registry import CHARTS


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_version_and_list(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"nkdigital {__version__}"
    code, out, _ = run(capsys, "chart", "--list")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == list(CHARTS)


def test_csv_holds_the_rows_drawn_with_outlet_url_quote_and_terms(capsys, tmp_path, package):
    out = tmp_path / "subscribers.csv"
    code, said, _ = run(capsys, "chart", "subscribers-headline", str(out))
    assert code == 0 and str(out) in said
    data = pd.read_csv(out)
    for column in ("date", "value", "low", "high", "unit", "outlet", "url", "quote", "source_id",
                   "chart_source_line", "chart_terms", "restricts_reuse"):
        assert column in data
    assert len(data) and data["quote"].notna().all() and data["outlet"].notna().all()
    assert data["chart_source_line"].nunique() == 1 and len(data["chart_source_line"].iloc[0]) <= 160
    ids = set(package.observations()["observation_id"])
    assert set(data["row_id"]) <= ids
    assert out.stat().st_mode & 0o644 == 0o644


def test_csv_of_a_chart_with_derived_rows_marks_them_and_holds_every_input(capsys, tmp_path, package):
    out = tmp_path / "devices.csv"
    assert run(capsys, "chart", "devices-headline", str(out))[0] == 0
    data = pd.read_csv(out, dtype=str).set_index("row_id")
    derived = data[data["claim_type"] == "derived"]
    assert {"dev-mobile-owners-adults-derived-cia2023", "obs-pop-15-plus-2023-derived-cia2023"} <= set(derived.index)
    assert derived["formula"].notna().all() and derived["input_ids"].notna().all()
    inputs = {i for cell in derived["input_ids"] for i in cell.split()}
    assert inputs <= set(data.index)  # the stated rows the computed ones come from, each with its own source
    assert set(data.loc[sorted(inputs), "in_chart"]) == {"input of a derived row"}
    assert data.loc["dev-mobile-ownership-adults-digwatch-core", ["low", "high"]].tolist() == ["0.5", "0.8"]
    assert data.loc["obs-population-2023-cia2023", "outlet"] == "US Central Intelligence Agency (The World Factbook)"
    assert set(data["in_chart"]) == {"drawn", "input of a derived row"}


def test_html_is_written_through_the_chart_page(capsys, tmp_path):
    out = tmp_path / "tiers.html"
    code, _, _ = run(capsys, "chart", "access-tiers-headline", str(out))
    assert code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(("argv", "message"), [
    (("chart", "nope", "x.png"), "unknown chart 'nope'"),
    (("chart", "subscribers", "x.gif"), "suffix must be one of .png, .svg, .pdf, .html, .csv"),
    (("chart", "subscribers"), "give a chart NAME and an OUT file"),
])
def test_bad_requests_are_refused_clearly_and_write_nothing(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "chart", "rights", str(tmp_path / "no" / "x.csv"))
    assert code != 0 and "no folder" in err and not (tmp_path / "no").exists()


@pytest.mark.browser
def test_images_at_the_size_asked(capsys, tmp_path):
    png, pdf = tmp_path / "s.png", tmp_path / "s.pdf"
    assert run(capsys, "chart", "subscribers-headline", str(png), "--width", "600", "--height", "500")[0] == 0
    assert run(capsys, "chart", "subscribers-headline", str(pdf))[0] == 0
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (1200, 1000)  # scale 2
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.pdf", "s.png"]  # no temporary left behind


def test_the_readers_table_credits_a_derived_row_as_our_computation_never_to_one_source(package):
    import nkdigital as nk
    from nkdigital.export.chart_table import reader_rows

    table = reader_rows(nk.charts.chart("devices-headline", package), package).set_index("row_id")
    assert table.loc["dev-mobile-owners-adults-derived-cia2023", "Source"] == (
        "Our computation from Digital Watch Observatory (dig.watch) and US Central Intelligence Agency (The World"
        " Factbook)")
    assert table.loc["obs-mobile-subs-2022-wdi", "Source"] == "World Bank (World Development Indicators)"


def test_csv_with_weak_rows_says_which_are_weak(capsys, tmp_path, package):
    rated = package.sources().set_index("source_id")["strength"].astype(str)
    strengths = {}
    for name, options in (("all", ["--include-weak"]), ("default", [])):
        out = tmp_path / f"{name}.csv"
        assert run(capsys, "chart", "subscribers-headline", str(out), *options)[0] == 0
        data = pd.read_csv(out, dtype=str)
        assert data["strength"].tolist() == data["source_id"].map(rated).tolist()
        strengths[name] = set(data["strength"])
    assert "weak" in strengths["all"] and "weak" not in strengths["default"]
