"""The access procedure as an ordered flow, from the application to a one-hour monitored session."""

from __future__ import annotations

import itertools

import pandas as pd

from nkdigital import text
from nkdigital.api.package import Package
from nkdigital.charts import credits, house, overlay, palette
from nkdigital.charts.markup import esc, wrap
from nkdigital.charts.style import GREY, LIGHT_GREY
from nkdigital.metadata.colours import ACCENT

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
    for row in rows.to_dict("records"):
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
    frame = credits.select(controls[controls["step_order"].notna()], package, include_weak)
    if frame.empty:
        raise ValueError(f"no access-control rows with a step_order to draw{credits.WEAK_HINT}")
    frame["step_order"] = frame["step_order"].astype(int)
    frame["step"] = frame["step"].astype(str)
    frame["_figure"] = [_figure(row) for row in frame.to_dict("records")]
    frame = frame.sort_values(["step_order", "control_id"], kind="stable").reset_index(drop=True)
    labels = credits.source_labels(package, frame["source_id"].unique(), width=50)
    steps = frame.drop_duplicates("step_order")[["step_order", "step"]].reset_index(drop=True)

    fig = house.HouseFigure()
    xs = steps["step_order"].tolist()
    # The flow line with an arrow into each next step.
    fig.add_scatter(x=xs, y=[NODE_Y] * len(xs), mode="lines", line={"color": LIGHT_GREY, "width": 3},
                    hoverinfo="skip", showlegend=False, name="flow")
    overlay.add(fig, [dict(x=b - 0.2, y=NODE_Y, ax=a + 0.2, ay=NODE_Y, xref="x", yref="y", axref="x", ayref="y",
                           text="", showarrow=True, arrowhead=2, arrowsize=1.3, arrowwidth=2,
                           arrowcolor=GREY, name="flow arrow") for a, b in itertools.pairwise(xs)])
    node_text, node_hover, node_colour = [], [], []
    label_x, label_y, label_text, label_hover, label_ids = [], [], [], [], []
    deepest = FIRST_LABEL_Y
    for step in steps.to_dict("records"):
        rows = frame[frame["step_order"] == step["step_order"]]
        quantified = rows[rows["_figure"] != ""]
        count = len(rows)
        node_text.append(f"<b>{step['step_order']}. {esc(palette.name('step', step['step']))}</b>")
        described = "<br>".join(f"• {wrap(d, 60)}" for d in rows["description"].dropna().drop_duplicates()[:4])
        node_hover.append(f"<b>{esc(palette.name('step', step['step']))}</b>"
                          f" ({count} statement{'s' * (count != 1)})<br>{described}")
        node_colour.append(ACCENT if len(quantified) else GREY)
        groups = sorted(quantified.groupby("_figure", sort=False), key=lambda g: (-len(g[1]), g[0]))
        y = FIRST_LABEL_Y
        for figure, group in groups:
            sources = group["source_id"].nunique()
            weak = group.loc[group["_weak"], "source_id"].nunique()
            label_x.append(step["step_order"])
            label_y.append(y)
            label_text.append(f"<b>{esc(figure)}</b><br><span style='font-size:11px;color:{GREY}'>"
                              f"{sources} source{'s' * (sources != 1)}{f' ({weak} weak)' if weak else ''}</span>")
            label_hover.append(_hover(group, labels, figure))
            label_ids.append(" ".join(esc(i) for i in group["control_id"]))
            y -= LABEL_STEP
        unquantified = count - len(quantified)
        if unquantified:
            label_x.append(step["step_order"])
            label_y.append(y)
            label_text.append(f"<span style='font-size:11px;color:{GREY}'>{unquantified} statement"
                              f"{'s' * (unquantified != 1)}<br>without a figure</span>")
            rest = rows[rows["_figure"] == ""]
            label_hover.append(_hover(rest, labels, "Without a figure"))
            label_ids.append(" ".join(esc(i) for i in rest["control_id"]))
            y -= LABEL_STEP
        deepest = min(deepest, y + LABEL_STEP)
    fig.add_scatter(x=xs, y=[NODE_Y] * len(xs), mode="markers+text", text=node_text, textposition="top center",
                    textfont={"size": 12}, marker={"size": 20, "color": node_colour, "symbol": "circle",
                                                   "line": {"color": "#ffffff", "width": 2}},
                    hovertext=node_hover, hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
                    name="steps")
    fig.add_scatter(x=label_x, y=label_y, mode="text", text=label_text, textposition="middle center",
                    textfont={"size": 12, "color": "#222222"}, hovertext=label_hover,
                    hovertemplate="%{hovertext}<extra></extra>", showlegend=False, name="figures",
                    customdata=label_ids)

    house.set_layout(fig, xaxis={"range": [min(xs) - 0.6, max(xs) + 0.6], "showgrid": False, "showline": False,
                                 "ticks": "", "showticklabels": False, "zeroline": False, "fixedrange": True},
                     yaxis={"range": [deepest - 0.7, NODE_Y + 1.1], "showgrid": False, "showticklabels": False,
                            "fixedrange": True})

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
    return house.finish(
        fig, chart="access-procedure", package=package, drawn=credits.source_frame(frame),
        title="Getting online in North Korea, step by step",
        subtitle=f"From the application to {esc(session_words)} under watch: each step of the procedure with the"
                 " figures sources give for it",
        description=description, notes=notes, plot_height=int((NODE_Y + 1.8 - deepest) * UNIT_PX),
        margin_left=20, margin_right=20, axis_band=10,
    )


def build(package: Package, include_weak: bool = False) -> house.HouseFigure:
    """The registered chart 'access-procedure' drawn from `package`."""
    return access_procedure(package.access_controls(), package=package, include_weak=include_weak)
