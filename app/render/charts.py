"""PNG charts of a case: the treatments tried, and a patient-reported score over time.

Pure functions of plain data. Each chart gets its own Figure and Agg canvas and never goes
through pyplot, so charts can be drawn from several web-server threads at once; fonts, sizes
and colours are passed explicitly rather than read from rcParams, so a chart looks the same
whatever matplotlibrc the server has, and the same data always gives the same bytes.
"""

from __future__ import annotations

import calendar
import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from app.domain.dates import partial_date, show
from app.domain.outcomes import Instrument

FONT = "DejaVu Sans"
OUTCOMES = ("ineffective", "intolerant", "contraindicated", "partial")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_INK = "#222222"
_MUTED = "#555555"
_SMALL, _TEXT, _TITLE = 7.5, 8.0, 9.5


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
class ScorePoint:
    """A score on a day ("2026-09-12"), or in a month ("2026-09") when the chart gives no day."""

    day: str
    score: float


@dataclass(frozen=True)
class Zone:
    """A severity band as a stretch of the score axis; severity 0 is the best band."""

    lower: float
    upper: float
    label: str
    severity: int


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
    first = _first_day(start) if start else None
    last = _last_day(stop) if stop else None
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
    width_in = _whole_pixels(width_in, dpi)
    if not rows:
        raise ValueError("There are no treatments to chart.")
    side, row_in, axis_in = 0.15, 0.42, 0.3
    fig = _figure(width_in, 1.0, dpi)
    renderer = fig.canvas.get_renderer()
    handles = _legend_handles(rows)
    ncol = _legend_columns(handles, renderer, (width_in - 2 * side) * dpi)
    legend_in = 0.1 + 0.19 * math.ceil(len(handles) / ncol)
    height_in = _whole_pixels(legend_in + row_in * len(rows) + axis_in, dpi)
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
    _style_axes(ax)
    ax.yaxis.set_major_locator(NullLocator())
    ax.spines["left"].set_visible(False)
    if any(r.first or r.last for r in rows):
        ticks = _month_ticks(lo, hi, max(2, int((width_in - 2 * side) / 0.7)))
        # A tick label centred too near the edge of the picture would be cut in half.
        per_day = (width_in - 2 * side) * dpi / (hi - lo)
        for end in (-1, 0):
            t, label = ticks[end]
            room = min(t - lo, hi - t) * per_day + side * dpi
            if len(ticks) > 2 and room < _text_width(renderer, label, _SMALL) / 2 + 2:
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
        prop=_font(_TEXT),
        handlelength=1.8,
        handleheight=1.0,
        borderaxespad=0,
        borderpad=0.2,
        columnspacing=1.4,
    )
    return _png(fig)


def zones(instrument: Instrument) -> tuple[Zone, ...]:
    """The instrument's bands as contiguous stretches of its range, lowest scores first."""
    bands = sorted(instrument.bands)
    count = len(bands)
    result = []
    for i, (lower, label) in enumerate(bands):
        upper = bands[i + 1][0] if i + 1 < count else instrument.high
        severity = i if instrument.higher_is_worse else count - 1 - i
        result.append(Zone(max(lower, instrument.low), upper, label, severity))
    return tuple(result)


def zone_of(instrument: Instrument, score: float) -> Zone:
    """The zone `score` falls in; raises ValueError outside the instrument's range."""
    instrument.band(score)
    return [z for z in zones(instrument) if z.lower <= score][-1]


