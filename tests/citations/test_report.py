"""Import report: what a file would add, update or leave alone."""

from __future__ import annotations

from citations import compare, import_bibtex, normalised_fields, parse_bibtex

LIBRARY_BIB = """@article{fraenkel2021,
  title = {2021 ACR Guideline
           for the Treatment of Rheumatoid Arthritis},
  year = {2021},
  volume = {73},
}
@article{qaseem2017, title = {Noninvasive treatments}, year = {2017}, pages = {514--530}}
"""

NEW_BIB = """@article{fraenkel2021,
  title = {2021 ACR Guideline for the Treatment of Rheumatoid Arthritis},
  year = {2021},
  volume = {73},
}
@article{qaseem2017, title = {Noninvasive treatments}, year = {2017}, doi = {10.7326/M16-2367},
  pages = {514--530}, note = {ACP}}
@article{qaseem2017, title = {again}}
@article{ailani2021, title = {AHS consensus statement}, year = {2021}}
@article{broken, title = {never closed
"""


def _library() -> dict[str, dict[str, str]]:
    return {e.key: normalised_fields(e) for e in parse_bibtex(LIBRARY_BIB).entries}


def test_report_classifies_entries_and_lists_changes() -> None:
    report = compare(_library(), parse_bibtex(NEW_BIB))
    assert report.added == ["ailani2021"]
    assert report.unchanged == ["fraenkel2021"]  # only re-wrapped: not a change
    assert [u.key for u in report.updated] == ["qaseem2017"]
    changes = report.updated[0].changes
    assert [(c.name, c.old, c.new) for c in changes] == [
        ("doi", None, "10.7326/M16-2367"),
        ("note", None, "ACP"),
    ]


def test_report_json_shape() -> None:
    report = compare(_library(), parse_bibtex(NEW_BIB))
    assert report.to_json() == {
        "added": 1,
        "updated": 1,
        "unchanged": 1,
        "duplicates": [{"key": "qaseem2017", "line": 8}],
        "failed": [
            {
                "line": 10,
                "reason": "Entry `broken` could not be read: the file ends before it is closed "
                "(a `}` is missing).",
            }
        ],
    }


def test_removed_and_changed_fields_are_reported() -> None:
    existing = {"k": {"title": "Old title", "year": "2020", "note": "gone"}}
    report = compare(existing, parse_bibtex("@article{k, title = {New title}, year = {2020}}"))
    assert [(c.name, c.old, c.new) for c in report.updated[0].changes] == [
        ("title", "Old title", "New title"),
        ("note", "gone", None),
    ]
    assert report.updated[0].changed_fields == ["title", "note"]


def test_import_formats_every_entry() -> None:
    outcome = import_bibtex(NEW_BIB, _library())
    assert outcome.report.to_json()["added"] == 1
    assert (
        outcome.references["ailani2021"].text == "AHS consensus statement. Published online 2021."
    )
    assert set(outcome.references) == {"fraenkel2021", "qaseem2017", "ailani2021"}
