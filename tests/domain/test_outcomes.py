import pytest

from app.domain.outcomes import INSTRUMENTS, instrument


@pytest.mark.parametrize(
    ("code", "score", "band"),
    [
        ("phq9", 4, "minimal"),
        ("phq9", 11, "moderate"),
        ("phq9", 20, "severe"),
        ("gad7", 9, "mild"),
        ("gad7", 15, "severe"),
        ("odi", 52, "severe disability"),
        ("odi", 44, "severe disability"),
        ("odi", 20, "minimal disability"),
        ("odi", 81, "bed-bound"),
        ("ndi", 24, "moderate"),
        ("pain_nrs", 7, "severe"),
        ("pain_nrs", 3, "mild"),
        ("midas", 46, "severe disability"),
        ("hit6", 68, "severe impact"),
        ("hit6", 49, "little or no impact"),
        ("cdai", 31, "high activity"),
        ("cdai", 2.8, "remission"),
        ("cdai", 10, "low activity"),
        ("cdai", 22, "moderate activity"),
        ("haqdi", 1.6, "moderate to severe difficulty"),
        ("karnofsky", 70, "ECOG 2"),
        ("karnofsky", 90, "ECOG 1"),
        ("promis_symptom", 65, "moderate"),
        ("promis_function", 35, "moderate"),
        ("promis_function", 52, "within normal limits"),
    ],
)
def test_band_follows_the_published_cut_points(code, score, band):
    assert instrument(code).band(score) == band


@pytest.mark.parametrize("item", INSTRUMENTS, ids=lambda i: i.code)
def test_out_of_range_scores_are_refused_with_the_range(item):
    with pytest.raises(ValueError, match="outside that range"):
        item.band(item.high + 1)
    with pytest.raises(ValueError):
        item.band(item.low - 1)
    assert item.band(item.low) and item.band(item.high)
