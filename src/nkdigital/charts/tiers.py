"""Access tiers scaled by population: who can reach what, on a log axis of people, with every range."""

from __future__ import annotations

import math

import pandas as pd

from nkdigital.charts import house
from nkdigital.charts.house import esc, label, wrap
from nkdigital.cite import _bundled
from nkdigital.load import Package

TIER_NAMES = {
    "global_internet": "Global internet",
    "monitored_global_internet": "Monitored global internet",
    "national_intranet": "National intranet only",
    "no_network_access": "No network access",
}
TIER_COLOURS = {
    "global_internet": house.OKABE_ITO["vermillion"],
    "monitored_global_internet": house.OKABE_ITO["orange"],
    "national_intranet": house.OKABE_ITO["blue"],
    "no_network_access": house.OKABE_ITO["reddish_purple"],
}
ROW_PX = 36
LOG_MAX = 8.6  # x axis up to 10**8.6 people
GROUP_GAP = 1.0


def _tiers(frame: pd.DataFrame) -> list[str]:
    column = frame["tier"]
    order = [str(c) for c in column.cat.categories] if hasattr(column, "cat") else sorted(TIER_NAMES)
    present = set(column.astype(str))
    return [t for t in order if t in present]


def _population(package: Package) -> pd.DataFrame:
    rows = package.observations("population")
    rows = rows[rows["value"].notna() & rows["ref_date"].notna()].copy()
    rows["_official"] = ~rows["claim_type"].astype(str).eq("international_statistic")
    return rows


def _nearest(population: pd.DataFrame, date: object) -> pd.Series:
    """The population row nearest in time to `date` (international statistics first, then by id)."""
    when = pd.Timestamp(date) if not house.missing(date) else population["ref_date"].max()
    distance = (population["ref_date"] - when).abs()
    ranked = population.assign(_distance=distance).sort_values(["_official", "_distance", "observation_id"])
    return ranked.iloc[0]


