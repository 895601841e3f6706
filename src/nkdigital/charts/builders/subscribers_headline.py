"""The subscribers headline: the strongest series of mobile subscriptions as a line, with the operator's own
figures as marks, two labels and one legend."""

from __future__ import annotations

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.charts import credits, house, overlay, palette, ranges
from nkdigital.charts.markup import esc, iso
from nkdigital.charts.skeleton import FIGURES, SHOWN, records
from nkdigital.charts.style import LEGEND_ABOVE
from nkdigital.metadata.roles import chronological
from nkdigital.text import compact, date_of, quantity, quantity_of, when

SERIES_MIN = 5  # a series has at least this many dated figures


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


def _stated(row: pd.Series) -> str:
    """A figure as its row states it, short: '6.35 million', '2.5–3 million', 'more than 2 million'."""
    return quantity(row["value"], row["low"], row["high"], None, row["qualifier"], fmt=compact)


def subscriptions(package: Package | None = None, *, include_weak: bool = False) -> house.HouseFigure:
    """Mobile subscriptions in North Korea: the international (ITU/WDI) series as a line, with the operator's own
    reported figures as marks (ranges as bars), two labels and one legend."""
    package = house.resolve(package)
    figures = _drawable(credits.select(credits.in_geo(package.observations("mobile_subscriptions")), package,
                                       include_weak))
    series, claim = strongest_series(figures, package)
    operator = figures[figures["claim_type"].astype(str) == "operator_report"].sort_values(
        chronological("observations"))
    outlet = credits.outlet(package.sources().set_index("source_id").loc[series["source_id"].iloc[0]])
    series_name = (f"International statistic ({outlet})" if claim == "international_statistic"
                   else f"{outlet} rate × population (derived by nkdigital)")
    legend_name = (f"International statistic · {credits.short_outlet(outlet)}" if claim == "international_statistic"
                   else f"{credits.short_outlet(outlet)} rate × population, derived")
    fig = house.HouseFigure()
    spans, gaps, estimated = _draw_series(fig, series, claim, legend_name)
    op_spans = _draw_operator(fig, operator)
    _label_latest(fig, series, spans[-1].mark, palette.colour("claim_type", claim), operator, op_spans)
    highest = max(s.mark + s.plus for s in [*spans, *op_spans])
    house.set_layout(fig, yaxis={"title": {"text": "Subscriptions"}, "tickformat": "~s", "range": [0, highest * 1.12],
                                 "rangemode": "tozero"}, xaxis={"type": "date"},
                     legend=LEGEND_ABOVE)
    return house.finish(
        fig, _words(series, operator, op_spans, series_name, gaps, estimated),
        house.Box(plot_height=380, margin_left=70, margin_right=40, top_extra=30),
        drawn=credits.source_frame(series, operator), package=package)


def _draw_series(fig: house.HouseFigure, series: pd.DataFrame, claim: str,
                 legend_name: str) -> tuple[list[ranges.Span], int, bool]:
    """The series as a line (broken where a year has no figure) with a mark per figure (open where the data mark
    it as an estimate); its spans, its gaps and whether it has estimates."""
    series_rows = records(series, SHOWN)
    spans = [ranges.span(*(r[c] for c in (*FIGURES, "qualifier"))) for r in series_rows]
    colour = palette.colour("claim_type", claim)
    xs, ys = ranges.gapped(series["ref_date"], [s.mark for s in spans], series["ref_date_precision"])
    fig.add_scatter(x=xs, y=ys, mode="lines", name=esc(legend_name), hoverinfo="skip", legendgroup="series",
                    line={"color": colour, "width": 2.5, "dash": "dash" if palette.is_estimate(claim) else "solid"})
    estimated = [ranges.is_estimate(r) for r in series_rows]
    symbol = palette.symbol("claim_type", claim)
    fig.add_scatter(x=[iso(d) for d in series["ref_date"]], y=[s.mark for s in spans], mode="markers",
                    name=esc(legend_name), showlegend=False, legendgroup="series",
                    marker={"symbol": [f"{symbol}-open" if e else symbol for e in estimated], "size": 7,
                            "color": colour, "line": {"color": colour, "width": 1.5}},
                    customdata=[esc(i) for i in series["observation_id"]],
                    hovertext=[esc(f"{quantity_of(r)} ({date_of(r)})") for r in series_rows],
                    hovertemplate="%{hovertext}<extra></extra>",
                    error_y=ranges.error_bars(spans, colour) if any(x.has_range for x in spans) else None)
    return spans, sum(x is None for x in xs), any(estimated)


