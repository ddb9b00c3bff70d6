import io
import struct
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from itertools import pairwise

import numpy as np
import pytest
from matplotlib.image import imread

from app.domain.outcomes import INSTRUMENTS, instrument
from app.render.charts import (
    ScorePoint,
    TimelineItem,
    pro_trend,
    span,
    timeline_rows,
    treatment_timeline,
    zone_of,
    zones,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NOT_TOLERATED_BLUE = "#0072B2"  # also the colour of a score's dot
INEFFECTIVE_VERMILLION = "#D55E00"

# Scenario 1: step therapy for a biologic in rheumatoid arthritis, given out of order on purpose.
SCENARIO_1 = [
    TimelineItem("Leflunomide 20 mg daily", "2025-08", "2026-06", "intolerant"),
    TimelineItem("Methotrexate 15 → 25 mg weekly", "2024-01", "2024-09", "intolerant"),
    TimelineItem(
        "Hydroxychloroquine 400 mg daily + sulfasalazine 2 g daily",
        "2024-10",
        "2025-07",
        "ineffective",
    ),
]
CDAI = instrument("cdai")
SCENARIO_1_CDAI = [ScorePoint("2026-09-12", 31)]


def decode(png: bytes) -> np.ndarray:
    assert png.startswith(PNG_SIGNATURE)
    return imread(io.BytesIO(png), format="png")


def chunk_types(png: bytes) -> list[bytes]:
    types, at = [], len(PNG_SIGNATURE)
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        types.append(png[at + 4 : at + 8])
        at += 12 + length
    return types


def colour_rows(image: np.ndarray, colour: str) -> list[tuple[int, int]]:
    """Runs of pixel rows (first, last) in which `colour` appears."""
    rgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    hit = (np.abs(image[..., :3] - rgb) < 0.02).all(axis=-1).any(axis=1)
    runs, start = [], None
    for row, present in enumerate([*hit, False]):
        if present and start is None:
            start = row
        elif not present and start is not None:
            runs.append((start, row - 1))
            start = None
    return runs


def middle(run: tuple[int, int]) -> float:
    return (run[0] + run[1]) / 2


@pytest.mark.parametrize(
    ("start", "stop", "first", "last"),
    [
        ("2024-01", "2024-09", date(2024, 1, 1), date(2024, 9, 30)),
        ("2024", "2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-09-08", "2026-10-10", date(2026, 9, 8), date(2026, 10, 10)),
        ("2024-9-15", "2024-9", date(2024, 9, 15), date(2024, 9, 30)),
        (None, "2025-06", None, date(2025, 6, 30)),
        ("2025-03", None, date(2025, 3, 1), None),
        (None, None, None, None),
    ],
)
def test_span_covers_whole_months_and_years(start, stop, first, last):
    assert span(start, stop) == (first, last)


@pytest.mark.parametrize(
    ("start", "stop"), [("2024-09", "2024-01"), ("2024-13", None), ("last spring", None)]
)
def test_span_refuses_impossible_dates(start, stop):
    with pytest.raises(ValueError):
        span(start, stop)


def test_rows_are_chronological_with_undated_treatments_last():
    propranolol = TimelineItem("Propranolol", None, None, "contraindicated")
    naproxen = TimelineItem("Naproxen", None, "2024-06", "intolerant")
    rows = timeline_rows([propranolol, *SCENARIO_1, naproxen])

    assert [r.item.label.split()[0] for r in rows] == [
        "Methotrexate",
        "Naproxen",
        "Hydroxychloroquine",
        "Leflunomide",
        "Propranolol",
    ]
    assert rows[-1].not_started
    assert not any(r.not_started for r in rows[:-1])


def test_a_treatment_without_a_stop_runs_to_today_only_when_today_is_given():
    gabapentin = TimelineItem("Gabapentin 300 mg", "2026-06", None, "partial")

    (open_ended,) = timeline_rows([gabapentin])
    (ongoing,) = timeline_rows([gabapentin], today=date(2026, 10, 28))

    assert (open_ended.last, open_ended.ongoing) == (None, False)
    assert (ongoing.last, ongoing.ongoing) == (date(2026, 10, 28), True)


def test_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError, match="not an outcome"):
        timeline_rows([TimelineItem("Methotrexate", "2024-01", "2024-09", "failed")])


def test_timeline_is_a_png_of_the_requested_width_and_a_modest_height():
    image = decode(treatment_timeline(SCENARIO_1))

    height, width = image.shape[:2]
    assert width == 6.5 * 150
    assert height <= 2.2 * 150


def test_timeline_grows_a_row_per_treatment():
    more = [*SCENARIO_1, TimelineItem("Etanercept 50 mg weekly", "2026-07", "2026-09", "partial")]

    three = decode(treatment_timeline(SCENARIO_1, width_in=5, dpi=100))
    four = decode(treatment_timeline(more, width_in=5, dpi=100))

    assert three.shape[1] == four.shape[1] == 500
    assert four.shape[0] > three.shape[0]


def test_timeline_draws_a_bar_per_treatment_in_date_order_coloured_by_outcome():
    image = decode(treatment_timeline(SCENARIO_1))

    # Each outcome's colour appears once in the legend, then once per bar.
    legend_blue, methotrexate, leflunomide = colour_rows(image, NOT_TOLERATED_BLUE)
    legend_vermillion, combination = colour_rows(image, INEFFECTIVE_VERMILLION)

    assert middle(legend_blue) == pytest.approx(middle(legend_vermillion), abs=2)
    assert legend_blue[1] < methotrexate[0]
    assert methotrexate[1] < combination[0] < combination[1] < leflunomide[0]


