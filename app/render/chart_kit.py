"""What both charts share: fonts, colours, sizes, month ticks, a figure and its PNG.

Each chart gets its own Figure and Agg canvas and never goes through pyplot, so charts can be
drawn from several web-server threads at once; fonts, sizes and colours are passed explicitly
rather than read from rcParams, so the same data always gives the same bytes.
"""

from __future__ import annotations

import calendar
import io
import math
from datetime import date
from itertools import pairwise

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from app.domain.dates import partial_date, show

FONT = "DejaVu Sans"


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


INK = "#222222"


MUTED = "#555555"


SMALL, TEXT, TITLE = 7.5, 8.0, 9.5


def parts_of(text: str) -> list[int]:
    return [int(p) for p in partial_date(text).split("-")]


def first_day(text: str) -> date:
    year, month, day = [*parts_of(text), 1, 1][:3]
    return date(year, month, day)


def last_day(text: str) -> date:
    parts = parts_of(text)
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(*parts)


def month_label(year: int, month: int, step: int) -> str:
    return str(year) if step >= 12 else f"{MONTHS[month - 1]} {year}"


def month_ticks(lo: float, hi: float, most: int) -> list[tuple[float, str]]:
    """Ticks on the first of a month, at a step that leaves room for each label."""
    first, last = date.fromordinal(math.ceil(lo)), date.fromordinal(math.floor(hi))
    start = first.year * 12 + first.month - 1 + (first.day > 1)
    end = last.year * 12 + last.month - 1
    for step in (1, 2, 3, 6, 12, 24, 60, 120):
        ticks = [
            (date(m // 12, m % 12 + 1, 1).toordinal(), month_label(m // 12, m % 12 + 1, step))
            for m in range(start, end + 1)
            if m % step == 0
        ]
        if len(ticks) <= most:
            break
    if len(ticks) < 2:
        # Less than a couple of months on the axis: name the days at its ends instead.
        days = [math.ceil(lo + 0.1 * (hi - lo)), math.floor(hi - 0.1 * (hi - lo))]
        ticks = [(d, show(date.fromordinal(d).isoformat())) for d in days]
    return ticks


def date_ticks(ax, renderer, dated: list[tuple[float, float, str]], axis_in: float) -> None:
    """Label each score's date when they fit side by side; otherwise label months."""
    labelled = sorted({(x, text) for x, _, text in dated})
    lo, hi = ax.get_xlim()
    per_in = axis_in / (hi - lo)
    widest = max(text_width(renderer, text, SMALL) for _, text in labelled) / ax.figure.dpi
    gaps = [(b[0] - a[0]) * per_in for a, b in pairwise(labelled)]
    if all(gap > widest + 0.12 for gap in gaps):
        ax.set_xticks([x for x, _ in labelled], [text for _, text in labelled])
    else:
        ticks = month_ticks(lo, hi, max(2, int(axis_in / 0.7)))
        ax.set_xticks([t for t, _ in ticks], [label for _, label in ticks])


def font_of(size: float) -> FontProperties:
    return FontProperties(family=FONT, size=size)


def new_figure(width_in: float, height_in: float, dpi: int) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def heading(fig: Figure, x_in: float, y_in: float, text: str, size=TITLE, color=INK) -> None:
    """Bold text whose top left is `x_in`, `y_in` inches from the figure's top left."""
    width_in, height_in = fig.get_size_inches()
    fig.text(
        x_in / width_in,
        1 - y_in / height_in,
        text,
        ha="left",
        va="top",
        fontfamily=FONT,
        fontsize=size,
        fontweight="bold",
        color=color,
        parse_math=False,
    )


def whole_pixels(inches: float, dpi: int) -> float:
    # Agg truncates the canvas to whole pixels; aiming half a pixel over the rounded size keeps
    # 281.99999 from losing a row to float rounding, and 604.8 (6.3 in at 96 dpi) becomes 605.
    return (round(inches * dpi) + 0.5) / dpi


def png_bytes(fig: Figure) -> bytes:
    # Nothing else holds the figure (there is no pyplot registry), so it is freed with its last
    # reference. Without the "Software" text chunk a matplotlib upgrade alone does not change a
    # re-exported letter; compression level 3 is nearly as small as the default and faster.
    with io.BytesIO() as buffer:
        fig.savefig(
            buffer,
            format="png",
            dpi=fig.dpi,
            facecolor="white",
            metadata={"Software": None},
            pil_kwargs={"compress_level": 3},
        )
        return buffer.getvalue()


def style_axes(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for spine in ax.spines.values():
        spine.set_color("#888888")
        spine.set_linewidth(0.8)
    ax.tick_params(labelsize=SMALL, labelfontfamily=FONT, colors=MUTED, length=3, width=0.6)


def text_width(renderer, text: str, size: float, weight: str = "normal") -> float:
    font = FontProperties(family=FONT, size=size, weight=weight)
    lines = text.split("\n")
    return max(renderer.get_text_width_height_descent(s, font, ismath=False)[0] for s in lines)
