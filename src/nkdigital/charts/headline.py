"""Headline charts a story can carry as is: the strongest series, ranges where sources give ranges, at most a few
annotations and one legend. The research charts (every source's figure) stay beside them."""

from __future__ import annotations

import math

import pandas as pd

from nkdigital.charts import credits, house, overlay, palette, ranges
from nkdigital.charts.markup import esc, iso
from nkdigital.charts.style import LEGEND_ABOVE
from nkdigital.charts.tiers import LOG_AXIS_TITLE, population_rows, sized_rows
from nkdigital.load import Package
from nkdigital.text import compact, date_of, quantity_of, when

SERIES_MIN = 5  # a series has at least this many dated figures
FIGURES = ["value", "low", "high"]


def _drawable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["ref_date"].notna() & frame[FIGURES].notna().any(axis=1)]


def strongest_series(rows: pd.DataFrame, package: Package) -> tuple[pd.DataFrame, str]:
    """The longest run of one source's figures: international statistics first, else derived rows (an
    international rate times a population). Ties go to the stronger source, then the later end."""
    strength = package.sources().set_index("source_id")["strength"].astype(str)
    rank = {"primary": 0, "secondary": 1}
    for claim in ("international_statistic", "derived"):
        candidates = rows[rows["claim_type"].astype(str) == claim]
        sizes = candidates.groupby("source_id", observed=True).agg(n=("ref_date", "size"), end=("ref_date", "max"))
        sizes = sizes[sizes["n"] >= SERIES_MIN]
        if len(sizes):
            sizes["rank"] = [rank.get(strength.get(i, ""), 2) for i in sizes.index]
            best = sizes.sort_values(["n", "rank", "end"], ascending=[False, True, False], kind="stable").index[0]
            series = candidates[candidates["source_id"] == best].sort_values("ref_date", kind="stable")
            nonzero = series[series[FIGURES].max(axis=1) > 0]
            if len(nonzero):  # one zero before the first non-zero figure, not a decade of zeros
                series = series[series["ref_date"] >= series.loc[series["ref_date"] < nonzero["ref_date"].min(),
                                                                 "ref_date"].max()] \
                    if (series["ref_date"] < nonzero["ref_date"].min()).any() else series
            return series, claim
    raise ValueError(f"no series of at least {SERIES_MIN} international or derived figures to draw")


