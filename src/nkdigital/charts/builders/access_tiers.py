"""Access tiers scaled by population: who can reach what, on a log axis of people, with every range."""

from __future__ import annotations

import math

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.charts import credits, house, overlay, palette, ranges
from nkdigital.charts.markup import esc, shorten, text_px, wrap
from nkdigital.charts.style import GREY, LIGHT_GREY, PAD, WIDTH
from nkdigital.text import capital, compact, date_of, missing, number, quantity

ROW_PX = 26  # px per row of the chart (one statement, or a tier's heading)
LOG_MAX = 8.6  # x axis up to 10**8.6 people
LOG_AXIS_TITLE = "People (log scale: each step is ten times more)"
GROUP_GAP = 0.7  # extra rows of space before each tier's heading
NAME_CHARS = 44  # row labels: the group's name cut to this many characters (the full name is in the hover)
MARGIN_LEFT, MARGIN_RIGHT = 300, 40
PLOT_PX = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
VALUE_FONT = 11


def _tiers(frame: pd.DataFrame) -> list[str]:
    column = frame["tier"]
    order = [str(c) for c in column.cat.categories] if hasattr(column, "cat") else palette.order("tier")
    present = set(column.astype(str))
    return [t for t in order if t in present]


def population_rows(package: Package) -> pd.DataFrame:
    rows = credits.select(credits.in_geo(package.observations("population")), package)
    rows = rows[rows["value"].notna() & rows["ref_date"].notna()].copy()
    rows["_official"] = ~rows["claim_type"].astype(str).eq("international_statistic")
    return rows


def _nearest(population: pd.DataFrame, date: object) -> pd.Series:
    """The population row nearest in time to `date` (international statistics first, then by id)."""
    when = pd.Timestamp(date) if not missing(date) else population["ref_date"].max()
    distance = (population["ref_date"] - when).abs()
    ranked = population.assign(_distance=distance).sort_values(["_official", "_distance", "observation_id"])
    return ranked.iloc[0]


