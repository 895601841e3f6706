"""The rights framework: when the DPRK ratified each instrument, and the articles and goals at stake."""

from __future__ import annotations

import pandas as pd

from nkdigital import text
from nkdigital.api.package import Package
from nkdigital.charts import credits, house, overlay, palette, placement, skeleton
from nkdigital.charts.markup import esc, shorten, wrap
from nkdigital.charts.style import GREY, LEGEND_ABOVE, WIDTH
from nkdigital.metadata.colours import BAND, WHITE

ROW_PX = 52
BAND_YEARS = 9  # width of the 'no year stated' band right of the time axis
MARGIN_LEFT, MARGIN_RIGHT = 360, 30


def _provisions(rows: pd.DataFrame) -> list[str]:
    named = rows["provision"].dropna().astype(str)
    return list(dict.fromkeys(" ".join(p.split()) for p in sorted(named, key=str.casefold)))


def _hover(instrument: str, kind: str, year: object, rows: pd.DataFrame, labels: dict[str, str]) -> str:
    stated = f"ratified or acceded {esc(year)}" if not text.missing(year) else "no ratification year stated"
    parts = [f"<b>{wrap(instrument, 60)}</b>", f"{esc(palette.name('instrument_type', kind))} · {stated}"]
    for row in skeleton.records(rows, rows.columns):
        provision = esc(row["provision"]) if not text.missing(row["provision"]) else "General"
        parts.append(f"• <b>{provision}</b>: {wrap(row['relevance'], 70, sep='<br>  ')}")
        parts.append(f"  <i>{esc(labels[row['source_id']])}</i>")
    return "<br>".join(parts)


def rights(rights_framework: pd.DataFrame, *, package: Package | None = None,
           include_weak: bool = False) -> house.HouseFigure:
    """Instruments on y, the DPRK's ratification year on x; under each name, the articles or goals at stake.

    One marker per instrument and stated year (different years from different sources stay separate marks).
    Instruments with no ratification year (declarations, goals, resolutions, domestic laws) sit in a band
    to the right of the time axis. Hover lists every provision with why it matters and its source.
    """
    package = house.resolve(package)
    frame, types = _provisions_by_type(rights_framework, package, include_weak)
    labels = credits.source_labels(package, frame["source_id"].unique(), width=50)
    instruments = _instruments(frame)
    dated = frame["_year"].dropna()
    start = int(dated.min()) if len(dated) else 1948
    end = max(int(dated.max()) if len(dated) else 2026, start + 10)
    lo, hi = start - 6, end + 5
    band = hi + 2 + BAND_YEARS / 2
    has_band = bool(frame["_year"].isna().any())
    rows_y = {name: i for i, name in enumerate(instruments["instrument"])}
    fig = house.HouseFigure()
    for kind in [t for t in types if t in set(frame["instrument_type"])]:
        _draw_type(fig, kind, frame[frame["instrument_type"] == kind], rows_y, band, labels)
    if has_band:
        overlay.add(fig, [dict(x=band, xref="x", y=1, yref="paper", yanchor="top", yshift=-4, showarrow=False,
                               text="No ratification<br>year stated", font={"size": 11, "color": GREY},
                               name="band label")],
                    [overlay.vrect(hi + 2, hi + 2 + BAND_YEARS, fillcolor=BAND, line={"width": 0}, layer="below")])
    _axes(fig, frame, instruments, lo, hi, has_band)
    legend = [palette.name("instrument_type", t) for t in set(frame["instrument_type"])]
    return house.finish(
        fig, _words(instruments), house.Box(
            plot_height=len(rows_y) * ROW_PX + 20, margin_left=MARGIN_LEFT, margin_right=MARGIN_RIGHT, axis_band=72,
            # the legend above the plot: plotly wraps a horizontal legend at the plot's width
            top_extra=12 + 22 * placement.legend_rows(legend, WIDTH - MARGIN_LEFT - MARGIN_RIGHT), narrow_steps=True),
        drawn=credits.source_frame(frame), package=package)


def _provisions_by_type(rights_framework: pd.DataFrame, package: Package,
                        include_weak: bool) -> tuple[pd.DataFrame, list[str]]:
    """The provisions drawn, each with its ratification year (``_year``) and its type's place; the types in order."""
    frame = skeleton.drawable(rights_framework, package, include_weak, "rights-framework rows")
    frame["instrument_type"] = frame["instrument_type"].astype(str)
    frame["_year"] = frame["ratification_year"].astype("Int64")
    known = palette.order("instrument_type")
    types = known + sorted(set(frame["instrument_type"]) - set(known))
    frame["_type_order"] = frame["instrument_type"].map({t: i for i, t in enumerate(types)})
    return frame, types


