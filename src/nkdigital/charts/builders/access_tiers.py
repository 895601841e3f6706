"""Access tiers scaled by population: who can reach what, on a log axis of people, with every range."""

from __future__ import annotations

import math

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.charts import credits, house, overlay, palette, ranges, sizes, skeleton
from nkdigital.charts.markup import esc, shorten, text_px, wrap
from nkdigital.charts.skeleton import FIGURES
from nkdigital.charts.style import GREY, LIGHT_GREY, PAD, WIDTH, rgba
from nkdigital.metadata.colours import WHITE
from nkdigital.metadata.roles import ROLES
from nkdigital.text import capital, compact, date_of, missing, number, quantity

ROW_PX = 26  # px per row of the chart (one statement, or a tier's heading)
LOG_MAX = 8.6  # x axis up to 10**8.6 people
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


# what _draw_tiers, _hover and _value_label read of a drawn statement (its stated figure: ROLES["quantity"])
DRAWN = [*skeleton.SHOWN, "group_name", "tier", "tier_id", "phrase", "conditions", "source_id", "_converted",
         "_population", "_y"]


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
        parts.append(f"Drawn as {esc(drawn)} (our computation: share × population of {esc(row['_population'])})")
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
    population = sizes.population_rows(package)
    sized, rest, spans = _statements(tiers, package, include_weak, population)
    tier_order = _tiers(sized)
    headings, bottom_row = _rows_by_tier(sized, tier_order)
    whole = sizes.nearest(population, sized["ref_date"].max())
    unsized = _unsized(rest, _all_tiers(sized, rest)) if len(rest) else {}
    fig = house.HouseFigure()
    annotations = _draw_tiers(fig, sized, spans, tiers, tier_order, whole,
                              credits.source_labels(package, sized["source_id"].unique(), width=56))
    shapes = [overlay.vline(float(whole["value"]), {"color": GREY, "width": 1, "dash": "dot"})]
    annotations.append(dict(x=round(math.log10(float(whole["value"])), 4), xref="x", y=1, yref="paper",
                            yanchor="bottom", xanchor="right", showarrow=False, font={"size": 11, "color": GREY},
                            text=f"Whole population ≈ {esc(compact(whole['value']))} ({whole['ref_date'].year})",
                            name="population line"))
    _headings(headings, rest, unsized, annotations, shapes)
    overlay.add(fig, annotations, shapes)
    _axes(fig, sized, bottom_row)
    used = {whole["observation_id"], *sized["input_ids"].dropna()}
    return house.finish(
        fig, _words(sized, rest, tiers, spans, whole, unsized),
        house.Box(plot_height=int((bottom_row + 1.4) * ROW_PX), margin_left=MARGIN_LEFT, margin_right=MARGIN_RIGHT,
                  axis_band=72, top_extra=20, narrow_steps=True),
        drawn=credits.source_frame(sized.drop(columns="input_ids"), rest if len(rest) else None,
                                   population[population["observation_id"].isin(used)]), package=package)


