"""De-identifying a case for people outside the treating team (45 CFR 164.514(b)(2)).

A `Deidentifier` is made from what the case knows about its patient: the name (with its parts,
initials, "Ms. Quintero", "Quintero, Marisol", possessives), the date of birth, the MRN, the
member and group numbers, the denial's and the calls' reference numbers. Those are replaced
wherever they appear. Pattern detectors (`app.domain.phi`) find the rest of the Safe Harbor
kinds in free text: dates in the common US forms, phone and fax numbers, e-mail addresses,
URLs, IP addresses, street addresses, city-state-ZIP lines, counties, SSNs, numbers labelled
as identifiers ("MRN: 12345", "member ID ...", "claim #", "license number", "VIN") and ages
over 89. Clinical content is left alone: doses ("40 mg"), scores ("CDAI 31", "4/5"), codes
(ICD-10, CPT and HCPCS), durations ("2 weeks") and bare years.

What it cannot know. A case records no relative, household member, employer or nickname, so
those names are found only by their cues: a courtesy title ("Mrs. Alvarez"), a relation
("her daughter Ana"), an employer phrase ("works at Northwind Freight"). A relative's name
typed without a cue passes through, and so do holidays and seasons used as dates. The
clinician's and the team's own names are not patient identifiers and are kept; the patient's
name is replaced even where it coincides with one of them. This helps the clinician
de-identify; it is not an expert determination, and the report is there to be read.

Dates. Three policies, one per packet:
- "shift" (the default): every date moves back by one offset, a whole number of weeks between
  4 and 52, drawn at random per packet. Intervals and weekdays hold, which
  is what a case conference argues about: how long a trial lasted, whether six weeks of
  conservative care had passed, how far apart two blocks were. A cut to month and year loses
  exactly that. Bare years are left as they are (Safe Harbor allows years); month-only dates
  move by the offset from the middle of their month.
- "month": dates are cut to month and year; intervals shorter than a few months are lost.
- "year": years only, the letter of Safe Harbor.
Shifted or month-and-year dates are not the letter of Safe Harbor (which keeps years only):
the shift protects only while its offset stays secret, so the offset is in the report for
the exporting user and never in the document.
The date of birth is never shifted: it is replaced by the age (over 89: "90 or older").
Nothing measured from today may sit next to a shifted date (a reader who knows the day of the
conference would recover the offset), so callers show shifted deadlines without days left.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from app.domain.phi import (
    EMAIL,
    OLDEST,
    URL,
    Hit,
    name_patterns,
    number_patterns,
    pattern_hits,
    people_hits,
)
from app.domain.phi_dates import BIRTH_YEAR, find_dates, write_date

DateMode = Literal["shift", "month", "year"]
DATE_MODES: tuple[DateMode, ...] = ("shift", "month", "year")
PATIENT = "[Patient]"

NUMBER_TOKENS = {
    "MRN": "[MRN]",
    "member ID": "[Member ID]",
    "group number": "[Group number]",
    "reference number": "[Reference]",
}


@dataclass(frozen=True)
class ReportEntry:
    """One replacement: its kind, where it was (a field of the case), what and with what.
    For the exporting user only: `original` is the identifier itself."""

    kind: str
    where: str
    original: str
    replacement: str


@dataclass(frozen=True)
class Identifiers:
    """What a case knows about its patient, and the names that are not the patient's."""

    patient_name: str
    birth_date: date | None = None
    numbers: tuple[tuple[str, str], ...] = ()  # (kind, value): ("MRN", "SYN-100231")
    keep: tuple[str, ...] = ()  # the clinician's and the team's names


def identifiers_of(case: Any) -> Identifiers:
    """The identifiers a case holds in its structured fields, and its team's names."""
    numbers = [
        ("MRN", case.mrn),
        ("member ID", case.member_id),
        ("group number", case.group_number),
        ("reference number", case.denial_reference),
    ]
    numbers += [("reference number", c.reference_number) for c in getattr(case, "calls", [])]
    people = [case.clinician] if getattr(case, "clinician", None) else []
    team = getattr(case, "team", None)
    people += [m.user for m in getattr(team, "memberships", [])]
    for comment in getattr(case, "comments", []):
        people += [comment.user] if comment.user else []
        people += list(getattr(comment, "mentions", []))
    return Identifiers(
        patient_name=case.patient_name,
        birth_date=case.patient_dob,
        numbers=tuple((kind, (value or "").strip()) for kind, value in numbers if value),
        keep=tuple(dict.fromkeys(p.name for p in people if p and p.name)),
    )


