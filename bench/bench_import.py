"""Import speed: bibtexparser's bare parse (the floor) against the full citations import.

Generates N synthetic Zotero-style entries (~2 KB each, with accents, macros and corporate
authors) in memory and times, in the same run:

- floor: ``bibtexparser.parse_string`` with its default middleware;
- ours: ``citations.import_bibtex`` (parse, macros and ``#``, field-name normalisation, display
  decoding, name splitting, comparison and an AMA reference for every entry).

Usage: python bench/bench_import.py [N]   (default 5000)
"""

from __future__ import annotations

import argparse
import random
import time

import bibtexparser

from citations import import_bibtex

SURNAMES = [
    'M{\\"u}ller',
    "{\\O}stergaard",
    "Garc{\\'\\i}a",
    "Fraenkel",
    "Qaseem",
    "Dowell",
    "Ailani",
    "Stra{\\ss}er",
    "Nakamura",
    "Fran\\c{c}ois",
]
GIVEN = ["Liana", "Joan M.", 'J{\\"o}rg', "E. William", "Amir", "Ren{\\'e}e", "Kevin D."]
JOURNALS = [
    "aim",
    "{Arthritis Care \\& Research}",
    "{Headache}",
    "{MMWR. Recommendations and Reports}",
    "{Journal of Imaginary Studies}",
]
WORDS = [
    "guideline",
    "treatment",
    "rheumatoid",
    "arthritis",
    "low back pain",
    "migraine",
    "prevention",
    "opioid",
    "therapy",
    "randomized",
    "trial",
    "efficacy",
    "safety",
    "outcomes",
    "adults",
    "cohort",
    "evidence",
]


def _entry(i: int, rng: random.Random) -> str:
    authors = " and ".join(
        f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}" for _ in range(rng.randint(1, 9))
    )
    if i % 10 == 0:
        authors += " and {American College of Rheumatology}"
    title = " ".join(rng.choice(WORDS) for _ in range(14))
    abstract = " ".join(rng.choice(WORDS) for _ in range(170))
    return f"""@article{{ref{i},
  title = {{{{{title.capitalize()}}}: A {{Clinical Practice Guideline}} --- {2000 + i % 25}}},
  author = {{{authors}}},
  date = {{{2000 + i % 25}-{1 + i % 12:02d}}},
  journaltitle = {JOURNALS[i % len(JOURNALS)]},
  volume = {{{i % 200}}},
  number = {{{i % 12}}},
  pages = {{{i}--{i + 15}}},
  issn = {{1234-5678}},
  doi = {{10.1000/bench.{i}}},
  url = {{https://example.org/articles/{i}%20full}},
  urldate = {{2026-10-01}},
  langid = {{english}},
  keywords = {{rheumatoid arthritis, step therapy}},
  abstract = {{{abstract} 50\\% of patients \\& caregivers.}},
  file = {{/home/clinic/Zotero/storage/ABC{i}/Paper {i}.pdf}},
  evidence-system = {{GRADE}},
  evidence-grade = {{Conditional recommendation, low certainty}},
}}
"""


def make_library(n: int, seed: int = 7) -> str:
    """A Zotero-style .bib text of `n` entries."""
    rng = random.Random(seed)
    head = '@string{aim = "Ann Intern Med"}\n\n'
    return head + "\n".join(_entry(i, rng) for i in range(n))


def main() -> None:
    """Time the floor and the full import on the same text and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=5000, help="number of entries")
    args = parser.parse_args()

    text = make_library(args.n)
    print(f"{args.n} entries, {len(text) / 1e6:.1f} MB ({len(text) / args.n / 1000:.1f} KB each)")

    start = time.perf_counter()
    floor = bibtexparser.parse_string(text)
    floor_s = time.perf_counter() - start

    start = time.perf_counter()
    outcome = import_bibtex(text)
    ours_s = time.perf_counter() - start

    assert len(floor.entries) == len(outcome.parsed.entries) == args.n
    assert not outcome.parsed.failed
    print(f"bibtexparser.parse_string (floor): {floor_s:.2f} s")
    print(f"citations.import_bibtex (full):    {ours_s:.2f} s")
    print(f"ratio ours/floor: {ours_s / floor_s:.2f}")
    print("sample:", outcome.references[outcome.parsed.entries[1].key].text[:160])


if __name__ == "__main__":
    main()
