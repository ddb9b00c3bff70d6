"""The checklist shown before an export: readiness gaps, and what the clinician's own words
claim without a citation or promise too much."""

from typing import Any

from app.domain import claims, readiness
from app.domain.letter import Letter


def warnings(case: Any, letter: Letter) -> list[readiness.Warning]:
    """Every warning for this letter, each with a stable code the acknowledgement refers to."""
    found = readiness.gaps(case, letter.signers)
    for p in letter.paragraphs():
        own = " ".join(s.text for s in p.sentences if any(x.kind == "own" for x in s.sources))
        if not own:
            continue
        for f in claims.absolute_language(own):
            found.append(
                readiness.Warning(
                    f"absolute-{p.key}-{f.start}",
                    f"“{f.phrase}” in your wording ({p.key}): {f.reason}",
                )
            )
        for f in claims.uncited_claims(own):
            found.append(
                readiness.Warning(
                    f"uncited-{p.key}-{f.start}",
                    f"A clinical claim with no citation in your wording ({p.key}): “{f.phrase}”",
                )
            )
    return found
