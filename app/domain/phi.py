"""Where a patient's identifiers hide in free text: the detectors behind `deidentify`.

Each detector finds one kind of 45 CFR 164.514(b)(2) identifier by its shape or its label
and says what replaces it; `deidentify.Deidentifier` decides between overlapping finds and
keeps the report. The patterns are tuned not to touch clinical content: doses ("40 mg"),
scores ("CDAI 31", "4/5"), codes (ICD-10, CPT, HCPCS: a bare five-digit number is taken for
a CPT code, so a ZIP code is found only next to a state or a "ZIP" label), durations and
bare years. The date finders are in `phi_dates`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

OLDEST = "90 or older"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True, order=True)
class Hit:
    """An identifier found at text[start:end], its kind and what replaces it."""

    start: int
    end: int
    kind: str = field(compare=False)
    replacement: str = field(compare=False)
    rank: int = field(compare=False)  # the surer detector wins a tie in length


# --- names --------------------------------------------------------------------------------

PARTICLES = _words("de del della der di da du la le van von st bin al el y dos das")
SUFFIXES = _words("jr sr ii iii iv md do phd rn np")
# Names that are also everyday words match only when capitalised, so "gray matter" stays.
COMMON_WORDS = _words(
    """will rose hope grace mark bill young gray grey white black brown green king hall long
    may june april august faith joy dawn summer hunter price wood stone page rich sharp case
    hill lane bell ray love day best early law moss rock park bush frank sterling hart
    """
)
# O'Brien and Smith-Jones are one name; the "'s" of a possessive is not part of it.
NAME_WORD = r"(?:[A-Z]['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
NOT_NAMES = _words(
    """The This That These Those He She They It Is Was Has Had And But Who Which Will Would
    Can Could May Might Should Also Then When Where Because Called Reports Said Says"""
)
TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Mister)\.?"
RELATIONS = (
    r"(?i:wife|husband|spouse|partner|daughter|son|mother|mom|father|dad|sister|brother|"
    r"caregiver|niece|nephew|grandson|granddaughter|grandmother|grandfather|aunt|uncle|"
    r"guardian|friend|neighbou?r|fianc[eé]e?|boyfriend|girlfriend|roommate|landlord)"
)


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _name_tokens(name: str) -> list[str]:
    """The words of a name in first-to-last order, without notes in parentheses."""
    name = re.sub(r"\([^)]*\)", " ", name).strip()
    if "," in name:  # "Quintero, Marisol"
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    return [t.strip(".") for t in name.split() if t.strip(".")]


def _word(token: str) -> str:
    """A regex for one word of the patient's name, as typed in a chart."""
    forms = {token, token.upper(), _fold(token), _fold(token).upper(), token.title()}
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    if token.lower() not in COMMON_WORDS:
        alternation = f"(?i:{alternation})"
    return f"(?:{alternation})"


def name_patterns(name: str) -> list[re.Pattern[str]]:
    """The patient's name as a chart may write it: whole, reversed, with an initial, after
    a title, and each of its words alone."""
    tokens = _name_tokens(name)
    parts = [
        p
        for t in tokens
        for p in dict.fromkeys([t, *t.split("-")])
        if len(p) > 1 and p.lower() not in PARTICLES | SUFFIXES
    ]
    if not parts:
        return []
    first, last = _word(parts[0]), _word(parts[-1])
    f0, l0 = parts[0][0].upper(), parts[-1][0].upper()
    middle = r"(?:\s+(?:" + "|".join([r"[A-Z]\.?", *map(_word, parts[1:-1])]) + "))*"
    patterns = [r"\b(?:" + "|".join(_word(p) for p in parts) + r")\b"]
    if len(parts) > 1:
        patterns += [
            rf"\b{first}{middle}\s+{last}\b",  # Marisol J. Quintero
            rf"\b{last},\s*{first}(?:\s+[A-Z]\.(?!\w))?",  # Quintero, Marisol J.
            rf"\b{f0}\.?\s?{last}\b",  # M. Quintero
            rf"\b{first}\s+{l0}\.(?!\w)",  # Marisol Q.
            rf"\b{f0}\.\s?{l0}\.(?!\w)",  # M.Q.
        ]
    patterns.append(rf"\b{TITLES}\s+(?:{first}\s+)?(?:{'|'.join(_word(p) for p in parts)})\b")
    return [re.compile(p) for p in patterns]


