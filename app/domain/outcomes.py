"""Patient-reported outcome instruments, their ranges and severity bands.

Ranges and bands follow the "Patient-reported outcomes and their bands" table of DOMAIN.md.
A band is (lowest score of the band, label); a score falls in the band with the highest lower
bound it reaches, whichever direction is worse.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    low: float
    high: float
    bands: tuple[tuple[float, str], ...]
    unit: str = ""
    higher_is_worse: bool = True

    def band(self, score: float) -> str:
        """The band label of `score`; raises ValueError outside the instrument's range."""
        if not self.low <= score <= self.high:
            raise ValueError(
                f"A {self.name} score runs from {fmt(self.low)} to {fmt(self.high)}{self.unit}; "
                f"{fmt(score)} is outside that range."
            )
        return max((b for b in self.bands if b[0] <= score), key=lambda b: b[0])[1]


def fmt(number: float) -> str:
    return f"{number:g}"


INSTRUMENTS = (
    Instrument(
        "phq9",
        "PHQ-9",
        0,
        27,
        (
            (0, "minimal"),
            (5, "mild"),
            (10, "moderate"),
            (15, "moderately severe"),
            (20, "severe"),
        ),
    ),
    Instrument(
        "gad7", "GAD-7", 0, 21, ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe"))
    ),
    Instrument(
        "odi",
        "Oswestry Disability Index",
        0,
        100,
        (
            (0, "minimal disability"),
            (21, "moderate disability"),
            (41, "severe disability"),
            (61, "crippling"),
            (81, "bed-bound"),
        ),
        unit="%",
    ),
    Instrument(
        "ndi",
        "Neck Disability Index",
        0,
        50,
        (
            (0, "no disability"),
            (5, "mild"),
            (15, "moderate"),
            (25, "severe"),
            (35, "complete"),
        ),
    ),
    Instrument(
        "promis_symptom",
        "PROMIS symptom T-score",
        10,
        90,
        (
            (10, "within normal limits"),
            (55, "mild"),
            (60, "moderate"),
            (70, "severe"),
        ),
    ),
    Instrument(
        "promis_function",
        "PROMIS function T-score",
        10,
        90,
        (
            (45, "within normal limits"),
            (40, "mild"),
            (30, "moderate"),
            (10, "severe"),
        ),
        higher_is_worse=False,
    ),
    Instrument(
        "pain_nrs",
        "Pain NRS",
        0,
        10,
        (
            (0, "no pain"),
            (1, "mild"),
            (4, "moderate"),
            (7, "severe"),
        ),
        unit="/10",
    ),
    Instrument(
        "ecog",
        "ECOG performance status",
        0,
        5,
        (
            (0, "fully active"),
            (1, "restricted in strenuous activity"),
            (2, "ambulatory, no work"),
            (3, "limited self-care"),
            (4, "completely disabled"),
            (5, "dead"),
        ),
    ),
    Instrument(
        "karnofsky",
        "Karnofsky performance status",
        0,
        100,
        (
            (100, "ECOG 0"),
            (80, "ECOG 1"),
            (60, "ECOG 2"),
            (40, "ECOG 3"),
            (10, "ECOG 4"),
            (0, "ECOG 5"),
        ),
        higher_is_worse=False,
    ),
    Instrument(
        "midas",
        "MIDAS",
        0,
        270,
        (
            (0, "little or no disability"),
            (6, "mild disability"),
            (11, "moderate disability"),
            (21, "severe disability"),
        ),
    ),
    Instrument(
        "hit6",
        "HIT-6",
        36,
        78,
        (
            (36, "little or no impact"),
            (50, "some impact"),
            (56, "substantial impact"),
            (60, "severe impact"),
        ),
    ),
    Instrument(
        "cdai",
        "CDAI",
        0,
        76,
        (
            (0, "remission"),
            (2.81, "low activity"),
            (10.01, "moderate activity"),
            (22.01, "high activity"),
        ),
    ),
    Instrument(
        "haqdi",
        "HAQ-DI",
        0,
        3,
        (
            (0, "mild to moderate difficulty"),
            (1.01, "moderate to severe difficulty"),
            (2.01, "severe to very severe difficulty"),
        ),
    ),
)

_BY_CODE = {i.code: i for i in INSTRUMENTS}


def instrument(code: str | None) -> Instrument | None:
    """The instrument with this code, or None."""
    return _BY_CODE.get(code or "")
