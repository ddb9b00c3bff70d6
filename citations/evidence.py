"""Evidence metadata carried by a citation, stored in custom BibTeX fields.

The field names are documented in citations/README.md. Better BibTeX keeps unknown fields in
Zotero's Extra field as ``tex.<name>: value`` lines and writes them back on export, so the
metadata survives a round trip through Zotero; tags use the standard ``keywords`` field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from citations.grades import GradeError, find_system, grading_systems, normalise_grade
from citations.latex import decode, encode
from citations.model import Entry, make_entry

EVIDENCE_FIELDS: dict[str, str] = {
    "issuer": "evidence-issuer",
    "recommendation": "evidence-recommendation",
    "system": "evidence-system",
    "grade": "evidence-grade",
    "page": "evidence-page",
    "section": "evidence-section",
    "number": "evidence-number",
}
TAGS_FIELD = "keywords"
# Mendeley exports its own tags separately from author keywords.
_EXTRA_TAG_FIELDS = ("mendeley-tags",)
_TAG_SPLIT = re.compile(r"\s*[,;]\s*")
# Zotero's own BibTeX export writes the Extra field into `note`/`annote` instead of fields.
_EXTRA_LINE = re.compile(r"^\s*tex\.(evidence-[a-z]+)\s*[:=]\s*(.*?)\s*$", re.MULTILINE)
_EXTRA_FIELDS = ("extra", "note", "annote")


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a guideline says and how strongly: the part of a citation a letter argues from.

    ``issuer`` is the issuing body (``American College of Rheumatology``); ``system`` a code from
    :func:`citations.grades.grading_systems`; ``page``, ``section`` and ``number`` pinpoint the
    recommendation in the source.
    """

    issuer: str = ""
    recommendation: str = ""
    system: str = ""
    grade: str = ""
    page: str = ""
    section: str = ""
    number: str = ""
    tags: tuple[str, ...] = ()

    def validated(self) -> Evidence:
        """A copy with the system code and grade normalised; raises ``GradeError`` if invalid."""
        if not self.system.strip() and not self.grade.strip():
            return replace(self, system="", grade="")
        if not self.system.strip():
            known = ", ".join(s.code for s in grading_systems())
            raise GradeError(f"Grade '{self.grade}' needs its grading system ({known}).")
        system = find_system(self.system)
        grade = normalise_grade(system.code, self.grade) if self.grade.strip() else ""
        return replace(self, system=system.code, grade=grade)

    @property
    def grade_text(self) -> str:
        """``GRADE: Conditional recommendation, low certainty``, or "" without a grade."""
        return f"{self.system}: {self.grade}" if self.system and self.grade else ""

    @property
    def pinpoint(self) -> str:
        """Where in the source: ``p 927, section Treatment, recommendation 4``."""
        parts = []
        if self.page:
            parts.append(f"p {self.page}")
        if self.section:
            parts.append(f"section {self.section}")
        if self.number:
            parts.append(f"recommendation {self.number}")
        return ", ".join(parts)


def split_tags(value: str) -> tuple[str, ...]:
    """Tags from a ``keywords`` value (comma or semicolon separated), without duplicates."""
    seen: dict[str, None] = {}
    for tag in _TAG_SPLIT.split(value.strip()):
        if tag and tag.lower() not in (t.lower() for t in seen):
            seen[tag] = None
    return tuple(seen)


def read_evidence(entry: Entry) -> Evidence:
    """The evidence metadata stored in an entry's custom fields (decoded for display)."""
    values = {attr: entry.display.get(name, "") for attr, name in EVIDENCE_FIELDS.items()}
    from_extra = _from_extra(entry)
    for attr, name in EVIDENCE_FIELDS.items():
        if not values[attr] and name in from_extra:
            values[attr] = from_extra[name]
    tags = split_tags(entry.display.get(TAGS_FIELD, ""))
    for name in _EXTRA_TAG_FIELDS:
        extra = split_tags(entry.display.get(name, ""))
        tags = tags + tuple(t for t in extra if t.lower() not in {x.lower() for x in tags})
    return Evidence(tags=tags, **values)


def _from_extra(entry: Entry) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in _EXTRA_FIELDS:
        value = entry.fields.get(name, "")
        if "tex." in value:
            for m in _EXTRA_LINE.finditer(value):
                found.setdefault(m.group(1).lower(), decode(m.group(2)))
    return found


