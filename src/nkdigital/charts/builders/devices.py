"""Phone owners and users as estimated, against subscriptions and users as counted: a range (dumbbell) chart."""

from __future__ import annotations

import html

import pandas as pd

from nkdigital import text
from nkdigital.api.package import Package
from nkdigital.charts import credits, house, overlay, palette, placement, ranges, skeleton
from nkdigital.charts.markup import esc, shorten, text_px, wrap
from nkdigital.charts.skeleton import FIGURES
from nkdigital.charts.style import GREY, LIGHT_GREY, WIDTH
from nkdigital.metadata.colours import TEXT
from nkdigital.metadata.roles import ROLES, chronological

MEASURES = {"owners": "{} owners", "users": "{} users", "devices": "{}s in use"}
UNITS = ("people", "devices")
COUNTED = {"mobile_users": "Users (counted)", "mobile_subscriptions": "Subscriptions (counted)"}  # group headings
NATIONAL_MIN = 1000  # smaller figures are per-person or local counts, not national totals
ROW_PX = 36
GROUP_GAP = 1.1
MARGIN_LEFT, MARGIN_RIGHT = 340, 30
LEGEND_TITLE = "Kind of claim:"


def _device_rows(device_estimates: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    frame = device_estimates[device_estimates["measure"].astype(str).isin(MEASURES)
                             & device_estimates["unit"].astype(str).isin(UNITS)]
    frame = frame[frame[FIGURES].notna().any(axis=1)]
    national = frame[FIGURES].max(axis=1) >= NATIONAL_MIN
    frame = frame[national].copy()
    frame["_group"] = frame["measure"].astype(str).map({"owners": 0, "users": 1, "devices": 2})
    frame["_what"] = [f"{MEASURES[str(m)].format(palette.name('device', d))}, {p}" for d, m, p in
                      zip(frame["device"], frame["measure"], frame["population"], strict=True)]
    frame["_id"] = frame["estimate_id"]
    return frame, int((~national).sum())


def _counted_rows(observations: pd.DataFrame, since: pd.Timestamp, names: dict[str, str]) -> pd.DataFrame:
    observations = credits.in_geo(observations)
    frame = observations[observations["indicator"].astype(str).isin(COUNTED) & observations["ref_date"].notna()
                         & (observations["ref_date"] >= since)]
    frame = frame[frame[FIGURES].max(axis=1) >= NATIONAL_MIN]
    # One row per series (a source's figures for one indicator): its most recent figure.
    frame = frame.sort_values(chronological("observations"), kind="stable")
    frame = frame.drop_duplicates(list(ROLES["series"]), keep="last").copy()
    frame["_group"] = frame["indicator"].astype(str).map({name: 3 + i for i, name in enumerate(COUNTED)})
    frame["_what"] = frame["indicator"].astype(str).map(names)
    frame["_id"] = frame["observation_id"]
    return frame


GROUP_TITLES = {0: "Estimated owners", 1: "Estimated users", 2: "Estimated phones in use",
                **{3 + i: title for i, title in enumerate(COUNTED.values())}}




def devices(device_estimates: pd.DataFrame, observations: pd.DataFrame, *, since: str | None = None,
            package: Package | None = None, include_weak: bool = False) -> house.HouseFigure:
    """How many people own or use a mobile phone, as estimated, against subscriptions and users as counted.

    One row per figure, in people, phones or subscriptions on one linear axis: ranges are thick bars from the
    low to the high bound (the dumbbell), single figures a marker; 'more than'/'up to' figures get an arrow.
    Device estimates are drawn when stated in people or devices (derived absolute numbers included);
    counted rows are mobile subscriptions, mobile users and active mobile users, the latest figure of each
    source from `since` (default: the year of the earliest device estimate drawn) on. Rows from weak sources
    are left out unless ``include_weak``; then they are faded.
    """
    package = house.resolve(package)
    frame, small, start = _figures(device_estimates, observations, since, package, include_weak)
    labels = credits.source_labels(package, frame["source_id"].unique(), width=58)
    headings, bottom = _rows_by_group(frame)
    spans = [ranges.span(v, lo, hi, q) for v, lo, hi, q in
             zip(frame["value"], frame["low"], frame["high"], frame["qualifier"], strict=True)]
    frame["_mark"] = [s.mark for s in spans]
    fig = house.HouseFigure()
    palette.claim_legend(fig, dict.fromkeys(frame["claim_type"]))
    annotations = _draw_claims(fig, frame, spans, labels, package)
    overlay.add(fig, annotations, [overlay.hline(heading_y - (GROUP_GAP - 0.1) / 2, {"color": LIGHT_GREY, "width": 1})
                                   for heading_y, _ in headings[1:]])
    _axes(fig, frame, headings, bottom, labels, package)
    _x_axis(fig, annotations, max(s.mark + s.plus for s in spans))
    claims = [palette.name("claim_type", c) for c in dict.fromkeys(frame["claim_type"])]
    # plotly wraps a horizontal legend at the plot's width
    legend_rows = placement.legend_rows(claims, WIDTH - MARGIN_LEFT - MARGIN_RIGHT, title=LEGEND_TITLE)
    return house.finish(
        fig, _words(frame, spans, small, start),
        house.Box(plot_height=int((bottom - GROUP_GAP + 1.1) * ROW_PX), margin_left=MARGIN_LEFT,
                  margin_right=MARGIN_RIGHT, axis_band=72, top_extra=10 + 22 * legend_rows),
        drawn=credits.source_frame(frame), package=package)


def _figures(device_estimates: pd.DataFrame, observations: pd.DataFrame, since: str | None, package: Package,
             include_weak: bool) -> tuple[pd.DataFrame, int, pd.Timestamp]:
    """The figures drawn (device estimates, then counted lines, by group and date); how many estimates are left
    out as per-person or local; the date counted figures are drawn from."""
    estimated, small = _device_rows(credits.select(device_estimates, package, include_weak))
    start = pd.Timestamp(since) if since else (
        pd.Timestamp(year=estimated["ref_date"].min().year, month=1, day=1) if estimated["ref_date"].notna().any()
        else pd.Timestamp("1900-01-01"))
    counted = _counted_rows(credits.select(observations, package, include_weak), start,
                            skeleton.indicator_names(package))
    frame = pd.concat([estimated, counted], ignore_index=True)
    if frame.empty:
        raise ValueError("no device estimates in people or devices and no counted subscriptions or users to draw")
    frame["claim_type"] = frame["claim_type"].astype("string").fillna("media_report").astype(str)
    frame["_estimate"] = frame["claim_type"].map(palette.is_estimate).astype(bool)
    return frame.sort_values(["_group", "ref_date", "_id"], kind="stable").reset_index(drop=True), small, start


def _rows_by_group(frame: pd.DataFrame) -> tuple[list[tuple[float, str]], float]:
    """Give each figure its row (``_y``), top to bottom, a gap and a heading per group; the headings (y, title)
    and the y below the last group."""
    y, ys, headings = 0.0, [], []
    for group, members in frame.groupby("_group", sort=True):
        headings.append((y, GROUP_TITLES[group]))
        ys += [y + 0.9 + i for i in range(len(members))]
        y += 0.9 + len(members) + GROUP_GAP - 1
    frame["_y"] = ys
    return headings, y


def _draw_claims(fig: house.HouseFigure, frame: pd.DataFrame, spans: list, labels: dict[str, str],
                 package: Package) -> list[dict]:
    """One trace of marks and range bars per kind of claim; the open ends' arrows and each figure's label."""
    annotations = []
    for claim, members in frame.groupby("claim_type", sort=False):
        colour = palette.colour("claim_type", claim)
        row_spans = [spans[i] for i in members.index]
        symbol = palette.symbol("claim_type", claim)
        trace = {
            "x": [s.mark for s in row_spans], "y": members["_y"].tolist(), "mode": "markers",
            "name": esc(palette.name("claim_type", claim)), "legendgroup": claim, "showlegend": False,
            "marker": {"symbol": [symbol if s.has_value else "line-ns-open" for s in row_spans], "size": 11,
                       "color": colour, "line": {"color": colour, "width": 2},
                       "opacity": [0.35 if weak else 1.0 for weak in members["_weak"]]},
            "customdata": [esc(i) for i in members["_id"]],
            "hovertext": [_hover(row, labels[row["source_id"]]) for row in members.to_dict("records")],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
        if any(s.has_range for s in row_spans):
            trace["error_x"] = ranges.range_band(row_spans, colour)
        fig.add_scatter(**trace)
        for row, s in zip(members.to_dict("records"), row_spans, strict=True):
            annotations += ranges.open_end_arrows(s, s.mark, row["_y"], colour, row["_id"], horizontal=True,
                                                  length=22)
            annotations.append(_value_label(row, s, package))
    return annotations


def _value_label(row: dict, s: ranges.Span, package: Package) -> dict:
    """The figure as stated, right of its bar; a derived figure beside the stated share it comes from."""
    figure = text.quantity(row["value"], row["low"], row["high"], None, row["qualifier"], fmt=text.compact)
    share = skeleton.stated_share(package, row) if row["claim_type"] == "derived" else None
    if share is not None:
        stated = text.quantity(share["value"], share["low"], share["high"], "share", None)
        figure = f"{stated} ≈ {figure} (our computation)"
    return {"x": s.mark + s.plus, "y": row["_y"], "xref": "x", "yref": "y", "text": esc(figure),
            "showarrow": False, "xanchor": "left", "xshift": 28 if s.open_up else 9,
            "font": {"size": 12, "color": TEXT}, "name": f"value: {esc(row['_id'])}"}


def _axes(fig: house.HouseFigure, frame: pd.DataFrame, headings: list[tuple[float, str]], bottom: float,
          labels: dict[str, str], package: Package) -> None:
    """The y axis: each figure labelled with what it counts, its date and source; the groups' headings."""
    dates = [_dated(row, package) for row in frame.to_dict("records")]
    ticktext = [f"{esc(shorten(what, 50))}<br><span style='font-size:11px;color:{GREY}'>"
                f"{esc(d)} · {esc(shorten(labels[s], max(16, 58 - len(d))))}</span>"
                for what, d, s in zip(frame["_what"], dates, frame["source_id"], strict=True)]
    tickvals = [*frame["_y"], *(h for h, _ in headings)]
    ticktext += [f"<b>{esc(title)}</b>" for _, title in headings]
    house.set_layout(fig, yaxis={"tickvals": tickvals, "ticktext": ticktext,
                                 "range": [bottom - GROUP_GAP + 0.5, -0.6], "showgrid": False, "fixedrange": True,
                                 "tickfont": {"size": 12}})


def _x_axis(fig: house.HouseFigure, annotations: list[dict], highest: float) -> None:
    """The x axis reaches far enough for every value label right of its bar to end inside the plot; the legend
    of kinds of claim above the plot."""
    plot_px = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    reach = max([highest * 1.05] + [
        (a["x"]) / (1 - (a["xshift"] + text_px(html.unescape(a["text"]), a["font"]["size"]) + 4) / plot_px)
        for a in annotations if a.get("name", "").startswith("value: ")])
    house.set_layout(fig, xaxis={"range": [0, reach], "tickformat": "~s", "rangemode": "tozero",
                                 "title": {"text": "People, phones or subscriptions"}},
                     legend={"orientation": "h", "xref": "container", "x": 0.01, "xanchor": "left", "y": 1.0,
                             "yanchor": "bottom", "title": {"text": LEGEND_TITLE}})


def _words(frame: pd.DataFrame, spans: list, small: int, start: pd.Timestamp) -> house.Words:
    estimated = int((frame["_group"] < 3).sum())
    description = esc(
        f"Range chart of {len(frame)} figures in people, phones or subscriptions: {estimated} estimates of"
        f" mobile phone owners, users or phones in use, against {len(frame) - estimated} counted figures for"
        f" subscriptions and users since {start.year} (the latest from each source). Ranges are drawn"
        f" as bars from the low to the high bound; estimates and derived figures are open markers."
    )
    notes = [n for n in (palette.estimate_note(bool(frame["_estimate"].any()), lines=False),
                         " ".join(x for x in (ranges.range_note(spans, up="right", down="left"),
                                              "Subscriptions count SIM lines, not people.") if x)) if n]
    extra = []
    if (frame["claim_type"] == "derived").any():
        extra.append("Derived figures: a stated share × a population figure (the sources of both are credited).")
    if small:
        extra.append(f"{small} per-person or local figure{'s' if small > 1 else ''} (under {NATIONAL_MIN:,})"
                     " left out.")
    if extra:
        notes.append(" ".join(extra))
    return house.Words(
        chart="devices", title="More phones than subscriptions? Estimated owners against counted lines",
        subtitle=f"Mobile phone owners, users and phones in use as estimated, against subscriptions and users as"
                 f" counted (latest figure per source since {start.year})", description=description, notes=notes)


def _dated(row: dict, package: Package) -> str:
    """A row's date as printed: a derived figure is dated by its inputs (the stated share's period, the
    population's year), never by a year its source does not give."""
    share = skeleton.stated_share(package, row) if row["claim_type"] == "derived" else None
    if share is None:
        return text.date_of(row)
    period = text.when(share["ref_date"], share["ref_date_precision"], share["ref_date_end"])
    return f"share {period} × population {row['ref_date'].year}"


def _hover(row: dict, source_name: str) -> str:
    parts = [f"<b>{wrap(row['_what'], 60)}: {esc(text.quantity_of(row))}</b>",
             f"{esc(text.date_of(row))} · {esc(palette.name('claim_type', row['claim_type']))}"]
    if not text.missing(row.get("phrase")):
        parts.append(f"Wording: “{wrap(row['phrase'], 60)}”")
    if not text.missing(row.get("formula")):
        parts.append(f"Formula: {wrap(row['formula'], 60)}")
    parts.append(f"Source: {esc(source_name)}")
    parts.append(f"({esc(row['source_id'])})")
    return "<br>".join(parts)


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'devices' drawn from `package`."""
    return devices(package.device_estimates(), package.observations(), package=package, include_weak=include_weak)
