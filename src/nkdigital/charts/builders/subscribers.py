"""Mobile subscriptions over time: every source's figure, conflicts visible, ranges and key events."""

from __future__ import annotations

import pandas as pd

from nkdigital import text
from nkdigital.api.package import Package
from nkdigital.charts import credits, house, milestones, overlay, palette, placement, ranges, skeleton
from nkdigital.charts.markup import esc, iso, wrap
from nkdigital.charts.skeleton import FIGURES
from nkdigital.charts.style import GREY, WIDTH
from nkdigital.metadata.roles import ROLES, chronological

PER_100 = "mobile_subscriptions_per_100"
ABSOLUTE = ("mobile_subscriptions", "mobile_users")
DOTTED = frozenset({"mobile_users"})  # people, not lines: a dot inside the claim's marker
MARGIN_LEFT, MARGIN_RIGHT = 76, 64
WIDTH_PLOT = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
PLOT_HEIGHT = 440
AXIS_PX = 40  # tick labels under the plot
LEGEND_ROW_PX = 22  # a row of the horizontal legend under the plot
LEAD_IN_YEARS = 10  # key events up to this long before the first figure widen the time axis (service starts)
SERIES_MIN = 3  # a source's figures for one indicator are joined by a line from this many points on


def _figures(observations: pd.DataFrame, per_100: bool, package: Package, include_weak: bool) -> pd.DataFrame:
    """The figures drawn (dated, with a figure), by indicator, kind of claim, date and source."""
    wanted = (PER_100,) if per_100 else ABSOLUTE
    frame = observations[observations["indicator"].astype(str).isin(wanted) & observations["ref_date"].notna()]
    frame = credits.select(credits.in_geo(frame), package, include_weak)
    frame = frame[frame[FIGURES].notna().any(axis=1)].copy()
    if frame.empty:
        view = "per-100" if per_100 else "absolute"
        other = "" if per_100 else " (pass per_100=True for mobile_subscriptions_per_100)"
        raise ValueError(f"no {', '.join(wanted)} rows with a date and a figure for the {view} view{other}"
                         f"{credits.WEAK_HINT}")
    frame["indicator"] = frame["indicator"].astype(str)
    frame["claim_type"] = frame["claim_type"].astype("string").fillna("media_report").astype(str)
    frame["_order"] = frame["indicator"].map({name: i for i, name in enumerate(wanted)})
    claims = palette.order("claim_type")
    frame["_claim_order"] = frame["claim_type"].map(lambda c: claims.index(c) if c in claims else len(claims))
    frame["_estimate"] = frame["claim_type"].map(palette.is_estimate).astype(bool)
    return frame.sort_values(["_order", "_claim_order", "ref_date", "source_id", "observation_id"],
                             kind="stable").reset_index(drop=True)


def _nudges(frame: pd.DataFrame, step: float) -> pd.Series:
    """Days to shift each row so that different sources' figures for the same date sit side by side."""
    same_date = [*(c for c in ROLES["series"] if c != "source_id"), "ref_date"]  # a series but for its source
    groups = frame.assign(_source=pd.Categorical(frame["source_id"]).codes).groupby(same_date)
    rank = groups["_source"].rank(method="dense") - 1  # the source's place among the group's sources, by id
    return ((rank - (groups["_source"].transform("nunique") - 1) / 2) * step).fillna(0.0)


HOVER = [*skeleton.SHOWN, "indicator", "phrase", "attributed_to", "input_ids", "source_id"]  # what _hover reads


def _hover(row: dict, source_name: str, names: dict[str, str]) -> str:
    parts = [
        f"<b>{esc(names[row['indicator']])}: {esc(text.quantity_of(row))}</b>",
        f"{esc(text.date_of(row))} · {esc(palette.name('claim_type', row['claim_type']))}",
    ]
    if not text.missing(row["phrase"]):
        parts.append(f"Wording: “{wrap(row['phrase'], 60)}”")
    if not text.missing(row["attributed_to"]):
        parts.append(f"Attributed to: {wrap(row['attributed_to'], 60)}")
    if row["claim_type"] == "derived" and not text.missing(row["input_ids"]):
        parts.append(f"Derived from: {wrap(row['input_ids'], 60)}")
    parts.append(f"Source: {esc(source_name)}")
    parts.append(f"({esc(row['source_id'])})")
    return "<br>".join(parts)


def _event_note(package: Package, frame: pd.DataFrame, shown_events: pd.DataFrame) -> str:
    """What the dotted lines are, and how many sources beyond the figures' they credit."""
    more = len(set(shown_events["source_id"].dropna().astype(str)) - set(package.source_ids(frame)))
    return ("Dotted lines: key events (one per subject and year)"
            + (f", dated by {more} further source{'s' * (more != 1)}." if more else "."))


