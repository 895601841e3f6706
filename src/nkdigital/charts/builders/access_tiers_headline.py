"""The access-tiers headline: one row per tier with the sources' own words and range, every tier shown."""

from __future__ import annotations

import math

import pandas as pd

from nkdigital.api.package import Package
from nkdigital.charts import credits, house, overlay, palette, skeleton, stated
from nkdigital.charts.fidelity import plain
from nkdigital.charts.markup import esc, wrap
from nkdigital.charts.sizes import LOG_AXIS_TITLE, population_rows, sized_rows
from nkdigital.charts.skeleton import FIGURES
from nkdigital.charts.style import GREY
from nkdigital.metadata.enums import TIER_PART_OF
from nkdigital.text import compact, number, quantity

ROW_PX = 78
LABEL_CHARS = 26  # a tier's name is wrapped to lines of about this many characters (the label margin)


def _label(tier: str) -> str:
    """The tier's name on lines that fit the label margin, naming the tier it is a part of."""
    part = TIER_PART_OF.get(tier)
    name = palette.name("tier", tier) + (f" (a part of {palette.name('tier', part).lower()})" if part else "")
    return wrap(name, LABEL_CHARS)


READ_AS = "read as "  # before the figures a title reads from a source's words


def _said(original: pd.Series, fmt=number, read_as: str = "") -> str:
    """A statement as its source gives it: the words, then the figures read from them (after `read_as`, such as
    'read as ': a vague phrase's bounds come from the package's written reading rule, not from the source)."""
    figures = quantity(original["value"], original["low"], original["high"], original["unit"],
                       original["qualifier"], fmt=fmt)
    words = original["phrase"]
    return f"“{words}” ({read_as}{figures})" if isinstance(words, str) and words.strip() else figures


def _text(tier_rows: pd.DataFrame, originals: pd.DataFrame, lead: object, year: dict,
          population: pd.DataFrame) -> str:
    """What the row prints: the commonest statement in its words, its people where it is a share (our
    computation), and the span of the others."""
    original = originals.loc[lead]
    text = esc(_said(original))
    if tier_rows.at[lead, "_converted"]:
        row = tier_rows.loc[lead]
        pop = population.set_index("observation_id").loc[row["input_ids"]]
        text += esc(f" ≈ {quantity(row['value'], row['low'], row['high'], 'people', None, fmt=compact)}"
                    f" (our computation: × {compact(pop['value'])} people, {pop['ref_date'].year})")
    others = originals.loc[[i for i in tier_rows.index if i != lead]]
    if len(others):
        text += esc(f" · {len(others)} more statement{'s' * (len(others) != 1)} drawn light")
    return text + f" <span style='color:{GREY}'>· {esc(year[lead])}</span>"


def _rows(sized: pd.DataFrame, every: pd.DataFrame, population: pd.DataFrame,
          include_weak: bool) -> tuple[list[stated.Row], list[pd.DataFrame]]:
    """One headline row per tier in the category order, and the statements drawn."""
    years = {i: str(d.year) if d.year == e.year else f"{d.year}–{e.year}" for i, d, e in zip(
        every.index, every["ref_date"], every["ref_date_end"].fillna(every["ref_date"]), strict=True)}
    rows, drawn = [], []
    for tier in palette.order("tier"):
        here = sized[sized["tier"].astype(str) == tier]
        shown = here if include_weak else here[~here["_weak"].astype(bool)]
        colour = palette.colour("tier", tier)
        if shown.empty:
            text = "Only a weak source states a size: not drawn" if len(here) else "No source states a size"
            rows.append(stated.Row(tier, _label(tier), colour, shown, f"<i>{esc(text)}</i>"))
            continue
        lead = stated.commonest(every.loc[shown.index])
        rows.append(stated.Row(tier, _label(tier), colour, shown, _text(shown, every, lead, years, population), lead))
        drawn.append(shown)
    return rows, drawn