# --- the other detectors ------------------------------------------------------------------

STATES = list(
    _words(
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
        "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI"
    )
)
STATE = "(?-i:" + "|".join(STATES) + ")"
ZIP = r"\d{5}(?:-\d{4})?"
STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    r"|Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Trail|Trl|Alley|Loop|Row)"
)
CITY_LINE = rf"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}},?\s+{STATE}(?:\s+{ZIP})?"
# A street's name is capitalised words or an ordinal ("5th"); a title ("Dr.") is not one.
STREET_WORD = r"(?:(?!(?:Dr|Mr|Mrs|Ms|Mx)\b)[A-Z][A-Za-z'.-]*|\d+(?:st|nd|rd|th))"
ADDRESS = re.compile(
    rf"\b\d{{1,6}}[A-Z]?\s+(?:[NSEW]\.?\s+)?(?:{STREET_WORD}\s+){{1,4}}"
    rf"{STREET_SUFFIX}\b\.?(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|#)\.?\s*#?\s*[\w-]+)?"
    rf"(?:,?\s+{CITY_LINE})?"
    rf"|\bP\.?\s?O\.?\s+Box\s+\d+"
)
CITY_STATE_ZIP = re.compile(
    rf"\b(?P<city>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}}),?\s+"
    rf"(?P<state>{STATE})\s+(?P<zip>{ZIP})\b"
)
ZIP_LABELLED = re.compile(rf"(?i:\bzip(?:\s?code)?\s*:?\s*)(?P<zip>{ZIP})\b")
COUNTY = re.compile(r"\b(?:[A-Z][a-z]+\s){1,2}(?:County|Parish)\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(
    r"(?i:\b(?:https?://|www\.)[^\s<>\"']+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io|us|info|biz|health|care|app)\b"
    r"(?:/[^\s<>\"']*)?)"
)
# A full stop after the last part ends the sentence ("from 10.2.3.44."); one before a digit
# makes it a longer number. Numbered sections and versions ("section 4.2.1.3") are not
# addresses: their word comes before them.
IP = re.compile(r"(?<!\d)(?<!\d\.)(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)")
NUMBERED = re.compile(
    r"(?i:\b(?:version|ver|v|rev|release|section|sec|§|chapter|ch|part|item|criteri(?:on|a)"
    r"|rule|step|article|art|para(?:graph)?|table|fig(?:ure)?|appendix|clause|no)\.?\s*)$"
)
PHONE = re.compile(
    r"(?<![\w/.-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
    r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w-])"
)
PHONE_LABELLED = re.compile(
    r"(?i:\b(?:phone|tel|telephone|cell|mobile|fax|ph|call(?:\s+back)?(?:\s+at)?)\.?\s*"
    r"(?:number|no\.?|#)?\s*:?\s*)(?P<number>\d{3}[-.\s]?\d{4}|\d{10})\b"
)
SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
# A strong label names an identifier by itself; a weak one ("policy", "case") only with
# "number", "ID", "#" or a colon after it, so "Pharmacy policy RX-417" stays.
STRONG_LABEL = (
    r"(?-i:MRN|MBI|HICN|SSN|VIN|DL|ID|S/N|UDI)|mrn|medical record|subscriber|beneficiary"
    r"|medicare|medicaid|social security"
)
WEAK_LABEL = (
    r"chart|member|group|grp|policy|account|acct|claim|(?:driver'?s\s)?licen[cs]e(?:\splate)?"
    r"|(?:tag|license|licence|number)\s?plate|plate|certificate|serial|device(?:\sidentifier)?"
    r"|identifier|reference|ref|auth(?:orization)?|case|patient|insurance|record|registration"
    r"|implant|pump|stimulator|pacemaker|generator|vehicle|tag|(?-i:SN)"
)
NUMBER_SUFFIX = r"\s*(?:ID|number|num|no\.?|#)"
LABELLED_NUMBER = re.compile(
    rf"(?i:\b(?:(?:{STRONG_LABEL})\.?(?:{NUMBER_SUFFIX})?|(?:{WEAK_LABEL})\.?(?:{NUMBER_SUFFIX}"
    r"|(?=\s*:)))\s*(?:[:#]|is|was)?\s*)"
    r"(?P<value>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9])(?![\w-])"
)
# A weak label with the number right after it ("chart 4471923", "plate 7KXL392", "serial
# AB12345"): only a value with four digits or more is taken, so "chart 2 of 3", "plate 2",
# "record 12 weeks" and "case 2024" stay; a date after the label is left to the date finder.
BARE_LABELLED = re.compile(
    rf"(?i:\b(?:{WEAK_LABEL})\s+)"
    r"(?P<value>(?=(?:[A-Za-z-]*\d){4})(?=[A-Za-z0-9-]{5})[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])"
    r"(?![\w-]|[.,]\d)(?!\s?(?:mg|mcg|µg|g|kg|ml|mL|units?|IU|Hz|kHz|mm|cm|mA|µs|ms|steps"
    r"|weeks?|days?|months?|years?|hours?)\b)"
)
# Dates and ranges ("implant 10-15 mm") after a label are no identifiers.
DATE_SHAPED = re.compile(r"(?:19|20)\d\d(?:-\d{1,2}){0,2}|\d{1,2}-\d{1,2}-\d{2,4}|\d{1,3}-\d{1,3}")
# A UDI in GS1 form carries its parts in brackets: (01)00643169007222(17)141120.
UDI = re.compile(
    r"(?i:\b(?:UDI|unique device identifier)\s*(?:[:#]|is)?\s*)"
    r"(?P<value>(?:\(\d{2,4}\)[A-Za-z0-9]+)+|\+?[A-Za-z0-9][A-Za-z0-9$+/.-]{6,}[A-Za-z0-9])"
)
LABEL_KINDS = (
    (re.compile(r"(?i)\b(?:MRN|medical record|chart|record)"), "MRN", "[MRN]"),
    (re.compile(r"(?i)\b(?:group|grp)"), "group number", "[Group number]"),
    (
        re.compile(r"(?i)\b(?:member|subscriber|beneficiary|medicare|medicaid|MBI|HICN|insur)"),
        "member ID",
        "[Member ID]",
    ),
    (re.compile(r"(?-i:\bSSN)|(?i:\bsocial security)"), "SSN", "[SSN]"),
)
AGES = re.compile(
    r"(?i:\b(?P<n>\d{2,3})(?P<yo>(?:-|\s)?(?:year|yr)s?(?:-|\s)old\b|\s?(?:y/?o|y\.o\.)(?!\w)"
    r"|\s+years?\s+of\s+age\b)|\bage[ds]?\s*:?\s+(?P<m>\d{2,3})\b)"
)
RELATIVE = re.compile(
    rf"\b{RELATIONS},?\s+(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)"
    rf"|\b(?i:works\s+(?:at|for)|employed\s+(?:at|by)|employer(?:\s+is)?:?)\s+"
    rf"(?P<employer>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){{0,3}})"
)
TITLED = re.compile(rf"\b{TITLES}\s+{NAME_WORD}(?:\s+{NAME_WORD})?")


