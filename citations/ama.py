"""AMA Manual of Style (11th edition) reference strings.

Formatting runs once per entry at import and the result is stored, so it is plain string work
(a few microseconds) rather than a CSL processor (milliseconds). The output agrees with
citeproc-py's ``american-medical-association`` style on journal articles, books, chapters,
reports and web pages (see tests/citations/test_ama_oracle.py), with deliberate differences:
titles keep the case the user gave them, a title ending in ``?`` or ``!`` takes no extra
period, a web page without an author starts with its title once, not twice, and a group author
after personal authors follows a semicolon (AMA 11, 3.9.3), where citeproc puts a comma.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from citations.journals import journal_abbreviation
from citations.model import Entry
from citations.names import Name

MAX_AUTHORS = 6
ET_AL_AFTER = 3
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH_INDEX = {m.lower(): i for i, m in enumerate(_MONTHS, 1)}
_MONTH_INDEX.update({m[:3].lower(): i for i, m in enumerate(_MONTHS, 1)})
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_YEAR = re.compile(r"\d{4}")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
WEB_TYPES = frozenset({"online", "webpage", "electronic", "www"})
REPORT_TYPES = frozenset({"report", "techreport"})
BOOK_TYPES = frozenset({"book", "mvbook", "booklet"})
CHAPTER_TYPES = frozenset({"inbook", "incollection", "inproceedings", "conference"})
THESIS_TYPES = frozenset({"thesis", "phdthesis", "mastersthesis"})


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of reference text, italic or not (for HTML and .docx renderers)."""

    text: str
    italic: bool = False


@dataclass(frozen=True, slots=True)
class AmaReference:
    """A formatted reference: structured runs, with plain text and HTML views."""

    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        """Plain text, without markup."""
        return "".join(r.text for r in self.runs)

    def html(self) -> str:
        """Escaped HTML with the italic runs in ``<i>``; safe to insert into a page."""
        return "".join(
            f"<i>{html.escape(r.text)}</i>" if r.italic else html.escape(r.text) for r in self.runs
        )

    def to_json(self) -> list[dict[str, object]]:
        """Runs as a JSON-ready list, for storing with the entry."""
        return [{"text": r.text, "italic": r.italic} for r in self.runs]

    @classmethod
    def from_json(cls, data: list[dict[str, object]]) -> AmaReference:
        """Rebuild a stored reference from :meth:`to_json` output."""
        return cls(tuple(Run(str(d["text"]), bool(d.get("italic"))) for d in data))


class _Builder:
    __slots__ = ("runs",)

    def __init__(self) -> None:
        self.runs: list[Run] = []

    def add(self, text: str, italic: bool = False) -> None:
        if not text:
            return
        if self.runs and self.runs[-1].italic == italic:
            self.runs[-1] = Run(self.runs[-1].text + text, italic)
        else:
            self.runs.append(Run(text, italic))

    def sentence(self, text: str, italic: bool = False) -> None:
        """Add `text` as a sentence: a period unless it ends in one, then a space."""
        text = text.strip()
        if not text:
            return
        if text[-1] in ".?!":
            self.add(text, italic)
            self.add(" ")
        else:
            self.add(text, italic)
            self.add(". ")

    def build(self) -> AmaReference:
        if self.runs:
            last = self.runs[-1]
            self.runs[-1] = Run(last.text.rstrip(), last.italic)
        return AmaReference(tuple(r for r in self.runs if r.text))


def _join(names: list[Name]) -> str:
    # AMA sets a group author off from the people before it with a semicolon.
    out = ""
    for i, name in enumerate(names):
        if i:
            out += "; " if name.corporate and not names[i - 1].corporate else ", "
        out += name.ama
    return out


def format_names(names: list[Name], more: bool = False) -> str:
    """AMA author list: all up to six; more than six (or ``and others``) -> three + ``et al``.

    A group author after personal authors follows a semicolon (``Forciea MA; Clinical
    Guidelines Committee of the American College of Physicians``).
    """
    if len(names) > MAX_AUTHORS:
        return _join(names[:ET_AL_AFTER]) + ", et al"
    listed = _join(names)
    return f"{listed}, et al" if more and listed else listed


def format_date(value: str) -> str:
    """``2026-10-01`` -> ``October 1, 2026``; partial dates give ``October 2026`` or ``2026``."""
    m = _ISO_DATE.match(value.strip())
    if not m:
        return value.strip()
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month and 1 <= int(month) <= 12:
        name = _MONTHS[int(month) - 1]
        return f"{name} {int(day)}, {year}" if day else f"{name} {year}"
    return year


def _year(entry: Entry) -> str:
    year = entry.get("year")
    if not year:
        m = _YEAR.search(entry.get("date"))
        return m.group(0) if m else ""
    return year


def _published(entry: Entry) -> str:
    """Publication date as precise as the entry gives it (web pages show the full date)."""
    date = entry.get("date")
    if date and _ISO_DATE.match(date):
        return format_date(date)
    year = entry.get("year")
    month = entry.get("month").strip().lower()
    index = _MONTH_INDEX.get(month[:3]) if month and not month.isdigit() else None
    if month.isdigit() and 1 <= int(month) <= 12:
        index = int(month)
    if year and index:
        day = entry.get("day")
        iso = f"{year}-{index:02d}" + (f"-{int(day):02d}" if day.isdigit() else "")
        return format_date(iso)
    return year