def sized_rows(tiers: pd.DataFrame, population: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows with a size in people (shares of the population converted with the population nearest in time), and
    the rest (a share of households is no number of people: it stays as stated, off the people axis)."""
    has_size = tiers[["value", "low", "high"]].notna().any(axis=1)
    unit = tiers["unit"].astype(str)
    of_people = (tiers["share_of"].isna() | (tiers["share_of"].astype(str) == "population")) if "share_of" in tiers \
        else True
    sized = tiers[has_size & ((unit == "people") | ((unit == "share") & of_people))].copy()
    rest = tiers[~tiers.index.isin(sized.index)].copy()
    sized["input_ids"] = pd.Series(pd.NA, index=sized.index, dtype="string")
    sized["_converted"] = False
    sized["_population"] = ""
    for i in sized.index[sized["unit"].astype(str) == "share"]:
        pop = _nearest(population, sized.at[i, "ref_date"])
        for column in ("value", "low", "high"):
            if not missing(sized.at[i, column]):
                sized.at[i, column] = round(float(sized.at[i, column]) * float(pop["value"]))
        sized.at[i, "input_ids"] = pop["observation_id"]
        sized.at[i, "_converted"] = True
        sized.at[i, "_population"] = (f"{number(pop['value'])} people"
                                      f" ({pop['ref_date'].year}, {pop['observation_id']})")
    return sized, rest


def _hover(row: dict, source_name: str, original: dict) -> str:
    stated = quantity(original["value"], original["low"], original["high"], original["unit"],
                            original["qualifier"])
    parts = [f"<b>{wrap(row['group_name'], 60)}</b>",
             f"{esc(palette.name('tier', str(row['tier'])))} · "
             f"{esc(date_of(row))}",
             f"Stated: {esc(stated)}" + (f" (“{wrap(row['phrase'], 50)}”)" if not missing(row["phrase"])
                                         else "")]
    if row["_converted"]:
        drawn = quantity(row["value"], row["low"], row["high"], "people", row["qualifier"])
        parts.append(f"Drawn as {esc(drawn)}: share × population of {esc(row['_population'])}")
    if not missing(row.get("conditions")):
        parts.append(f"Conditions: {wrap(row['conditions'], 60)}")
    parts.append(f"Source: {esc(source_name)}")
    parts.append(f"({esc(row['source_id'])})")
    return "<br>".join(parts)


def _unsized(rest: pd.DataFrame, tiers: list[str]) -> dict[str, list[str]]:
    """Per tier, the distinct names (raw) of groups placed in it without a size in people, sorted."""
    names = {}
    for tier in tiers:
        column = rest.loc[rest["tier"].astype(str) == tier, "group_name"].dropna().astype(str)
        unique = sorted({" ".join(n.split()): None for n in column}, key=str.casefold)
        names[tier] = list({n.casefold(): n for n in unique}.values())
    return names


def _examples(sized: pd.DataFrame, tiers: pd.DataFrame) -> list[str]:
    """Up to two raw examples of the reading rule behind the drawn ranges, from the data: the commonest
    phrase of a range in people, and the shortest of a range given as a share."""
    ranged = sized[sized["value"].isna() & sized["low"].notna() & sized["high"].notna() & sized["phrase"].notna()]
    examples = []
    for unit, pick in (("people", "common"), ("share", "short")):
        rows = ranged[tiers.loc[ranged.index, "unit"].astype(str) == unit]
        if rows.empty:
            continue
        phrases = rows["phrase"].astype(str).str.strip()
        phrase = phrases.value_counts().index[0] if pick == "common" else min(phrases, key=len)
        original = tiers.loc[phrases[phrases == phrase].index[0]]
        stated = quantity(original["value"], original["low"], original["high"], original["unit"],
                                original["qualifier"])
        examples.append(f"'{phrase}' = {stated}")
    return examples


def access_tiers(tiers: pd.DataFrame, *, package: Package | None = None,
                 include_weak: bool = False) -> house.HouseFigure:
    """Who can reach what: each statement of a group's size, by access tier, on a log axis of people.

    One row group per tier (global internet, monitored global internet, national intranet, no network
    access, in the category order), headed by the tier's name; one row per statement, labelled with the
    group's name cut to about 40 characters (the full name, date, wording and source are in the hover).
    Ranges ('a few thousand' = 2,000–5,000 by the package's reading rule) are bars from the low to the high
    bound, single figures markers; shares of the population are converted to people with the population
    figure nearest in time (and drawn hollow, as estimates). The stated figure is written next to its bar
    where it fits without crossing the population line (a dotted line) or leaving the plot, else only in
    the hover. Statements that name a group without a size in people are not drawn: the note counts them
    per tier, and the hover of each tier's heading and ``meta["description"]`` list the groups.
    Rows from weak sources are left out unless ``include_weak``; then they are faded.
    """
    package = house.resolve(package)
    population = population_rows(package)
    sized, rest = sized_rows(credits.select(tiers, package, include_weak), population)
    if sized.empty:
        raise ValueError("no access tier rows with a size in people or a share of the population"
                         f"{credits.WEAK_HINT}")
    tier_order = _tiers(sized)
    sized["_tier_order"] = sized["tier"].astype(str).map({t: i for i, t in enumerate(tier_order)})
    spans = {i: ranges.span(*r, log=True) for i, r in zip(sized.index, sized[["value", "low", "high", "qualifier"]]
                                                          .itertuples(index=False, name=None), strict=True)}
    sized["_mark"] = pd.Series({i: s.mark for i, s in spans.items()})
    sized = sized.sort_values(["_tier_order", "_mark", "tier_id"], kind="stable")
    sized["_estimate"] = sized["_converted"] | sized["qualifier"].astype(str).eq("range")
    labels = credits.source_labels(package, sized["source_id"].unique(), width=56)

    y, ys, headings = 0.0, {}, []
    for tier in tier_order:
        rows = sized.index[sized["tier"].astype(str) == tier]
        headings.append((y, tier))
        for k, i in enumerate(rows):
            ys[i] = y + 1 + k
        y += 1 + len(rows) + GROUP_GAP
    sized["_y"] = pd.Series(ys)
    bottom_row = y - GROUP_GAP - 1

    whole = _nearest(population, sized["ref_date"].max())
    population_x = math.log10(float(whole["value"]))
    px_per_decade = PLOT_PX / LOG_MAX
    all_tiers = list(dict.fromkeys([*tier_order, *(_tiers(rest) if len(rest) else [])]))
    unsized = _unsized(rest, all_tiers) if len(rest) else {}
    originals = dict(zip(tiers.index, tiers.to_dict("records"), strict=True))
    fig = house.HouseFigure()
    annotations, shapes = [], []
    for tier in tier_order:
        colour = palette.colour("tier", tier)
        rows = sized[sized["tier"].astype(str) == tier]
        row_spans = [spans[i] for i in rows.index]
        symbols = [("circle-open" if e else "circle") if s.has_value else "line-ns-open"
                   for s, e in zip(row_spans, rows["_estimate"], strict=True)]
        trace = {
            "x": [s.mark for s in row_spans], "y": rows["_y"].tolist(), "mode": "markers",
            "name": esc(palette.legend_name("tier", tier)),
            "marker": {"symbol": symbols, "size": 11, "color": colour, "line": {"color": colour, "width": 2},
                       "opacity": [0.35 if weak else 1.0 for weak in rows["_weak"]]},
            "customdata": [esc(i) for i in rows["tier_id"]],
            "hovertext": [_hover(r, labels[r["source_id"]], originals[i])
                          for i, r in zip(rows.index, rows.to_dict("records"), strict=True)],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
        if any(s.has_range for s in row_spans):
            trace["error_x"] = ranges.range_band(row_spans, colour)
        fig.add_scatter(**trace)
        for i, row, s in zip(rows.index, rows.to_dict("records"), row_spans, strict=True):
            annotations += ranges.open_end_arrows(s, math.log10(s.mark), row["_y"], colour, row["tier_id"],
                                                 horizontal=True, length=22)
            label_ = _value_label(row, s, originals[i], population_x, px_per_decade)
            if label_:
                annotations.append(label_)
    shapes.append(overlay.vline(float(whole["value"]), {"color": GREY, "width": 1, "dash": "dot"}))
    annotations.append(dict(x=round(population_x, 4), xref="x", y=1, yref="paper", yanchor="bottom", xanchor="right",
                            text=f"Whole population ≈ {esc(compact(whole['value']))} ({whole['ref_date'].year})",
                            showarrow=False, font={"size": 11, "color": GREY}, name="population line"))
    for heading_y, tier in headings:
        if heading_y > 0:
            shapes.append(overlay.hline(heading_y - (GROUP_GAP + 1) / 2, {"color": LIGHT_GREY, "width": 1}))
        names = unsized.get(tier, [])
        count = int((rest["tier"].astype(str) == tier).sum()) if len(rest) else 0
        more = (f" <span style='font-size:11px;color:{GREY}'>· and {count} statement{'s' * (count != 1)}"
                " without a size</span>" if count else "")
        listing = "<br>".join(f"• {wrap(n, 60, sep='<br>  ')}" for n in names)
        annotations.append(dict(
            x=0, xref="paper", xshift=PAD - MARGIN_LEFT, xanchor="left", y=heading_y, yref="y",
            showarrow=False, align="left", font={"size": 13, "color": palette.colour("tier", tier)},
            text=f"<b>{esc(palette.name('tier', tier))}</b>{more}", name=f"tier: {esc(tier)}",
            hovertext=(f"<b>Groups named in this tier without a size in people</b><br>{listing}" if names else None),
        ))
    overlay.add(fig, annotations, shapes)

    house.set_layout(
        fig, yaxis={"tickvals": sized["_y"].tolist(), "range": [bottom_row + 0.7, -0.7], "showgrid": False,
                    "fixedrange": True, "tickfont": {"size": 12},
                    "ticktext": [esc(shorten(capital(n), NAME_CHARS)) for n in sized["group_name"]]},
        xaxis={"type": "log", "range": [0, LOG_MAX], "tickvals": [10**k for k in range(9)],
               "title": {"text": LOG_AXIS_TITLE},
               "ticktext": ["1", "10", "100", "1,000", "10,000", "100,000", "1 million", "10 million", "100 million"]},
        showlegend=False)

    examples = _examples(sized, tiers)
    notes = []
    if any(s.has_range for s in spans.values()):
        dash = any(s.has_range and not s.has_value for s in spans.values())
        notes.append("Bars: a range from its low to its high bound as read from the wording"
                     + (f" ({'; '.join(esc(e) for e in examples)})" if examples else "")
                     + ("; a dash: no single figure." if dash else "."))
    converted = sized["_converted"] & sized["value"].notna()
    shares = ""
    if sized["_converted"].any():
        shares = ("Hollow: a share" if converted.any() else "Shares") + (
            " converted to people with the population figure nearest in time. ")
    notes.append(f"{shares}Dotted line: the whole population, {number(whole['value'])}"
                 f" ({whole['ref_date'].year}).")
    if len(rest):
        counts = ", ".join(f"{palette.name('tier', t).lower()}: {int((rest['tier'].astype(str) == t).sum())} statements"
                           for t in all_tiers if (rest["tier"].astype(str) == t).any())
        notes.append(f"Not drawn: {len(rest)} statements naming a group without a size in people ({counts});"
                     " hover a tier's heading for the groups.")
    drawn_rest = rest if len(rest) else None
    used = {whole["observation_id"], *sized["input_ids"].dropna()}
    used_population = population[population["observation_id"].isin(used)]
    smallest = sized.loc[sized["_mark"].idxmin()]
    listing = " ".join(f"{palette.name('tier', t)}: {'; '.join(names)}." for t, names in unsized.items() if names)
    description = esc(
        f"Range chart on a log scale of {len(sized)} statements of how many people have each level of access:"
        + "".join(f" {palette.name('tier', t).lower()}: {int((sized['tier'].astype(str) == t).sum())} statements;"
                  for t in tier_order)
        + f" from {quantity(smallest['value'], smallest['low'], smallest['high'], 'people', None)}"
        f" ({smallest['group_name']}) to the whole population of about {compact(whole['value'])}."
        + (f" {len(rest)} more statements name a group without a size in people and are not drawn. {listing}"
           if len(rest) else "")
    )
    return house.finish(
               fig, house.Words(chart="access-tiers", title="Who can go online: every stated size of each access tier", subtitle="Each group a source places in a tier, in people, on a log scale", description=description, notes=notes),
               house.Box(plot_height=int((bottom_row + 1.4) * ROW_PX), margin_left=MARGIN_LEFT, margin_right=MARGIN_RIGHT, axis_band=72, top_extra=20),
               drawn=credits.source_frame(sized.drop(columns="input_ids"), drawn_rest, used_population), package=package)


def _value_label(row: dict, s: ranges.Span, original: dict, population_x: float,
                 px_per_decade: float) -> dict | None:
    """The figure as stated next to its bar: right of it, else left of it, else none (the hover has it) when
    it would cross the population line or leave the plot."""
    text = quantity(original["value"], original["low"], original["high"], original["unit"],
                          original["qualifier"], fmt=compact)
    if row["_converted"]:
        text += f" ≈ {quantity(row['value'], row['low'], row['high'], None, None, fmt=compact)}"
    size = (text_px(text, VALUE_FONT) + 6) / px_per_decade  # in decades of the log axis
    right_end, left_end = math.log10(s.mark + s.plus), math.log10(max(s.mark - s.minus, 1))
    right_shift, left_shift = (28 if s.open_up else 9), (28 if s.open_down else 9)
    starts = right_end + right_shift / px_per_decade
    ends = left_end - left_shift / px_per_decade
    if starts + size < min(LOG_MAX, population_x - 0.05) or (starts > population_x + 0.05
                                                              and starts + size < LOG_MAX):
        x, anchor, shift = right_end, "left", right_shift
    elif ends - size > 0 and (ends < population_x - 0.05 or ends - size > population_x + 0.05):
        x, anchor, shift = left_end, "right", -left_shift
    else:
        return None
    # annotations on a log axis take log10 positions (shapes and traces take the values)
    return {"x": round(x, 4), "xref": "x", "y": row["_y"], "yref": "y", "text": esc(text), "showarrow": False,
            "xanchor": anchor, "xshift": shift, "font": {"size": VALUE_FONT}, "bgcolor": "rgba(255,255,255,0.8)",
            "name": f"value: {esc(row['tier_id'])}"}


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'access-tiers' drawn from `package`."""
    return access_tiers(package.access_tiers(), package=package, include_weak=include_weak)