def tiers(package: Package | None = None, *, include_weak: bool = False) -> house.HouseFigure:
    """How many people have each level of access: one row per tier (in the category order), printing the
    statement most sources give in its own words and range, with every other sized statement drawn light.

    A tier part of another (monitored access is a part of global access) is named so. A tier with no size
    from a non-weak source is still shown and says so; ``include_weak`` draws the weak rows, faded.
    """
    package = house.resolve(package)
    every = credits.select(package.access_tiers(), package, include_weak=True)
    population = population_rows(package)
    sized, _ = sized_rows(every, population)
    if sized.empty:
        raise ValueError("no access tier rows with a size in people or a share of the population")
    sized["_id"] = sized["tier_id"]
    rows, drawn = _rows(sized, every, population, include_weak)
    used = {i for d in drawn for i in d["input_ids"].dropna()}
    fig = house.HouseFigure()
    stated.draw(fig, rows, log=True)
    whole = population.sort_values(["_official", "ref_date"], ascending=[True, False]).iloc[0]
    used.add(whole["observation_id"])
    overlay.add(fig, shapes=[overlay.vline(float(whole["value"]), {"color": GREY, "width": 1, "dash": "dot"})])
    smallest = min(stated.bounds(r)[0] for d in drawn for r in skeleton.records(d, FIGURES))
    reach = [math.log10(smallest) - 0.5, math.log10(float(whole["value"])) + 0.4]
    house.set_layout(fig, xaxis={"type": "log", "title": {"text": LOG_AXIS_TITLE}, "range": reach,
                                 "tickvals": [10**k for k in range(2, 8)],
                                 "ticktext": ["100", "1,000", "10,000", "100,000", "1 million", "10 million"]})
    used_population = population[population["observation_id"].isin(used)]
    return house.finish(
        fig, _words(rows, every, sized, whole),
        house.Box(plot_height=ROW_PX * len(rows) + 30, margin_left=230, margin_right=30, axis_band=72,
                  narrow_steps=True),
        drawn=credits.source_frame(*[d.drop(columns="input_ids") for d in drawn], used_population), package=package)


def _words(rows: list[stated.Row], every: pd.DataFrame, sized: pd.DataFrame, whole: pd.Series) -> house.Words:
    """The title (the first and last tier's statements), the description (every row's text) and the notes."""
    lead_rows = [r for r in rows if r.lead is not None]
    first, last = lead_rows[0], lead_rows[-1]
    title = (f"{_plain_label(first)}: {_said(every.loc[first.lead], compact, READ_AS)}; "  # lifted alone, it says so
             f"{_plain_label(last).lower()}: {_said(every.loc[last.lead], compact, READ_AS)}")
    description = ("How many people have each level of access in North Korea, as sources state it. "
                   + " ".join(f"{_plain_label(r)}: {_plain(r.text)}." for r in rows))
    notes = ["Per tier, the figure most statements give, in the source's words (strong), and every other"
             " statement of a size (light): bars are ranges, dots single figures, arrows 'up to'; a source's"
             " words are read as figures by the package's written reading rule."
             " Shares of the population are converted to people by nkdigital (share × the population figure"
             " nearest in time). Dotted line: the whole population, "
             f"{number(whole['value'])} ({whole['ref_date'].year})."]
    if any(TIER_PART_OF.get(t) for t in sized["tier"].astype(str)):
        notes.append("Monitored access to the global internet is a part of global internet access, not a"
                     " separate group: do not add the two.")
    return house.Words(chart="access-tiers-headline", title=esc(title),
                       subtitle="How many people have each level of access, in the sources' own words",
                       description=esc(description), notes=notes)


def _plain_label(row: stated.Row) -> str:
    return palette.name("tier", row.key)


def _plain(text: str) -> str:
    """Raw text of markup, on one line."""
    return " ".join(plain(text).split())


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'access-tiers-headline' drawn from `package`."""
    return tiers(package, include_weak=include_weak)
