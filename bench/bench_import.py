"""Import speed: bibtexparser's bare parse (the floor) against the full citations import.

Generates N synthetic Zotero-style entries (~2 KB each, with accents, macros and corporate
authors) in memory and times, in the same run:

- floor: ``bibtexparser.parse_string(text)`` with its default middleware, as a user calls it;
- ours: ``citations.import_bibtex`` (parse, macros and ``#``, field-name normalisation, display
  decoding, name splitting, comparison and an AMA reference for every entry).

The two are timed alternately, ``--repeat`` times each, in a fresh state (garbage collected, the
previous result released); the best time of each is reported, as the least disturbed by other
processes on the machine. The goal is a ratio ours/floor of at most 1.3 at 10,000 entries.

Usage: python bench/bench_import.py [N] [--repeat R]   (defaults: 10000 entries, 3 rounds)
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Callable
from typing import TypeVar

import bibtexparser

from citations import ImportOutcome, import_bibtex
from citations.imports import clear_caches

T = TypeVar("T")

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


def _timed(run: Callable[[], T], check: Callable[[T], None]) -> float:
    """Seconds for one call of `run`, started cold (no remembered decodings, collected garbage);
    its result is checked and released before returning, so it never burdens the next run."""
    clear_caches()
    gc.collect()
    start = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - start
    check(result)
    del result
    return elapsed


def main() -> None:
    """Time the floor and the full import on the same text and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=10000, help="number of entries")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best is reported")
    args = parser.parse_args()

    text = make_library(args.n)
    print(f"{args.n} entries, {len(text) / 1e6:.1f} MB ({len(text) / args.n / 1000:.1f} KB each)")

    def check_floor(library: bibtexparser.Library) -> None:
        assert len(library.entries) == args.n

    sample = ""

    def check_ours(outcome: ImportOutcome) -> None:
        nonlocal sample
        assert len(outcome.parsed.entries) == args.n
        assert not outcome.parsed.failed
        sample = outcome.references[outcome.parsed.entries[1].key].text

    floor_times, ours_times = [], []
    for _ in range(max(1, args.repeat)):
        floor_times.append(_timed(lambda: bibtexparser.parse_string(text), check_floor))
        ours_times.append(_timed(lambda: import_bibtex(text), check_ours))

    floor_s, ours_s = min(floor_times), min(ours_times)
    rounds = ", ".join(f"{o / f:.2f}" for f, o in zip(floor_times, ours_times, strict=True))
    for label, seconds in (
        ("bibtexparser.parse_string (floor)", floor_s),
        ("citations.import_bibtex (full)", ours_s),
    ):
        print(f"{label + ':':35} {seconds:.2f} s  ({args.n / seconds:,.0f} entries/s)")
    print(f"ratio ours/floor, best of {len(ours_times)}: {ours_s / floor_s:.2f} (rounds: {rounds})")
    print("sample:", sample[:160])


if __name__ == "__main__":
    main()
