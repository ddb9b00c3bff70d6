"""The treatments tried, on a time axis, by outcome (colour, hatch and words)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle
from matplotlib.ticker import NullLocator

from app.domain.dates import show
from app.render.chart_kit import (
    FONT,
    INK,
    SMALL,
    TEXT,
    first_day,
    font_of,
    last_day,
    month_ticks,
    new_figure,
    png_bytes,
    style_axes,
    text_width,
    whole_pixels,
)

OUTCOMES = ("ineffective", "intolerant", "contraindicated", "partial")


@dataclass(frozen=True)
class TimelineItem:
    """One treatment tried: dates as the chart records them (partial ISO), and how it ended."""

    label: str
    start: str | None
    stop: str | None
    outcome: str | None


@dataclass(frozen=True)
class TimelineRow:
    """A treatment placed on the time axis.

    `first` and `last` are the first and last days covered (inclusive), None where the chart has
    no date; `ongoing` rows run to the `today` they were laid out with.
    """

    item: TimelineItem
    first: date | None
    last: date | None
    ongoing: bool
    not_started: bool


@dataclass(frozen=True)
class _Style:
    words: str
    colour: str
    hatch: str


# Okabe-Ito colours stay distinct under the common colour-vision deficiencies; the hatch and the
# words on each row carry the same meaning in a greyscale print or fax of the letter.
_STYLES: dict[str | None, _Style] = {
    "ineffective": _Style("ineffective", "#D55E00", "///"),
    "intolerant": _Style("not tolerated", "#0072B2", "..."),
    "contraindicated": _Style("contraindicated", "#CC79A7", "xx"),
    "partial": _Style("partial response", "#E69F00", "\\\\\\"),
    None: _Style("outcome not recorded", "#999999", ""),
}


_NOT_STARTED = "contraindicated (not started)"


def span(start: str | None, stop: str | None) -> tuple[date | None, date | None]:
    """First day of `start` and last day of `stop`, at the precision the chart gives.

    A start of "2024-01" is 1 January 2024, a stop of "2024-09" is 30 September 2024, and a year
    alone covers the whole year. A missing date stays None. Raises ValueError for a malformed
    date or a stop before the start.
    """
    first = first_day(start) if start else None
    last = last_day(stop) if stop else None
    if first and last and last < first:
        raise ValueError(
            f"A treatment cannot stop ({show(stop)}) before it starts ({show(start)})."
        )
    return first, last


def timeline_rows(
    treatments: Sequence[TimelineItem], today: date | None = None
) -> list[TimelineRow]:
    """The treatments in chronological order, each with the days its bar covers.

    Undated treatments come last, in the order given. Without a stop date a treatment runs to
    `today` when one is given. Raises ValueError for an unknown outcome or impossible dates.
    """
    rows = []
    for item in treatments:
        if item.outcome not in _STYLES:
            raise ValueError(
                f"“{item.outcome}” is not an outcome; use one of {', '.join(OUTCOMES)}."
            )
        first, last = span(item.start, item.stop)
        not_started = item.outcome == "contraindicated" and first is None
        ongoing = first is not None and last is None and today is not None
        if ongoing:
            if today < first:
                raise ValueError(f"{item.label} starts ({show(item.start)}) after today.")
            last = today
        rows.append(TimelineRow(item, first, last, ongoing, not_started))
    order = sorted(range(len(rows)), key=lambda i: _row_key(rows[i], i))
    return [rows[i] for i in order]


def treatment_timeline(
    treatments: Sequence[TimelineItem],
    *,
    today: date | None = None,
    width_in: float = 6.5,
    dpi: int = 150,
) -> bytes:
    """A PNG of the treatments tried: one bar per treatment on a time axis, by outcome.

    Raises ValueError when there is nothing to chart or a treatment's dates or outcome are not
    valid (see `timeline_rows`).
    """
    rows = timeline_rows(treatments, today)
    width_in = whole_pixels(width_in, dpi)
    if not rows:
        raise ValueError("There are no treatments to chart.")
    side, row_in, axis_in = 0.15, 0.42, 0.3
    fig = new_figure(width_in, 1.0, dpi)
    renderer = fig.canvas.get_renderer()
    handles = _legend_handles(rows)
    ncol = _legend_columns(handles, renderer, (width_in - 2 * side) * dpi)
    legend_in = 0.1 + 0.19 * math.ceil(len(handles) / ncol)
    height_in = whole_pixels(legend_in + row_in * len(rows) + axis_in, dpi)
    fig.set_size_inches(width_in, height_in)
    ax = fig.add_axes(
        (
            side / width_in,
            axis_in / height_in,
            1 - 2 * side / width_in,
            row_in * len(rows) / height_in,
        )
    )
    lo, hi, stub = _time_range(rows)
    ax.set_xlim(lo, hi)
    ax.set_ylim(len(rows), 0)
    style_axes(ax)
    ax.yaxis.set_major_locator(NullLocator())
    ax.spines["left"].set_visible(False)
    if any(r.first or r.last for r in rows):
        ticks = month_ticks(lo, hi, max(2, int((width_in - 2 * side) / 0.7)))
        # A tick label centred too near the edge of the picture would be cut in half.
        per_day = (width_in - 2 * side) * dpi / (hi - lo)
        for end in (-1, 0):
            t, label = ticks[end]
            room = min(t - lo, hi - t) * per_day + side * dpi
            if len(ticks) > 2 and room < text_width(renderer, label, SMALL) / 2 + 2:
                del ticks[end]
        ax.set_xticks([t for t, _ in ticks], [label for _, label in ticks])
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    else:
        ax.xaxis.set_major_locator(NullLocator())

    days_per_in = (hi - lo) / (width_in - 2 * side)
    for i, row in enumerate(rows):
        anchor, notes = _draw_row(ax, row, i + 0.68, stub, 0.1 * days_per_in, lo + 0.01 * (hi - lo))
        style = _STYLES[row.item.outcome]
        words = _NOT_STARTED if row.not_started else style.words
        suffix = " · ".join([f" — {words}", *notes])
        _place_label(ax, renderer, anchor, i + 0.3, row.item.label, suffix)

    fig.legend(
        handles=_row_major(handles, ncol),
        loc="upper left",
        bbox_to_anchor=(side / width_in, 1 - 0.04 / height_in),
        ncol=ncol,
        frameon=False,
        prop=font_of(TEXT),
        handlelength=1.8,
        handleheight=1.0,
        borderaxespad=0,
        borderpad=0.2,
        columnspacing=1.4,
    )
    return png_bytes(fig)


def _row_key(row: TimelineRow, index: int) -> tuple[bool, date, int]:
    when = row.first or row.last
    return (when is None, when or date.min, index)


def _time_range(rows: Sequence[TimelineRow]) -> tuple[float, float, float]:
    """Axis limits (day ordinals) and the length of the stub drawn for a missing date."""
    known = [d.toordinal() for r in rows for d in (r.first, r.last) if d]
    if not known:
        return 0.0, 365.0, 30.0
    lo, hi = float(min(known)), float(max(known) + 1)
    stub = max(0.07 * max(hi - lo, 90.0), 20.0)
    for r in rows:
        if r.first and not r.last:
            hi = max(hi, r.first.toordinal() + 1.6 * stub)
        elif r.last and not r.first and not r.not_started:
            lo = min(lo, r.last.toordinal() + 1 - 1.6 * stub)
    width = max(hi - lo, 60.0)
    middle = (lo + hi) / 2
    lo, hi = middle - width / 2, middle + width / 2
    return lo - 0.03 * width, hi + 0.03 * width, stub


def _legend_handles(rows: Sequence[TimelineRow]) -> list:
    present = {r.item.outcome for r in rows if not r.not_started}
    handles: list = [
        Patch(
            facecolor=_STYLES[o].colour,
            hatch=_STYLES[o].hatch,
            hatchcolor="white",
            edgecolor="none",
            label=_STYLES[o].words,
        )
        for o in (*OUTCOMES, None)
        if o in present
    ]
    if any(r.not_started for r in rows):
        handles.append(_not_started_marker([], []))
    return handles


def _not_started_marker(xs: list[float], ys: list[float]) -> Line2D:
    return Line2D(
        xs,
        ys,
        linestyle="",
        marker="X",
        markersize=9,
        color=_STYLES["contraindicated"].colour,
        markeredgecolor=INK,
        markeredgewidth=0.6,
        label=_NOT_STARTED,
    )


def _legend_columns(handles: list, renderer, available_px: float) -> int:
    """The most legend columns whose entries fit side by side in the figure's width."""
    dpi_scale = renderer.points_to_pixels(1.0)
    widths = [
        text_width(renderer, h.get_label(), TEXT) + (1.8 + 0.8 + 1.4) * TEXT * dpi_scale
        for h in handles
    ]
    for ncol in range(len(handles), 1, -1):
        if sum(max(widths[j::ncol]) for j in range(ncol)) <= available_px:
            return ncol
    return 1