def _sized(tiers: pd.DataFrame, population: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows with a size in people (shares converted with the population nearest in time), and the rest."""
    has_size = tiers[["value", "low", "high"]].notna().any(axis=1)
    unit = tiers["unit"].astype(str)
    sized = tiers[has_size & unit.isin(["people", "share"])].copy()
    rest = tiers[~tiers.index.isin(sized.index)].copy()
    sized["input_ids"] = pd.Series(pd.NA, index=sized.index, dtype="string")
    sized["_converted"] = False
    sized["_population"] = ""
    for i in sized.index[sized["unit"].astype(str) == "share"]:
        pop = _nearest(population, sized.at[i, "ref_date"])
        for column in ("value", "low", "high"):
            if not house.missing(sized.at[i, column]):
                sized.at[i, column] = round(float(sized.at[i, column]) * float(pop["value"]))
        sized.at[i, "input_ids"] = pop["observation_id"]
        sized.at[i, "_converted"] = True
        sized.at[i, "_population"] = (f"{house.number(pop['value'])} people"
                                      f" ({pop['ref_date'].year}, {pop['observation_id']})")
    return sized, rest


def _hover(row: pd.Series, source_name: str, original: pd.Series) -> str:
    stated = house.quantity(original["value"], original["low"], original["high"], original["unit"],
                            original["qualifier"])
    parts = [f"<b>{wrap(row['group_name'], 60)}</b>",
             f"{esc(TIER_NAMES.get(str(row['tier']), label(row['tier'])))} · "
             f"{esc(house.when(row['ref_date'], row['ref_date_precision']))}",
             f"Stated: {esc(stated)}" + (f" (“{wrap(row['phrase'], 50)}”)" if not house.missing(row["phrase"])
                                         else "")]
    if row["_converted"]:
        drawn = house.quantity(row["value"], row["low"], row["high"], "people", row["qualifier"])
        parts.append(f"Drawn as {esc(drawn)}: share × population of {esc(row['_population'])}")
    if not house.missing(row.get("conditions")):
        parts.append(f"Conditions: {wrap(row['conditions'], 60)}")
    parts.append(f"Source: {esc(source_name)}")
    parts.append(f"({esc(row['source_id'])})")
    return "<br>".join(parts)


def _unsized_note(rest: pd.DataFrame) -> str:
    parts = []
    for tier in _tiers(rest) if len(rest) else []:
        names = rest.loc[rest["tier"].astype(str) == tier, "group_name"].dropna().astype(str)
        unique = sorted({" ".join(n.split()): None for n in names}, key=str.casefold)
        deduped = list({n.casefold(): n for n in unique}.values())
        parts.append(f"{TIER_NAMES.get(tier, label(tier)).lower()}: {'; '.join(deduped)}")
    return esc("Groups placed in a tier with no stated size — " + " | ".join(parts) + ".")


def access_tiers(tiers: pd.DataFrame, *, package: Package | None = None) -> house.HouseFigure:
    """Who can reach what: each statement of a group's size, by access tier, on a log axis of people.

    Ranges ('a few thousand' = 2,000–5,000 by the package's reading rule) are bars from the low to the high
    bound, single figures markers; shares of the population are converted to people with the population
    figure nearest in time (and drawn hollow, as estimates, like every vague range). Groups with no stated
    size are listed in a note. A dotted line marks the whole population.
    """
    package = package or _bundled()
    population = _population(package)
    sized, rest = _sized(tiers, population)
    if sized.empty:
        raise ValueError("no access tier rows with a size in people or a share of the population")
    tier_order = _tiers(sized)
    sized["_tier_order"] = sized["tier"].astype(str).map({t: i for i, t in enumerate(tier_order)})
    spans = {i: house.span(r["value"], r["low"], r["high"], r["qualifier"], log=True) for i, r in sized.iterrows()}
    sized["_mark"] = pd.Series({i: s.mark for i, s in spans.items()})
    sized = sized.sort_values(["_tier_order", "_mark", "tier_id"], kind="stable")
    sized["_estimate"] = sized["_converted"] | sized["qualifier"].astype(str).eq("range")
    labels = house.source_labels(package, sized["source_id"].unique(), width=56)

    y, ys, headings = 0.0, {}, []
    for tier in tier_order:
        rows = sized.index[sized["tier"].astype(str) == tier]
        headings.append((y, TIER_NAMES.get(tier, label(tier))))
        for k, i in enumerate(rows):
            ys[i] = y + 0.9 + k
        y += 0.9 + len(rows) + GROUP_GAP - 1
    sized["_y"] = pd.Series(ys)

    whole = _nearest(population, sized["ref_date"].max())
    fig = house.HouseFigure()
    annotations = []
    for tier in tier_order:
        colour = TIER_COLOURS.get(tier, house.GREY)
        rows = sized[sized["tier"].astype(str) == tier]
        row_spans = [spans[i] for i in rows.index]
        symbols = [house.hollow("circle", e) if s.has_value else "line-ns-open"
                   for s, e in zip(row_spans, rows["_estimate"], strict=True)]
        trace = {
            "x": [s.mark for s in row_spans], "y": rows["_y"].tolist(), "mode": "markers",
            "name": esc(TIER_NAMES.get(tier, label(tier))),
            "marker": {"symbol": symbols, "size": 11, "color": colour, "line": {"color": colour, "width": 2}},
            "customdata": [esc(i) for i in rows["tier_id"]],
            "hovertext": [_hover(r, labels[r["source_id"]], tiers.loc[i]) for i, r in rows.iterrows()],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
        if any(s.has_range for s in row_spans):
            trace["error_x"] = {"type": "data", "symmetric": False, "array": [s.plus for s in row_spans],
                                "arrayminus": [s.minus for s in row_spans], "color": house.rgba(colour, 0.45),
                                "thickness": 9, "width": 0, "visible": True}
        fig.add_scatter(**trace)
        for (i, row), s in zip(rows.iterrows(), row_spans, strict=True):
            for direction, flag in (("right", s.open_up), ("left", s.open_down)):
                if flag:
                    annotations.append(house.open_end_arrow(math.log10(s.mark), row["_y"], direction, colour,
                                                            row["tier_id"], length=22))
            original = tiers.loc[i]
            text = house.quantity(original["value"], original["low"], original["high"], original["unit"],
                                  original["qualifier"], fmt=house.compact)
            if row["_converted"]:
                text += f" ≈ {house.quantity(row['value'], row['low'], row['high'], None, None, fmt=house.compact)}"
            # annotations on a log axis take log10 positions (shapes and traces take the values);
            # labels that would run off the right edge go to the left of the bar instead
            right_end = math.log10(s.mark + s.plus)
            left = right_end > LOG_MAX - 1.6
            annotations.append({"x": round(math.log10(s.mark - s.minus) if left else right_end, 4), "xref": "x",
                                "y": row["_y"], "yref": "y", "text": esc(text), "showarrow": False,
                                "xanchor": "right" if left else "left",
                                "xshift": -9 if left else (28 if s.open_up else 9), "font": {"size": 12},
                                "bgcolor": "rgba(255,255,255,0.8)", "name": f"value: {esc(row['tier_id'])}"})
    for annotation in annotations:
        fig.add_annotation(**annotation)
    fig.add_vline(x=float(whole["value"]), line={"color": house.GREY, "width": 1, "dash": "dot"})
    fig.add_annotation(x=round(math.log10(float(whole["value"])), 4), xref="x", y=1, yref="paper",
                       yanchor="bottom", xanchor="right",
                       text=f"Whole population ≈ {esc(house.compact(whole['value']))} ({whole['ref_date'].year})",
                       showarrow=False, font={"size": 11, "color": house.GREY}, name="population line")
    for heading_y, _ in headings[1:]:
        fig.add_hline(y=heading_y - (GROUP_GAP - 0.1) / 2, line={"color": house.LIGHT_GREY, "width": 1})

    ticktext = []
    for _, r in sized.iterrows():
        date = house.when(r["ref_date"], r["ref_date_precision"])
        source = house.shorten(labels[r["source_id"]], 56 - len(date))
        ticktext.append(f"{esc(house.shorten(house.capital(r['group_name']), 48))}<br><span style='font-size:11px;"
                        f"color:{house.GREY}'>{esc(date)} · {esc(source)}</span>")
    tickvals = [*sized["_y"], *(h for h, _ in headings)]
    ticktext += [f"<b>{esc(text)}</b>" for _, text in headings]
    fig.update_yaxes(tickvals=tickvals, ticktext=ticktext, range=[y - GROUP_GAP + 0.5, -0.6], showgrid=False,
                     fixedrange=True, tickfont={"size": 12})
    fig.update_xaxes(type="log", range=[0, LOG_MAX], title_text="People (log scale: each step is ten times more)",
                     tickvals=[10**k for k in range(9)],
                     ticktext=["1", "10", "100", "1,000", "10,000", "100,000", "1 million", "10 million",
                               "100 million"])
    fig.update_layout(showlegend=False)

    notes = ["Bars run from a range's low to its high bound ('a few thousand' = 2,000–5,000, 'a handful' = 2–10,"
             " 'most' = 50–100%, by the package's reading rules); a dash marks a range with no single figure."
             " Hollow: vague ranges and shares converted to people.",
             f"Shares are converted to people with the population figure nearest in time; dotted line: population"
             f" {house.number(whole['value'])} ({whole['ref_date'].year})."]
    if len(rest):
        notes.append(_unsized_note(rest))
    drawn_rest = rest if len(rest) else None
    used = {whole["observation_id"], *sized["input_ids"].dropna()}
    population_rows = population[population["observation_id"].isin(used)]
    description = esc(
        f"Range chart on a log scale of {len(sized)} statements of how many people have each level of access:"
        + "".join(f" {TIER_NAMES.get(t, label(t)).lower()} {int((sized['tier'].astype(str) == t).sum())};"
                  for t in tier_order)
        + f" from a handful of people to the whole population of about {house.compact(whole['value'])}."
        f" {len(rest)} more statements name a group without a size; they are listed in a note."
    )
    return house.finish(
        fig, chart="access-tiers", package=package,
        drawn=house.source_frame(sized.drop(columns="input_ids"), drawn_rest, population_rows),
        title="A few thousand online, millions on the intranet or off: access tiers by size",
        subtitle="Every stated size of a group with each level of access, in people, on a log scale",
        description=description, notes=notes, plot_height=int((y - GROUP_GAP + 1.1) * ROW_PX),
        margin_left=330, margin_right=40, axis_band=64, top_extra=10,
    )


