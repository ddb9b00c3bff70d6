"""Every letter of a case, built the one way the preview, the rewrite form and the export
all use: the same Letter, so the preview and the .docx say the same words."""

from datetime import date

from sqlalchemy import select

from app.domain import brief, dates, followup
from app.domain import points as points_domain
from app.domain import rebuttals as rebuttal_defaults
from app.domain.letter import Letter, Signer
from app.domain.outcomes import instrument
from app.domain.points import BankRebuttal, TalkingPoints, short
from app.extensions import db
from app.models import Case, Rebuttal
from app.models.loading import preload
from app.render import charts

LETTERS = ("letter", "appeal", "external", "confirmation")


class NotReady(Exception):
    """The case cannot have this document yet; the message says what is missing."""


def call_of(case: Case, kind: str, call_id: int | None = None):
    """The call a confirmation or an appeal is about: the one asked for, else the latest
    logged one (an appeal may have none). Raises NotReady when a confirmation has no
    logged call to confirm."""
    if kind not in ("confirmation", "appeal"):
        return None
    if call_id is None:
        call = followup.latest_call(case.calls)
    else:
        call = next((c for c in case.calls if c.id == call_id), None)
        if call is None:
            raise NotReady(f"This case has no peer-to-peer call {call_id}.")
    if kind == "confirmation" and call is None:
        raise NotReady(
            "No peer-to-peer call is logged for this case yet: log the call and its outcome, "
            "then draft the confirmation letter."
        )
    if kind == "confirmation" and not call.outcome:
        raise NotReady(
            "This call has no outcome logged yet: complete its call sheet, then draft the "
            "confirmation letter."
        )
    return call


def letter(case: Case, kind: str = "letter", call=None, today: date | None = None) -> Letter:
    """The case's letter of `kind` as of today, with the clinician's rewrites; an appeal or
    a confirmation is about `call` (a confirmation needs one)."""
    from app.services.cosign import cosigners

    preload(case)
    today = today or date.today()
    edits = {e.key: e.text for e in case.edits}
    signers = [case.clinician] if case.clinician else []
    style = case.team.date_style
    if kind == "letter":
        made = brief.assemble(case, today, edits, signers, style)
        # Co-signers approved a version: only those who signed this one are on it.
        if case.signatures:
            made.signers += [Signer.of(u) for u in cosigners(case, made.fingerprint())]
        return made
    if kind == "appeal":
        return followup.appeal(case, call, today, edits, signers, style)
    if kind == "external":
        return followup.external_review(case, case.calls, today, edits, signers, style)
    if kind == "confirmation":
        return followup.confirmation(case, call, today, signers, style)
    raise ValueError(f"no letter of kind {kind!r}")


def bank(team_id: int, denial_category: str) -> list[BankRebuttal]:
    """The team's rebuttals for a category, read without writing: the defaults until the
    team has a bank of its own."""
    rows = db.session.scalars(
        select(Rebuttal)
        .where(Rebuttal.team_id == team_id, Rebuttal.category == denial_category)
        .order_by(Rebuttal.position, Rebuttal.id)
    ).all()
    has_bank = rows or db.session.scalar(
        select(Rebuttal.id).where(Rebuttal.team_id == team_id).limit(1)
    )
    if not has_bank:
        return [
            BankRebuttal(r.objection, r.rebuttal, r.needs)
            for r in rebuttal_defaults.for_category(denial_category)
        ]
    return [
        BankRebuttal(
            r.objection, r.rebuttal, tuple(r.needs or ()), tuple(short(c) for c in r.citations)
        )
        for r in rows
    ]


def talking_points(case: Case, today: date | None = None) -> TalkingPoints:
    """The case's talking points, with the rebuttals of the team's bank this case can back."""
    preload(case)
    rebuttals = bank(case.team_id, case.denial_category)
    return points_domain.assemble(
        case, today or date.today(), rebuttals, case.clinician, case.team.date_style
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def timeline_items(case: Case) -> list[charts.TimelineItem]:
    """The prior treatments in the letter; a date outside the range a form takes (stored
    before it was checked) is drawn as not known, not stretched across the centuries."""

    def known(day: str | None) -> str | None:
        return day if dates.plausible(day) else None

    return [
        charts.TimelineItem(
            " ".join(p for p in (f.therapy, f.dose) if p),
            known(f.start_date),
            known(f.stop_date),
            f.outcome,
        )
        for f in case.facts
        if f.kind == "prior_treatment" and f.in_letter
    ]


def score_series(case: Case) -> dict[str, list[charts.ScorePoint]]:
    """Each instrument's dated scores (a day or month is enough to place a point)."""
    series: dict[str, list[charts.ScorePoint]] = {}
    for f in case.facts:
        placed = f.fact_date and len(f.fact_date) >= 7 and dates.plausible(f.fact_date)
        if f.kind == "pro" and f.in_letter and placed:
            series.setdefault(f.instrument, []).append(charts.ScorePoint(f.fact_date, f.score))
    return series


def trends(case: Case) -> dict[str, list[charts.ScorePoint]]:
    """The scores worth a picture: a single score is already a sentence, a picture earns its
    place only when it shows change over time."""
    return {code: points for code, points in score_series(case).items() if len(points) > 1}


def chart_images(case: Case) -> list[tuple[str, bytes]]:
    """The pictures a letter carries, with their captions, when the case has the data."""
    images = []
    items = timeline_items(case)
    if items:
        images.append(("Prior treatments over time, by outcome", charts.treatment_timeline(items)))
    for code, points in trends(case).items():
        item = instrument(code)
        images.append(
            (f"{item.name} over time against its severity bands", charts.pro_trend(points, item))
        )
    return images
