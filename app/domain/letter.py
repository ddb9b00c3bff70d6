"""The medical-necessity letter as data: sections of sentences, each knowing its source.

Renderers (HTML preview, .docx) draw a Letter; they never decide its content. What it says
is assembled in `app.domain.brief` (the medical-necessity letter) and `app.domain.followup`
(the letters after the call).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from datetime import date
from typing import Any

from app.domain import dates


@dataclass(frozen=True)
class Source:
    """Where a sentence comes from: fact, citation, criterion, case, own (the clinician's
    words) or letter (fixed connecting text)."""

    kind: str
    ref: int | None = None
    label: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.label}" if self.label else self.kind


@dataclass(frozen=True)
class Cite:
    """A citation a sentence rests on, with the pinpoint (page, table, figure) it shows."""

    citation_id: int
    key: str
    pinpoint: str = ""


@dataclass(frozen=True)
class Sentence:
    text: str
    sources: tuple[Source, ...] = ()
    refs: tuple[int, ...] = ()  # reference numbers, printed as superscripts after the text
    cites: tuple[Cite, ...] = ()  # what `refs` are numbered from, in first-use order
    mark: str = ""  # the superscript as printed: "1", "1,2", "2(p1072)"


@dataclass
class Paragraph:
    key: str
    sentences: list[Sentence]
    own: bool = False  # the clinician replaced the generated wording
    generated: str = ""  # the generated wording, kept so a rewrite can be undone

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def editable(self) -> str:
        """The paragraph as the clinician rewrites it: each citation kept as a {cite:KEY}
        marker where its superscript stands, so a rewrite keeps (or drops) it knowingly."""
        return " ".join(
            s.text + "".join(f" {{cite:{c.key}}}" for c in s.cites) for s in self.sentences
        )


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(frozen=True)
class TreatmentRow:
    therapy: str
    dose: str
    dates: str
    outcome: str
    reason: str
    fact_id: int | None = None


@dataclass(frozen=True)
class Reference:
    number: int
    citation_id: int
    runs: tuple[tuple[str, bool], ...]  # (text, italic)
    grade: str = ""

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


@dataclass(frozen=True)
class Signer:
    """A clinician who signs the letter, as their profile says."""

    name: str
    credentials: str = ""
    npi: str = ""
    specialty: str = ""
    phone: str = ""
    fax: str = ""
    board_certification: str = ""

    @classmethod
    def of(cls, user: Any) -> Signer:
        """The signer a user's profile makes (any object with the profile's fields)."""
        return cls(
            user.name,
            user.credentials or "",
            user.npi or "",
            user.specialty or "",
            getattr(user, "phone", "") or "",
            getattr(user, "fax", "") or "",
            getattr(user, "board_certification", "") or "",
        )

    def lines(self) -> list[str]:
        """The signature block under the line signed on: name and credentials; specialty
        and board certification; NPI; phone and fax. Lines with nothing to say are left out."""
        name = ", ".join(p for p in (self.name, self.credentials) if p)
        specialty = " · ".join(p for p in (self.specialty, self.board_certification) if p)
        npi = f"NPI: {self.npi}" if self.npi else ""
        reach = [f"Phone {self.phone}" if self.phone else "", f"Fax {self.fax}" if self.fax else ""]
        return [line for line in (name, specialty, npi, " · ".join(p for p in reach if p)) if line]


TITLE = "Letter of medical necessity"
SALUTATION = "Dear Medical Director:"


@dataclass
class Letter:
    date: date
    addressee: list[str]
    re_block: list[tuple[str, str]]
    sections: list[Section]
    treatments: list[TreatmentRow]
    enclosures: list[str]
    signers: list[Signer]
    references: list[Reference]
    title: str = TITLE  # the document's title (its core properties), not printed
    salutation: str = SALUTATION
    table_after: str = "treatments"  # the section the treatments table follows
    missing_steps: tuple[str, ...] = ()  # the argument's steps the case had nothing for
    style: str = "dmy"  # the team's date style, for every date the letter prints

    @property
    def dated(self) -> str:
        """The letter's own date, in the style of every other date it prints."""
        from app.domain.dates import show

        return show(self.date, self.style)

    # The header of every page after the first, so a loose page finds its patient again.
    running_head: str = ""

    def paragraphs(self) -> Iterable[Paragraph]:
        for section in self.sections:
            yield from section.paragraphs

    def fingerprint(self) -> str:
        """A hash of what the letter says: the version a co-signer approves.

        The date and the signature blocks are left out, so a letter signed yesterday is the
        same version today, and a co-signature does not change what the others signed.
        """
        said = [self.title, self.salutation, *self.addressee]
        said += [f"{label}: {value}" for label, value in self.re_block]
        for section in self.sections:
            said.append(f"# {section.heading}")
            said += [p.text for p in section.paragraphs]
        said += ["|".join(astuple(row)[:5]) for row in self.treatments]
        said += self.enclosures
        said += [f"{r.number}. {r.text}" for r in self.references]
        return hashlib.sha256("\n".join(said).encode()).hexdigest()


def running_head(patient: str, born: date | str | None, member_id: str = "") -> str:
    """The line at the head of every page after the first:
    "Patient: Dana Whitfield · DOB 3 Mar 1980 · Member ID X"; parts not known are left out."""
    parts = [f"Patient: {' '.join(patient.split())}" if patient.strip() else ""]
    parts.append(f"DOB {dates.show(born)}" if born else "")
    parts.append(f"Member ID {member_id.strip()}" if member_id and member_id.strip() else "")
    return " · ".join(p for p in parts if p)


def full_stop(text: str) -> str:
    """`text` on one line, ending with a full stop unless it already ends a sentence."""
    text = " ".join(text.split())
    return text if not text or text[-1] in '.!?”"' else f"{text}."
