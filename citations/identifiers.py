"""Recognise DOIs and PubMed IDs in text a clinician pastes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(
    r"^(?:https?://(?:dx\.|www\.)?doi\.org/|doi\.org/|doi:|urn:doi:)", re.IGNORECASE
)
_PMID = re.compile(r"^(?:pmid:?|pubmed:?)?(\d{1,9})$", re.IGNORECASE)
_PUBMED_URL = re.compile(
    r"^https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/(\d{1,9})/?$",
    re.IGNORECASE,
)
# "PMID: 123" and "doi: 10.1/x" are written with a space; join them before splitting on spaces.
_LABEL_SPACE = re.compile(r"\b(pmid|pubmed|doi)\s*:?\s+(?=\d)", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+|[,;](?=\s|$)")
_TRAILING = ".,;:\"'"
_PAIRS = {")": "(", "]": "[", ">": "<"}


def _clean(token: str) -> str:
    """Strip punctuation a sentence adds around an identifier, keeping balanced brackets."""
    token = token.strip().lstrip("\"'").strip(_TRAILING)
    while len(token) > 2 and token[0] + token[-1] in ("()", "[]", "<>"):
        token = token[1:-1].strip(_TRAILING)
    while token and token[-1] in _PAIRS and token.count(token[-1]) > token.count(_PAIRS[token[-1]]):
        token = token[:-1].rstrip(_TRAILING)
    while (
        token
        and token[0] in "([<"
        and token.count(token[0]) > token.count({"(": ")", "[": "]", "<": ">"}[token[0]])
    ):
        token = token[1:]
    return token


@dataclass(frozen=True, slots=True)
class Identifier:
    """One pasted identifier: ``kind`` is ``doi``, ``pmid`` or ``invalid`` (with ``error``)."""

    kind: str
    value: str
    text: str
    error: str = ""

    @property
    def cache_key(self) -> str:
        """Key for caching a look-up (DOIs are case-insensitive)."""
        return f"{self.kind}:{self.value.lower()}"

    @property
    def label(self) -> str:
        """How to name the identifier in a message: ``DOI 10.1/x`` or ``PMID 123``."""
        return {"doi": "DOI", "pmid": "PMID"}.get(self.kind, "") + f" {self.value}".rstrip()


def parse_identifier(text: str) -> Identifier:
    """Classify one token as a DOI (``10.x/y``, ``doi:10...``, ``https://doi.org/10...``) or a
    PMID (``34101376``, ``PMID: 34101376``, a PubMed URL)."""
    token = _clean(text)
    m = _PMID.match(token.replace(" ", "")) or _PUBMED_URL.match(token)
    if m:
        return Identifier("pmid", str(int(m.group(1))), text.strip())
    candidate = unquote(_DOI_PREFIX.sub("", token.replace(" ", "")))
    if candidate.lower().startswith("doi:"):
        candidate = candidate[4:]
    if _DOI.match(candidate):
        return Identifier("doi", candidate, text.strip())
    return Identifier(
        "invalid",
        text.strip(),
        text.strip(),
        f"'{text.strip()}' is neither a DOI (10.xxxx/...) nor a PubMed ID (digits).",
    )


def parse_identifiers(text: str) -> list[Identifier]:
    """Every identifier in pasted text (one per line, or separated by spaces, commas or
    semicolons), in order, without repeats."""
    joined = _LABEL_SPACE.sub(lambda m: f"{m.group(1)}:", text)
    seen: set[str] = set()
    out: list[Identifier] = []
    for token in _SEPARATORS.split(joined):
        if not token or not token.strip(_TRAILING):
            continue
        pieces = re.split(r"[,;]", token) if re.fullmatch(r"\d+(?:[,;]\d+)+", token) else [token]
        for piece in pieces:
            ident = parse_identifier(piece)
            if ident.cache_key not in seen:
                seen.add(ident.cache_key)
                out.append(ident)
    return out
