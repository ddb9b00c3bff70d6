"""Turn a PubMed E-utilities esummary record into CSL-JSON."""

from __future__ import annotations

import re
from typing import Any

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_INITIALS = re.compile(r"^[A-Z]{1,4}$")


class MalformedRecord(ValueError):
    """The record lacks what a citation needs (a title) or has the wrong shape."""


def _name(author: dict[str, Any]) -> dict[str, str] | None:
    name = str(author.get("name", "")).strip()
    if not name:
        return None
    if author.get("authtype") == "CollectiveName":
        return {"literal": name}
    parts = name.rsplit(" ", 1)
    if len(parts) == 2 and _INITIALS.match(parts[1]):
        return {"family": parts[0], "given": " ".join(f"{c}." for c in parts[1])}
    return {"literal": name}


def expand_pages(pages: str) -> str:
    """MEDLINE abbreviates page ranges (``924-39``); AMA gives them in full (``924-939``)."""
    m = re.fullmatch(r"\s*([A-Za-z]*)(\d+)\s*-\s*([A-Za-z]*)(\d+)\s*", pages)
    if not m:
        return pages.strip()
    prefix, start, prefix2, end = m.groups()
    if len(end) < len(start) and (not prefix2 or prefix2 == prefix):
        end = start[: len(start) - len(end)] + end
    return f"{prefix}{start}-{prefix}{end}"


def _issued(pubdate: str) -> list[int]:
    parts = pubdate.replace("/", " ").split()
    if not parts or not parts[0][:4].isdecimal():
        return []
    out = [int(parts[0][:4])]
    if len(parts) > 1 and parts[1][:3].lower() in _MONTHS:
        out.append(_MONTHS.index(parts[1][:3].lower()) + 1)
        if len(parts) > 2 and parts[2].isdecimal():
            out.append(int(parts[2]))
    return out


def esummary_to_csl(record: dict[str, Any]) -> dict[str, Any]:
    """CSL-JSON for one ``result[uid]`` record of ``esummary.fcgi?db=pubmed&retmode=json``."""
    if not isinstance(record, dict):
        raise MalformedRecord("the record is not an object")
    title = str(record.get("title", "")).strip()
    if not title:
        raise MalformedRecord("the record has no title")
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    csl: dict[str, Any] = {"type": "article-journal", "title": title}
    people = [x for x in record.get("authors") or [] if isinstance(x, dict)]
    authors = [a for a in (_name(x) for x in people) if a]
    if authors:
        csl["author"] = authors
    for source, var in (
        ("fulljournalname", "container-title"),
        ("source", "container-title-short"),
    ):
        if record.get(source):
            csl[var] = str(record[source]).strip()
    for source, var in (("volume", "volume"), ("issue", "issue")):
        if record.get(source):
            csl[var] = str(record[source]).strip()
    if record.get("pages"):
        csl["page"] = expand_pages(str(record["pages"]))
    issued = _issued(str(record.get("pubdate") or record.get("sortpubdate") or ""))
    if issued:
        csl["issued"] = {"date-parts": [issued]}
    for article_id in record.get("articleids") or []:
        if not isinstance(article_id, dict):
            continue
        kind, value = article_id.get("idtype"), str(article_id.get("value", "")).strip()
        if kind == "doi" and value:
            csl["DOI"] = value
        elif kind == "pmc" and value:
            csl["PMCID"] = value
    if record.get("uid"):
        csl["PMID"] = str(record["uid"])
    return csl
