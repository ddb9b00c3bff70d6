"""An import holds a fixed amount of memory whatever the file holds: a 547-byte macro bomb and a
50 MB library both finish with a report, each under the same budget.

Memory is what Python allocated during the import (tracemalloc's peak), measured in this
process around the import alone; the file's own text is made before and not counted. No time
limits: a slow machine passes, a growing import does not.
"""

import random
import tracemalloc

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.library import importer
from app.models import Citation, Team
from tests.citations.test_macro_bounds import doubling_bomb

pytestmark = pytest.mark.persistence

MB = 1024 * 1024
# What one import may allocate: the pieces read at a time, the report and the database's
# statements. Measured: ~27 MB for the 50 MB library on SQLite; reading the whole file at
# once took ~430 MB. The margin is for other databases' drivers, not for growth.
BUDGET = 64 * MB

SURNAMES = ['M{\\"u}ller', "{\\O}stergaard", "Garc{\\'\\i}a", "Qaseem", "Nakamura", "Okafor"]
SURNAMES += ["Fran\\c{c}ois", "Stra{\\ss}er", "Lindqvist", "Dubois", "Kowalski", "Patel"]
GIVEN = ["Liana", "Joan M.", 'J{\\"o}rg', "E. William", "Amir", "Ren{\\'e}e", "Kevin D.", "A."]
WORDS = [
    *("guideline", "treatment", "rheumatoid", "arthritis", "pain", "migraine", "prevention"),
    *("opioid", "therapy", "randomized", "trial", "efficacy", "safety", "outcomes", "adults"),
    *("cohort", "evidence", "biologic", "methotrexate", "infliximab", "adalimumab", "step"),
    *("failure", "imaging", "lumbar", "spine", "radiculopathy", "injection", "G{\\'e}n{\\'e}ral"),
]
ALPHA = "$\\alpha$-level "  # maths now and then (pylatexenc decodes it, slowly)
JOURNALS = ["aim", "acr", "{Headache}", "{The Lancet}", "{JAMA}", "{N Engl J Med}"]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _entry(i: int, rng: random.Random) -> str:
    authors = " and ".join(
        f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}" for _ in range(rng.randint(1, 12))
    )
    if i % 17 == 0:
        authors += " and {American College of Rheumatology}"
    year = 1990 + i % 36
    kind = rng.choice(["article"] * 6 + ["book", "inproceedings", "misc", "online", "report"])
    fields = [
        f"  title = {{{{{_words(rng, rng.randint(4, 20)).capitalize()}}}: "
        f"{ALPHA if i % 50 == 0 else ''}{{Evidence}} --- {year}}}",
        f"  author = {{{authors}}}",
        f"  year = {{{year}}}",
        f"  month = {rng.choice(['jan', 'feb', 'mar', 'sep', 'dec'])}",
    ]
    if kind == "article":
        fields += [
            f"  journal = {rng.choice(JOURNALS)}",
            f"  volume = {{{i % 300}}}, number = {{{i % 12 + 1}}}, pages = {{{i}--{i + 9}}}",
        ]
    elif kind == "book":
        fields.append(f"  publisher = {{Springer}} # {{, }} # {{{rng.choice(['Berlin', 'NY'])}}}")
    elif kind == "inproceedings":
        fields.append(f"  booktitle = acr # {{ Convergence {year}}}")
    else:
        fields.append(f"  url = {{https://example.org/{i}/paper%20{i}.pdf}}")
    fields += [
        f"  doi = {{10.{1000 + i % 9000}/x.{i}}}",
        f"  keywords = {{{_words(rng, 3).replace(' ', ', ')}}}",
        f"  abstract = {{{_words(rng, rng.randint(20, 450))} 50\\% of patients \\& carers.}}",
    ]
    if i % 5 == 0:
        fields.append(f"  file = {{/home/clinic/Zotero/storage/A{i}/Paper {i}.pdf}}")
    if i % 9 == 0:
        fields.append("  evidence-system = {GRADE}, evidence-grade = {Strong, moderate certainty}")
    return f"@{kind}{{ref{i},\n" + ",\n".join(fields) + "\n}\n"


def library_of(size: int, seed: int = 11) -> str:
    """A varied Zotero/JabRef-style library of at least `size` characters: macros, accents,
    several entry types, a duplicate key and an unclosed entry now and then."""
    rng = random.Random(seed)
    parts = ['@string{aim = "Ann Intern Med"}\n@string{acr = {Arthritis Care \\& Research}}\n']
    length, i = len(parts[0]), 0
    while length < size:
        block = _entry(i, rng)
        if i % 1000 == 999:
            block = block.replace(f"ref{i},", f"ref{i - 1},", 1)  # a key used twice
        if i % 2500 == 1234:
            block = block.rstrip().rstrip("}") + "\n"  # never closed
        parts.append(block)
        length += len(block)
        i += 1
    return "".join(parts)


def imported(app, text: str) -> tuple[dict, int]:
    """Import `text` into a new team as the command line does; the report and the peak memory."""
    with app.app_context():
        team = Team(slug="north", name="North Rheumatology")
        db.session.add(team)
        db.session.commit()
        tracemalloc.start()
        try:
            report = importer.run(team.id, text)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return report, peak


def test_a_macro_bomb_finishes_with_its_line_under_the_budget(app):
    report, peak = imported(app, doubling_bomb())
    assert peak < BUDGET
    assert report["added"] == 1
    assert report["failed"][0]["line"] == 10
    assert "at most 8 levels of macros" in report["failed"][0]["reason"]


def test_a_50_mb_library_finishes_with_its_report_under_the_budget(app):
    text = library_of(50 * MB)
    entries = text.count("\n@") + 1 - 2
    report, peak = imported(app, text)
    assert peak < BUDGET, f"{peak / MB:.0f} MB"
    duplicates, unclosed = len(report["duplicates"]), len(report["failed"])
    assert duplicates > 10 and unclosed > 5
    assert report["added"] + duplicates + unclosed == entries
    with app.app_context():
        assert db.session.scalar(select(func.count(Citation.id))) == report["added"]
