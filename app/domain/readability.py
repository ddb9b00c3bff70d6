"""How hard the plain-language summary for the patient is to read, and what to simplify.

The goal for patient material is about US grade 8. Two classic measures are computed from
sentences, words and syllables:

- Flesch-Kincaid grade = 0.39 * words/sentence + 11.8 * syllables/word - 15.59
- Flesch reading ease = 206.835 - 1.015 * words/sentence - 84.6 * syllables/word

Counting rules, chosen to match how the text is read aloud:

- A sentence ends at . ! or ? followed by a space (trailing quotes, brackets and citation
  markers stay with it), at a blank line, at a bullet, and at a line break unless the next line
  starts in lower case (a hard-wrapped line). Titles (Dr., Mrs.), "e.g.", "et al." and initials
  do not end a sentence; neither does the point in "2.8".
- A word is a run of letters or digits; "well-known", "don't", "2.8", "25%" and "FEV1" are one
  word each. Citation markers ([1], {cite:ID}, superscripts) are not read aloud, so not counted.
- Syllables follow vowel groups with the usual English corrections; see `count_syllables`.
  Initialisms are spelled out (MRI = 3), numbers are read as words (12 = 1, 2026 = 5).
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Readability:
    grade: float  # Flesch-Kincaid grade level, 1 decimal; can go below 0 for very easy text
    ease: float  # Flesch reading ease, 1 decimal; higher is easier
    sentences: int
    words: int
    syllables: int


@dataclass(frozen=True)
class ScoredSentence:
    text: str
    start: int  # character span in the measured text, so the UI can highlight it
    end: int
    grade: float
    words: int


# --- sentences --------------------------------------------------------------------------------

_CITATION = (
    r"(?:\[\d+(?:\s*[,\u2013-]\s*\d+)*\]|\{cite:[^}\s]+\}|[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+)"
)
_CITATION_RE = re.compile(_CITATION)
# Terminal punctuation, then anything that closes the sentence it ends (AMA superscripts come
# after the full stop), then the space that separates it from the next one.
_END_RE = re.compile(r"[.!?]+(?:[\"'\u201d\u2019)\]]|" + _CITATION + r")*(?=\s|$)")
# A line break ends a sentence unless the next line goes on in lower case (hard-wrapped text).
_BREAK_RE = re.compile(r"\n(?![ \t]*[a-z])")
_BULLET_RE = re.compile(r"\s*(?:[-*\u2022\u2013]|\d{1,2}[.)])\s+")
# Words after which a full stop is part of an abbreviation, not the end of a sentence.
_TITLES = {"dr", "mr", "mrs", "ms", "mx", "prof", "st", "sr", "jr", "vs", "al", "approx", "dept"}
_TITLES |= {"e.g", "i.e", "u.s", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept"}
_TITLES |= {"oct", "nov", "dec", "ph.d", "m.d", "inc", "ltd", "ca", "cf"}
_BEFORE_NUMBER = {"no", "fig", "vol", "p", "pp", "ref"}  # "No. 5", "p. 924"


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    """False when the full stop at `match` belongs to an abbreviation or an initial."""
    if not match.group().startswith(".") or match.group().startswith(".."):
        return True
    word = re.search(r"(\S+)$", text[: match.start()])
    if not word:
        return True
    token = word.group(1).lstrip("(\"'\u201c")
    following = text[match.end() :].lstrip()
    if token.lower() in _TITLES:
        return False
    if token.lower() in _BEFORE_NUMBER and following[:1].isdigit():
        return False
    # Initials: "J. K. Rowling". A lone capital is usually a sentence end ("vitamin D.").
    before = text[: match.start() - len(token)].rstrip()
    initial = len(token) == 1 and token.isupper()
    return not (initial and (re.match(r"[A-Z]\.", following) or re.search(r"\b[A-Z]\.$", before)))


def _blocks(text: str) -> list[tuple[int, int]]:
    """Blocks of `text` between line breaks, except breaks inside hard-wrapped sentences."""
    starts = [0] + [m.end() for m in _BREAK_RE.finditer(text)]
    ends = [m.start() for m in _BREAK_RE.finditer(text)] + [len(text)]
    return list(zip(starts, ends, strict=True))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) character spans of the sentences of `text`, in order.

    Spans exclude surrounding whitespace and a leading bullet marker; `text[start:end]` is the
    sentence as written, with its trailing citation markers.
    """
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        bullet = _BULLET_RE.match(block)
        cursor = bullet.end() if bullet else 0
        for match in _END_RE.finditer(block):
            if match.end() <= cursor or not _ends_sentence(block, match):
                continue
            spans.append((block_start + cursor, block_start + match.end()))
            cursor = match.end()
        spans.append((block_start + cursor, block_end))
    out = []
    for start, end in spans:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip() and re.search(r"[A-Za-z0-9]", piece):
            out.append((start + lead, start + len(piece.rstrip())))
    return out


