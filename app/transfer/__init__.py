"""A case as a JSON document, so it can be moved between installations or teams, whole.

Format (version 2; ids, team and audit rows are never carried):
    {"format": "peerbrief-case", "version": 2,
     "case": {<intake field>, <patient reference, structured ask, thesis, framing, risks,
              ask, fallback_asks, appeal and external review path>: value, ...},
     "signer": {"email", "name", "credentials", "specialty", "npi"} or null,
     "documents": [{"kind", "title", "document_date", "text", "answers_denial",
                    "answers_call": index into calls or null}, ...],
     "facts": [{"kind", "in_letter", <fact column>: value, ...,
                "source": {"document": index into documents, "start", "end"} or null}, ...],
     "criteria": [{"text", "status", "note", "position", "facts": [index into facts],
                   "evidence": [{"citation": key, "pinpoint"}]}, ...],
     "claims": [{"claim", "citation": key, "pinpoint", "kind", "position",
                 "criterion": index into criteria or null}, ...],
     "calls": [{<every call field>, "logged_by": email or null,
                "attempts": [{"at", "result", "note"}],
                "rebuttals": [{"category", "objection", "rebuttal"}]}, ...],
     "rewrites": [{"key", "text"}, ...],
     "citations": [{"key", "bibtex"}, ...]}          every cited entry, as BibTeX
Dates are YYYY-MM-DD, times YYYY-MM-DDTHH:MM:SS. Facts, criteria and claims are listed in
their order on the case.

Citations travel as BibTeX: an import adds each cited entry the team's library lacks, and
keeps the library's own entry for a key it has. The signer is matched to a member of the
importing team by email; rebuttals used on a call to the team's bank by objection text
(added to the bank when it has none). Version 1 files (case, documents, facts) are still
read. An import checks the whole file before it writes anything, and names the first
problem with its path: `criteria[2].facts[0]: no fact 7 in this file`.
"""

FORMAT = "peerbrief-case"
VERSION = 2
READABLE = (1, 2)


class FormatError(ValueError):
    """The JSON is not a Peerbrief case export; the message says what is wrong, and where."""


from app.transfer.export import export_case  # noqa: E402
from app.transfer.load import Imported, import_case  # noqa: E402

__all__ = ["FORMAT", "READABLE", "VERSION", "FormatError", "Imported", "export_case", "import_case"]