def _draw_operator(fig: house.HouseFigure, operator: pd.DataFrame) -> list[ranges.Span]:
    """The operator's reported figures as marks (ranges as bars, open ends as arrows); their spans."""
    operator_rows = records(operator, SHOWN)
    op_spans = [ranges.span(*(r[c] for c in (*FIGURES, "qualifier"))) for r in operator_rows]
    if not len(operator):
        return op_spans
    shade = palette.colour("claim_type", "operator_report")
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
    return op_spans


def _label_latest(fig: house.HouseFigure, series: pd.DataFrame, at: float, colour: str, operator: pd.DataFrame,
                  op_spans: list[ranges.Span]) -> None:
    """Two labels: the series' latest figure (drawn at `at`) and the operator's latest."""
    last = series.iloc[-1]
    labels = [(iso(last["ref_date"]), at, f"{_stated(last)} ({when(last['ref_date'], 'year')})", colour, "latest")]
    if len(operator):
        top = operator.iloc[-1]
        labels.append((iso(top["ref_date"]), op_spans[-1].mark, f"{_stated(top)} (operator,"
                       f" {when(top['ref_date'], top['ref_date_precision'])})",
                       palette.colour("claim_type", "operator_report"), "operator"))
    overlay.add(fig, [dict(x=x, y=y, text=f"<b>{esc(text)}</b>", showarrow=True, arrowhead=0, ax=-20, ay=-28,
                           xanchor="right", font={"size": 12, "color": tint}, name=f"label: {name}")
                      for x, y, text, tint, name in labels])


def _words(series: pd.DataFrame, operator: pd.DataFrame, op_spans: list[ranges.Span], series_name: str, gaps: int,
           estimated: bool) -> house.Words:
    last = series.iloc[-1]
    first_year, last_year = series["ref_date"].min().year, series["ref_date"].max().year
    notes = [f"Line: {esc(series_name)}, one figure a year"
             + (f"; a break where a year has no figure ({gaps} {'gap' if gaps == 1 else 'gaps'})" if gaps else "")
             + ("; open dots: figures the data mark as estimates" if estimated else "")
             + ". Marks: figures the operator reported"
             + (" (bars: ranges; arrows: 'more than' or 'up to')." if any(s.has_range or s.open_up or s.open_down
                                                                          for s in op_spans) else ".")
             + " Subscriptions count SIM lines, not people."]
    description = esc(
        f"Line chart of mobile subscriptions in North Korea, {first_year}–{last_year}, from {series_name}:"
        f" {_stated(series.iloc[0])} in {first_year} to {_stated(last)} in {last_year}."
        + (f" The line breaks where a year has no figure ({gaps} {'gap' if gaps == 1 else 'gaps'})." if gaps else "")
        + f" {len(operator)} figures reported by the operator are marked.")
    return house.Words(
        chart="subscribers-headline", title=esc(f"Mobile subscriptions in North Korea reached {_stated(last)} by"
                                                f" {last_year}"),
        subtitle=esc(f"Subscriptions a year, {first_year}–{last_year}, with the operator's own figures"),
        description=description, notes=notes)


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'subscribers-headline' drawn from `package`."""
    return subscriptions(package, include_weak=include_weak)
