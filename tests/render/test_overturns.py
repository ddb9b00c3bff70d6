import io
import struct

import numpy as np
import pytest
from matplotlib.image import imread

from app.domain.overturns import overturns
from app.render.overturns import BAR, overturn_chart

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Synthetic calls: Keystone 1 of 2 overturned, Summit 1 of 1, Evergreen pending only.
CALLS = [
    ("Keystone Benefit Administrators", "step_therapy", "approved"),
    ("Keystone Benefit Administrators", "step_therapy", "upheld"),
    ("Summit Health Insurance", "not_medically_necessary", "partly_approved"),
    ("Evergreen Medicare Advantage", "level_of_care", "pending"),
]


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


def bar_widths(image: np.ndarray) -> list[int]:
    """The width in pixels of each bar (the BAR colour), top down, one per run of rows."""
    rgb = np.array([int(BAR[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    hit = (np.abs(image[..., :3] - rgb) < 0.02).all(axis=-1)
    widths, previous = [], 0
    for row in hit:
        count = int(row.sum())
        if count and not previous:
            widths.append(count)
        previous = count
    return widths


def chart(calls=CALLS, **kw) -> bytes:
    result = overturns(calls)
    return overturn_chart(result.by_payer, result.by_category, **kw)


def test_a_png_of_the_requested_width():
    image = decode(chart(width_in=6.5, dpi=150))

    assert image.shape[1] == 975
    assert 300 < image.shape[0] < 900


def test_a_bar_per_decided_payer_and_category_as_long_as_its_rate():
    # Payers: Keystone 50%, Summit 100%; categories: step therapy 50%, NMN 100%. Evergreen
    # and level of care have no decided call: no bar (a 0% bar would draw no blue either,
    # so the heights below check that they take no row).
    keystone, summit, step, nmn = bar_widths(decode(chart()))

    assert summit == nmn
    assert keystone == step == pytest.approx(summit / 2, abs=2)


def test_payers_and_categories_without_a_decided_call_take_no_row():
    decided_only = [c for c in CALLS if c[2] != "pending"]

    assert decode(chart()).shape == decode(chart(decided_only)).shape


def test_more_rows_make_a_taller_chart_of_the_same_width():
    more = [*CALLS, ("Birch Mutual", "experimental", "upheld")]

    small, large = decode(chart()), decode(chart(more))

    assert small.shape[1] == large.shape[1]
    assert large.shape[0] > small.shape[0]


def test_the_same_calls_give_the_same_bytes_with_no_timestamp():
    png = chart()

    assert chart() == png
    assert not {b"tIME", b"tEXt", b"iTXt", b"zTXt"} & set(chunk_types(png))


@pytest.mark.parametrize(
    "calls", [[], [("Evergreen Medicare Advantage", "level_of_care", "pending")]]
)
def test_no_decided_call_is_refused(calls):
    with pytest.raises(ValueError, match="no decided calls"):
        chart(calls)