def _instruments(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per instrument, top to bottom: by first ratification year (those without one last), then type."""
    firsts = frame.groupby("instrument")["_year"].min()
    return (frame.drop_duplicates("instrument")
            .assign(_first=lambda f: f["instrument"].map(firsts))
            .assign(_dated=lambda f: f["_first"].isna())
            .sort_values(["_dated", "_first", "_type_order", "instrument"], kind="stable"))


def _draw_type(fig: house.HouseFigure, kind: str, subset: pd.DataFrame, rows_y: dict[str, int], band: float,
               labels: dict[str, str]) -> None:
    """One trace for an instrument type: a mark per instrument and stated year (in the band when none)."""
    colour = palette.colour("instrument_type", kind)
    xs, ys, texts, hovers, ids, faded = [], [], [], [], [], []
    for (instrument, year), provisions in subset.groupby(["instrument", "_year"], dropna=False, sort=True):
        missing = text.missing(year)
        xs.append(band if missing else int(year))
        ys.append(rows_y[instrument])
        texts.append("" if missing else str(int(year)))
        hovers.append(_hover(instrument, kind, None if missing else int(year), provisions, labels))
        ids.append(" ".join(esc(i) for i in provisions["framework_id"]))
        faded.append(0.35 if provisions["_weak"].all() else 1.0)
    fig.add_scatter(x=xs, y=ys, mode="markers+text", text=texts, textposition="middle right",
                    textfont={"size": 12, "color": colour}, name=esc(palette.name("instrument_type", kind)),
                    marker={"size": 13, "color": colour, "symbol": palette.symbol("instrument_type", kind),
                            "line": {"color": WHITE, "width": 1}, "opacity": faded},
                    customdata=ids, hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>")


def _axes(fig: house.HouseFigure, frame: pd.DataFrame, instruments: pd.DataFrame, lo: int, hi: int,
          has_band: bool) -> None:
    """The y axis: each instrument's name over the articles or goals at stake; the x axis of years from `lo` to
    `hi`, and the band of instruments without a year right of it."""
    ticktext = []
    for row in instruments.to_dict("records"):
        provisions = _provisions(frame[frame["instrument"] == row["instrument"]])
        at_stake = "; ".join(provisions) if provisions else "no article named"
        name = "<br>".join(wrap(row["instrument"], 50).split("<br>")[:2])
        ticktext.append(f"{name}<br><span style='font-size:11px;"
                        f"color:{GREY}'>{esc(shorten(at_stake, 60))}</span>")
    house.set_layout(fig, yaxis={"tickvals": list(range(len(instruments))), "ticktext": ticktext,
                                 "range": [len(instruments) - 0.4, -0.6], "showgrid": True, "fixedrange": True,
                                 "tickfont": {"size": 12}})
    tick_years = list(range((lo // 10 + 1) * 10, hi + 1, 10))
    house.set_layout(fig, xaxis={"range": [lo, hi + 2 + BAND_YEARS if has_band else hi], "tickvals": tick_years,
                                 "ticktext": [str(y) for y in tick_years],
                                 "title": {"text": "Year of ratification or accession"}},
                     legend=LEGEND_ABOVE)


def _words(instruments: pd.DataFrame) -> house.Words:
    treaties = instruments[~instruments["_dated"]]
    description = esc(
        f"Chart of {len(instruments)} international instruments and laws that sources connect to internet access"
        f" in North Korea. {len(treaties)} instruments carry a ratification or accession year: "
        + "; ".join(f"{r['instrument']} {int(r['_first'])}" for r in treaties.to_dict("records"))
        + f". {len(instruments) - len(treaties)} more (declarations, goals, resolutions and DPRK laws) have no such"
        " year and sit in a separate band. Under each name: the articles or goals at stake."
    )
    notes = ["Years as the sources state them. Under each name, the articles or goals sources cite; hover for"
             " why each matters for internet access and who says so."]
    return house.Words(
        chart="rights", title="Rights at stake: what the DPRK has ratified, and what applies to internet access",
        subtitle="International instruments by year of ratification or accession, with the articles and goals"
                 " sources connect to internet access; DPRK laws that restrict it",
        description=description, notes=notes)


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'rights' drawn from `package`."""
    return rights(package.rights_framework(), package=package, include_weak=include_weak)
