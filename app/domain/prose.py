"""How a physician writes the case's facts: the patient named in full once, then by title
and surname with matching pronouns; facts woven into sentences, never pasted as
"Label: value (date)."; dates in the team's one style; numbers exactly as entered.

Every function here only rephrases what a fact or the intake says; none adds a clinical
statement of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.domain import dates
from app.domain import facts as fact_domain
from app.domain.outcomes import fmt, instrument

_FORMS = {
    "she": ("she", "her", "her"),
    "he": ("he", "him", "his"),
    "they": ("they", "them", "their"),
}
_TITLE_OF_SEX = {"female": "Ms.", "male": "Mr."}
_PRONOUN_OF_SEX = {"female": "she", "male": "he"}


@dataclass
class Patient:
    """The patient as a letter refers to them: `name()` gives the full name the first time
    and "Ms. Okafor" after it; `he`, `him` and `his` the matching pronouns."""

    full: str
    title: str = ""
    pronoun: str = "they"
    _named: bool = field(default=False, repr=False)

    @classmethod
    def of(cls, case: Any) -> Patient:
        """From the intake: the clinician's choice of title and pronouns, else the sex."""
        sex = getattr(case, "patient_sex", "") or ""
        title = getattr(case, "patient_title", "") or _TITLE_OF_SEX.get(sex, "")
        pronoun = getattr(case, "patient_pronouns", "") or _PRONOUN_OF_SEX.get(sex, "they")
        return cls(" ".join(case.patient_name.split()), title, pronoun)

    @property
    def short(self) -> str:
        """ "Ms. Okafor"; the full name when no title is recorded. A note in parentheses
        after the name ("(synthetic)") is not part of the surname."""
        words = re.sub(r"\([^)]*\)", " ", self.full).split()
        surname = words[-1] if words else ""
        return f"{self.title} {surname}" if self.title and surname else self.full

    def name(self) -> str:
        if self._named:
            return self.short
        self._named = True
        return self.full

    @property
    def plural(self) -> bool:
        return self.pronoun == "they"

    @property
    def he(self) -> str:
        return _FORMS[self.pronoun][0]

    @property
    def him(self) -> str:
        return _FORMS[self.pronoun][1]

    @property
    def his(self) -> str:
        return _FORMS[self.pronoun][2]

    def verb(self, singular: str, plural: str) -> str:
        """ "has" or "have", as the pronoun takes it."""
        return plural if self.plural else singular


def sentence(clause: str) -> str:
    """A clause as a sentence: a capital first letter and one closing full stop."""
    clause = " ".join(clause.split()).rstrip(" ;,")
    if not clause:
        return ""
    clause = clause[0].upper() + clause[1:]
    return clause if clause[-1] in ".!?" else f"{clause}."


def clause(text: str | None) -> str:
    """Free text set inside a sentence: on one line, without a closing full stop or
    semicolon (so "…or less);" never becomes "…or less);.")."""
    text = " ".join((text or "").split())
    while text and text[-1] in ".;,:":
        text = text[:-1].rstrip()
    return text


def lower_first(text: str) -> str:
    """ "Erosions at the MCP joints" reads "erosions …" mid-sentence; "MRI", "HbA1c" and
    "ALT" stay as they are."""
    word = text.split()[0] if text.split() else ""
    rest = word[1:].replace("-", "")
    plain = len(word) > 1 and word[0].isupper() and rest.islower() and rest.isalpha()
    return text[0].lower() + text[1:] if word in ("A", "An", "The") or plain else text


def dated(text: str, when: str) -> str:
    """`text` with its date set in: inside a closing parenthesis ("(cardiology note, Mar
    2025)") rather than a second one after it."""
    text = clause(text)
    if not when:
        return text
    if text.endswith(")"):
        return f"{text[:-1]}, {when})"
    return f"{text} ({when})"