def random_offset(rng: random.Random | None = None) -> int:
    """A date offset in days: 4 to 52 whole weeks earlier. Never later: a conference reading
    of a denial "received" next summer stumbles on it, and a date in the future gives away
    that it was moved."""
    return -7 * (rng or random.SystemRandom()).randint(4, 52)


def age_text(years: int) -> str:
    """An age as Safe Harbor allows it: ages over 89 are one category."""
    return OLDEST if years > 89 else str(years)


class Deidentifier:
    """Replaces a case's identifiers in text and dates; `report` lists every replacement.

    `dates` is the date policy ("shift", "month" or "year", see the module); `offset_days`
    the shift, drawn at random when not given. `today` dates a day or month written without
    a year, and says which century a two-digit year belongs to.
    """

    def __init__(
        self,
        identifiers: Identifiers,
        today: date,
        *,
        dates: DateMode = "shift",
        offset_days: int | None = None,
    ) -> None:
        if dates not in DATE_MODES:
            raise ValueError(f"Unknown date policy {dates!r}: use one of {DATE_MODES}.")
        self.identifiers = identifiers
        self.today = today
        self.dates = dates
        self.offset = timedelta(days=random_offset() if offset_days is None else offset_days)
        if dates == "shift" and not self.offset:
            raise ValueError("A shift of 0 days leaves every date as it was.")
        self.report: list[ReportEntry] = []
        self._names = name_patterns(identifiers.patient_name)
        self._numbers = [
            (kind, re.compile(pattern, re.IGNORECASE))
            for kind, value in identifiers.numbers
            for pattern in number_patterns(value)
        ]
        self._keep = [
            re.compile(r"\b" + r"\s+".join(map(re.escape, name.split())) + r"\b", re.IGNORECASE)
            for name in identifiers.keep
            if name.strip()
        ]

    @classmethod
    def for_case(cls, case: Any, today: date, **options: Any) -> Deidentifier:
        """A de-identifier for the identifiers `case` holds (see `identifiers_of`)."""
        return cls(identifiers_of(case), today, **options)

    # -- what callers use ------------------------------------------------------------------

    def text(self, value: str | None, where: str) -> str:
        """`value` with every identifier found replaced; each replacement is reported."""
        if not value:
            return value or ""
        out, last = [], 0
        for hit in self._resolve(list(self._hits(value))):
            out.append(value[last : hit.start])
            out.append(hit.replacement)
            self._note(hit.kind, where, value[hit.start : hit.end], hit.replacement)
            last = hit.end
        out.append(value[last:])
        return "".join(out)

    def partial(self, iso: str | date | datetime | None, where: str) -> str | None:
        """A structured date ("2026-10-02", "2026-10", "2026" or a date) under the date
        policy, as an ISO string of the same or a coarser precision. Years stay as they are."""
        if not iso:
            return None
        text = iso.date().isoformat() if isinstance(iso, datetime) else str(iso)
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 1:
            return text
        precision = "day" if len(parts) == 3 else "month"
        day = date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
        moved, precision = self._move(day, precision)
        out = moved.isoformat()[: {"day": 10, "month": 7, "year": 4}[precision]]
        if out != text:
            self._note("date", where, text, out)
        return out

    def patient(self, where: str = "Patient name") -> str:
        """The patient's name, replaced."""
        self._note("patient name", where, self.identifiers.patient_name, PATIENT)
        return PATIENT

    def age(self, years: int, where: str = "Date of birth") -> str:
        """The date of birth, replaced by the age (`years`) as Safe Harbor allows it."""
        shown = age_text(years)
        if self.identifiers.birth_date:
            born = self.identifiers.birth_date.isoformat()
            self._note("date of birth", where, born, f"age {shown}")
        return shown

    def number(self, kind: str, value: str, where: str) -> str:
        """A structured identifier (MRN, member ID, ...), replaced by its token."""
        if not value.strip():
            return ""
        token = NUMBER_TOKENS.get(kind, "[ID]")
        self._note(kind, where, value, token)
        return token

    def shift_note(self) -> ReportEntry:
        """The date policy, said once, for the report."""
        weeks = self.offset.days // 7
        said = {
            "shift": f"{abs(weeks)} weeks {'later' if weeks > 0 else 'earlier'} "
            f"({self.offset.days:+d} days)",
            "month": "cut to month and year",
            "year": "cut to the year",
        }[self.dates]
        return ReportEntry("date policy", "every date in the packet", "", said)

    # -- finding -----------------------------------------------------------------------

    def _hits(self, text: str) -> Iterator[Hit]:
        for pattern, kind, token in ((EMAIL, "email", "[Email]"), (URL, "URL", "[URL]")):
            for m in pattern.finditer(text):
                end = m.start() + len(m.group().rstrip(".,;:)!?"))
                yield Hit(m.start(), end, kind, token, 95)
        for pattern in self._names:
            for m in pattern.finditer(text):
                yield Hit(m.start(), m.end(), "patient name", PATIENT, 90)
        for kind, pattern in self._numbers:
            for m in pattern.finditer(text):
                yield Hit(m.start(), m.end(), kind, NUMBER_TOKENS.get(kind, "[ID]"), 90)
        yield from self._date_hits(text)
        for m in BIRTH_YEAR.finditer(text):
            yield Hit(m.start("year"), m.end("year"), "date of birth", "[DOB]", 85)
        yield from pattern_hits(text)
        keep = [(m.start(), m.end()) for p in self._keep for m in p.finditer(text)]
        for hit in people_hits(text):
            if not any(s < hit.end and hit.start < e for s, e in keep):
                yield hit

    def _date_hits(self, text: str) -> Iterator[Hit]:
        born = self.identifiers.birth_date
        for start, end, found, birth in find_dates(text, self.today):
            if birth or (born and found.day == born and found.precision == "day"):
                yield Hit(start, end, "date of birth", "[DOB]", 85)
            elif not (self.dates == "month" and found.precision == "month"):
                moved, precision = self._move(found.day, found.precision)
                yield Hit(start, end, "date", write_date(found, moved, precision), 40)

    def _move(self, day: date, precision: str) -> tuple[date, str]:
        if self.dates == "year":
            return day, "year"
        if self.dates == "month":
            return day, "month"
        try:
            if precision == "month":
                # A month moves as its middle does, so it lands where its days mostly would.
                middle = day.replace(day=15) + self.offset
                return middle.replace(day=1), "month"
            return day + self.offset, "day"
        except OverflowError:  # a stored year 1 or 9999: moved, it falls off the calendar
            return day, "year"

    @staticmethod
    def _resolve(hits: list[Hit]) -> list[Hit]:
        """The replacements to make, in text order. Finds that overlap are merged into one
        span, so no piece of any of them is left behind ("SYN-" of an MRN that a street
        address half covered); the span takes the kind and replacement of the find that
        covers most of it, the surer detector on a tie."""
        merged: list[Hit] = []
        cluster: list[Hit] = []
        for hit in sorted(h for h in hits if h.end > h.start):
            if cluster and hit.start >= max(c.end for c in cluster):
                merged.append(_merge(cluster))
                cluster = []
            cluster.append(hit)
        if cluster:
            merged.append(_merge(cluster))
        return merged

    def _note(self, kind: str, where: str, original: str, replacement: str) -> None:
        entry = ReportEntry(kind, where, original, replacement)
        if entry not in self.report:
            self.report.append(entry)


def _merge(cluster: list[Hit]) -> Hit:
    best = max(cluster, key=lambda h: (h.end - h.start, h.rank))
    start, end = min(h.start for h in cluster), max(h.end for h in cluster)
    return Hit(start, end, best.kind, best.replacement, best.rank)