def _row_major(handles: list, ncol: int) -> list:
    # A legend fills its columns one after another; ordering the entries column by column
    # makes them read left to right, line by line, in the order of OUTCOMES.
    return [h for j in range(ncol) for h in handles[j::ncol]]


def _draw_row(
    ax, row: TimelineRow, y: float, stub: float, head: float, left_edge: float
) -> tuple[float, list[str]]:
    """Draw one treatment's bar or marker; returns where its label starts and its notes."""
    style = _STYLES[row.item.outcome]
    height = 0.34
    if row.not_started:
        x = row.last.toordinal() + 0.5 if row.last else left_edge
        ax.add_line(_not_started_marker([x], [y]))
        return x, []
    if row.first is None and row.last is None:
        return left_edge, ["dates not recorded"]
    notes = []
    if row.first and row.last:
        begin, end = row.first.toordinal(), row.last.toordinal() + 1
    elif row.first:
        begin, end = row.first.toordinal(), row.first.toordinal() + stub
        _dotted(ax, end, end + 0.6 * stub, y, style.colour)
        notes.append("stop date not recorded")
    else:
        begin, end = row.last.toordinal() + 1 - stub, row.last.toordinal() + 1
        _dotted(ax, begin - 0.6 * stub, begin, y, style.colour)
        notes.append("start date not recorded")
    bar_end = end - head if row.ongoing else end
    ax.add_patch(
        Rectangle(
            (begin, y - height / 2),
            max(bar_end - begin, 0.0),
            height,
            facecolor=style.colour,
            hatch=style.hatch,
            hatchcolor="white",
            edgecolor="none",
        )
    )
    if row.ongoing:
        ax.add_patch(
            Polygon(
                [(bar_end, y - height * 0.8), (end, y), (bar_end, y + height * 0.8)],
                closed=True,
                facecolor=style.colour,
                edgecolor="none",
            )
        )
        notes.append(f"ongoing as of {show(row.last.isoformat())}")
    return begin, notes


def _dotted(ax, x0: float, x1: float, y: float, colour: str) -> None:
    ax.add_line(Line2D([x0, x1], [y, y], linestyle=(0, (1.5, 1.5)), linewidth=2.0, color=colour))


def _place_label(ax, renderer, x: float, y: float, label: str, suffix: str) -> None:
    """Put a row's label above its bar, moved left as needed to stay inside the chart.

    A label too long for the chart is shortened before the outcome words in `suffix` are.
    """
    box = ax.get_window_extent(renderer)
    text = label + suffix
    width = text_width(renderer, text, TEXT)
    while width > box.width and len(text) > 2:
        if len(label) > 12:
            label = label[:-2].rstrip("… ") + "…"
            text = label + suffix
        else:
            text = text[:-2].rstrip("… ") + "…"
        width = text_width(renderer, text, TEXT)
    x_px = ax.transData.transform((x, y))[0]
    x_px = max(box.x0, min(x_px, box.x1 - width))
    ax.text(
        ax.transData.inverted().transform((x_px, 0))[0],
        y,
        text,
        ha="left",
        va="center",
        fontfamily=FONT,
        fontsize=TEXT,
        color=INK,
        parse_math=False,
    )