def joined(items: list[str], word: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    items = [i for i in items if i]
    if len(items) <= 2:
        return f" {word} ".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


_OUTCOME_CLAUSE = {
    "ineffective": "without an adequate response",
    "partial": "with only a partial response",
}


@dataclass
class Writer:
    """Sentences about one case's facts, in one date style, naming the patient as a
    physician would."""

    patient: Patient
    style: str = "dmy"

    def day(self, value: Any) -> str:
        return dates.show(value, self.style)

    # --- one fact, as a clause -----------------------------------------------------------

    def diagnosis(self, f: Any) -> str:
        """ "seropositive rheumatoid arthritis, erosive, since 2023"."""
        text = lower_first(clause(f.text))
        if f.severity:
            text += f", {clause(f.severity)}"
        if f.fact_date:
            text += (
                f", diagnosed in {self.day(f.fact_date)}"
                if len(f.fact_date) < 10
                else (f", diagnosed on {self.day(f.fact_date)}")
            )
        return text

    def finding(self, f: Any) -> str:
        """ "laboratory testing on 14 Oct 2026 showed HbA1c 7.1%"."""
        what = {"exam": "examination", "lab": "laboratory testing", "imaging": "imaging"}.get(
            f.finding_type or "", "an examination"
        )
        verb = "found" if f.finding_type == "exam" else "showed"
        on = f" {'on' if len(f.fact_date or '') == 10 else 'in'} {self.day(f.fact_date)}"
        return f"{what}{on if f.fact_date else ''} {verb} {lower_first(clause(f.text))}"

    def score(self, f: Any) -> str:
        """ "the CDAI was 31 on 12 Sep 2026, in the high disease activity range"."""
        item = instrument(f.instrument)
        if item is None:
            return ""
        band = fact_domain.band(f.instrument, f.score)
        on = f" on {self.day(f.fact_date)}" if f.fact_date else ""
        where = f", in the {band} range" if band else ""
        return f"{self.patient.his} {item.name} score was {fmt(f.score)}{item.unit}{on}{where}"

    def trial(self, f: Any, subject: str | None = None) -> str:
        """A prior treatment as a physician writes it: "she took methotrexate 15 → 25 mg
        weekly from Jan 2024 to Sep 2024 (8 months); it was stopped for ALT 3.4× ULN"."""
        who = self.patient
        what = lower_first(clause(f.therapy))
        if f.dose:
            what += f" {clause(f.dose)}"
        when = dates.span(f.start_date, f.stop_date, self.style)
        months = dates.months_between(f.start_date, f.stop_date)
        length = f" ({months} month{'s' if months != 1 else ''})" if months else ""
        head = f"{subject or who.he} tried {what}{f' {when}' if when else ''}{length}"
        reason = lower_first(clause(f.reason_stopped))
        if f.outcome == "contraindicated":
            return f"{what} is contraindicated for {who.him}{f': {reason}' if reason else ''}"
        if f.outcome == "intolerant":
            could = f"{who.he} could not tolerate it"
            return f"{head}; {f'it was stopped for {reason}' if reason else could}"
        result = _OUTCOME_CLAUSE.get(f.outcome or "", "")
        if result and reason:
            return f"{head}, {result} ({reason})"
        if result:
            return f"{head}, {result}"
        return f"{head} ({reason})" if reason else head

    def current(self, f: Any) -> str:
        """Current therapy: "she has been on adalimumab 40 mg every 2 weeks since Mar 2026,
        stable on it"."""
        who = self.patient
        what = lower_first(clause(f.therapy))
        if f.dose:
            what += f" {clause(f.dose)}"
        since = f" since {self.day(f.start_date)}" if f.start_date else ""
        note = f", {lower_first(clause(f.text))}" if f.text else ""
        return f"{who.he} {who.verb('has', 'have')} been on {what}{since}{note}"

    def said(self, f: Any) -> str:
        """A fact in the clinician's own words (history, functional impact, a
        contraindication), with its date set in."""
        when = self.day(f.fact_date) if f.fact_date else ""
        return dated(f.text or "", when)

    def clause_of(self, f: Any) -> str:
        """Any fact as a clause, by kind: what a criterion's "meets it" sentence lists."""
        if f.kind == "diagnosis":
            return f"{self.patient.he} {self.patient.verb('has', 'have')} {self.diagnosis(f)}"
        if f.kind == "finding":
            return self.finding(f)
        if f.kind == "pro":
            return self.score(f)
        if f.kind == "prior_treatment":
            return self.trial(f)
        if f.kind == "current_treatment":
            return self.current(f)
        return lower_first(self.said(f))


# Facts a reviewer weighs most come first: dated objective data, then trials, then history.
STRENGTH = {
    "finding": 0,
    "pro": 1,
    "prior_treatment": 2,
    "contraindication": 3,
    "current_treatment": 4,
    "diagnosis": 5,
    "functional_impact": 6,
    "history": 7,
    "goal": 8,
}


def strongest_first(facts: list[Any]) -> list[Any]:
    """Facts ordered as a reviewer weighs them: the newest first within a kind, but trials
    in the order they were tried."""
    return sorted(
        facts,
        key=lambda f: (
            STRENGTH.get(f.kind, 9),
            (f.start_date or "") if f.kind == "prior_treatment" else _newest(f),
        ),
    )


def _newest(f: Any) -> str:
    when = f.fact_date or f.stop_date or f.start_date or ""
    return "".join(chr(0x10FFFF - ord(c)) for c in when)  # descending as a string key