def pro_trend(
    points: Sequence[ScorePoint],
    instrument: Instrument,
    *,
    width_in: float = 6.5,
    dpi: int = 150,
) -> bytes:
    """A PNG of a patient-reported score over time, over the instrument's shaded bands.

    Raises ValueError when there are no points, a day is not at least a month, or a score is
    outside the instrument's range.
    """
    if not points:
        raise ValueError(f"There are no {instrument.name} scores to chart.")
    dated = sorted((_score_day(p.day), float(p.score), show(partial_date(p.day))) for p in points)
    for _, score, _ in dated:
        instrument.band(score)
    width_in, height_in = _whole_pixels(width_in, dpi), _whole_pixels(2.6, dpi)
    fig = _figure(width_in, height_in, dpi)
    renderer = fig.canvas.get_renderer()
    band_labels = [(z, textwrap.fill(z.label, 18)) for z in zones(instrument)]
    label_px = max(_text_width(renderer, text, _SMALL) for _, text in band_labels)
    left, right, top, bottom = 0.62, label_px / dpi + 0.28, 0.4, 0.32
    worse = "higher" if instrument.higher_is_worse else "lower"
    title = f"{instrument.name} over time (a {worse} score is worse)"
    if _text_width(renderer, title, _TITLE, "bold") > (width_in - left - 0.05) * dpi:
        title = title.replace(" (", "\n(")
        top += 0.18
    ax = fig.add_axes(
        (
            left / width_in,
            bottom / height_in,
            1 - (left + right) / width_in,
            1 - (top + bottom) / height_in,
        )
    )
    xs = [x for x, _, _ in dated]
    ys = [y for _, y, _ in dated]
    pad = max(0.07 * (xs[-1] - xs[0]), 20.0)
    ax.set_xlim(xs[0] - pad, xs[-1] + pad)
    ax.set_ylim(instrument.low, instrument.high)
    _style_axes(ax)
    _shade_zones(ax, renderer, band_labels)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_ylabel(_score_label(instrument), fontfamily=FONT, fontsize=_TEXT, color=_MUTED)
    _date_ticks(ax, renderer, dated, width_in - left - right)

    # Unclipped so a score at the very top or bottom of the range shows as a whole dot.
    ax.plot(xs, ys, color=_INK, linewidth=1.4, zorder=3, solid_capstyle="round", clip_on=False)
    ax.plot(
        xs, ys, linestyle="", marker="o", markersize=5.5, color="#0072B2", zorder=4, clip_on=False
    )
    span_y = instrument.high - instrument.low
    for x, y, _ in dated:
        below = y > instrument.low + 0.85 * span_y
        ax.annotate(
            f"{y:g}",
            (x, y),
            xytext=(0, -7 if below else 7),
            textcoords="offset points",
            ha="center",
            va="top" if below else "bottom",
            fontfamily=FONT,
            fontsize=_TEXT,
            fontweight="bold",
            color=_INK,
            parse_math=False,
            zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )
    fig.text(
        left / width_in,
        1 - 0.08 / height_in,
        title,
        ha="left",
        va="top",
        fontfamily=FONT,
        fontsize=_TITLE,
        fontweight="bold",
        color=_INK,
        parse_math=False,
    )
    return _png(fig)


# --- dates -------------------------------------------------------------------------------------


def _parts(text: str) -> list[int]:
    return [int(p) for p in partial_date(text).split("-")]


def _first_day(text: str) -> date:
    year, month, day = [*_parts(text), 1, 1][:3]
    return date(year, month, day)


def _last_day(text: str) -> date:
    parts = _parts(text)
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(*parts)


def _score_day(text: str) -> float:
    """A score's place on the axis: its day, or the middle of its month."""
    parts = _parts(text)
    if len(parts) < 2:
        raise ValueError(f"A score needs at least the month it was taken, not just “{text}”.")
    first, last = _first_day(text), _last_day(text)
    return (first.toordinal() + last.toordinal() + 1) / 2 if len(parts) == 2 else first.toordinal()


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


def _month_label(year: int, month: int, step: int) -> str:
    return str(year) if step >= 12 else f"{_MONTHS[month - 1]} {year}"


