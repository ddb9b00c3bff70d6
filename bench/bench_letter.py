"""The medical-necessity letter with 40 references: our .docx against python-docx's plain one.

Builds scenario 1 of the letter tests with 37 further cited sentences (40 references in all)
and times, in the same run:

- floor: python-docx writing the same content plainly: a ``Document()``, the headings as
  ``add_heading``, the sentences as plain paragraphs with the same superscript runs, the
  treatments as a table with the same rows, the same reference lines, saved to memory;
- ours: ``app.render.letter.render_letter`` (widths, keep-together, styles, hanging indents,
  metadata, the stable zip), without a letterhead and with the fixtures' clinic letterhead.

Each is run once to warm up, then ``--repeat`` times, alternating, with garbage collected before
every run; the best time of each is reported. The goal is ours at most 1.5x the floor.
No limits are asserted: read the numbers.

Usage: python bench/bench_letter.py [--repeat R] [--references N]   (defaults: 7 rounds, 40)
"""

from __future__ import annotations

import argparse
import gc
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

from docx import Document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain.letter import Letter  # noqa: E402
from app.render.letter import SALUTATION, TREATMENT_HEADER, render_letter, superscript  # noqa: E402
from tests.render.fixtures.letters import letterhead_docx, scenario_letter  # noqa: E402

GOAL = 1.5


def plain_docx(letter: Letter) -> bytes:
    """The letter's content written with python-docx's plainest calls: the floor."""
    doc = Document()
    doc.add_paragraph(letter.date.isoformat())
    for line in letter.addressee:
        doc.add_paragraph(line)
    for label, value in letter.re_block:
        doc.add_paragraph(f"{label}: {value}")
    doc.add_paragraph(SALUTATION)
    for section in letter.sections:
        if section.heading:
            doc.add_heading(section.heading, level=2)
        for paragraph in section.paragraphs:
            p = doc.add_paragraph()
            for sentence in paragraph.sentences:
                p.add_run(f" {sentence.text}")
                if sentence.refs:
                    p.add_run(superscript(sentence.refs)).font.superscript = True
        if section.key == "treatments":
            table = doc.add_table(rows=1, cols=len(TREATMENT_HEADER))
            for cell, text in zip(table.rows[0].cells, TREATMENT_HEADER, strict=True):
                cell.text = text
            for row in letter.treatments:
                values = (row.therapy, row.dose, row.dates, row.outcome, row.reason)
                for cell, text in zip(table.add_row().cells, values, strict=True):
                    cell.text = text
    doc.add_heading("Enclosures", level=2)
    for n, item in enumerate(letter.enclosures, start=1):
        doc.add_paragraph(f"{n}. {item}")
    doc.add_paragraph("Sincerely,")
    for signer in letter.signers:
        doc.add_paragraph(f"{signer.name}, {signer.credentials}")
        doc.add_paragraph(f"NPI: {signer.npi}")
        doc.add_paragraph(signer.specialty)
    doc.add_heading("References", level=2)
    for reference in letter.references:
        p = doc.add_paragraph(f"{reference.number}.\t")
        for text, italic in reference.runs:
            run = p.add_run(text)
            if italic:
                run.italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _timed(run: Callable[[], bytes]) -> float:
    gc.collect()
    start = time.perf_counter()
    data = run()
    elapsed = time.perf_counter() - start
    assert data.startswith(b"PK")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds; the best is reported")
    parser.add_argument("--references", type=int, default=40, help="references in the letter")
    args = parser.parse_args()

    letter = scenario_letter(extra_references=max(0, args.references - 3))
    letterhead = letterhead_docx()
    sentences = sum(len(p.sentences) for p in letter.paragraphs())
    print(
        f"letter: {len(letter.references)} references, {sentences} sentences, "
        f"{len(letter.treatments)} treatment rows; letterhead {len(letterhead) / 1000:.1f} KB"
    )

    runs: dict[str, Callable[[], bytes]] = {
        "floor": lambda: plain_docx(letter),
        "plain": lambda: render_letter(letter),
        "letterhead": lambda: render_letter(letter, letterhead),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for run in runs.values():
        run()  # warm-up: imports, templates, caches
    for _ in range(max(1, args.repeat)):
        for name, run in runs.items():
            times[name].append(_timed(run))

    best = {name: min(values) for name, values in times.items()}
    floor = best["floor"]
    print(f"best of {args.repeat} after a warm-up (goal: ours <= {GOAL}x the floor):")
    for name, label in (
        ("floor", "python-docx, plain (floor)"),
        ("plain", "render_letter, no letterhead"),
        ("letterhead", "render_letter, with letterhead"),
    ):
        ratio = "" if name == "floor" else f"   ratio {best[name] / floor:.2f}"
        print(f"  {label + ':':33} {best[name] * 1000:7.1f} ms per letter{ratio}")


if __name__ == "__main__":
    main()
