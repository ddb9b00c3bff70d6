"""Decode BibTeX/LaTeX markup into plain Unicode text for display.

Most values in a reference manager's export are plain text, or text with a few accent macros and
case-protecting braces. A lookup table handles those in microseconds; pylatexenc, which is
correct but costs a few hundred microseconds per string, is only called for what the table does
not know (math, unusual macros).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text

# Fields whose content is not LaTeX: decoding would damage them (`%` in URLs, `\` in paths).
VERBATIM_FIELDS = frozenset({"url", "doi", "file", "eprint", "pdf", "urldate"})

_COMBINING = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}

_SYMBOLS = {
    "ss": "ß",
    "SS": "SS",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    "S": "§",
    "P": "¶",
    "dag": "†",
    "ddag": "‡",
    "copyright": "©",
    "textcopyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "textendash": "–",
    "textemdash": "—",
    "textquoteright": "’",
    "textquoteleft": "‘",
    "textquotedblright": "”",
    "textquotedblleft": "“",
    "textdegree": "°",
    "textmu": "µ",
    "textpm": "±",
    "textgreater": ">",
    "textless": "<",
    "textbackslash": "\ue002",
    "textbullet": "•",
    "textellipsis": "…",
    "ldots": "…",
    "dots": "…",
    "pounds": "£",
    "euro": "€",
    "texteuro": "€",
    "guillemotleft": "«",
    "guillemotright": "»",
    "textasciitilde": "\ue003",
    "textasciicircum": "^",
    "textunderscore": "_",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "relax": "",
    "/": "",
    "-": "",
    "noopsort": "",
}

# Formatting macros whose argument is kept as text (the braces are removed afterwards).
_TEXT_MACROS = frozenset(
    {
        "textit",
        "textbf",
        "textsc",
        "textrm",
        "textsf",
        "texttt",
        "textup",
        "textsl",
        "textmd",
        "textnormal",
        "emph",
        "mbox",
        "hbox",
        "text",
        "url",
        "mkbibquote",
        "mkbibemph",
        "enquote",
        "textsuperscript",
        "textsubscript",
        "it",
        "bf",
        "sc",
        "em",
        "rm",
        "sf",
        "tt",
        "upshape",
        "itshape",
        "bfseries",
        "scshape",
        "nocase",
    }
)

_ESCAPED = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", " ": " ", "\\": " ", ",": " "}
# Placeholders for characters that must survive brace removal and the leftover-macro check.
_LBRACE, _RBRACE, _BACKSLASH, _TILDE = "\ue000", "\ue001", "\ue002", "\ue003"
_RESTORE = str.maketrans({_LBRACE: "{", _RBRACE: "}", _BACKSLASH: "\\", _TILDE: "~"})
_PLACEHOLDERS = (_LBRACE, _RBRACE, _BACKSLASH, _TILDE)

_MACRO_RE = re.compile(
    r"""\\(?:
        (?P<acc>['`^"~=.])\s*(?:\{\s*(?P<a1>\\[ij]|[A-Za-z])\s*\}|(?P<a2>\\[ij]|[A-Za-z]))
      | (?P<lacc>[uvHckrdb])(?:\s*\{\s*(?P<l1>\\[ij]|[A-Za-z])\s*\}|\s+(?P<l2>\\[ij]|[A-Za-z]))
      | (?P<word>[A-Za-z]+)(?:\s*\{\}|\s*)
      | (?P<esc>[&%$\#_{}\ \\,/\-])
    )""",
    re.VERBOSE,
)
_MATH = re.compile(r"(?<!\\)\$")
# `\noopsort{a}` (defined in a `@preamble` as printing nothing) only steers sorting.
_NOOPSORT = re.compile(r"\\noopsort\s*\{[^{}]*\}")


@lru_cache(maxsize=2048)
def _compose(accent: str, letter: str) -> str | None:
    base = {"\\i": "i", "\\j": "j"}.get(letter, letter)
    composed = unicodedata.normalize("NFC", base + _COMBINING[accent])
    return composed if len(composed) == 1 else None


class _Unknown(Exception):
    """Raised inside the table decoder when only the full LaTeX parser can help."""


def _replace(m: re.Match[str]) -> str:
    if m.group("acc") is not None:
        out = _compose(m.group("acc"), m.group("a1") or m.group("a2"))
    elif m.group("lacc") is not None:
        out = _compose(m.group("lacc"), m.group("l1") or m.group("l2"))
    elif m.group("word") is not None:
        word = m.group("word")
        if word in _TEXT_MACROS:
            return ""
        out = _SYMBOLS.get(word)
    else:
        esc = m.group("esc")
        if esc == "{":
            return _LBRACE
        if esc == "}":
            return _RBRACE
        out = _ESCAPED.get(esc, "")
    if out is None:
        raise _Unknown
    return out


# ASCII characters other than the space that `str.split()` treats as whitespace.
_ASCII_SPACE = ("\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def _collapse(text: str) -> str:
    # `in` scans are memchr-fast; splitting and joining a long abstract is not.
    if text.isascii() and "  " not in text and not any(c in text for c in _ASCII_SPACE):
        return text.strip()
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _converter() -> LatexNodes2Text:
    # Imported lazily: most imports never need the fallback.
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


# pylatexenc doubles its output for each level of nested accent macros (``\\'{\\'{\\'{...``): a
# hostile value would exhaust memory. Real values nest a handful of levels at most.
_MAX_FALLBACK_DEPTH = 8
_BRACES = re.compile(r"[{}]")
_ANY_MACRO = re.compile(r"\\(?:(?P<word>[A-Za-z]+)\s*|(?P<char>.))", re.DOTALL)


def _depth(text: str) -> int:
    depth = deepest = 0
    for m in _BRACES.finditer(text):
        if m.group() == "{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _strip_markup(text: str) -> str:
    """Last resort for values pylatexenc cannot read: known symbols kept, other macros dropped."""

    def one(m: re.Match[str]) -> str:
        word = m.group("word")
        if word is not None:
            return _SYMBOLS.get(word, "")
        return _ESCAPED.get(m.group("char"), "")

    out = _ANY_MACRO.sub(one, text)
    out = out.replace("{", "").replace("}", "").replace("$", "").replace("~", " ")
    return _collapse(out.translate(_RESTORE))


def _fallback(text: str) -> str:
    if _depth(text) > _MAX_FALLBACK_DEPTH:
        return _strip_markup(text)
    try:
        return _collapse(_converter().latex_to_text(text))
    except Exception:  # noqa: BLE001 - pylatexenc fails on some malformed input (IndexError...)
        return _strip_markup(text)


def decode(text: str) -> str:
    """Turn a BibTeX field value into display text.

    Accents (``M{\\"u}ller`` -> ``Müller``), symbols (``{\\O}`` -> ``Ø``, ``\\&`` -> ``&``),
    dashes (``--`` -> en dash, ``---`` -> em dash), ``~`` (a space) and case-protecting braces
    are handled by a table; anything else falls back to pylatexenc. Whitespace runs collapse to
    one space. Do not pass values of :data:`VERBATIM_FIELDS`.
    """
    if len(text) <= _CACHED_LENGTH:
        # Journal names, publishers, years and name parts repeat across a library.
        return _decode_cached(text)
    return _decode(text)


def _has_markup(text: str) -> bool:
    # Single-character `in` scans are much faster than a regex character class on long text.
    return (
        "\\" in text
        or "{" in text
        or "}" in text
        or "~" in text
        or "$" in text
        or "`" in text
        or ("-" in text and "--" in text)
        or ("'" in text and "''" in text)
    )


def _decode(text: str) -> str:
    if not _has_markup(text):
        if "  " in text or "\t" in text or "\n" in text or "\r" in text:
            return " ".join(text.split())
        return text.strip()
    if "$" in text and _MATH.search(text):
        return _fallback(text)
    out = text
    escaped = False
    if "\\" in out:
        if "\\noopsort" in out:
            out = _NOOPSORT.sub("", out)
        try:
            out = _MACRO_RE.sub(_replace, out)
        except _Unknown:
            return _fallback(text)
        if "\\" in out:
            return _fallback(text)
        escaped = not out.isascii()
    if "--" in out:
        out = out.replace("---", "\u2014").replace("--", "\u2013")
    if "`" in out or "''" in out:
        out = out.replace("``", "\u201c").replace("''", "\u201d").replace("`", "\u2018")
    if "~" in out:
        out = out.replace("~", " ")
    if "{" in out or "}" in out:
        out = out.replace("{", "").replace("}", "")
    if escaped and any(c in out for c in _PLACEHOLDERS):
        out = out.translate(_RESTORE)
    return _collapse(out)


_CACHED_LENGTH = 160
_decode_cached = lru_cache(maxsize=8192)(_decode)


def clear_decode_cache() -> None:
    """Forget the remembered short values (see :func:`decode`)."""
    _decode_cached.cache_clear()


def encode(text: str) -> str:
    """Escape plain text for a BibTeX field value (UTF-8 output; only TeX specials escaped).

    Used for values that come from look-ups or forms rather than from a .bib file.
    """
    if not any(c in text for c in "&%$#_{}\\~^"):
        return text
    out = []
    for c in text:
        if c in "&%$#_":
            out.append("\\" + c)
        elif c == "{":
            out.append("\\{")
        elif c == "}":
            out.append("\\}")
        elif c == "\\":
            out.append("\\textbackslash{}")
        elif c == "~":
            out.append("\\textasciitilde{}")
        elif c == "^":
            out.append("\\textasciicircum{}")
        else:
            out.append(c)
    return "".join(out)
