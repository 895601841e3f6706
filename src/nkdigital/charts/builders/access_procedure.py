"""The access procedure as an ordered flow, from the application to a one-hour monitored session."""

from __future__ import annotations

import itertools

import pandas as pd

from nkdigital import text
from nkdigital.api.package import Package
from nkdigital.charts import credits, house, overlay, palette, skeleton
from nkdigital.charts.markup import esc, wrap
from nkdigital.charts.style import GREY, LIGHT_GREY
from nkdigital.metadata.colours import ACCENT, TEXT, WHITE
from nkdigital.metadata.resources import primary_key
from nkdigital.metadata.roles import having

NODE_Y = 0.0
FIRST_LABEL_Y = -1.25
LABEL_STEP = 1.0
UNIT_PX = 46  # vertical px per label row


def _figure(row: dict) -> str:
    """The row's quantity as a label: '3 authorities', 'every 5 minutes', '3–9 authorities', 'up to 2 days'."""
    figure = text.quantity_of(row)
    phrase = "" if text.missing(row["phrase"]) else str(row["phrase"]).strip().lower()
    return f"every {figure}" if figure and phrase.startswith("every") else figure


def _hover(rows: pd.DataFrame, labels: dict[str, str], title: str) -> str:
    parts = [f"<b>{esc(title)}</b>"]
    for row in skeleton.records(rows, rows.columns):
        said = f"“{wrap(row['phrase'], 50)}” " if not text.missing(row["phrase"]) else ""
        parts.append(f"• {said}{esc(labels[row['source_id']])}")
    return "<br>".join(parts)


def access_procedure(controls: pd.DataFrame, *, package: Package | None = None,
                     include_weak: bool = False) -> house.HouseFigure:
    """Steps of getting online, in order (step_order on x), each with the figures sources give for it.

    A node per step, joined by arrows; under each node its distinct figures ('3 authorities', 'every 5
    minutes', '1 hour'), ranges written out with both bounds ('3–9 authorities'; 'up to 2 days'), each with
    the number of sources that give it, and the count of statements that name the step without a figure.
    """
    package = house.resolve(package)
    frame = _statements(controls, package, include_weak)
    labels = credits.source_labels(package, frame["source_id"].unique(), width=50)
    order = having("position", frame.columns)  # step_order
    steps = frame.drop_duplicates(order)[[*order, "step"]].reset_index(drop=True)
    fig = house.HouseFigure()
    xs = steps["step_order"].tolist()
    _flow(fig, xs)
    marks = [_step_marks(step, frame[frame["step_order"] == step["step_order"]], labels)
             for step in steps.to_dict("records")]
    deepest = _draw_steps(fig, xs, marks)
    house.set_layout(fig, xaxis={"range": [min(xs) - 0.6, max(xs) + 0.6], "showgrid": False, "showline": False,
                                 "ticks": "", "showticklabels": False, "zeroline": False, "fixedrange": True},
                     yaxis={"range": [deepest - 0.7, NODE_Y + 1.1], "showgrid": False, "showticklabels": False,
                            "fixedrange": True})
    return house.finish(fig, _words(frame, steps), house.Box(
        plot_height=int((NODE_Y + 1.8 - deepest) * UNIT_PX), margin_left=20, margin_right=20, axis_band=10),
        drawn=credits.source_frame(frame), package=package)


def _statements(controls: pd.DataFrame, package: Package, include_weak: bool) -> pd.DataFrame:
    """The statements drawn (those with a step_order), in step order, each with its figure as a label."""
    frame = skeleton.drawable(controls[controls["step_order"].notna()], package, include_weak,
                              "access-control rows with a step_order")
    frame["step_order"] = frame["step_order"].astype(int)
    frame["step"] = frame["step"].astype(str)
    frame["_figure"] = [_figure(row) for row in frame.to_dict("records")]
    in_order = [*having("position", frame.columns), *primary_key("access_controls")]  # step_order, control_id
    return frame.sort_values(in_order, kind="stable").reset_index(drop=True)


def _flow(fig: house.HouseFigure, xs: list[int]) -> None:
    """The flow line with an arrow into each next step."""
    fig.add_scatter(x=xs, y=[NODE_Y] * len(xs), mode="lines", line={"color": LIGHT_GREY, "width": 3},
                    hoverinfo="skip", showlegend=False, name="flow")
    overlay.add(fig, [dict(x=b - 0.2, y=NODE_Y, ax=a + 0.2, ay=NODE_Y, xref="x", yref="y", axref="x", ayref="y",
                           text="", showarrow=True, arrowhead=2, arrowsize=1.3, arrowwidth=2,
                           arrowcolor=GREY, name="flow arrow") for a, b in itertools.pairwise(xs)])


