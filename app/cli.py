"""The `peerbrief` command: set-up and automation, honouring DATABASE_URL."""

import json
import os
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup
from flask_migrate import upgrade
from sqlalchemy import func, select

from app.audit import record
from app.extensions import db
from app.models import ROLES, Case, Membership, Team, User


def main() -> None:
    from app import create_app

    FlaskGroup(create_app=create_app, help="Peerbrief: peer-to-peer and appeal preparation.")(
        prog_name="peerbrief"
    )


def _team(slug: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.slug == slug))
    if team is None:
        raise click.ClickException(f"No team with slug {slug!r}.")
    return team


def private_sqlite(url, instance: Path) -> None:
    """Make a SQLite database file (created empty if new) readable by its owner only, and
    the instance folder holding it 0700: the database is every patient's data."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    if url.database.startswith("file:") or not path.parent.is_dir():
        return
    if path.parent.resolve() == instance.resolve():
        instance.chmod(0o700)
    if not path.exists():
        # Created here, not by SQLite, so it is never readable by others even for a moment;
        # SQLite gives its -wal and -shm files the database file's mode.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists():
            each.chmod(0o600)


def register(app: Flask) -> None:
    from app.library.cli import group as citations_group
    from app.mfa.cli import group as two_factor_group

    app.cli.add_command(citations_group)
    app.cli.add_command(two_factor_group)
    register_export(app)
    register_deadlines(app)
    register_backup(app)

    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the database schema through the migrations. A SQLite file is
        made readable by its owner only (0600), and the instance folder holding it 0700."""
        private_sqlite(db.engine.url, Path(app.instance_path))
        upgrade()
        click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")

    @app.cli.command("create-team")
    @click.argument("slug")
    @click.argument("name")
    def create_team(slug, name):
        """Create a team (a practice or department)."""
        if db.session.scalar(select(Team).where(Team.slug == slug)):
            raise click.ClickException(f"A team {slug!r} exists already.")
        db.session.add(Team(slug=slug, name=name))
        db.session.commit()
        click.echo(f"Team {slug} created.")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--team", "slug", required=True, help="Team slug")
    @click.option("--role", type=click.Choice(ROLES), required=True)
    @click.option("--name", default="", help="Full name (defaults to the email's local part)")
    @click.option("--credentials", default="", help="e.g. MD, DO, NP")
    def create_user(email, slug, role, name, credentials):
        """Create a user, or add an existing one to a team. Password from a prompt or stdin."""
        team = _team(slug)
        email = email.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None:
            if sys.stdin.isatty():
                password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            else:
                password = sys.stdin.readline().rstrip("\n")
            from app.domain.passwords import problem

            if refused := problem(password, email):
                raise click.ClickException(f"Password refused. {refused}")
            user = User(email=email, name=name or email.split("@")[0], credentials=credentials)
            user.set_password(password)
            db.session.add(user)
        if user.role_in(team.id):
            raise click.ClickException(f"{email} is already a member of {slug}.")
        db.session.add(Membership(user=user, team=team, role=role))
        db.session.commit()
        click.echo(f"{email} is {role} in {slug}.")

    @app.cli.command("set-profile")
    @click.argument("email")
    @click.option("--name", default=None, help="Full name, as letters are signed")
    @click.option("--credentials", default=None, help="e.g. MD, FACP")
    @click.option("--specialty", default=None, help="e.g. Pain medicine")
    @click.option("--board-certification", default=None, help="Free text; optional")
    @click.option("--npi", default=None, help="10 digits; checked by its check digit")
    @click.option("--phone", default=None, help="Call-back phone")
    @click.option("--fax", default=None)
    def set_profile(email, **given):
        """Set a user's profile, the lines letters sign with; options not given stay as they are."""
        from app.domain import profile

        user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
        if user is None:
            raise click.ClickException(f"No user {email}.")
        fields = tuple(name for name, value in given.items() if value is not None)
        checked = profile.check(given, fields)
        if checked.errors:
            raise click.ClickException(
                " ".join(f"{profile.LABELS[k]}: {v}" for k, v in checked.errors.items())
            )
        for name, value in checked.values.items():
            setattr(user, name, value)
        user.profile_version += 1  # an open profile form is now out of date
        record("profile", what=f"user {user.id} profile saved")
        db.session.commit()
        click.echo(f"Profile of {user.email} saved.")

    @app.cli.command("demo")
    @click.option("--json", "as_json", is_flag=True, help="Print the team slug and case ids")
    @click.option("--if-empty", is_flag=True, help="Only load into a database with no team yet")
    @click.option(
        "--allow-real-data",
        is_flag=True,
        help="Load even into a production database that holds real teams (not advised)",
    )
    def demo(as_json, if_empty, allow_real_data):
        """Load the synthetic demo team, its logins and cases. Refused in a production
        database that holds real teams: the demo's logins have a published password."""
        from app import demo as demo_data

        if if_empty and db.session.scalar(select(func.count(Team.id))):
            click.echo("The database has teams already: demo data not loaded.")
            return
        real = db.session.scalar(select(func.count(Team.id)).where(Team.synthetic.is_(False)))
        if real and app.config["PRODUCTION"] and not allow_real_data:
            raise click.ClickException(
                f"This database holds {real} real team{'s' if real != 1 else ''}: the demo would "
                f"add logins with a published password ({demo_data.EMAIL}, "
                f"{demo_data.ADMIN_EMAIL}). Load it into a new or development database "
                "(PEERBRIEF_ENV=development), or pass --allow-real-data if you mean it."
            )
        team, cases = demo_data.load()
        if as_json:
            click.echo(json.dumps({"team": team.slug, "cases": [c.id for c in cases]}))
            return
        click.echo(f"Demo team {team.slug!r} with {len(cases)} synthetic cases.")
        click.echo(f"  clinician: {demo_data.EMAIL} / {demo_data.PASSWORD}")
        click.echo(f"  admin:     {demo_data.ADMIN_EMAIL} / {demo_data.PASSWORD}")

    case_group = AppGroup("case", help="Move a case in and out as JSON.")
    app.cli.add_command(case_group)

    @case_group.command("export")
    @click.argument("case_id", type=int)
    def case_export(case_id):
        """Print a case whole as JSON: intake, facts, documents, brief, calls and the BibTeX
        of what it cites (see app/transfer)."""
        from app.models.loading import preload
        from app.transfer import export_case

        case = db.session.get(Case, case_id)
        if case is None:
            raise click.ClickException(f"No case {case_id}.")
        click.echo(json.dumps(export_case(preload(case)), indent=2, ensure_ascii=False))
        record("export", case, "case JSON (command line)")
        db.session.commit()

    @case_group.command("import")
    @click.argument("path", type=click.File("r", encoding="utf-8"))
    @click.option("--team", "slug", required=True, help="Team slug")
    def case_import(path, slug):
        """Create a case in a team from an exported JSON file; prints the new case id, and
        on stderr what else the import did (citations added, a signer not matched)."""
        from app.transfer import FormatError, import_case

        team = _team(slug)
        try:
            imported = import_case(json.load(path), team.id)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"Not JSON: line {exc.lineno}: {exc.msg}.") from None
        except FormatError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
        case = imported.case
        record("create", case, "case imported from JSON (command line)")
        if imported.added_citations:
            n = len(imported.added_citations)
            what = f"{n} citation(s) added to the library from a case import"
            record("import", what=what, team_id=team.id)
        db.session.commit()
        click.echo(case.id)
        if imported.added_citations:
            added = ", ".join(imported.added_citations)
            click.echo(f"Added to the team's library: {added}.", err=True)
        for note in imported.notes:
            click.echo(note, err=True)


