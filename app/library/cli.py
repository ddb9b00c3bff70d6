"""`peerbrief citations ...`: import, show and export a team's library from the shell."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.audit import record
from app.extensions import db
from app.library import importer, store
from app.models import Case, Citation, Team
from citations import to_bibtex

group = AppGroup("citations", help="The team citation library.")

REPORT_KEYS = ("added", "updated", "unchanged", "duplicates", "failed")


def _team(slug: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.slug == slug))
    if team is None:
        raise click.ClickException(f"No team with slug {slug!r}.")
    return team


@group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--team", "slug", required=True, help="Team slug")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON")
@click.option("--update", is_flag=True, help="Apply changed entries (same key, other fields)")
def import_(path, slug, as_json, update):
    """Import a BibTeX file into a team's library."""
    team = _team(slug)
    try:
        text = importer.read_text(path.read_bytes())
    except importer.NotBibTeX as exc:
        raise click.ClickException(str(exc)) from None
    report = importer.run(team.id, text, apply_updates=update)
    # Counts, not the file's name: a name is the operator's words and may name a patient.
    what = f"BibTeX import of {report['added']} new citation(s) (command line)"
    record("import", what=what, team_id=team.id)
    db.session.commit()
    if as_json:
        click.echo(json.dumps({k: report[k] for k in REPORT_KEYS}))
        return
    click.echo(
        f"{report['added']} added, {report['updated']} changed"
        f"{' (applied)' if update else ''}, {report['unchanged']} unchanged."
    )
    for change in report["changes"] if not update else []:
        names = ", ".join(f["name"] for f in change["fields"])
        click.echo(f"  changed, not applied (use --update): {change['key']}: {names}")
    for d in report["duplicates"]:
        click.echo(f"  line {d['line']}: duplicate key {d['key']} (the first was kept)")
    for f in report["failed"]:
        click.echo(f"  line {f['line']}: {f['reason']}")


@group.command("show")
@click.argument("key")
@click.option("--team", "slug", required=True, help="Team slug")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON")
def show(key, slug, as_json):
    """Show one entry: its fields as displayed, authors and AMA reference."""
    team = _team(slug)
    citation = db.session.scalar(
        select(Citation).where(Citation.team_id == team.id, Citation.key == key)
    )
    if citation is None:
        raise click.ClickException(f"No entry {key!r} in {slug}.")
    data = {
        "key": citation.key,
        "type": citation.entry_type,
        "fields": citation.display,
        "authors": citation.authors,
        "ama": citation.ama_text,
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        click.echo(citation.ama_text)


@group.command("export")
@click.option("--team", "slug", required=True, help="Team slug")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--key", "keys", multiple=True, help="Only these keys (repeatable)")
@click.option("--case", "case_id", type=int, help="Only the entries this case cites")
def export(slug, out, keys, case_id):
    """Write the library, chosen keys, or a case's citations as a .bib file."""
    team = _team(slug)
    citations = store.library(team.id, keys)
    if case_id is not None:
        case = db.session.get(Case, case_id)
        if case is None or case.team_id != team.id:
            raise click.ClickException(f"No case {case_id} in {slug}.")
        cited = {link.citation_id for link in case.citations}
        citations = [c for c in citations if c.id in cited]
    out.write_text(to_bibtex([store.entry_of(c) for c in citations]), encoding="utf-8")
    record("export", what=f"BibTeX export of {len(citations)} (command line)", team_id=team.id)
    db.session.commit()
    click.echo(f"{len(citations)} entries written to {out}")
