"""Importing a case export into a team: the whole file is checked and every reference
resolved before anything is written, so a refused file creates nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.library import store
from app.models import Case, Citation, Membership, Rebuttal, User
from app.transfer.read import Read, fail, read
from citations import Entry, normalised_fields, parse_bibtex


@dataclass
class Imported:
    """The new case (added to the session, not committed) and what the import did besides."""

    case: Case
    notes: list[str] = field(default_factory=list)
    added_citations: list[str] = field(default_factory=list)
    added_rebuttals: int = 0


def import_case(data: Any, team_id: int) -> Imported:
    """Create the case a case export describes in the team; raises FormatError naming the
    first problem, before anything is written. The caller commits (or rolls back)."""
    found = read(data, team_id)
    notes: list[str] = []
    library, new = _citations(found, team_id, notes)
    clinician = _member(team_id, found.signer, "signer", notes) if found.signer else None
    logged = [(call, _member(team_id, {"email": e}, p, notes)) for call, e, p in found.logged_by]
    # Every check has passed: from here on the import only writes.
    imported = Imported(found.case, notes)
    for key, entry in new.items():
        library[key] = store.save(team_id, entry)
        imported.added_citations.append(key)
    for link in [*found.claims, *found.evidence]:
        link.row.citation = library[link.key]
    found.case.clinician = clinician
    for call, user in logged:
        call.user = user
    imported.added_rebuttals = _rebuttals(found, team_id, notes)
    db.session.add(found.case)
    db.session.flush()
    criteria = found.case.criteria
    for link in found.claims:
        if link.criterion is not None:
            link.row.criterion_id = criteria[link.criterion].id
    for document, n in found.answers:
        document.answers_call_id = found.case.calls[n].id
    db.session.flush()
    return imported


def _citations(
    found: Read, team_id: int, notes: list[str]
) -> tuple[dict[str, Citation], dict[str, Entry]]:
    """The library rows the file cites, and the entries to add from the file's BibTeX for
    the keys the library lacks. The library's own entry is kept for a key it has."""
    links = [*found.claims, *found.evidence]
    wanted = list(dict.fromkeys(link.key for link in links))
    library = store.by_key(team_id, wanted)
    new: dict[str, Entry] = {}
    for link in links:
        key = link.key
        if key in library or key in new:
            continue
        if key not in found.bibtex:
            fail(
                link.path,
                f"no citation {key!r} in this team's library, and the file does not carry "
                "its BibTeX.",
            )
        bibtex, path = found.bibtex[key]
        parsed = parse_bibtex(bibtex)
        entries = parsed.by_key()
        if parsed.failed or list(entries) != [key]:
            problem = parsed.failed[0].reason if parsed.failed else f"one entry {key!r} expected"
            fail(f"{path}.bibtex", f"not a BibTeX entry for {key!r} ({problem}).")
        new[key] = entries[key]
    differ = [
        k for k in wanted if k in library and k in found.bibtex and _differs(library[k], found)
    ]
    if differ:
        notes.append(
            f"The library's own entr{'y' if len(differ) == 1 else 'ies'} kept where the file's "
            f"BibTeX differs: {', '.join(differ)}."
        )
    return library, new


def _differs(citation: Citation, found: Read) -> bool:
    """Whether the file's BibTeX for a key the library has says something else."""
    entries = parse_bibtex(found.bibtex[citation.key][0]).by_key()
    entry = entries.get(citation.key)
    return entry is None or normalised_fields(entry) != citation.fields


def _member(team_id: int, person: dict, path: str, notes: list[str]) -> User | None:
    """The member of the team with this email, or None with a note saying so."""
    email = (person.get("email") or "").strip().lower()
    user = None
    if email:
        user = db.session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(func.lower(User.email) == email, Membership.team_id == team_id)
        )
    if user is None:
        who = f" ({email})" if email else ""
        what = "the ordering clinician" if path == "signer" else "who logged the call"
        notes.append(f"{path}: no member of this team has the email{who}; {what} is left unset.")
    return user


def _rebuttals(found: Read, team_id: int, notes: list[str]) -> int:
    """Link each call to the team's rebuttals by objection text; one the bank lacks is added."""
    if not found.rebuttals:
        return 0
    from app.services.rebuttals import bank

    added = 0
    banks: dict[str, list[Rebuttal]] = {}
    for call, spec, _path in found.rebuttals:
        rows = banks.setdefault(spec["category"], bank(team_id, spec["category"]))
        match = next((r for r in rows if r.objection.strip() == spec["objection"].strip()), None)
        if match is None:
            match = Rebuttal(team_id=team_id, position=len(rows), **spec)
            db.session.add(match)
            rows.append(match)
            added += 1
        if match not in call.rebuttals:
            call.rebuttals.append(match)
    if added:
        notes.append(f"{added} rebuttal(s) used on the calls added to the team's rebuttal bank.")
    return added