def register_export(app: Flask) -> None:
    @app.cli.command("export")
    @click.argument("case_id", type=int)
    @click.option(
        "--kind",
        type=click.Choice(
            ["letter", "points", "patient", "confirmation", "appeal", "external", "packet"]
        ),
        required=True,
    )
    @click.option("--out", type=click.Path(dir_okay=False), required=True)
    @click.option(
        "--call",
        "call_id",
        type=int,
        help="The peer-to-peer call a confirmation or appeal is about (default: the latest logged)",
    )
    @click.option(
        "--acknowledge-warnings",
        is_flag=True,
        help="Export even with readiness warnings (they are recorded with it)",
    )
    @click.option(
        "--deidentify",
        is_flag=True,
        help="With --kind packet: replace the patient's identifiers, for people outside the "
        "treating team; the report of what was replaced goes to stderr, never into the file",
    )
    @click.option(
        "--dates",
        "date_policy",
        type=click.Choice(["shift", "month", "year"]),
        default="shift",
        show_default=True,
        help="With --deidentify: move dates back by one random number of weeks (intervals "
        "hold), or cut them to month and year, or to the year",
    )
    def export(case_id, kind, out, call_id, acknowledge_warnings, deidentify, date_policy):
        """Export a case's letter, talking points, patient summary, case packet, or a letter
        after the peer-to-peer call (confirmation, appeal, external review request) as .docx."""
        from app.services.documents import NotReady, call_of
        from app.services.exports import DEIDENTIFIED, build, keep, packet_docx

        case = db.session.get(Case, case_id)
        if case is None:
            raise click.ClickException(f"No case {case_id}.")
        if kind == "packet":
            docx, report = packet_docx(case, deidentify, date_policy)
            with open(out, "wb") as handle:
                handle.write(docx)
            if deidentify:
                keep(case, DEIDENTIFIED, docx, [], None, " (command line)")
                _print_report(report)
                click.echo(f"de-identified packet written to {out} ({len(report) - 1} replaced)")
            else:
                keep(case, kind, docx, [], None, " (identified, command line)")
                click.echo(f"identified packet written to {out}: for the treating team only")
            return
        if deidentify:
            raise click.ClickException("--deidentify applies to --kind packet only.")
        try:
            call = call_of(case, kind, call_id)
            docx, warnings = build(case, kind, call_id)
        except NotReady as refusal:
            raise click.ClickException(str(refusal)) from None
        for w in warnings:
            click.echo(f"warning: {w.message}", err=True)
        if warnings and not acknowledge_warnings:
            raise click.ClickException(
                f"{len(warnings)} warning(s): fix them, or pass --acknowledge-warnings."
            )
        with open(out, "wb") as handle:
            handle.write(docx)
        how = f" (call {call.id}, command line)" if call else " (command line)"
        keep(case, kind, docx, [w.message for w in warnings], None, how)
        click.echo(f"{kind} written to {out}")


