"""A document lint: what a physician would be embarrassed to sign, found mechanically.

`letter_problems` checks a Letter (every letter kind): doubled punctuation, a sentence said
twice, a "Label: value (date)." sentence, an empty or one-point range, an internal id, an
author-year parenthetical, a sentence without a source, superscripts that are not 1..n in
first-use order matching the references, dates in more than one style, and the patient
named in full more than once. `text_problems` checks the prose of the other documents
(talking points, patient summary) with the rules that apply to any text.
"""

import re
from collections import Counter

from app.domain.letter import Letter

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_FULL = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
DATE_STYLES = {
    "dmy": re.compile(rf"\b\d{{1,2}} {_MONTH} \d{{4}}\b|\b{_MONTH} \d{{4}}\b"),
    "long": re.compile(rf"\b\d{{1,2}} {_FULL} \d{{4}}\b"),
    "mdy": re.compile(rf"\b{_FULL} \d{{1,2}}, \d{{4}}\b"),
    "iso": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
}
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|et al|vs|etc|approx|no|Dr|Mr|Ms|Mrs|Mx|St)\.[,;:]")
RULES = {
    "doubled punctuation": re.compile(r"[.;,:!?]\s*[.;,:](?!\.)|\)\s*\.\s*\("),
    "label as sentence": re.compile(
        r"^(?:[A-Z][A-Za-z-]*(?: [a-z][A-Za-z-]*){0,2}): [^“\"]+\(\w{3,9}\.? \d{4}\)\.$"
    ),
    "field label": re.compile(
        r"^(?:Lab|Exam|Imaging|Diagnosis|Contraindication|Finding|Goal|History|Laboratory"
        r"|Examination|Criterion \d+): "
    ),
    "empty or one-point range": re.compile(
        rf"\b((?:{_MONTH} )?\d{{4}}) [–-] \1\b|[–-]\s*[),.;]|\(\s*[–-]|\b\d{{4}} – $"
    ),
    "internal id": re.compile(
        r"\b(?:claim|criterion|fact|citation|para|call|case)-\d+\b|\{cite:|\{[a-z_]+\}"
        r"|\[[a-z ]+\]"
    ),
    "author-year parenthetical": re.compile(
        rf"\((?!{_MONTH}\b|{_FULL}\b)(?:[A-Z][A-Za-z'-]+|U\.S\.)(?: et al\.?)?,? "
        r"(?:19|20)\d{2}[a-z]?\)"
    ),
    "published evidence boilerplate": re.compile(r"supported by the published evidence"),
    "stray brace or blank": re.compile(r"\{\}|\(\s*\)|\s,|\s\.(?!\d)"),
}


def text_problems(
    sentences: list[str], style: str | None = None, repeats: bool = True
) -> list[str]:
    """Problems in plain sentences, each as "rule: sentence"; `repeats` checks that no
    sentence is said twice."""
    found = []
    for text in sentences:
        cleaned = _ABBREVIATION.sub("", text)
        for rule, pattern in RULES.items():
            if pattern.search(cleaned if rule == "doubled punctuation" else text):
                found.append(f"{rule}: {text}")
    if style is not None:
        others = {k: p for k, p in DATE_STYLES.items() if k != style}
        for text in sentences:
            for name, pattern in others.items():
                hit = pattern.search(text)
                # "Sep 2026" is both dmy's month and a part of no other style: judge by style
                if hit and not DATE_STYLES[style].search(hit.group()):
                    found.append(f"date in {name} style, not {style}: {text}")
    if repeats:
        counted = Counter(t for t in sentences if len(t.split()) > 3)
        found += [f"sentence said twice: {t}" for t, n in counted.items() if n > 1]
    return found


def letter_problems(letter: Letter) -> list[str]:
    """Every lint problem of a Letter."""
    sentences = [s for p in letter.paragraphs() for s in p.sentences]
    texts = [s.text for s in sentences]
    found = text_problems(texts, letter.style)
    found += [f"no source: {s.text}" for s in sentences if not s.sources]
    order: list[int] = []
    for s in sentences:
        for n in s.refs:
            if n not in order:
                order.append(n)
    if order != list(range(1, len(order) + 1)):
        found.append(f"superscripts not in first-use order: {order}")
    numbers = [r.number for r in letter.references]
    if numbers != list(range(1, len(order) + 1)):
        found.append(f"references {numbers} do not match the superscripts {order}")
    name = dict(letter.re_block).get("Patient", "")
    full = [t for t in texts if name and name in t]
    if len(full) > 1:
        found.append(f"the patient named in full {len(full)} times: {full[1]}")
    rows = [value for _, value in letter.re_block] + [letter.dated]
    rows += [cell for row in letter.treatments for cell in (row.dates,)]
    found += [p.replace(": ", ": RE/table: ", 1) for p in text_problems(rows, letter.style)]
    return found
