"""Label placement: staggered labels on leader lines, and the rows a horizontal legend takes."""

from __future__ import annotations

from collections.abc import Sequence

from nkdigital.charts.markup import text_px


def stagger(positions: Sequence[float], widths: Sequence[float], bounds: tuple[float, float], gap: float = 8,
            offset: float = 3, levels: int = 10) -> list[tuple[int, str]]:
    """(level, xanchor) for labels on leader lines rising from `positions` (px along the plot's x axis).

    A label `widths[i]` px wide runs right of its leader (``xanchor`` 'left', `offset` px away) or left of it;
    level 0 is nearest the plot. A leader rising to level k crosses levels 0 … k-1, so a label may neither
    overlap another label on its level, nor sit across the leader of a label placed higher, nor have its own
    leader cross a label placed lower. Labels are placed right to left, each on the lowest such level,
    preferring sides that stay within `bounds` (px, may reach into the margins) and that do not cover the
    leader of a label still to be placed (which would then have to climb above it).
    """
    placed: list[tuple[int, float, float, float]] = []  # level, leader x, label extent
    result: list[tuple[int, str]] = [(0, "left")] * len(positions)
    order = sorted(range(len(positions)), key=lambda i: (-positions[i], i))
    for rank, i in enumerate(order):
        x, size = float(positions[i]), float(widths[i])
        pending = [float(positions[j]) for j in order[rank + 1:] if float(positions[j]) != x]
        options = []
        for level in range(levels):
            for side, anchor in enumerate(("left", "right")):
                low, high = (x + offset, x + offset + size) if anchor == "left" else (x - offset - size, x - offset)
                free = all(
                    (other != level or high + gap <= lo or low - gap >= hi)
                    and (other >= level or not lo - 1 <= x <= hi + 1)  # my leader through a lower label
                    and (other <= level or not low - 1 <= lx <= high + 1)  # a higher leader through me
                    for other, lx, lo, hi in placed)
                if free:
                    covers = any(low - 1 <= px <= high + 1 for px in pending)
                    outside = low < bounds[0] or high > bounds[1]
                    options.append((covers, outside, level, side, low, high))
        if options:
            _, _, level, side, low, high = min(options)
            anchor = ("left", "right")[side]
        else:  # nowhere free: the top level, to the right
            level, anchor, low, high = levels - 1, "left", x + offset, x + offset + size
        placed.append((level, x, low, high))
        result[i] = (level, anchor)
    return result


def legend_rows(names: Sequence[str], width_px: float, font_size: float = 12, title: str = "") -> int:
    """Rows a horizontal legend of `names` (raw text) needs in `width_px`: symbol and gap plus text per item."""
    rows, used = 1, text_px(title, font_size) + 10 if title else 0
    for name in names:
        item = 40 + text_px(name, font_size) + 12
        if used and used + item > width_px:
            rows, used = rows + 1, text_px(title, font_size) + 10 if title else 0
        used += item
    return rows
