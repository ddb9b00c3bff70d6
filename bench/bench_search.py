"""Library search over 10,000 entries, and saving them: what a clinician feels while typing.

Builds a throwaway SQLite database through the migrations, imports a generated Zotero-style
library of N entries (default 10,000) through the app's import path (parse, compare, format,
store, index), then times search-as-you-type queries as the library page runs them. Prints
the import time against bibtexparser's bare parse of the same text (the floor, same run) and
search latency percentiles. No limits are asserted: read the numbers.

Usage: python bench/bench_search.py [N]
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import bibtexparser

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("SECRET_KEY", "bench")

from bench_import import make_library  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.library import importer, search  # noqa: E402
from app.models import Team  # noqa: E402

QUERIES = [
    "g",
    "gu",
    "gui",
    "guid",
    "guideline",
    "rheum",
    "rheumatoid arth",
    "müller",
    "fraenkel 2021",
    "migraine prev",
    "opioid",
    "2019",
    "headache",
    "arthritis care",
    "low back",
    "zzz",
    "coh",
    "safety outcomes",
    "nakamura",
    "trial",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    text = make_library(n)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3"})
        with app.app_context():
            upgrade()
            team = Team(slug="bench", name="Bench")
            db.session.add(team)
            db.session.commit()

            start = time.perf_counter()
            bibtexparser.parse_string(text)
            floor = time.perf_counter() - start

            start = time.perf_counter()
            report = importer.run(team.id, text)
            ours = time.perf_counter() - start

            timings = []
            for _ in range(5):
                for q in QUERIES:
                    start = time.perf_counter()
                    stmt = search.query(team.id, q).limit(100)
                    rows = db.session.scalars(stmt).all()
                    [r.ama for r in rows]
                    timings.append((time.perf_counter() - start) * 1000)
                    db.session.expire_all()
    print(f"entries: {report['added']} added of {n}")
    print(f"bibtexparser.parse_string (floor):        {floor:6.2f} s")
    print(f"import into the library (parse..store):   {ours:6.2f} s   ratio {ours / floor:.2f}")
    print(f"search, {len(timings)} queries over {n} entries (first 100 rows, AMA loaded):")
    print(
        f"  p50 {statistics.median(timings):.1f} ms   p95 {percentile(timings, 95):.1f} ms   "
        f"max {max(timings):.1f} ms"
    )


if __name__ == "__main__":
    main()