def _print_report(report) -> None:
    """What de-identification replaced, on stderr: for the operator, not for the file."""
    click.echo("De-identification report (for you; none of this is in the file):", err=True)
    for e in report:
        found = f"{e.original!r} -> " if e.original else ""
        click.echo(f"  {e.kind:<22} {e.where:<48} {found}{e.replacement}", err=True)


def register_deadlines(app: Flask) -> None:
    @app.cli.command("deadlines")
    @click.argument("case_id", type=int)
    @click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts")
    @click.option("--all", "show_all", is_flag=True, help="Include the clocks already stopped")
    def deadlines(case_id, as_json, show_all):
        """A case's deadlines, soonest first, with the rule and its source."""
        from app.services.deadlines import for_case

        case = db.session.get(Case, case_id)
        if case is None:
            raise click.ClickException(f"No case {case_id}.")
        found = [d for d in for_case(case) if show_all or not d.done]
        if as_json:
            rows = [
                {"step": d.step, "due": d.due.isoformat(), "rule": d.rule_key, "source": d.source}
                for d in found
            ]
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not found:
            click.echo("No deadline running.")
        for d in found:
            left = f"{-d.days_left} days overdue" if d.days_left < 0 else f"{d.days_left} days left"
            click.echo(f"{d.due:%Y-%m-%d %H:%M}  {d.step}  ({left}; {d.source})")


def register_backup(app: Flask) -> None:
    from app import ROOT
    from app import backup as backups

    def url():
        return db.engine.url

    @app.cli.command("backup")
    @click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Replace OUT if it exists")
    def backup(out, force):
        """Copy the SQLite database to OUT, consistently while the app runs (PostgreSQL: the
        command tells how to use pg_dump). OUT holds patient data: keep it encrypted."""
        try:
            made = backups.backup(url(), out, force)
        except backups.BackupError as exc:
            raise click.ClickException(str(exc)) from None
        record("backup", what="database backup made (command line)")
        db.session.commit()
        click.echo(f"Backed up {backups.sqlite_path(url())} to {out}: {made.describe()}.")
        click.echo("The file holds patient data: keep it encrypted and access-controlled.")

    @app.cli.command("restore")
    @click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Replace the existing database")
    def restore(source, force):
        """Replace the SQLite database with the backup SOURCE, once it is shown to be an intact
        Peerbrief database at the current migration revision. Stop the app first."""
        db.session.remove()
        db.engine.dispose()  # no pooled connection keeps a page of the old database
        try:
            now = backups.restore(url(), source, ROOT / "migrations", force)
        except backups.BackupError as exc:
            raise click.ClickException(str(exc)) from None
        db.engine.dispose()
        record("restore", what=f"database restored from a backup at {now.revision} (command line)")
        db.session.commit()
        click.echo(f"Restored {source} into {backups.sqlite_path(url())}: {now.describe()}.")