def with_evidence(entry: Entry, evidence: Evidence) -> Entry:
    """A copy of `entry` carrying `evidence`, its raw BibTeX text updated to match.

    The grade is validated first (``GradeError`` names the accepted forms). Only the evidence
    fields (and ``keywords`` when the tags changed) are rewritten in the raw text; everything
    else the user wrote stays byte for byte.
    """
    evidence = evidence.validated()
    current = read_evidence(entry)
    if current == evidence:
        return entry
    new: dict[str, str] = {}
    for f in fields(Evidence):
        if f.name == "tags":
            continue
        value = getattr(evidence, f.name).strip()
        if value:
            new[EVIDENCE_FIELDS[f.name]] = encode(value)
    rewrite = set(EVIDENCE_FIELDS.values())
    if current.tags != evidence.tags:
        rewrite.add(TAGS_FIELD)
        rewrite.update(_EXTRA_TAG_FIELDS)
        if evidence.tags:
            new[TAGS_FIELD] = encode(", ".join(evidence.tags))
    kept = {k: v for k, v in entry.fields.items() if k not in rewrite}
    raw = _splice(entry.raw, rewrite, new) if entry.raw else None
    updated = make_entry(entry.key, entry.entry_type, {**kept, **new}, raw=raw, line=entry.line)
    updated.macros = dict(entry.macros)
    return updated


def _field_spans(raw: str) -> tuple[list[tuple[str, int, int]], int]:
    """(name, start, end) of each field in one entry's text, and the index of its closer."""
    opener = min((i for i in (raw.find("{"), raw.find("(")) if i >= 0), default=-1)
    close = ")" if opener >= 0 and raw[opener] == "(" else "}"
    comma = raw.find(",", opener)
    spans: list[tuple[str, int, int]] = []
    if comma < 0:
        return spans, raw.rfind(close)
    pos, n = comma + 1, len(raw)
    while True:
        while pos < n and (raw[pos].isspace() or raw[pos] == ","):
            pos += 1
        if pos >= n or raw[pos] == close:
            return spans, pos
        eq = raw.find("=", pos)
        if eq < 0:
            return spans, raw.rfind(close)
        k, depth, quoted = eq + 1, 0, False
        while k < n:
            c = raw[k]
            escaped = raw[k - 1] == "\\"
            if c == "{" and not escaped:
                depth += 1
            elif c == "}" and not escaped:
                if depth == 0:
                    break
                depth -= 1
            elif c == '"' and depth == 0:
                quoted = not quoted
            elif depth == 0 and not quoted and (c == "," or c == close):
                break
            k += 1
        spans.append((raw[pos:eq].strip().lower(), pos, k))
        pos = k


def _splice(raw: str, remove: set[str], add: dict[str, str]) -> str:
    spans, closer = _field_spans(raw)
    indent = "  "
    if spans:
        line_start = raw.rfind("\n", 0, spans[0][1]) + 1
        indent = raw[line_start : spans[0][1]] if raw[line_start : spans[0][1]].isspace() else " "
    out = raw
    # Cut from the end so earlier offsets stay valid.
    for name, start, end in reversed(spans):
        if name not in remove:
            continue
        line_start = out.rfind("\n", 0, start) + 1
        if out[line_start:start].strip() == "":
            start = line_start
        after = end
        if after < len(out) and out[after] == ",":
            after += 1
        rest = out[after:]
        stripped = rest.lstrip(" \t")
        if stripped.startswith("\n"):
            after += len(rest) - len(stripped) + 1
        out = out[:start] + out[after:]
        closer -= after - start
    if not add:
        return out
    body_end = closer
    while body_end > 0 and out[body_end - 1].isspace():
        body_end -= 1
    sep = "" if out[body_end - 1] in ",{(" else ","
    if "\n" not in out:  # a one-line entry stays on one line
        added = ", ".join(f"{name} = {{{value}}}" for name, value in add.items())
        return out[:body_end] + sep + " " + added + out[body_end:]
    lines = "".join(f"\n{indent}{name} = {{{value}}}," for name, value in add.items())
    tail = out[body_end:closer]
    return out[:body_end] + sep + lines + (tail if "\n" in tail else "\n") + out[closer:]