def subscriptions(package: Package | None = None, *, include_weak: bool = False) -> house.HouseFigure:
    """Mobile subscriptions in North Korea: the international (ITU/WDI) series as a line, with the operator's own
    reported figures as marks (ranges as bars), two labels and one legend."""
    package = house.resolve(package)
    rows = _drawable(credits.select(credits.in_geo(package.observations("mobile_subscriptions")), package,
                                    include_weak))
    series, claim = strongest_series(rows, package)
    operator = rows[rows["claim_type"].astype(str) == "operator_report"].sort_values(["ref_date", "observation_id"])
    outlet = credits.outlet(package.sources().set_index("source_id").loc[series["source_id"].iloc[0]])
    series_name = (f"International statistic ({outlet})" if claim == "international_statistic"
                   else f"{outlet} rate × population (derived by nkdigital)")
    fig = house.HouseFigure()
    series_rows, operator_rows = series.to_dict("records"), operator.to_dict("records")
    spans = [ranges.span(*(r[c] for c in (*FIGURES, "qualifier"))) for r in series_rows]
    colour = palette.colour("claim_type", claim)
    fig.add_scatter(x=[iso(d) for d in series["ref_date"]], y=[s.mark for s in spans], mode="lines+markers",
                    name=esc(series_name), line={"color": colour, "width": 2.5,
                                                 "dash": "dash" if palette.is_estimate(claim) else "solid"},
                    marker={"symbol": palette.symbol("claim_type", claim), "size": 7, "color": colour},
                    customdata=[esc(i) for i in series["observation_id"]],
                    hovertext=[esc(f"{quantity_of(r)} ({date_of(r)})") for r in series_rows],
                    hovertemplate="%{hovertext}<extra></extra>",
                    error_y=ranges.error_bars(spans, colour) if any(x.has_range for x in spans) else None)
    op_spans = [ranges.span(*(r[c] for c in (*FIGURES, "qualifier"))) for r in operator_rows]
    shade = palette.colour("claim_type", "operator_report")
    if len(operator):
        trace = {"x": [iso(d) for d in operator["ref_date"]], "y": [s.mark for s in op_spans], "mode": "markers",
                 "name": "Operator's reported figures",
                 "marker": {"symbol": palette.symbol("claim_type", "operator_report"), "size": 9, "color": shade,
                            "opacity": [0.35 if w else 1.0 for w in operator["_weak"]]},
                 "customdata": [esc(i) for i in operator["observation_id"]],
                 "hovertext": [esc(f"{quantity_of(r)} ({date_of(r)})") for r in operator_rows],
                 "hovertemplate": "%{hovertext}<extra></extra>"}
        if any(s.has_range for s in op_spans):
            trace["error_y"] = ranges.error_bars(op_spans, shade)
        fig.add_scatter(**trace)
        overlay.add(fig, [arrow for x, s, row_id in zip(trace["x"], op_spans, operator["observation_id"], strict=True)
                          for arrow in ranges.open_end_arrows(s, x, s.mark, shade, row_id, horizontal=False,
                                                              length=16)])
    last = series.iloc[-1]
    labels = [(iso(last["ref_date"]), spans[-1].mark, f"{compact(spans[-1].mark)} ({when(last['ref_date'], 'year')})",
               colour, "latest")]
    if len(operator):
        top = operator.iloc[-1]
        labels.append((iso(top["ref_date"]), op_spans[-1].mark, f"{compact(op_spans[-1].mark)} (operator,"
                       f" {when(top['ref_date'], top['ref_date_precision'])})", shade, "operator"))
    overlay.add(fig, [dict(x=x, y=y, text=f"<b>{esc(text)}</b>", showarrow=True, arrowhead=0, ax=-20, ay=-28,
                           xanchor="right", font={"size": 12, "color": tint}, name=f"label: {name}")
                      for x, y, text, tint, name in labels])
    highest = max(s.mark + s.plus for s in [*spans, *op_spans])
    house.set_layout(fig, yaxis={"title": {"text": "Subscriptions"}, "tickformat": "~s", "range": [0, highest * 1.12],
                                 "rangemode": "tozero"}, xaxis={"type": "date"},
                     legend=LEGEND_ABOVE)
    first_year, last_year = series["ref_date"].min().year, series["ref_date"].max().year
    notes = [f"Line: {esc(series_name)}, one figure a year. Marks: figures the operator reported"
             + (" (bars: ranges; arrows: 'more than' or 'up to')." if any(s.has_range or s.open_up or s.open_down
                                                                          for s in op_spans) else ".")
             + " Subscriptions count SIM lines, not people."]
    description = esc(
        f"Line chart of mobile subscriptions in North Korea, {first_year}–{last_year}, from {series_name}:"
        f" {compact(spans[0].mark)} in {first_year} to {compact(spans[-1].mark)} in {last_year}."
        f" {len(operator)} figures reported by the operator are marked.")
    return house.finish(
        fig, chart="subscribers-headline", package=package, drawn=credits.source_frame(series, operator),
        title=esc(f"Mobile subscriptions in North Korea reached {compact(spans[-1].mark)} by {last_year}"),
        subtitle=esc(f"Subscriptions a year, {first_year}–{last_year}, with the operator's own figures"),
        description=description, notes=notes, plot_height=380, margin_left=70, margin_right=40, top_extra=30)


def _bars(fig: house.HouseFigure, names: list[str], spans: list[ranges.Span], colours: list[str],
          texts: list[str], groups: list[pd.DataFrame]) -> None:
    """One horizontal mark per row with its range as a band and its figure written beside it; faded when every
    row behind it comes from a weak source."""
    for k, (name, s, tint, text, rows) in enumerate(zip(names, spans, colours, texts, groups, strict=True)):
        row_ids = " ".join(rows.iloc[:, 0].astype(str))
        fig.add_scatter(x=[s.mark], y=[k], mode="markers+text", name=esc(name), showlegend=False,
                        marker={"size": 14, "color": tint, "symbol": "circle" if s.has_value else "line-ns-open",
                                "line": {"color": tint, "width": 2}, "opacity": [0.35 if rows["_weak"].all() else 1]},
                        error_x=ranges.range_band([s], tint), text=[f"<b>{esc(text)}</b>"],
                        textposition="top center", textfont={"size": 12, "color": tint},
                        customdata=[row_ids], hovertemplate=f"{esc(name)}: %{{text}}<extra></extra>")
    house.set_layout(fig, yaxis={"tickvals": list(range(len(names))), "ticktext": [esc(n) for n in names],
                                 "range": [len(names) - 0.4, -0.7], "showgrid": False, "fixedrange": True,
                                 "tickfont": {"size": 13}})


def _summary(frame: pd.DataFrame) -> ranges.Span:
    """One span for several statements: the median mark, from the lowest bound to the highest."""
    spans = [ranges.span(*(r[c] for c in (*FIGURES, "qualifier")), log=True) for r in frame.to_dict("records")]
    mark = float(pd.Series([s.mark for s in spans]).median())
    low = min(s.mark - s.minus for s in spans)
    high = max(s.mark + s.plus for s in spans)
    return ranges.span(mark, low, high)


