"""Convert between entries and CSL-JSON (the format of doi.org and citation processors)."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from citations.ama import BOOK_TYPES, is_web_page, thesis_genre
from citations.journals import journal_abbreviation
from citations.keys import make_key
from citations.latex import encode
from citations.model import Entry, make_entry
from citations.names import Name, initials_of

_TO_CSL = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "online": "webpage",
    "webpage": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "unpublished": "manuscript",
    "manual": "report",
}
_FROM_CSL = {
    "article-journal": "article",
    "article": "article",
    "review": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "report": "report",
    "thesis": "thesis",
    "webpage": "online",
    "post-weblog": "online",
    "dataset": "misc",
    "standard": "report",
    "legislation": "misc",
    "document": "misc",
}
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _csl_name(name: Name) -> dict[str, str]:
    if name.corporate:
        return {"literal": name.surname}
    out = {"family": name.surname, "given": name.given or name.initials}
    if name.particle:
        out["non-dropping-particle"] = name.particle
    if name.suffix:
        out["suffix"] = name.suffix
    return out


def _date_parts(value: str) -> dict[str, Any] | None:
    m = _DATE.search(value)
    if not m:
        return None
    parts = [int(p) for p in m.groups() if p]
    return {"date-parts": [parts]}


def entry_to_csl(entry: Entry) -> dict[str, Any]:
    """CSL-JSON for an entry; organisations become ``{"literal": ...}`` names."""
    kind = _TO_CSL.get(entry.entry_type)
    if kind is None:
        kind = "webpage" if is_web_page(entry) else "document"
    csl: dict[str, Any] = {"id": entry.key, "type": kind}
    if entry.authors:
        csl["author"] = [_csl_name(n) for n in entry.authors]
    if entry.editors:
        csl["editor"] = [_csl_name(n) for n in entry.editors]
    get = entry.get
    if kind in ("chapter", "paper-conference") and not get("booktitle"):
        csl["title"] = get("chapter")
        csl["container-title"] = get("title")
    else:
        csl["title"] = get("title")
    container = get("journal") or get("journaltitle") or get("booktitle")
    if container:
        csl["container-title"] = container
    if kind == "article-journal":
        short = journal_abbreviation(entry)
        if short and short != container:
            csl["container-title-short"] = short
    simple = {
        "volume": "volume",
        "edition": "edition",
        "url": "URL",
        "isbn": "ISBN",
        "issn": "ISSN",
        "pmid": "PMID",
        "pmcid": "PMCID",
        "abstract": "abstract",
    }
    for field, var in simple.items():
        if get(field):
            csl[var] = get(field)
    if get("doi"):
        csl["DOI"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", get("doi"), flags=re.I)
    issue = get("number") or get("issue")
    if issue and kind == "article-journal":
        csl["issue"] = issue
    elif issue:
        csl["number"] = issue
    if get("pages"):
        csl["page"] = re.sub(r"\s*[-\u2013]+\s*", "-", get("pages"))
    publisher = get("publisher") or get("institution") or get("organization") or get("school")
    if publisher:
        csl["publisher"] = publisher
    place = get("address") or get("location")
    if place:
        csl["publisher-place"] = place
    if kind == "thesis":
        csl["genre"] = thesis_genre(entry)
    issued = _issued(entry)
    if issued:
        csl["issued"] = issued
    accessed = _date_parts(get("urldate"))
    if accessed:
        csl["accessed"] = accessed
    return csl


def _issued(entry: Entry) -> dict[str, Any] | None:
    date = entry.get("date")
    if date:
        return _date_parts(date)
    year = entry.get("year")
    if not year.isdecimal():
        return _date_parts(year) if year else None
    parts = [int(year)]
    month = entry.get("month").strip().lower()[:3]
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    if month in months:
        parts.append(months.index(month) + 1)
    elif month.isdecimal() and 1 <= int(month) <= 12:
        parts.append(int(month))
    return {"date-parts": [parts]}


def _name_from_csl(data: dict[str, Any]) -> Name | None:
    if data.get("literal"):
        return Name(surname=str(data["literal"]).strip(), corporate=True)
    family = str(data.get("family", "")).strip()
    given = str(data.get("given", "")).strip()
    if not family:
        return Name(surname=given, corporate=True) if given else None
    return Name(
        surname=family,
        given=given,
        initials=initials_of(given),
        particle=str(data.get("non-dropping-particle", "")).strip(),
        suffix=str(data.get("suffix", "")).strip(),
    )


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]).strip() if value else ""
    return str(value).strip() if value is not None else ""


def _bibtex_names(names: list[Name]) -> str:
    return " and ".join(encode_name(n) for n in names)


def encode_name(name: Name) -> str:
    """One name as BibTeX source (``Surname, Given``; organisations in braces)."""
    if name.corporate:
        return "{" + encode(name.surname) + "}"
    family = encode(name.family)
    if " " in name.surname and not name.particle:
        family = "{" + family + "}"
    given = name.given or " ".join(f"{c}." for c in name.initials if c.isalpha())
    parts = [family, *([encode(name.suffix)] if name.suffix else []), encode(given)]
    return ", ".join(p for p in parts if p)


def csl_to_entry(
    csl: dict[str, Any], existing_keys: Collection[str] = (), key: str | None = None
) -> Entry:
    """Build an entry (same shape as a BibTeX import) from CSL-JSON.

    The citation key is generated (``fraenkel2021``) and de-duplicated against `existing_keys`
    unless `key` is given. Raises ValueError when the record has no title.
    """
    title = _first(csl.get("title"))
    if not title:
        raise ValueError("the record has no title")
    kind = _FROM_CSL.get(str(csl.get("type", "")), "misc")
    authors = [n for n in (_name_from_csl(a) for a in csl.get("author") or []) if n]
    editors = [n for n in (_name_from_csl(a) for a in csl.get("editor") or []) if n]
    issued = (csl.get("issued") or {}).get("date-parts") or [[]]
    date_parts = [int(p) for p in (issued[0] or []) if str(p).isdecimal()]
    year = str(date_parts[0]) if date_parts else ""
    fields: dict[str, str] = {}
    if authors:
        fields["author"] = _bibtex_names(authors)
    if editors:
        fields["editor"] = _bibtex_names(editors)
    fields["title"] = encode(title)
    container = _first(csl.get("container-title"))
    if container:
        fields["journal" if kind == "article" else "booktitle"] = encode(container)
    short = _first(csl.get("container-title-short")) or _first(csl.get("journalAbbreviation"))
    if short and kind == "article":
        fields["shortjournal"] = encode(short)
    if year:
        fields["year"] = year
    if len(date_parts) > 1:
        fields["month"] = str(date_parts[1])
    mapping = {
        "volume": "volume",
        "issue": "number",
        "page": "pages",
        "publisher": "publisher",
        "publisher-place": "address",
        "edition": "edition",
        "ISSN": "issn",
        "ISBN": "isbn",
        "PMID": "pmid",
        "PMCID": "pmcid",
    }
    for var, name in mapping.items():
        value = _first(csl.get(var))
        if value:
            fields[name] = encode(value.replace("\u2013", "-"))
    if kind in BOOK_TYPES and "booktitle" in fields:
        del fields["booktitle"]
    for var, name in (("DOI", "doi"), ("URL", "url")):
        value = _first(csl.get(var))
        if value:
            fields[name] = value
    accessed = (csl.get("accessed") or {}).get("date-parts") or [[]]
    if accessed and len(accessed[0] or []) == 3:
        y, m, d = (int(p) for p in accessed[0])
        fields["urldate"] = f"{y:04d}-{m:02d}-{d:02d}"
    if key is None:
        key = make_key(authors, year, title, existing_keys)
    return make_entry(key, kind, fields)
