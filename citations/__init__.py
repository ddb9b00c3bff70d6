"""Citations for Peerbrief: BibTeX import and export, evidence grades, AMA references, and
DOI/PMID look-ups. Independent of the web app; usable from a script or a notebook.

>>> from citations import parse_bibtex, format_ama
>>> result = parse_bibtex(open("library.bib").read())  # doctest: +SKIP
>>> [format_ama(e).text for e in result.entries]  # doctest: +SKIP
"""

__version__ = "0.1.0"

from citations.ama import AmaReference, Run, format_ama, format_names  # noqa: E402
from citations.bibtex import parse_bibtex  # noqa: E402
from citations.csl import csl_to_entry, entry_to_csl  # noqa: E402
from citations.evidence import (  # noqa: E402
    EVIDENCE_FIELDS,
    TAGS_FIELD,
    Evidence,
    read_evidence,
    with_evidence,
)
from citations.export import entry_to_bibtex, to_bibtex  # noqa: E402
from citations.grades import (  # noqa: E402
    GradeError,
    GradingSystem,
    grade_display,
    grading_systems,
    normalise_grade,
)
from citations.identifiers import Identifier, parse_identifiers  # noqa: E402
from citations.imports import ImportOutcome, import_bibtex  # noqa: E402
from citations.journals import abbreviate, journal_abbreviation  # noqa: E402
from citations.keys import make_key  # noqa: E402
from citations.latex import decode  # noqa: E402
from citations.lookup import (  # noqa: E402
    LookupCache,
    LookupFailed,
    LookupResult,
    MemoryCache,
    MetadataClient,
)
from citations.model import (  # noqa: E402
    DuplicateKey,
    Entry,
    FailedBlock,
    ParseResult,
    ParseWarning,
    make_entry,
)
from citations.names import Name, parse_names  # noqa: E402
from citations.report import (  # noqa: E402
    EntryUpdate,
    FieldChange,
    ImportReport,
    compare,
    normalised_fields,
)

__all__ = [
    "EVIDENCE_FIELDS",
    "TAGS_FIELD",
    "AmaReference",
    "DuplicateKey",
    "Entry",
    "EntryUpdate",
    "Evidence",
    "FailedBlock",
    "FieldChange",
    "GradeError",
    "GradingSystem",
    "Identifier",
    "ImportOutcome",
    "ImportReport",
    "LookupCache",
    "LookupFailed",
    "LookupResult",
    "MemoryCache",
    "MetadataClient",
    "Name",
    "ParseResult",
    "ParseWarning",
    "Run",
    "abbreviate",
    "compare",
    "csl_to_entry",
    "decode",
    "entry_to_bibtex",
    "entry_to_csl",
    "format_ama",
    "format_names",
    "grade_display",
    "grading_systems",
    "import_bibtex",
    "journal_abbreviation",
    "make_entry",
    "make_key",
    "normalise_grade",
    "normalised_fields",
    "parse_bibtex",
    "parse_identifiers",
    "parse_names",
    "read_evidence",
    "to_bibtex",
    "with_evidence",
]