def _month_ticks(lo: float, hi: float, most: int) -> list[tuple[float, str]]:
    """Ticks on the first of a month, at a step that leaves room for each label."""
    first, last = date.fromordinal(math.ceil(lo)), date.fromordinal(math.floor(hi))
    start = first.year * 12 + first.month - 1 + (first.day > 1)
    end = last.year * 12 + last.month - 1
    for step in (1, 2, 3, 6, 12, 24, 60, 120):
        ticks = [
            (date(m // 12, m % 12 + 1, 1).toordinal(), _month_label(m // 12, m % 12 + 1, step))
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


def _date_ticks(ax, renderer, dated: list[tuple[float, float, str]], axis_in: float) -> None:
    """Label each score's date when they fit side by side; otherwise label months."""
    labelled = sorted({(x, text) for x, _, text in dated})
    lo, hi = ax.get_xlim()
    per_in = axis_in / (hi - lo)
    widest = max(_text_width(renderer, text, _SMALL) for _, text in labelled) / ax.figure.dpi
    gaps = [(b[0] - a[0]) * per_in for a, b in pairwise(labelled)]
    if all(gap > widest + 0.12 for gap in gaps):
        ax.set_xticks([x for x, _ in labelled], [text for _, text in labelled])
    else:
        ticks = _month_ticks(lo, hi, max(2, int(axis_in / 0.7)))
        ax.set_xticks([t for t, _ in ticks], [label for _, label in ticks])


# --- drawing -----------------------------------------------------------------------------------


def _font(size: float) -> FontProperties:
    return FontProperties(family=FONT, size=size)


def _figure(width_in: float, height_in: float, dpi: int) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _whole_pixels(inches: float, dpi: int) -> float:
    # Agg truncates the canvas to whole pixels; aiming half a pixel over the rounded size keeps
    # 281.99999 from losing a row to float rounding, and 604.8 (6.3 in at 96 dpi) becomes 605.
    return (round(inches * dpi) + 0.5) / dpi


def _png(fig: Figure) -> bytes:
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


def _style_axes(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for spine in ax.spines.values():
        spine.set_color("#888888")
        spine.set_linewidth(0.8)
    ax.tick_params(labelsize=_SMALL, labelfontfamily=FONT, colors=_MUTED, length=3, width=0.6)


def _text_width(renderer, text: str, size: float, weight: str = "normal") -> float:
    font = FontProperties(family=FONT, size=size, weight=weight)
    lines = text.split("\n")
    return max(renderer.get_text_width_height_descent(s, font, ismath=False)[0] for s in lines)


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
        markeredgecolor=_INK,
        markeredgewidth=0.6,
        label=_NOT_STARTED,
    )


def _legend_columns(handles: list, renderer, available_px: float) -> int:
    """The most legend columns whose entries fit side by side in the figure's width."""
    dpi_scale = renderer.points_to_pixels(1.0)
    widths = [
        _text_width(renderer, h.get_label(), _TEXT) + (1.8 + 0.8 + 1.4) * _TEXT * dpi_scale
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
    width = _text_width(renderer, text, _TEXT)
    while width > box.width and len(text) > 2:
        if len(label) > 12:
            label = label[:-2].rstrip("… ") + "…"
            text = label + suffix
        else:
            text = text[:-2].rstrip("… ") + "…"
        width = _text_width(renderer, text, _TEXT)
    x_px = ax.transData.transform((x, y))[0]
    x_px = max(box.x0, min(x_px, box.x1 - width))
    ax.text(
        ax.transData.inverted().transform((x_px, 0))[0],
        y,
        text,
        ha="left",
        va="center",
        fontfamily=FONT,
        fontsize=_TEXT,
        color=_INK,
        parse_math=False,
    )


def _shade_zones(ax, renderer, band_labels: list[tuple[Zone, str]]) -> None:
    """Shade each band, darker for worse, and name it in the right margin."""
    worst = max(z.severity for z, _ in band_labels) or 1
    # A band of a single score (Karnofsky 100) has no height to shade but still gets its label.
    for zone, _ in band_labels:
        if zone.upper == zone.lower:
            continue
        ax.axhspan(
            zone.lower, zone.upper, facecolor=_tint(0.04 + 0.3 * zone.severity / worst), zorder=0
        )
    line_px = renderer.points_to_pixels(_SMALL * 1.2)
    box = ax.get_window_extent(renderer)
    wanted = [ax.transData.transform((0, (z.lower + z.upper) / 2))[1] for z, _ in band_labels]
    heights = [line_px * (text.count("\n") + 1) for _, text in band_labels]
    placed = _spread(wanted, heights, box.y0, box.y1)
    to_fig = ax.figure.transFigure.inverted()
    gap = renderer.points_to_pixels(4)
    for (_, text), want, y in zip(band_labels, wanted, placed, strict=True):
        fx, fy = to_fig.transform((box.x1 + 2 * gap, y))
        ax.figure.text(
            fx,
            fy,
            text,
            ha="left",
            va="center",
            fontfamily=FONT,
            fontsize=_SMALL,
            color=_MUTED,
            linespacing=1.1,
            parse_math=False,
        )
        start = to_fig.transform((box.x1, want))
        end = to_fig.transform((box.x1 + 1.6 * gap, y))
        ax.figure.add_artist(
            Line2D([start[0], end[0]], [start[1], end[1]], color="#999999", linewidth=0.6)
        )


def _spread(wanted: list[float], heights: list[float], low: float, high: float) -> list[float]:
    """Centres near `wanted` (ascending) that keep labels of `heights` from overlapping."""
    placed = list(wanted)
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + (heights[i - 1] + heights[i]) / 2)
    if placed and placed[-1] + heights[-1] / 2 > high:
        placed[-1] = high - heights[-1] / 2
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - (heights[i] + heights[i + 1]) / 2)
    if placed and placed[0] - heights[0] / 2 < low:
        placed[0] = low + heights[0] / 2
        for i in range(1, len(placed)):
            placed[i] = max(placed[i], placed[i - 1] + (heights[i - 1] + heights[i]) / 2)
    return placed


def _tint(strength: float) -> tuple[float, float, float]:
    """Vermillion mixed into white: one hue, so worse reads as darker without relying on colour."""
    red, green, blue = 0xD5 / 255, 0x5E / 255, 0x00 / 255
    return tuple(1 - strength * (1 - c) for c in (red, green, blue))


def _score_label(instrument: Instrument) -> str:
    if instrument.unit.startswith("/"):
        return f"score (out of {instrument.unit[1:]})"
    return f"score ({instrument.unit})" if instrument.unit else "score"
