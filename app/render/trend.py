"""A patient-reported score over time, against the instrument's severity bands."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from app.domain.dates import partial_date, show
from app.domain.outcomes import Instrument
from app.render.chart_kit import (
    FONT,
    INK,
    MUTED,
    SMALL,
    TEXT,
    TITLE,
    date_ticks,
    first_day,
    heading,
    last_day,
    new_figure,
    parts_of,
    png_bytes,
    style_axes,
    text_width,
    whole_pixels,
)


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
    width_in, height_in = whole_pixels(width_in, dpi), whole_pixels(2.6, dpi)
    fig = new_figure(width_in, height_in, dpi)
    renderer = fig.canvas.get_renderer()
    band_labels = [(z, textwrap.fill(z.label, 18)) for z in zones(instrument)]
    label_px = max(text_width(renderer, text, SMALL) for _, text in band_labels)
    left, right, top, bottom = 0.62, label_px / dpi + 0.28, 0.4, 0.32
    worse = "higher" if instrument.higher_is_worse else "lower"
    title = f"{instrument.name} over time (a {worse} score is worse)"
    if text_width(renderer, title, TITLE, "bold") > (width_in - left - 0.05) * dpi:
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
    style_axes(ax)
    _shade_zones(ax, renderer, band_labels)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_ylabel(_score_label(instrument), fontfamily=FONT, fontsize=TEXT, color=MUTED)
    date_ticks(ax, renderer, dated, width_in - left - right)

    # Unclipped so a score at the very top or bottom of the range shows as a whole dot.
    ax.plot(xs, ys, color=INK, linewidth=1.4, zorder=3, solid_capstyle="round", clip_on=False)
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
            fontsize=TEXT,
            fontweight="bold",
            color=INK,
            parse_math=False,
            zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )
    heading(fig, left, 0.08, title)
    return png_bytes(fig)


def _score_day(text: str) -> float:
    """A score's place on the axis: its day, or the middle of its month."""
    parts = parts_of(text)
    if len(parts) < 2:
        raise ValueError(f"A score needs at least the month it was taken, not just “{text}”.")
    first, last = first_day(text), last_day(text)
    return (first.toordinal() + last.toordinal() + 1) / 2 if len(parts) == 2 else first.toordinal()


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
    line_px = renderer.points_to_pixels(SMALL * 1.2)
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
            fontsize=SMALL,
            color=MUTED,
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