# --- words and syllables ----------------------------------------------------------------------

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019.,\-/][A-Za-z0-9]+)*%?")
# Words the rules get wrong that appear in clinical or plain-language writing.
_EXCEPTIONS = {
    "acne": 2, "apostrophe": 4, "behavior": 3, "behaviour": 3, "business": 2, "catastrophe": 4,
    "diabetes": 4, "diastole": 4, "element": 3, "every": 2, "evening": 2, "fluid": 2,
    "hyperbole": 4, "interesting": 3, "karate": 3, "maybe": 2, "naked": 2, "nucleus": 3,
    "people": 2, "persuade": 2, "poem": 2, "poet": 2, "poetry": 3, "quiet": 2, "recipe": 3,
    "science": 2, "scientific": 4, "scientist": 3, "sesame": 3, "simile": 3, "society": 4,
    "syncope": 3, "systole": 3, "tongue": 1, "wednesday": 2,
}  # fmt: skip
# Initialisms read as a word rather than letter by letter.
_WORD_ACRONYMS = {
    "hipaa": 2, "erisa": 3, "covid": 2, "aids": 1, "dmard": 2, "nsaid": 2, "gerd": 1, "pet": 1,
    "spect": 1, "promis": 2, "midas": 2, "hcpcs": 2, "carc": 1, "ecog": 2, "nasa": 2,
    "grade": 1, "cobra": 2, "hedis": 2,
}  # fmt: skip
# Units and abbreviations, counted as the word they stand for.
_ABBREVIATIONS = {
    "mg": 3, "mcg": 3, "kg": 3, "ml": 4, "cm": 4, "mm": 4, "hr": 1, "hrs": 1, "min": 1,
    "wk": 1, "wks": 1, "mo": 1, "yr": 1, "yrs": 1, "lb": 1, "lbs": 1, "dr": 2, "mr": 2,
    "mrs": 2, "ms": 1, "vs": 2, "etc": 4, "approx": 4, "dept": 3, "st": 1,
}  # fmt: skip
# Compounds whose first part ends in a silent e ("sometimes", "baseline", "safety"), with the
# syllables of that part. Most need a consonant next, so "career" and "homeostasis" are safe.
_HEADS = {
    "some": 1, "there": 1, "where": 1, "more": 1, "every": 2, "home": 1, "care": 1, "life": 1,
    "time": 1, "safe": 1, "base": 1, "case": 1, "line": 1, "side": 1, "wide": 1, "whole": 1,
    "state": 1, "note": 1,
}  # fmt: skip
_HEADS_BEFORE_VOWEL = {"some", "there", "where", "more", "every"}  # someone, whereas, moreover
# Prefixes spoken as their own syllable before a vowel ("re-evaluate", "co-insurance").
_SPLIT_PREFIXES = (
    "coordin", "cooperat", "coexist", "coinsur", "coauthor", "coadminist", "coincid", "coagul",
    "reevaluat", "reassess", "reauthor", "react", "reappl", "reappear", "reoccur", "reorder",
    "reinforc", "reimburs", "reinstat", "reiterat", "reintroduc", "reinitiat", "reestablish",
    "reexamin", "preauthor", "preexist", "preoperat", "preeclamp", "preapprov", "preadmi",
    "deactivat", "deidentif", "deescalat", "contraind",
)  # fmt: skip
_SUFFIXES = ("ment", "ly", "ful", "less", "ness")  # after a silent e: "safe-ly", "state-ment"
# Vowel groups that straddle two syllables: each match adds one.
_SPLITS = [
    re.compile(p)
    for p in (
        r"(?<![ctsl])ia|(?<=l)ia(?![nr])",  # me-di-a, tri-al, de-ni-al; not so-cial, -lian
        r"(?<![ctsgxnq])io(?!n)",  # pri-or, bi-op-sy, ra-di-o; not na-tion, sen-ior
        r"(?<![gp])eo|^geo",  # vid-e-o, the-o-ry; not peo-ple, sur-geon
        r"(?<![qg])ua",  # ac-tu-al, e-val-u-ate; not e-qual, lan-guage
        r"(?<![qg])ue(?=[lnt])",  # flu-ent, cru-el, in-flu-ence
        r"uou|iu",  # con-tin-u-ous, me-di-um
        r"[aeiou]ings?$",  # go-ing, con-tin-u-ing
        r"[ct]iat",  # in-i-ti-ate, as-so-ci-ate
        r"(?<=[^aeioucts])ie(?=n[ct]|t)",  # cli-ent, di-et, ex-pe-ri-ence; not pa-tient
        r"crea(?=t)(?!tur)",  # cre-ate, pan-cre-at-ic; not crea-ture
        r"uity$",  # con-ti-nu-i-ty
        r"(?<=[ai])sms?$",  # rheu-ma-tism, spasm
    )
]
# Endings that add a syllable only after another vowel group (ear-li-er, i-de-a; not tier, sea).
_SPLIT_ENDINGS = re.compile(r"[^aeiou](?:ie(?:r|rs|st)|eas?)$")