def number_patterns(value: str) -> list[str]:
    """A known identifier as typed with or without its separators, and its digits alone
    when there are enough of them to be its own (five or more)."""
    chunks = re.findall(r"[A-Za-z0-9]+", value)
    if sum(map(len, chunks)) < 4:
        return []  # too short to find in text without finding everything else too
    patterns = [r"(?<![A-Za-z0-9])" + r"[\s./-]?".join(map(re.escape, chunks)) + r"(?![A-Za-z0-9])"]
    digits = re.findall(r"\d+", value)
    longest = max(digits, key=len, default="")
    if len(longest) >= 5 and longest != "".join(chunks):
        patterns.append(rf"(?<!\d){longest}(?!\d)")
    return patterns


def pattern_hits(text: str) -> Iterator[Hit]:
    """Identifiers of the Safe Harbor kinds found by their shape or their label."""
    for m in IP.finditer(text):
        numbered = NUMBERED.search(text, max(0, m.start() - 20), m.start())
        if all(int(part) <= 255 for part in m.group().split(".")) and not numbered:
            yield Hit(m.start(), m.end(), "IP address", "[IP address]", 60)
    for m in PHONE.finditer(text):
        yield _phone(text, m.start(), m.end())
    for m in PHONE_LABELLED.finditer(text):
        yield _phone(text, m.start("number"), m.end("number"))
    for m in SSN.finditer(text):
        yield Hit(m.start(), m.end(), "SSN", "[SSN]", 55)
    for m in LABELLED_NUMBER.finditer(text):
        kind, token = next(
            ((k, t) for p, k, t in LABEL_KINDS if p.match(m.group())),
            ("identifying number", "[ID]"),
        )
        yield Hit(m.start("value"), m.end("value"), kind, token, 70)
    for m in BARE_LABELLED.finditer(text):
        if DATE_SHAPED.fullmatch(m.group("value")):
            continue
        kind, token = next(
            ((k, t) for p, k, t in LABEL_KINDS if p.match(m.group())),
            ("identifying number", "[ID]"),
        )
        yield Hit(m.start("value"), m.end("value"), kind, token, 65)
    for m in UDI.finditer(text):
        yield Hit(m.start("value"), m.end("value"), "device identifier", "[Device ID]", 70)
    for m in ADDRESS.finditer(text):
        yield Hit(m.start(), m.end(), "street address", "[Address]", 45)
    for m in CITY_STATE_ZIP.finditer(text):
        yield Hit(m.start(), m.end(), "city and ZIP code", f"[City], {m['state']} [ZIP]", 45)
    for m in ZIP_LABELLED.finditer(text):
        yield Hit(m.start("zip"), m.end("zip"), "ZIP code", "[ZIP]", 45)
    for m in COUNTY.finditer(text):
        yield Hit(m.start(), m.end(), "county", "[County]", 45)
    for m in AGES.finditer(text):
        if m.group("n") and int(m.group("n")) > 89:
            said = "90-or-older" if m.group("yo").endswith("-old") else OLDEST
            yield Hit(m.start(), m.end(), "age over 89", said, 30)
        elif m.group("m") and int(m.group("m")) > 89:
            yield Hit(m.start("m"), m.end("m"), "age over 89", OLDEST, 30)


def _phone(text: str, start: int, end: int) -> Hit:
    # "Fax:", "fax to", "Fax the approval to": a fax number is said to be one just before it.
    fax = re.search(r"(?i)\bfax\b[^\n\d]{0,24}$", text[max(0, start - 30) : start])
    return Hit(start, end, "fax" if fax else "phone", "[Fax]" if fax else "[Phone]", 50)


def people_hits(text: str) -> Iterator[Hit]:
    """Names the case cannot know, found by their cues: a title, a relation, an employer."""
    for m in TITLED.finditer(text):
        yield Hit(m.start(), m.end(), "name of another person", "[Name]", 20)
    for m in RELATIVE.finditer(text):
        group = "name" if m.group("name") else "employer"
        words = m.group(group).split()
        if words[0] in NOT_NAMES:
            continue
        token = "[Name]" if group == "name" else "[Employer]"
        kind = "name of another person" if group == "name" else "employer"
        yield Hit(m.start(group), m.end(group), kind, token, 20)