def subscribers(observations: pd.DataFrame, per_100: bool = False, events: pd.DataFrame | None = None, *,
                package: Package | None = None, include_weak: bool = False) -> house.HouseFigure:
    """Mobile subscriptions over time: every source's figure, coloured by the kind of claim.

    ``per_100=False`` (default) draws mobile_subscriptions, with mobile_users as
    separate traces (square and diamond markers); ``per_100=True`` draws mobile_subscriptions_per_100.
    Every row is its own mark: figures from different sources for the same date are nudged sideways so that
    none hides another. A source with several figures for one indicator is joined by a line. Ranges are
    error bars; 'more than' and 'up to' figures get an arrow towards the open side; a dash marks a range with
    no single figure. Colour and marker shape show the kind of claim; estimates (analyst estimates, survey,
    derived) have open markers and dashed lines; users (people, not lines) have a dot inside the marker.
    ``events`` (for example :func:`key_events` of ``package.events()``) become labelled vertical lines,
    one per subject and year. Rows from weak sources are left out unless ``include_weak``; then they are faded.
    """
    package = house.resolve(package)
    titles = skeleton.indicator_names(package)
    frame = _figures(observations, per_100, package, include_weak)
    if events is not None:
        events = credits.select(events, package, include_weak)
    labels = credits.source_labels(package, frame["source_id"].unique(), width=70)
    indicators = list(dict.fromkeys(frame["indicator"]))
    span_days = max((frame["ref_date"].max() - frame["ref_date"].min()).days, 365)
    frame["_x"] = [iso(d, n) for d, n in zip(frame["ref_date"], _nudges(frame, span_days / 170), strict=True)]
    spans = {i: ranges.span(*r) for i, r in zip(frame.index, frame[[*FIGURES, "qualifier"]]
                                                  .itertuples(index=False, name=None), strict=True)}
    fig = house.HouseFigure()
    _series_lines(fig, frame, spans, titles, labels)
    _legend_entries(fig, frame, indicators, titles)
    _draw_claims(fig, frame, spans, titles, labels)
    x0, x1 = _time_range(frame, events, span_days)
    lines, shown_events, levels = milestones.draw(fig, events, x0, x1, WIDTH_PLOT, MARGIN_LEFT, MARGIN_RIGHT)
    highest = max(max(s.mark + s.plus for s in spans.values()), 1)
    house.set_layout(fig, yaxis={"title": {"text": "Per 100 people" if per_100 else "Subscriptions or people"},
                                 "range": [-0.04 * highest, 1.06 * highest], "tickformat": ",.0f" if per_100 else "~s"},
                     xaxis={"type": "date", "range": [iso(x0), iso(x1)]})
    legend_rows = _legend_under(fig, frame, indicators, titles)
    gapped = any(x is None for trace in fig.data if trace.mode == "lines" for x in trace.x)
    sources = len(package.source_ids(frame))
    what = text.listing([titles[i] for i in indicators], lower=True)
    words = house.Words(
        chart="subscribers-per-100" if per_100 else "subscribers", title=f"{esc(what)} in North Korea",
        subtitle=f"Every figure from {sources} sources, {frame['ref_date'].min().year}–{frame['ref_date'].max().year},"
                 " by kind of claim", description=_description(frame, titles, labels, package, len(lines)),
        notes=_notes(frame, spans, gapped, _event_note(package, frame, shown_events) if len(lines) else ""))
    return house.finish(
        fig, words, house.Box(plot_height=PLOT_HEIGHT, margin_left=MARGIN_LEFT, margin_right=MARGIN_RIGHT,
                  axis_band=AXIS_PX + LEGEND_ROW_PX * legend_rows + 8,
                  top_extra=milestones.RISE + milestones.STEP * levels if levels else 0),
        drawn=credits.source_frame(frame, shown_events), package=package)


def _series_lines(fig: house.HouseFigure, frame: pd.DataFrame, spans: dict, titles: dict[str, str],
                  labels: dict[str, str]) -> None:
    """Lines first (under the marks): one per source with a run of figures for one indicator."""
    for _, series in frame.groupby(list(ROLES["series"]), sort=True):
        if len(series) < SERIES_MIN:
            continue
        indicator, source_id = series["indicator"].iloc[0], series["source_id"].iloc[0]
        series = series.sort_values(chronological("observations"), kind="stable")
        claims = set(series["claim_type"])
        colour = palette.colour("claim_type", claims.pop()) if len(claims) == 1 else GREY
        xs, ys = ranges.gapped(series["ref_date"], [spans[i].mark for i in series.index],
                               series["ref_date_precision"], series["_x"])
        fig.add_scatter(
            x=xs, y=ys, mode="lines", hoverinfo="skip",
            name=esc(f"{titles[indicator]}: {labels[source_id]} (line)"), showlegend=False,
            line={"color": colour, "width": 1.2, "dash": "dash" if series["_estimate"].all() else "solid"},
            opacity=0.7,
        )


def _legend_entries(fig: house.HouseFigure, frame: pd.DataFrame, indicators: list[str],
                    titles: dict[str, str]) -> None:
    """The legend: one entry per kind of claim (click to hide), and the marker shape per indicator."""
    palette.claim_legend(fig, dict.fromkeys(frame["claim_type"]))
    if len(indicators) > 1:
        for indicator in indicators:
            fig.add_scatter(x=[None], y=[None], mode="markers", name=esc(titles[indicator]), legendrank=1001,
                            marker={"symbol": palette.variant("circle-open", indicator in DOTTED), "size": 9,
                                    "color": GREY})