def _english(word: str) -> int:
    """Syllables of a lower-case word of letters (an apostrophe allowed)."""
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    if word.endswith(("'s", "\u2019s")):
        stem = word[:-2]
        return _english(stem) + (1 if re.search(r"(?:[sxz]|[cs]h|[cgsz]e)$", stem) else 0)
    for head, syllables in _HEADS.items():
        rest = word[len(head) :]
        vowel_ok = rest[:1] not in ("a", "e", "i", "o", "u") or head in _HEADS_BEFORE_VOWEL
        if word.startswith(head) and len(rest) >= 2 and re.search(r"[aeiouy]", rest) and vowel_ok:
            return syllables + _english(rest)
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and re.search(r"[^aeiouy]e$", stem):
            return _english(stem) + 1
    w = re.sub(r"['\u2019]", "", word)
    # y before a vowel is a consonant at the start or after a vowel (yes, player), and starts
    # its own syllable after a consonant (stud-y-ing, em-bry-o).
    w = re.sub(r"^y(?=[aeiou])", "_", w)
    w = re.sub(r"(?<=[aeiou])w?y(?=[aeiou])", "_", w)
    w = re.sub(r"(?<=[^aeiou_])y(?=[aeiou])", "y_", w)
    count = len(re.findall(r"[aeiouy]+", w))
    if count > 1:
        consonant_le = re.search(r"[^aeiouyl_]l(?:e|es|ed)$", w)  # ta-ble, ta-bles, set-tled
        if re.search(r"(?:[aeiou]gue|que)[sd]?$", w):
            count -= 1  # fa-tigue, tech-nique
        elif re.search(r"[^aeiouy_]e$", w) and not consonant_le:
            count -= 1  # silent final e: make, whole
        elif re.search(r"[^aeiouy_]es$", w) and not consonant_le:
            if not re.search(r"(?:[sxzcg]|[cs]h)es$", w):
                count -= 1  # makes, dates (but box-es, plac-es, judg-es)
        elif re.search(r"[^aeiouy_]ed$", w) and not consonant_le and not re.search(r"[td]ed$", w):
            count -= 1  # stopped, placed (but want-ed, need-ed)
        if _SPLIT_ENDINGS.search(w):
            count += 1
    count += sum(len(p.findall(w)) for p in _SPLITS)
    if word.startswith(_SPLIT_PREFIXES):
        count += 1
    if re.search(r"[dsz]n['\u2019]t$", word):
        count += 1  # did-n't, is-n't
    return max(count, 1)


_ONES = [2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 2, 2]  # zero..nineteen
_TENS = [0, 0, 2, 2, 2, 2, 2, 3, 2, 2]  # twenty..ninety


