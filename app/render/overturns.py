"""The team's overturn rates as horizontal bars: one panel by payer, one by denial category.

Each bar runs over a 0-100 % track, so a rate reads against the whole at a glance; the
number of decided calls behind it (n) sits beside it, because 100 % of one call says little.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from matplotlib.ticker import FixedLocator, NullLocator

from app.domain.overturns import Tally, percent
from app.render.chart_kit import (
    FONT,
    INK,
    MUTED,
    SMALL,
    TEXT,
    heading,
    new_figure,
    png_bytes,
    style_axes,
    text_width,
    whole_pixels,
)

BAR = "#0072B2"  # Okabe-Ito blue, as in the other charts
TRACK = "#E6EBF1"
GRID = "#CCCCCC"
WRAP = 34  # characters per line of a payer's or category's name

_TITLE_IN, _HEAD_IN, _AXIS_IN, _GAP_IN = 0.34, 0.26, 0.26, 0.16
_LINE_IN, _ROW_PAD_IN, _BAR_IN = 0.135, 0.15, 0.17
_N_AT_PT = 34  # where "n = …" starts, in points right of the 100% end: after "100%"


def _rows(tallies: Sequence[Tally]) -> list[tuple[str, Tally]]:
    return [(textwrap.fill(t.name, WRAP), t) for t in tallies if t.decided]


def _row_in(text: str) -> float:
    return _ROW_PAD_IN + _LINE_IN * (text.count("\n") + 1)


def overturn_chart(
    by_payer: Sequence[Tally],
    by_category: Sequence[Tally],
    *,
    width_in: float = 6.5,
    dpi: int = 150,
) -> bytes:
    """A PNG of the overturn rate per payer and per denial category, in the order given.

    Only tallies with a decided call get a bar (a rate needs one). Raises ValueError when
    no tally has a decided call: there is nothing to draw, and the page says so in words.
    """
    panels = [
        (title, rows)
        for title, rows in (
            ("By payer", _rows(by_payer)),
            ("By denial category", _rows(by_category)),
        )
        if rows
    ]
    if not panels:
        raise ValueError("There are no decided calls to chart.")
    width_in = whole_pixels(width_in, dpi)
    fig = new_figure(width_in, 1.0, dpi)
    renderer = fig.canvas.get_renderer()
    labels = [text for _, rows in panels for text, _ in rows]
    left = min(
        max(text_width(renderer, text, TEXT) for text in labels) / dpi + 0.2, 0.45 * width_in
    )
    right = _N_AT_PT / 72 + text_width(renderer, "n = 999", SMALL) / dpi + 0.1
    heights = [sum(_row_in(text) for text, _ in rows) for _, rows in panels]
    height_in = whole_pixels(
        _TITLE_IN + sum(_HEAD_IN + h + _AXIS_IN for h in heights) + _GAP_IN * (len(panels) - 1),
        dpi,
    )
    fig.set_size_inches(width_in, height_in)

    heading(fig, 0.1, 0.08, "Overturn rate of the team's logged P2P calls (n = decided calls)")
    top = _TITLE_IN
    for (title, rows), panel_in in zip(panels, heights, strict=True):
        heading(fig, 0.1, top + 0.04, title, TEXT, MUTED)
        top += _HEAD_IN
        ax = fig.add_axes(
            (
                left / width_in,
                1 - (top + panel_in) / height_in,
                1 - (left + right) / width_in,
                panel_in / height_in,
            )
        )
        _draw_panel(ax, rows, panel_in)
        top += panel_in + _AXIS_IN + _GAP_IN
    return png_bytes(fig)


def _draw_panel(ax, rows: list[tuple[str, Tally]], panel_in: float) -> None:
    """Bars on a y axis measured in inches from the top, so rows of two lines fit."""
    ax.set_xlim(0, 100)
    ax.set_ylim(panel_in, 0)
    style_axes(ax)
    ax.spines["left"].set_visible(False)
    ax.yaxis.set_major_locator(NullLocator())
    ax.xaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
    ax.set_xticklabels(["0%", "25%", "50%", "75%", "100%"])
    ax.grid(axis="x", color=GRID, linewidth=0.6, linestyle=(0, (2, 2)))
    ax.set_axisbelow(True)
    y = 0.0
    for text, tally in rows:
        row_in = _row_in(text)
        middle = y + row_in / 2
        rate = (tally.rate or 0.0) * 100
        ax.barh(middle, 100, height=_BAR_IN, color=TRACK, zorder=1)
        ax.barh(middle, rate, height=_BAR_IN, color=BAR, zorder=2)
        ax.annotate(
            text,
            (0, middle),
            xytext=(-6, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontfamily=FONT,
            fontsize=TEXT,
            color=INK,
            linespacing=1.05,
            parse_math=False,
            annotation_clip=False,
        )
        ax.annotate(
            percent(tally.rate),
            (100, middle),
            xytext=(5, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontfamily=FONT,
            fontsize=SMALL,
            fontweight="bold",
            color=INK,
            parse_math=False,
            annotation_clip=False,
        )
        ax.annotate(
            f"n = {tally.decided}",
            (100, middle),
            xytext=(_N_AT_PT, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontfamily=FONT,
            fontsize=SMALL,
            color=MUTED,
            parse_math=False,
            annotation_clip=False,
        )
        y += row_in