def _statements(tiers: pd.DataFrame, package: Package, include_weak: bool,
                population: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The statements drawn (a size in people), in tier order, smallest first; those not drawn; each drawn
    statement's span on the log axis, by index."""
    sized, rest = sizes.sized_rows(credits.select(tiers, package, include_weak), population)
    if sized.empty:
        raise ValueError("no access tier rows with a size in people or a share of the population"
                         f"{credits.WEAK_HINT}")
    tier_order = _tiers(sized)
    sized["_tier_order"] = sized["tier"].astype(str).map({t: i for i, t in enumerate(tier_order)})
    spans = {i: ranges.span(*r, log=True) for i, r in zip(sized.index, sized[[*FIGURES, "qualifier"]]
                                                          .itertuples(index=False, name=None), strict=True)}
    sized["_mark"] = pd.Series({i: s.mark for i, s in spans.items()})
    sized = sized.sort_values(["_tier_order", "_mark", "tier_id"], kind="stable")
    sized["_estimate"] = sized["_converted"] | sized["qualifier"].astype(str).eq("range")
    return sized, rest, spans


def _rows_by_tier(sized: pd.DataFrame, tier_order: list[str]) -> tuple[list[tuple[float, str]], float]:
    """Give each statement its row (``_y``) under its tier's heading; the headings (y, tier) and the last row."""
    y, ys, headings = 0.0, {}, []
    for tier in tier_order:
        indices = sized.index[sized["tier"].astype(str) == tier]
        headings.append((y, tier))
        for k, i in enumerate(indices):
            ys[i] = y + 1 + k
        y += 1 + len(indices) + GROUP_GAP
    sized["_y"] = pd.Series(ys)
    return headings, y - GROUP_GAP - 1


def _draw_tiers(fig: house.HouseFigure, sized: pd.DataFrame, spans: dict, tiers: pd.DataFrame,
                tier_order: list[str], whole: pd.Series, labels: dict[str, str]) -> list[dict]:
    """One trace of marks and range bars per tier; the open ends' arrows and the value labels it needs."""
    originals = dict(zip(tiers.index, skeleton.records(tiers, ROLES["quantity"]), strict=True))
    population_x, px_per_decade = math.log10(float(whole["value"])), PLOT_PX / LOG_MAX
    annotations = []
    for tier in tier_order:
        colour = palette.colour("tier", tier)
        statements = sized[sized["tier"].astype(str) == tier]
        row_spans = [spans[i] for i in statements.index]
        records = skeleton.records(statements, DRAWN)
        trace = {
            "x": [s.mark for s in row_spans], "y": statements["_y"].tolist(), "mode": "markers",
            "name": esc(palette.legend_name("tier", tier)),
            "marker": {"symbol": [("circle-open" if e else "circle") if s.has_value else "line-ns-open"
                                  for s, e in zip(row_spans, statements["_estimate"], strict=True)],
                       "size": 11, "color": colour, "line": {"color": colour, "width": 2},
                       "opacity": [0.35 if weak else 1.0 for weak in statements["_weak"]]},
            "customdata": [esc(i) for i in statements["tier_id"]],
            "hovertext": [_hover(r, labels[r["source_id"]], originals[i])
                          for i, r in zip(statements.index, records, strict=True)],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
        if any(s.has_range for s in row_spans):
            trace["error_x"] = ranges.range_band(row_spans, colour)
        fig.add_scatter(**trace)
        for i, row, s in zip(statements.index, records, row_spans, strict=True):
            annotations += ranges.open_end_arrows(s, math.log10(s.mark), row["_y"], colour, row["tier_id"],
                                                  horizontal=True, length=22)
            label = _value_label(row, s, originals[i], population_x, px_per_decade)
            if label:
                annotations.append(label)
    return annotations


def _headings(headings: list[tuple[float, str]], rest: pd.DataFrame, unsized: dict[str, list[str]],
              annotations: list[dict], shapes: list[dict]) -> None:
    """Each tier's heading (its hover lists the groups named without a size) and a rule above all but the first."""
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


def _axes(fig: house.HouseFigure, sized: pd.DataFrame, bottom_row: float) -> None:
    house.set_layout(
        fig, yaxis={"tickvals": sized["_y"].tolist(), "range": [bottom_row + 0.7, -0.7], "showgrid": False,
                    "fixedrange": True, "tickfont": {"size": 12},
                    "ticktext": [esc(shorten(capital(n), NAME_CHARS)) for n in sized["group_name"]]},
        xaxis={"type": "log", "range": [0, LOG_MAX], "tickvals": [10**k for k in range(9)],
               "title": {"text": sizes.LOG_AXIS_TITLE},
               "ticktext": ["1", "10", "100", "1,000", "10,000", "100,000", "1 million", "10 million", "100 million"]},
        showlegend=False)


def _all_tiers(sized: pd.DataFrame, rest: pd.DataFrame) -> list[str]:
    """The tiers of the statements drawn, then those only statements without a size name."""
    return list(dict.fromkeys([*_tiers(sized), *(_tiers(rest) if len(rest) else [])]))


def _notes(sized: pd.DataFrame, rest: pd.DataFrame, tiers: pd.DataFrame, spans: dict,
           whole: pd.Series) -> list[str]:
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
                           for t in _all_tiers(sized, rest) if (rest["tier"].astype(str) == t).any())
        notes.append(f"Not drawn: {len(rest)} statements naming a group without a size in people ({counts});"
                     " hover a tier's heading for the groups.")
    return notes


def _words(sized: pd.DataFrame, rest: pd.DataFrame, tiers: pd.DataFrame, spans: dict, whole: pd.Series,
           unsized: dict[str, list[str]]) -> house.Words:
    smallest = sized.loc[sized["_mark"].idxmin()]
    listing = " ".join(f"{palette.name('tier', t)}: {'; '.join(names)}." for t, names in unsized.items() if names)
    description = esc(
        f"Range chart on a log scale of {len(sized)} statements of how many people have each level of access:"
        + "".join(f" {palette.name('tier', t).lower()}: {int((sized['tier'].astype(str) == t).sum())} statements;"
                  for t in _tiers(sized))
        + f" from {quantity(smallest['value'], smallest['low'], smallest['high'], 'people', None)}"
        f" ({smallest['group_name']}) to the whole population of about {compact(whole['value'])}."
        + (f" {len(rest)} more statements name a group without a size in people and are not drawn. {listing}"
           if len(rest) else "")
    )
    return house.Words(chart="access-tiers", title="Who can go online: every stated size of each access tier",
                       subtitle="Each group a source places in a tier, in people, on a log scale",
                       description=description, notes=_notes(sized, rest, tiers, spans, whole))


def _value_label(row: dict, s: ranges.Span, original: dict, population_x: float,
                 px_per_decade: float) -> dict | None:
    """The figure as stated next to its bar: right of it, else left of it, else none (the hover has it) when
    it would cross the population line or leave the plot."""
    text = quantity(original["value"], original["low"], original["high"], original["unit"],
                          original["qualifier"], fmt=compact)
    if row["_converted"]:
        text += f" ≈ {quantity(row['value'], row['low'], row['high'], None, None, fmt=compact)} (our computation)"
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
            "xanchor": anchor, "xshift": shift, "font": {"size": VALUE_FONT}, "bgcolor": rgba(WHITE, 0.8),
            "name": f"value: {esc(row['tier_id'])}"}


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'access-tiers' drawn from `package`."""
    return access_tiers(package.access_tiers(), package=package, include_weak=include_weak)