def _step_marks(step: dict, rows: pd.DataFrame, labels: dict[str, str]) -> dict:
    """A step's node (text, hover, colour) and the labels under it: its figures, most sources first, then the
    count of statements without a figure."""
    quantified = rows[rows["_figure"] != ""]
    count = len(rows)
    described = "<br>".join(f"• {wrap(d, 60)}" for d in rows["description"].dropna().drop_duplicates()[:4])
    under = []
    for figure, group in sorted(quantified.groupby("_figure", sort=False), key=lambda g: (-len(g[1]), g[0])):
        sources = group["source_id"].nunique()
        weak = group.loc[group["_weak"], "source_id"].nunique()
        under.append((f"<b>{esc(figure)}</b><br><span style='font-size:11px;color:{GREY}'>"
                      f"{sources} source{'s' * (sources != 1)}{f' ({weak} weak)' if weak else ''}</span>",
                      _hover(group, labels, figure), group))
    rest = rows[rows["_figure"] == ""]
    if len(rest):
        under.append((f"<span style='font-size:11px;color:{GREY}'>{len(rest)} statement"
                      f"{'s' * (len(rest) != 1)}<br>without a figure</span>",
                      _hover(rest, labels, "Without a figure"), rest))
    return {"text": f"<b>{step['step_order']}. {esc(palette.name('step', step['step']))}</b>",
            "hover": f"<b>{esc(palette.name('step', step['step']))}</b>"
                     f" ({count} statement{'s' * (count != 1)})<br>{described}",
            "colour": ACCENT if len(quantified) else GREY, "under": under}


def _draw_steps(fig: house.HouseFigure, xs: list[int], marks: list[dict]) -> float:
    """The nodes and, under each, its labels; the y of the deepest label."""
    fig.add_scatter(x=xs, y=[NODE_Y] * len(xs), mode="markers+text", text=[m["text"] for m in marks],
                    textposition="top center", textfont={"size": 12},
                    marker={"size": 20, "color": [m["colour"] for m in marks], "symbol": "circle",
                            "line": {"color": WHITE, "width": 2}},
                    hovertext=[m["hover"] for m in marks], hovertemplate="%{hovertext}<extra></extra>",
                    showlegend=False, name="steps")
    placed = [(x, FIRST_LABEL_Y - k * LABEL_STEP, *label) for x, m in zip(xs, marks, strict=True)
              for k, label in enumerate(m["under"])]
    fig.add_scatter(x=[p[0] for p in placed], y=[p[1] for p in placed], mode="text", text=[p[2] for p in placed],
                    textposition="middle center", textfont={"size": 12, "color": TEXT},
                    hovertext=[p[3] for p in placed], hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
                    name="figures", customdata=[" ".join(esc(i) for i in p[4]["control_id"]) for p in placed])
    return min([FIRST_LABEL_Y, *(p[1] for p in placed)])


def _words(frame: pd.DataFrame, steps: pd.DataFrame) -> house.Words:
    session = frame[(frame["step"] == "session") & (frame["_figure"] != "")]
    session_text, session_words = "", "a session"
    if len(session):
        top = session.groupby("_figure")["source_id"].nunique().sort_values(ascending=False, kind="stable")
        session_text = f" The session itself: {top.index[0]} ({top.iloc[0]} sources)."
        session_words = f"a session of {top.index[0]}"
    quantified = frame[frame["_figure"] != ""]
    description = esc(
        f"Flow chart of the {len(steps)} steps of getting onto the global internet in North Korea as"
        f" {frame['source_id'].nunique()} sources describe them: "
        + ", ".join(palette.name('step', s).lower() for s in steps["step"]) + f". {len(quantified)} of {len(frame)}"
        f" statements give a figure, shown under their step." + session_text
    )
    notes = ["Figures are as the sources state them: ranges keep both bounds ('several officials' = 3–9 by the"
             " package's reading rule), 'up to' keeps its upper bound only. Blue steps have at least one"
             " figure; grey steps are described without one. Hover for each source's wording."]
    return house.Words(chart="access-procedure", title="Getting online in North Korea, step by step",
                       subtitle=f"From the application to {esc(session_words)} under watch: each step of the"
                                " procedure with the figures sources give for it",
                       description=description, notes=notes)


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'access-procedure' drawn from `package`."""
    return access_procedure(package.access_controls(), package=package, include_weak=include_weak)
