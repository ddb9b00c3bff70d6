"""AMA Manual of Style (11th edition) reference strings.

Formatting runs once per entry at import and the result is stored, so it is plain string work
(a few microseconds) rather than a CSL processor (milliseconds). The output agrees with
citeproc-py's ``american-medical-association`` style on journal articles, books, chapters,
reports, theses, proceedings and web pages (see tests/citations/test_ama_oracle.py; shapes
it does not cover, such as papers presented at a meeting, are checked against hand-written
strings in test_ama_shapes.py), with deliberate differences:
titles keep the case the user gave them, a title ending in ``?`` or ``!`` takes no extra
period, a web page without an author starts with its title once, not twice, and a group author
after personal authors follows a semicolon (AMA 11, 3.9.3), where citeproc puts a comma.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from citations.dates import format_date, published, year_of
from citations.journals import journal_abbreviation
from citations.model import Entry
from citations.names import Name

MAX_AUTHORS = 6
ET_AL_AFTER = 3
_PAGE_DASH = re.compile(r"\s*[-\u2013\u2014]+\s*")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
WEB_TYPES = frozenset({"online", "webpage", "electronic", "www"})
REPORT_TYPES = frozenset({"report", "techreport"})
BOOK_TYPES = frozenset({"book", "mvbook", "booklet"})
CHAPTER_TYPES = frozenset({"inbook", "incollection", "inproceedings", "conference"})
CONFERENCE_TYPES = frozenset({"inproceedings", "conference"})
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
    __slots__ = ("flags", "texts")

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.flags: list[bool] = []

    def add(self, text: str, italic: bool = False) -> None:
        if text:
            self.texts.append(text)
            self.flags.append(italic)

    def sentence(self, text: str, italic: bool = False) -> None:
        """Add `text` as a sentence: a period unless it ends in one, then a space."""
        text = text.strip()
        if not text:
            return
        self.texts.append(text)
        self.flags.append(italic)
        self.texts.append(" " if text[-1] in ".?!" else ". ")
        self.flags.append(False)

    def build(self) -> AmaReference:
        """Adjacent pieces of the same style merged into runs; trailing space removed."""
        runs: list[Run] = []
        texts, flags = self.texts, self.flags
        start = 0
        for i in range(1, len(texts) + 1):
            if i == len(texts) or flags[i] != flags[start]:
                text = "".join(texts[start:i])
                if i == len(texts):
                    text = text.rstrip()
                if text:
                    runs.append(Run(text, flags[start]))
                start = i
        return AmaReference(tuple(runs))


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


def _pages(entry: Entry) -> str:
    pages = entry.get("pages")
    return _PAGE_DASH.sub("-", pages) if pages else ""


def _doi(entry: Entry) -> str:
    return _DOI_PREFIX.sub("", entry.get("doi").strip())


def _edition(entry: Entry) -> str:
    edition = entry.get("edition").strip()
    if not edition:
        return ""
    if edition.isdecimal():
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
    volume = entry.get("volume")
    issue = entry.get("number") or entry.get("issue")
    pages = _pages(entry)
    if not volume and not issue and not pages:
        # Ahead of print (AMA 11, 3.11.9): the online date as precise as it is known.
        date = published(entry)
        b.sentence(f"Published online {date}" if date else "")
    else:
        text = year_of(entry)
        if volume or issue:
            # Without a volume the issue stands alone: `2002;(suppl 2):S3-S10`.
            text += f";{volume}" + (f"({issue})" if issue else "")
        if pages:
            text += f":{pages}"
        b.sentence(text)
    _tail(b, entry)


def _publisher(entry: Entry) -> str:
    for name in ("publisher", "institution", "organization", "school"):
        value = entry.get(name)
        if value:
            return value
    return ""


def _book(b: _Builder, entry: Entry) -> None:
    b.sentence(entry.get("title"), italic=True)
    b.sentence(_edition(entry))
    publisher, year = _publisher(entry), year_of(entry)
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
    publisher, year, pages = _publisher(entry), year_of(entry), _pages(entry)
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
    b.sentence("; ".join(p for p in (publisher, published(entry)) if p))
    number = entry.get("number")
    if number:
        # The report's own number after the date (AMA 11, 3.13.8): `AHRQ publication 20-0012`.
        b.sentence(f"{entry.get('type') or 'Report'} {number}")
    _tail(b, entry)


_THESIS_GENRES = {
    "phdthesis": "Dissertation",
    "phd": "Dissertation",
    "phd thesis": "Dissertation",
    "doctoral thesis": "Dissertation",
    "dissertation": "Dissertation",
    "mastersthesis": "Master's thesis",
    "mathesis": "Master's thesis",
    "masters thesis": "Master's thesis",
    "master's thesis": "Master's thesis",
}


def thesis_genre(entry: Entry) -> str:
    """``Dissertation``, ``Master's thesis``, or the entry's own ``type``, else ``Thesis``."""
    given = entry.get("type").strip()
    return _THESIS_GENRES.get(given.lower() if given else entry.entry_type, given or "Thesis")


def _thesis(b: _Builder, entry: Entry) -> None:
    """``Author. Title. Dissertation. University; Year.`` (AMA 11, 3.13.11)."""
    b.sentence(entry.get("title"), italic=True)
    b.sentence(thesis_genre(entry))
    school = entry.get("school") or entry.get("institution") or entry.get("publisher")
    b.sentence("; ".join(p for p in (school, year_of(entry)) if p))
    _tail(b, entry)


def _presented(b: _Builder, entry: Entry) -> None:
    """A paper given at a meeting, not published in proceedings (AMA 11, 3.13.12):
    ``Author. Title. Presented at: Meeting; May 1-4, 2023; Place.``"""
    b.sentence(entry.get("title"))
    meeting = entry.get("eventtitle") or entry.get("booktitle") or entry.get("organization")
    eventdate = entry.get("eventdate")
    date = format_date(eventdate) if eventdate else published(entry)
    place = entry.get("venue") or entry.get("location") or entry.get("address")
    details = "; ".join(p for p in (meeting, date, place) if p)
    b.sentence(f"Presented at: {details}" if details else "")
    _tail(b, entry)


def _in_proceedings(entry: Entry) -> bool:
    """A conference paper published in proceedings (cited like a chapter), not only given."""
    if entry.entry_type not in CONFERENCE_TYPES:
        return True
    published_in = any(entry.get(name) for name in ("publisher", "pages", "editor", "doi"))
    presented = any(entry.get(name) for name in ("eventtitle", "eventdate", "venue"))
    return published_in or not presented


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
    b.sentence(published(entry))
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
        if _in_proceedings(entry):
            _chapter(b, entry)
        else:
            _presented(b, entry)
    elif kind in THESIS_TYPES:
        _thesis(b, entry)
    elif kind in REPORT_TYPES:
        _report(b, entry)
    elif is_web_page(entry):
        _web(b, entry)
    else:
        b.sentence(entry.get("title"))
        b.sentence(entry.get("howpublished") or _publisher(entry))
        b.sentence(published(entry))
        _tail(b, entry)
    return b.build()