def _number(n: int) -> int:
    """Syllables of a whole number read as a cardinal ("two thousand twenty-six")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + (_ONES[n % 10] if n % 10 else 0)
    if n < 1000:
        return _ONES[n // 100] + 2 + (_number(n % 100) if n % 100 else 0)
    for size, name in ((10**9, 2), (10**6, 2), (10**3, 2)):  # billion, million, thousand
        if n >= size:
            rest = n % size
            return _number(n // size) + name + (_number(rest) if rest else 0)
    return 0


def _digits(token: str) -> int:
    """Syllables of a run of digits, possibly with a decimal point or thousands commas."""
    token = token.replace(",", "")
    whole, _, fraction = token.partition(".")
    if len(whole) > 12:
        return sum(_ONES[int(d)] for d in whole)  # an identifier, read digit by digit
    n = int(whole or "0")
    if len(whole) == 4 and 1100 <= n <= 2099 and not 2000 <= n <= 2009 and n % 100:
        # A year: "twenty twenty-six", "nineteen oh five".
        low = n % 100
        count = _number(n // 100) + (1 + _ONES[low] if low < 10 else _number(low))
    else:
        count = _number(n)
    if fraction:
        count += 1 + sum(_ONES[int(d)] for d in fraction)  # "point eight"
    return count


def count_syllables(word: str) -> int:
    """Syllables in `word` as read aloud; at least 1 for a word with a letter or digit.

    Vowel groups (a, e, i, o, u, y) are counted, then corrected: silent final e ("make"), but
    a consonant before -le is a syllable ("ta-ble"); -es and -ed are silent except after
    sibilants ("box-es") and t/d ("want-ed"); y before a vowel is a consonant at the start
    ("yes"); vowel pairs that split ("tri-al", "pri-or", "vid-e-o"); suffixes after a silent e
    ("safe-ly"); plus a short list of exceptions. All-capital initialisms are spelled out
    (MRI = 3, W counts 3) unless read as a word (HIPAA, NSAID); units count as the word they
    abbreviate (mg = 3); digits are read as numbers; hyphenated parts are added up.
    """
    word = word.strip().strip(".")
    if not word:
        return 0
    parts = [p for p in re.split(r"[-/\u2013]", word) if p]
    if len(parts) > 1:
        return sum(count_syllables(p) for p in parts)
    total = 0
    if word.endswith("%"):
        word, total = word[:-1], 2  # "percent"
    if re.fullmatch(r"\d[\d,]*(?:\.\d+)?", word):
        return total + _digits(word)
    if re.fullmatch(r"(?:[A-Za-z]\.){2,}[A-Za-z]?", word + "."):  # e.g., U.S.
        return total + sum(3 if c in "wW" else 1 for c in word if c.isalpha())
    runs = re.findall(r"[0-9]+|[^0-9]+", word)
    if len(runs) > 1:  # FEV1, P2P, B12, 40mg
        return total + sum(count_syllables(r) for r in runs)
    lower = word.lower()
    caps = re.fullmatch(r"[A-Z]{2,5}s?", word) and word.rstrip("s").isupper()
    if caps:
        stem = lower[:-1] if word.endswith("s") and len(word) > 2 else lower
        if stem in _WORD_ACRONYMS:
            return total + _WORD_ACRONYMS[stem]
        return total + sum(3 if c == "w" else 1 for c in stem)
    if lower in _ABBREVIATIONS:
        return total + _ABBREVIATIONS[lower]
    if not re.search(r"[aeiouy]", lower):
        return total + sum(3 if c == "w" else 1 for c in lower if c.isalpha())  # "bpm"
    return total + _english(lower)


def _words(text: str) -> list[str]:
    text = _CITATION_RE.sub(" ", text)
    if text.isupper():  # a heading in capitals is read as words, not as initialisms
        text = text.lower()
    return _WORD_RE.findall(text)


# --- scores -----------------------------------------------------------------------------------


def _scores(sentences: int, words: int, syllables: int) -> tuple[float, float]:
    if not sentences or not words:
        return 0.0, 0.0
    wps, spw = words / sentences, syllables / words
    grade = 0.39 * wps + 11.8 * spw - 15.59
    ease = 206.835 - 1.015 * wps - 84.6 * spw
    return round(grade, 1), round(ease, 1)


def measure(text: str) -> Readability:
    """The Flesch-Kincaid grade and Flesch reading ease of `text`, with the counts behind them.

    Text with no words measures 0 sentences, 0 words, grade 0.0 and ease 0.0; callers should
    show "nothing to measure" rather than a score in that case.
    """
    spans = split_sentences(text)
    words = [w for s, e in spans for w in _words(text[s:e])]
    syllables = sum(count_syllables(w) for w in words)
    grade, ease = _scores(len(spans), len(words), syllables)
    return Readability(grade, ease, len(spans), len(words), syllables)


def hardest_sentences(text: str, n: int = 3) -> list[ScoredSentence]:
    """The `n` sentences of `text` with the highest Flesch-Kincaid grade, hardest first.

    Ties keep the order of the text. Each sentence is scored on its own, so a long sentence
    of long words comes first: that is the one to split or reword.
    """
    scored = []
    for start, end in split_sentences(text):
        words = _words(text[start:end])
        if not words:
            continue
        grade, _ = _scores(1, len(words), sum(count_syllables(w) for w in words))
        scored.append(ScoredSentence(text[start:end], start, end, grade, len(words)))
    scored.sort(key=lambda s: -s.grade)
    return scored[: max(n, 0)]