def _pages(entry: Entry) -> str:
    return re.sub(r"\s*[-\u2013\u2014]+\s*", "-", entry.get("pages"))


def _doi(entry: Entry) -> str:
    return _DOI_PREFIX.sub("", entry.get("doi").strip())


def _edition(entry: Entry) -> str:
    edition = entry.get("edition").strip()
    if not edition:
        return ""
    if edition.isdigit():
        n = int(edition)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix} ed"
    return edition if edition.lower().endswith("ed") else f"{edition} ed"


def _access(b: _Builder, entry: Entry) -> None:
    urldate = entry.get("urldate")
    if urldate:
        b.sentence(f"Accessed {format_date(urldate)}")
    b.add(entry.get("url"))
    b.add(" ")


def _authors(b: _Builder, entry: Entry) -> None:
    if entry.authors:
        b.sentence(format_names(entry.authors, entry.more_authors))
    elif entry.editors and entry.entry_type in BOOK_TYPES:
        suffix = "eds" if len(entry.editors) > 1 else "ed"
        b.sentence(f"{format_names(entry.editors)}, {suffix}")


def _article(b: _Builder, entry: Entry) -> None:
    b.sentence(entry.get("title"))
    b.sentence(journal_abbreviation(entry), italic=True)
    year, volume = _year(entry), entry.get("volume")
    issue = entry.get("number") or entry.get("issue")
    pages = _pages(entry)
    if not volume and not pages:
        b.sentence(f"Published online {year}" if year else "")
    else:
        text = year
        if volume:
            text += f";{volume}"
            if issue:
                text += f"({issue})"
        if pages:
            text += f":{pages}"
        b.sentence(text)
    doi = _doi(entry)
    if doi:
        b.add(f"doi:{doi}")
    elif entry.get("url"):
        _access(b, entry)


def _publisher(entry: Entry) -> str:
    for name in ("publisher", "institution", "organization", "school"):
        value = entry.get(name)
        if value:
            return value
    return ""


def _book(b: _Builder, entry: Entry) -> None:
    b.sentence(entry.get("title"), italic=True)
    b.sentence(_edition(entry))
    publisher, year = _publisher(entry), _year(entry)
    b.sentence("; ".join(p for p in (publisher, year) if p))
    _tail(b, entry)


def _chapter(b: _Builder, entry: Entry) -> None:
    container = entry.get("booktitle")
    title = entry.get("chapter") if not container else entry.get("title")
    if not container:
        container = entry.get("title")
    b.sentence(title)
    editors = ""
    if entry.editors:
        editors = f" {format_names(entry.editors)}, {'eds' if len(entry.editors) > 1 else 'ed'}."
    b.add(f"In:{editors} ")
    b.sentence(container, italic=True)
    b.sentence(_edition(entry))
    publisher, year, pages = _publisher(entry), _year(entry), _pages(entry)
    text = "; ".join(p for p in (publisher, year) if p)
    b.sentence(f"{text}:{pages}" if pages and text else text or pages)
    _tail(b, entry)


def _tail(b: _Builder, entry: Entry) -> None:
    doi = _doi(entry)
    if doi:
        b.add(f"doi:{doi}")
    elif entry.get("url"):
        _access(b, entry)


def _report(b: _Builder, entry: Entry) -> None:
    b.sentence(entry.get("title"), italic=True)
    publisher = _publisher(entry)
    if entry.authors and len(entry.authors) == 1 and entry.authors[0].surname == publisher:
        publisher = ""  # the organisation already stands as author
    b.sentence("; ".join(p for p in (publisher, _published(entry)) if p))
    _tail(b, entry)


def _web(b: _Builder, entry: Entry) -> None:
    b.sentence(entry.get("title"))
    site = ""
    for name in ("journal", "organization", "publisher", "howpublished", "institution"):
        site = entry.get(name)
        if site:
            break
    author = entry.authors[0].surname if len(entry.authors) == 1 else ""
    if site and site != author and not site.startswith(("http://", "https://")):
        b.sentence(site)
    b.sentence(_published(entry))
    _access(b, entry)


def is_web_page(entry: Entry) -> bool:
    """Cited as a web page: ``@online``/``@webpage``, or ``@misc`` with a URL."""
    return entry.entry_type in WEB_TYPES or (entry.entry_type == "misc" and bool(entry.get("url")))


def format_ama(entry: Entry) -> AmaReference:
    """The AMA 11th edition reference for an entry (without its list number)."""
    b = _Builder()
    _authors(b, entry)
    kind = entry.entry_type
    if kind == "article":
        _article(b, entry)
    elif kind in BOOK_TYPES:
        _book(b, entry)
    elif kind in CHAPTER_TYPES:
        _chapter(b, entry)
    elif kind in REPORT_TYPES or kind in THESIS_TYPES:
        _report(b, entry)
    elif is_web_page(entry):
        _web(b, entry)
    else:
        b.sentence(entry.get("title"))
        b.sentence(entry.get("howpublished") or _publisher(entry))
        b.sentence(_published(entry))
        _tail(b, entry)
    return b.build()
