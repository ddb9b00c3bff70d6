"""A letter's citations: the clinician's rewrites with their {cite:KEY} markers, and the
reference numbers, given in order of first use over the letter as it finally reads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.domain.letter import Cite, Paragraph, Reference, Section, Sentence, Source
from app.domain.prose import lower_first

_MARKER = re.compile(r"\s*\{cite:([^}\s]+)\}")


def own_sentences(text: str, registry: Mapping[Any, Any]) -> list[Sentence]:
    """The clinician's wording as sentences: each {cite:KEY} marker becomes a citation of
    the text before it (a marker naming no citation of the case is dropped)."""
    parts = _MARKER.split(text.strip())
    by_key = {c.key: c for c in registry.values()}
    out: list[Sentence] = []
    src = (Source("own", None, "rewritten"),)
    for i in range(0, len(parts), 2):
        words = parts[i].strip()
        keys = []
        j = i + 1
        while j < len(parts):
            keys.append(parts[j])
            if j + 1 < len(parts) and parts[j + 1].strip():
                break
            j += 2
        cites = tuple(Cite(by_key[k].id, k) for k in keys if k in by_key)
        if words:
            out.append(Sentence(words, src, cites=cites))
        elif cites and out:
            out[-1] = replace(out[-1], cites=out[-1].cites + cites)
    return out


def apply_edits(
    sections: list[Section], edits: Mapping[str, str], registry: Mapping[Any, Any] | None = None
) -> None:
    """Replace, in place, each paragraph the clinician rewrote (by key) with their wording."""
    for section in sections:
        for i, p in enumerate(section.paragraphs):
            own = edits.get(p.key, "").strip()
            if own:
                section.paragraphs[i] = Paragraph(
                    p.key, own_sentences(own, registry or {}), own=True, generated=p.editable
                )


def number(sections: list[Section], registry: Mapping[Any, Any]) -> list[Reference]:
    """Number the citations in order of first use (AMA), over the letter as it stands after
    the rewrites, so no reference is listed that nothing cites; fills each sentence's
    superscript."""
    order: list[int] = []
    for section in sections:
        for p in section.paragraphs:
            for i, s in enumerate(p.sentences):
                if not s.cites and not s.refs:
                    continue
                refs, marks = [], []
                for c in s.cites:
                    if c.citation_id not in order:
                        order.append(c.citation_id)
                    n = order.index(c.citation_id) + 1
                    if n not in refs:
                        refs.append(n)
                        marks.append(_mark(n, c.pinpoint))
                p.sentences[i] = replace(s, refs=tuple(refs), mark=",".join(marks))
    return [
        Reference(
            n,
            cid,
            tuple((r["text"], bool(r.get("italic"))) for r in registry[cid].ama),
            f"{registry[cid].grade_system}: {registry[cid].grade}" if registry[cid].grade else "",
        )
        for n, cid in enumerate(order, start=1)
    ]


_PAGES = re.compile(r"(?:pp?\.?\s*)?([a-z]?\d+(?:\s*[-–]\s*[a-z]?\d+)?)", re.IGNORECASE)


def _mark(n: int, pinpoint: str) -> str:
    """A reference number with its pinpoint, AMA style: 2(p1072), 3(pp4-6), 4(table 2)."""
    pin = " ".join(pinpoint.split())
    if not pin:
        return str(n)
    pages = _PAGES.fullmatch(pin)
    if pages:
        span = re.sub(r"\s*[-–]\s*", "-", pages.group(1))
        return f"{n}({'pp' if '-' in span else 'p'}{span})"
    return f"{n}({lower_first(pin)})"