def test_contraindicated_and_open_ended_treatments_still_render():
    items = [
        TimelineItem("Topiramate 50 mg twice daily", "2025-03", "2025-06", "intolerant"),
        TimelineItem("Naproxen 500 mg", None, "2025-08", "ineffective"),
        TimelineItem("Gabapentin 300 mg", "2025-09", None, "partial"),
        TimelineItem("Duloxetine 60 mg", "2025", None, None),
        TimelineItem("Propranolol", None, None, "contraindicated"),
    ]

    for today in (None, date(2026, 10, 28)):
        image = decode(treatment_timeline(items, today=today))
        assert image.shape[1] == 975


def test_only_contraindicated_treatments_render_without_a_time_axis():
    image = decode(treatment_timeline([TimelineItem("Propranolol", None, None, "contraindicated")]))

    assert image.shape[1] == 975


def test_charts_are_byte_identical_on_re_export_and_carry_no_timestamp():
    timeline = treatment_timeline(SCENARIO_1)
    trend = pro_trend(SCENARIO_1_CDAI, CDAI)

    assert treatment_timeline(SCENARIO_1) == timeline
    assert pro_trend(SCENARIO_1_CDAI, CDAI) == trend
    for png in (timeline, trend):
        assert not {b"tIME", b"tEXt", b"iTXt", b"zTXt"} & set(chunk_types(png))


def test_cdai_31_falls_in_the_high_activity_zone():
    assert zone_of(CDAI, 31).label == "high activity"
    assert zone_of(CDAI, 2.8).label == "remission"
    assert zone_of(CDAI, 22).label == "moderate activity"


@pytest.mark.parametrize("measure", INSTRUMENTS, ids=lambda i: i.code)
def test_zones_cover_the_range_and_agree_with_the_bands(measure):
    bands = zones(measure)

    assert bands[0].lower == measure.low
    assert bands[-1].upper == measure.high
    assert all(a.upper == b.lower for a, b in pairwise(bands))
    for score in np.linspace(measure.low, measure.high, 41):
        assert zone_of(measure, float(score)).label == measure.band(float(score))


def test_zones_darken_towards_the_worse_end():
    promis_function = instrument("promis_function")

    assert [z.severity for z in zones(CDAI)] == [0, 1, 2, 3]
    assert zones(promis_function)[0].label == "severe"
    assert zones(promis_function)[0].severity == 3


def test_a_score_outside_the_range_has_no_zone():
    with pytest.raises(ValueError, match="runs from 0 to 76"):
        zone_of(CDAI, 80)


def test_trend_is_a_png_of_the_requested_width():
    image = decode(pro_trend(SCENARIO_1_CDAI, CDAI, width_in=4, dpi=96))

    assert image.shape[1] == 4 * 96


def shaded_bands(column: np.ndarray) -> list[tuple[tuple[float, ...], int, int]]:
    """(colour, first row, last row) of each stretch of one tint, at least 5 rows, top down.

    Greys (white paper, black text) are not tints.
    """
    bands: list[tuple[tuple[float, ...], int, int]] = []
    for row, pixel in enumerate(column[:, :3]):
        colour = tuple(np.round(pixel, 3))
        if bands and bands[-1][0] == colour and bands[-1][2] == row - 1:
            bands[-1] = (colour, bands[-1][1], row)
        else:
            bands.append((colour, row, row))
    return [b for b in bands if b[2] - b[1] >= 4 and len(set(b[0])) > 1]


def test_a_single_score_is_drawn_as_a_dot_inside_its_band():
    image = decode(pro_trend(SCENARIO_1_CDAI, CDAI))

    # Far left of the plot, away from the dot: CDAI's four bands from high activity down.
    high, moderate, low, remission = shaded_bands(image[:, 120])
    (dot,) = colour_rows(image, NOT_TOLERATED_BLUE)

    assert high[1] < dot[0] <= dot[1] < high[2]
    assert sum(high[0]) < sum(moderate[0]) < sum(low[0]) < sum(remission[0])


def test_trend_takes_scores_dated_by_month_in_any_order():
    points = [ScorePoint("2026-09-12", 1.6), ScorePoint("2026-03", 1.2), ScorePoint("2025-11", 0.9)]

    image = decode(pro_trend(points, instrument("haqdi")))

    assert image.shape[1] == 975


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([], "no CDAI scores"),
        ([ScorePoint("2026", 31)], "at least the month"),
        ([ScorePoint("2026-09-12", 80)], "outside that range"),
    ],
)
def test_trend_refuses_what_it_cannot_chart(points, message):
    with pytest.raises(ValueError, match=message):
        pro_trend(points, CDAI)


@pytest.mark.parametrize(("width_in", "dpi"), [(6.5, 150), (6.3, 96), (3.1, 200), (7, 72)])
def test_both_charts_are_as_wide_as_asked_to_the_nearest_pixel(width_in, dpi):
    timeline = decode(treatment_timeline(SCENARIO_1, width_in=width_in, dpi=dpi))
    trend = decode(pro_trend(SCENARIO_1_CDAI, CDAI, width_in=width_in, dpi=dpi))

    assert timeline.shape[1] == trend.shape[1] == round(width_in * dpi)
    assert trend.shape[0] == round(2.6 * dpi)


def test_charts_drawn_on_several_threads_at_once_match_charts_drawn_one_by_one():
    def draw(i: int) -> bytes:
        if i % 2:
            return pro_trend(SCENARIO_1_CDAI, CDAI)
        return treatment_timeline(SCENARIO_1)

    expected = [draw(i) for i in range(2)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        drawn = list(pool.map(draw, range(12)))

    assert drawn == [expected[i % 2] for i in range(12)]