def _legend_under(fig: house.HouseFigure, frame: pd.DataFrame, indicators: list[str], titles: dict[str, str]) -> int:
    """One horizontal legend under the axis (it wraps to the plot's width on narrow screens); its rows."""
    names = [palette.name("claim_type", c) for c in dict.fromkeys(frame["claim_type"])]
    names += [titles[i] for i in indicators] if len(indicators) > 1 else []
    house.set_layout(fig, legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -AXIS_PX / PLOT_HEIGHT,
                                  "yanchor": "top", "title": {"text": "Kind of claim:"}})
    return placement.legend_rows(names, WIDTH_PLOT, title="Kind of claim:")


def _draw_claims(fig: house.HouseFigure, frame: pd.DataFrame, spans: dict, titles: dict[str, str],
                 labels: dict[str, str]) -> None:
    """One trace of marks (ranges as error bars) per indicator and kind of claim, and the open ends' arrows."""
    arrows = []
    for (indicator, claim), figures in frame.groupby(["indicator", "claim_type"], sort=False):
        colour = palette.colour("claim_type", claim)
        row_spans = [spans[i] for i in figures.index]
        symbol = palette.variant(palette.symbol("claim_type", claim), indicator in DOTTED)
        name = f"{titles[indicator]}: {palette.name('claim_type', claim)}"
        trace = {
            "x": figures["_x"].tolist(), "y": [s.mark for s in row_spans], "mode": "markers", "name": esc(name),
            "legendgroup": claim, "showlegend": False,
            "marker": {"symbol": [symbol if s.has_value else "line-ew-open" for s in row_spans], "size": 8,
                       "color": colour, "line": {"color": colour, "width": 1.5},
                       "opacity": [0.35 if weak else 1.0 for weak in figures["_weak"]]},
            "customdata": [esc(i) for i in figures["observation_id"]],
            "hovertext": [_hover(row, labels[row["source_id"]], titles)
                          for row in skeleton.records(figures, HOVER)],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
        if any(s.has_range for s in row_spans):
            trace["error_y"] = ranges.error_bars(row_spans, colour)
        fig.add_scatter(**trace)
        for x, s, row_id in zip(figures["_x"], row_spans, figures["observation_id"], strict=True):
            arrows += ranges.open_end_arrows(s, x, s.mark, colour, row_id, horizontal=False, length=16)
    overlay.add(fig, arrows)


def _time_range(frame: pd.DataFrame, events: pd.DataFrame | None,
                span_days: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The time axis: the figures' dates, reaching back to a key event shortly before the first figure (the
    service's start), padded."""
    first, last = frame["ref_date"].min(), frame["ref_date"].max()
    pad = pd.Timedelta(days=span_days * 0.02)
    lead_in = [] if events is None else [d for d in events["event_date"].dropna()
                                         if first - pd.DateOffset(years=LEAD_IN_YEARS) <= d < first]
    return min([first, *lead_in]) - pad, last + pad


def _description(frame: pd.DataFrame, titles: dict[str, str], labels: dict[str, str], package: Package,
                 key_lines: int) -> str:
    first, last = frame["ref_date"].min(), frame["ref_date"].max()
    shown = ", ".join(titles[i].lower() for i in dict.fromkeys(frame["indicator"]))
    top = frame.loc[frame[FIGURES].max(axis=1).idxmax()]
    top_value = max(x for x in (top["value"], top["low"], top["high"]) if not text.missing(x))
    sources = len(package.source_ids(frame))  # the sources of the figures, derived rows' inputs included
    return esc(
        f"Chart of {shown} in North Korea from {first.year} to {last.year}: {len(frame)} figures from"
        f" {sources} sources, coloured and shaped by kind of claim. The highest figure is {text.number(top_value)}"
        f" ({text.date_of(top)}, {labels[top['source_id']]})."
        f" {int(frame['_estimate'].sum())} figures are estimates or derived by nkdigital and drawn open."
        + (f" {key_lines} key events are marked as vertical lines." if key_lines else "")
    )


def _notes(frame: pd.DataFrame, spans: dict, gapped: bool, event_note: str) -> list[str]:
    nudged = bool((frame["_x"] != [iso(d) for d in frame["ref_date"]]).any())
    first_note = " ".join(x for x in (
        palette.estimate_note(bool(frame["_estimate"].any()), lines=True),
        "Figures from different sources for one date are nudged apart." if nudged else "",
        "A line breaks where a yearly series has no figure for a year." if gapped else "") if x)
    second_note = " ".join(x for x in (ranges.range_note(spans.values()), event_note) if x)
    notes = [n for n in (first_note, second_note) if n] or ["Every figure is its own mark; hover for its source."]
    if len(notes) == 2 and len(" ".join(notes)) <= 150:
        notes = [" ".join(notes)]
    return notes


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'subscribers' drawn from `package`."""
    return subscribers(package.observations(), events=milestones.key_events(package.events()), package=package,
                       include_weak=include_weak)