def tiers(package: Package | None = None, *, include_weak: bool = False) -> house.HouseFigure:
    """How many people have each level of access: per tier, the median stated size and the range of all
    statements that give one, on a log axis."""
    package = house.resolve(package)
    statements = credits.select(package.access_tiers(), package, include_weak)
    sized, _ = sized_rows(statements, population_rows(package))
    if sized.empty:
        raise ValueError("no access tier rows with a size in people or a share of the population")
    present = [t for t in palette.order("tier") if (sized["tier"].astype(str) == t).any()]
    groups = [sized[sized["tier"].astype(str) == t] for t in present]
    spans = [_summary(g) for g in groups]
    names = [palette.name("tier", t) for t in present]
    texts = [f"{compact(s.mark)} ({len(g)} statement{'s' * (len(g) != 1)})" for s, g in zip(spans, groups,
                                                                                                strict=True)]
    fig = house.HouseFigure()
    _bars(fig, names, spans, [palette.colour("tier", t) for t in present], texts, groups)
    reach = math.log10(max(s.mark + s.plus for s in spans)) + 0.6
    house.set_layout(fig, xaxis={"type": "log", "title": {"text": LOG_AXIS_TITLE}, "tickformat": "~s",
                                 "range": [0, reach]}, showlegend=False)
    description = esc("Chart of the number of people with each level of access in North Korea: "
                      + "; ".join(f"{n.lower()} about {compact(s.mark)} (from {compact(s.mark - s.minus)} to"
                                  f" {compact(s.mark + s.plus)})" for n, s in zip(names, spans, strict=True)) + ".")
    notes = ["Dot: the median of the sizes sources state for a tier; band: from the lowest to the highest."
             " Shares of the population are converted to people with the population figure nearest in time."]
    return house.finish(
        fig, chart="access-tiers-headline", package=package,
        drawn=credits.source_frame(sized.drop(columns="input_ids"), None),
        title=esc(f"{names[0]}: about {compact(spans[0].mark)}; {names[-1].lower()}: about"
                  f" {compact(spans[-1].mark)}" if len(spans) > 1 else f"{names[0]}: about {compact(spans[0].mark)}"),
        subtitle="How many people have each level of access, as sources state it", description=description,
        notes=notes, plot_height=70 * len(present) + 40, margin_left=220, margin_right=40, axis_band=72)


def owners(package: Package | None = None, *, include_weak: bool = False) -> house.HouseFigure:
    """Estimated mobile phone owners (the range of national estimates) against the latest counted
    subscriptions: two rows a story can carry."""
    package = house.resolve(package)
    estimates = credits.select(package.device_estimates("mobile_phone", measure="owners"), package, include_weak)
    estimates = estimates[(estimates["unit"].astype(str) == "people")
                          & (estimates[FIGURES].max(axis=1) >= 1000)]
    counted = _drawable(credits.select(credits.in_geo(package.observations("mobile_subscriptions")), package,
                                       include_weak))
    counted = counted[counted["claim_type"].astype(str).isin(["operator_report", "international_statistic"])]
    if estimates.empty or counted.empty:
        raise ValueError("no national estimates of mobile phone owners or no counted subscriptions to draw")
    latest = counted.sort_values(["ref_date", "observation_id"], kind="stable").iloc[-1:]
    spans = [_summary(estimates), ranges.span(*(latest.iloc[0][c] for c in (*FIGURES, "qualifier")))]
    names = [f"Phone owners, estimated ({len(estimates)} estimates)",
             f"Subscriptions, counted ({date_of(latest.iloc[0])})"]
    fig = house.HouseFigure()
    _bars(fig, names, spans, [palette.colour("claim_type", "analyst_estimate"),
                              palette.colour("claim_type", str(latest.iloc[0]["claim_type"]))],
          [compact(s.mark) for s in spans], [estimates, latest])
    house.set_layout(fig, xaxis={"range": [0, max(s.mark + s.plus for s in spans) * 1.1], "tickformat": "~s",
                                 "title": {"text": "People or subscriptions"}}, showlegend=False)
    description = esc(f"Estimated mobile phone owners in North Korea, about {compact(spans[0].mark)} (from"
                      f" {compact(spans[0].mark - spans[0].minus)} to {compact(spans[0].mark + spans[0].plus)}),"
                      f" against {compact(spans[1].mark)} subscriptions counted ({date_of(latest.iloc[0])}).")
    notes = ["Owners: the median of national estimates, the band from the lowest to the highest. Subscriptions"
             " count SIM lines, not people."]
    return house.finish(
        fig, chart="devices-headline", package=package, drawn=credits.source_frame(estimates, latest),
        title="More phone owners than subscriptions?", description=description, notes=notes,
        subtitle="Estimated owners of a mobile phone against the latest counted subscriptions",
        plot_height=180, margin_left=300, margin_right=40, axis_band=72)
