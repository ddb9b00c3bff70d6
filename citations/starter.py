"""The starter library: widely cited clinical practice guidelines shipped with Peerbrief.

A new team can load it to try the product at once. It is ordinary BibTeX (``starter.bib`` in
this package) with the evidence fields described in citations/README.md, filled in only where a
guideline states a grade for the recommendation given. Guidelines are revised: a clinician
should check the current version of each one before citing it in a letter.

>>> from citations import import_bibtex
>>> from citations.starter import starter_bibtex
>>> outcome = import_bibtex(starter_bibtex())  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import resources


def starter_bibtex() -> str:
    """The starter library's BibTeX text, read from the installed package."""
    return resources.files("citations").joinpath("starter.bib").read_text(encoding="utf-8")
