"""North Korea in context: its press-freedom rank, civil liberties, mobile subscriptions and internet use against
South Korea and the world, one panel per measure, each figure printed as its row states it."""

from __future__ import annotations

import pandas as pd
from plotly.subplots import make_subplots

from nkdigital.api.package import Package
from nkdigital.charts import credits, house
from nkdigital.charts.markup import esc
from nkdigital.charts.style import GREY, LIGHT_GREY, TEMPLATE
from nkdigital.metadata.geos import GEOS
from nkdigital.metadata.roles import ROLES
from nkdigital.text import number

PANEL_PX = 120
MARGIN_LEFT = 130
# (indicator, panel title, whether lower values are freer or better connected, the claim type drawn) in order:
# indices are expert assessments (analyst_estimate), penetration the international statistics, never media figures
PANELS = [
    ("press_freedom_rank_rsf", "Press freedom: rank in RSF's World Press Freedom Index (right is freer)", True,
     "analyst_estimate"),
    ("civil_liberties_index_vdem", "Civil liberties: V-Dem index (right is freer)", False, "analyst_estimate"),
    ("mobile_subscriptions_per_100", "Mobile subscriptions per 100 people (ITU via the World Bank)", False,
     "international_statistic"),
    ("internet_users_share", "Share of the population using the internet (ITU via the World Bank)", False,
     "international_statistic"),
]


def latest_common(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the latest year for which every geo among `rows` has a figure (all sources of that year)."""
    rows = rows[rows["value"].notna()].assign(_year=lambda f: f["ref_date"].dt.year)
    years = rows.groupby("_year")["geo"].nunique()
    common = years[years == rows["geo"].nunique()]
    if common.empty:
        return rows.iloc[0:0]
    return rows[rows["_year"] == common.index.max()].sort_values(list(ROLES["series"]))


def _rows(package: Package, indicator: str, claim_type: str, include_weak: bool) -> pd.DataFrame:
    rows = package.observations(indicator, geo="all", claim_type=claim_type)
    rows = rows[rows["geo"].astype(str).isin(list(GEOS))]
    return latest_common(credits.select(rows, package, include_weak))


def _label(row: dict) -> str:
    return f"{number(row['value'], row['unit'])} ({row['ref_date'].year})"


def _side(value: float, span: list[float]) -> str:
    """Where a label goes: towards the middle of the panel, so that it never runs off either end."""
    share = (float(value) - span[0]) / (span[1] - span[0])
    return "middle right" if share < 0.5 else "middle left"


END_ROOM = 0.03  # of a panel's scale, beyond each end: wider than half a marker on the narrowest export


def _x_range(package: Package, indicator: str, rows: pd.DataFrame, lower: bool) -> list[float]:
    """The panel's scale: the index's own (scale_min to scale_max) where the indicator states both, else zero to
    a little beyond the largest figure, with room at both ends for a whole marker (a 0% sat half outside the plot);
    reversed where lower is freer, so that freer is always to the right."""
    scale = package.indicators().set_index("indicator").loc[indicator, list(ROLES["scale"])]
    low, high = (0.0, float(rows["value"].max()) * 1.15) if scale.isna().any() else (float(scale.iloc[0]),
                                                                                     float(scale.iloc[1]))
    room = (high - low) * END_ROOM
    low, high = low - room, high + room
    return [high, low] if lower else [low, high]


def _draw_panel(fig: house.HouseFigure, row_number: int, rows: pd.DataFrame, span: list[float],
                labels: dict[str, str]) -> None:
    """Panel `row_number`: a trace per place, each figure labelled as its row states it, on the panel's scale."""
    names = {code: geo.name for code, geo in GEOS.items()}
    records = rows.to_dict("records")
    for code in [c for c in GEOS if c in set(rows["geo"].astype(str))]:
        mine = [r for r in records if str(r["geo"]) == code]
        colour = GEOS[code].colour
        fig.add_scatter(
            x=[r["value"] for r in mine], y=[names[code]] * len(mine), mode="markers+text",
            text=[esc(_label(r)) for r in mine], textposition=[_side(r["value"], span) for r in mine],
            textfont={"size": 12, "color": colour}, marker={"size": 13, "color": colour,
                                                             "opacity": [0.35 if r["_weak"] else 1 for r in mine]},
            name=esc(names[code]), legendgroup=code, showlegend=False, row=row_number, col=1,
            customdata=[esc(r["observation_id"]) for r in mine],
            hovertext=[esc(f"{names[code]}: {_label(r)}, {labels[r['source_id']]}") for r in mine],
            hovertemplate="%{hovertext}<extra></extra>")
    axis = "xaxis" if row_number == 1 else f"xaxis{row_number}"
    yaxis = "yaxis" if row_number == 1 else f"yaxis{row_number}"
    house.set_layout(fig, **{
        axis: {"showticklabels": False, "showgrid": True, "gridcolor": LIGHT_GREY, "fixedrange": True,
               "range": span},
        yaxis: {"categoryorder": "array", "categoryarray": [names[c] for c in reversed(GEOS)],
                "range": [-0.6, len(GEOS) - 0.4], "fixedrange": True, "tickfont": {"size": 12, "color": GREY}},
    })


def comparison(package: Package | None = None, *, include_weak: bool = False) -> house.HouseFigure:
    """One panel per measure; in each, North Korea, South Korea and the world (where the source has it) on one
    scale, for the latest year all of them share, labelled with the figure as its row states it and the year."""
    package = house.resolve(package)
    panels = [(indicator, title, lower, _rows(package, indicator, claim, include_weak))
              for indicator, title, lower, claim in PANELS]
    panels = [p for p in panels if len(p[3])]
    if not panels:
        raise ValueError(f"no comparison rows to draw{credits.WEAK_HINT}")
    fig = house.HouseFigure(make_subplots(rows=len(panels), cols=1, vertical_spacing=0.5 / len(panels),
                                          subplot_titles=[esc(p[1]) for p in panels]))
    fig.layout.template = TEMPLATE
    names = {code: geo.name for code, geo in GEOS.items()}
    labels = credits.source_labels(package, pd.concat([p[3]["source_id"] for p in panels]).unique(), width=60)
    for row_number, (indicator, _, lower, rows) in enumerate(panels, start=1):
        _draw_panel(fig, row_number, rows, _x_range(package, indicator, rows, lower), labels)
    drawn = pd.concat([p[3] for p in panels], ignore_index=True)
    description = esc("Four measures of North Korea against South Korea and the world, each for the latest year"
                      " all places share: " + "; ".join(
                          f"{p[1]}: " + ", ".join(f"{names[str(r['geo'])]} {_label(r)}" for r in p[3].to_dict(
                              "records")) for p in panels) + ".")
    notes = ["Each panel: the latest year every place has a figure in the same kind of series; the world where"
             " the source gives it. Ranks and index values are expert assessments, not counts."]
    words = house.Words(
        chart="context-headline",
        title="North Korea in context: near the bottom for press freedom and civil liberties, with far fewer phones"
              " and almost no internet users",
        subtitle="North Korea against South Korea and the world on press freedom, civil liberties, mobile"
                 " subscriptions and internet use; each figure as its source states it, with its year",
        description=description, notes=notes)
    return house.finish(fig, words, house.Box(plot_height=PANEL_PX * len(panels), margin_left=MARGIN_LEFT,
                                              axis_band=24), drawn=credits.source_frame(drawn), package=package)


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'context-headline' drawn from `package`."""
    return comparison(package, include_weak=include_weak)
