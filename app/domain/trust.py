"""The checklist shown before an export: readiness gaps, and what the clinician's own words
claim without a citation or promise too much."""

from typing import Any

from app.domain import claims, readiness
from app.domain.letter import Letter, Paragraph


def place(letter: Letter, paragraph: Paragraph) -> str:
    """Where a paragraph stands, as the clinician sees it: “under “Consequences of denial””."""
    for section in letter.sections:
        if paragraph in section.paragraphs:
            return f"under “{section.heading}”" if section.heading else "in the closing"
    return "in the letter"


def warnings(case: Any, letter: Letter) -> list[readiness.Warning]:
    """Every warning for this letter, each with a stable code the acknowledgement refers to.

    Only the clinician's own words are checked for claims, and a sentence that carries a
    citation (a claim with its linked citation, or a {cite:KEY} kept in a rewrite) is never
    reported as uncited."""
    found = readiness.gaps(case, letter.signers, tuple(letter.missing_steps))
    for p in letter.paragraphs():
        own = [
            s
            for s in p.sentences
            if any(x.kind == "own" for x in s.sources) and not s.cites and not s.refs
        ]
        if not own:
            continue
        text = " ".join(s.text for s in own)
        where = f"letter#para-{p.key}"
        for f in claims.absolute_language(text):
            found.append(
                readiness.Warning(
                    f"absolute-{p.key}-{f.start}",
                    f"“{f.phrase}” in your wording {place(letter, p)}: {f.reason}",
                    where,
                )
            )
        for f in claims.uncited_claims(text):
            found.append(
                readiness.Warning(
                    f"uncited-{p.key}-{f.start}",
                    f"A clinical claim with no citation in your wording {place(letter, p)}: "
                    f"“{f.phrase}” Link a citation, or say it is your clinical judgement.",
                    where,
                )
            )
    return found
