"""A bounded load test: simulated clinicians against gunicorn on loopback (`make load`).

For each database (SQLite always; PostgreSQL too when PEERBRIEF_PG_URL is set, in a throwaway
database made beside the one it names and dropped afterwards):

1. a throwaway database, migrated, with the synthetic demo team and, on top of it, one
   clinician per simulated user with a case of their own, and background cases, every case
   with FACTS facts (all patients invented);
2. `gunicorn wsgi:app` on 127.0.0.1 (a free port), WORKERS processes of THREADS threads;
3. locust, headless: USERS clinicians (bench/load/locustfile.py) for SECONDS seconds, then it
   stops by itself;
4. the figures per request kind and overall: requests, errors, throughput, p50/p95/p99 (ms).

Exits 1 when any request failed (the goal is none). Traffic goes to 127.0.0.1 only.

Usage: python bench/load/run.py [--users 50] [--seconds 60] [--workers 3] [--threads 4]
       [--background 200] [--facts 30] [--wait 2,10] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
# The longest the sign-ins may take before the run is cut short (they queue behind each other).
SIGN_IN_BOUND = 300
PASSWORD = "load-test-password"  # synthetic users of a throwaway database
# The server's settings: plain http on loopback, and no sign-in throttling of 50 sign-ins from
# one address (the throttle has its own tests).
SERVER_ENV = {
    "SECRET_KEY": "load-test-secret-key",
    "PEERBRIEF_ENV": "development",
    "PEERBRIEF_SECURE_COOKIES": "0",
    "PEERBRIEF_IDLE_MINUTES": "60",
    "PEERBRIEF_LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
    "PEERBRIEF_LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
}


def seed(url: str, users: int, background: int, facts: int) -> dict:
    """Migrate the database at `url` and fill it; returns the plan the locustfile reads."""
    os.environ.update(SERVER_ENV)
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from app import create_app, demo
    from app.extensions import db
    from app.models import Fact, Membership, User
    from app.transfer import export_case, import_case

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        team, demo_cases = demo.load()
        templates = [export_case(c) for c in demo_cases]
        # A cheap hash: the test is about the pages, not about 50 scrypt sign-ins at once.
        hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        clinicians = []
        for i in range(1, users + 1):
            user = User(
                email=f"load{i:02}@peerbrief.test",
                name=f"Load Clinician {i:02} (synthetic)",
                credentials="MD",
                password_hash=hashed,
            )
            db.session.add_all([user, Membership(user=user, team=team, role="clinician")])
            clinicians.append(user)
        rng = random.Random(7)
        cases = []
        for i in range(users + background):
            case = import_case(templates[i % len(templates)], team.id)
            case.clinician = clinicians[i % len(clinicians)]
            for n in range(len(case.facts), facts):
                case.facts.append(_fact(Fact, n, rng))
            db.session.add(case)
            cases.append(case)
        db.session.commit()
        own = zip(clinicians, cases[:users], strict=True)
        plan = {
            "password": PASSWORD,
            "users": [{"email": u.email, "case": c.id} for u, c in own],
            "cases": [c.id for c in cases[users:]] + [c.id for c in demo_cases],
        }
        counts = {
            "cases": len(cases) + len(demo_cases),
            "facts": db.session.query(Fact).count(),
        }
        db.engine.dispose()
    print(f"  seeded: {counts['cases']} cases, {counts['facts']} facts, {users} clinicians")
    return plan


def _fact(Fact, n: int, rng: random.Random):
    year = rng.choice(["2024", "2025", "2026"])
    if n % 3 == 0:
        return Fact(
            kind="prior_treatment",
            position=n + 1,
            therapy=rng.choice(["Methotrexate", "Sulfasalazine", "Physical therapy", "Naproxen"]),
            dose="per label",
            start_date=f"{year}-01",
            stop_date=f"{year}-06",
            outcome=rng.choice(["ineffective", "intolerant", "partial"]),
        )
    if n % 3 == 1:
        return Fact(
            kind="finding",
            position=n + 1,
            finding_type=rng.choice(["exam", "lab", "imaging"]),
            text=f"Synthetic finding {n}: swelling of the wrists and MCP joints.",
            fact_date=f"{year}-0{rng.randint(1, 9)}",
        )
    return Fact(
        kind="history",
        position=n + 1,
        text=f"Synthetic history {n}: morning stiffness over an hour, worse on waking.",
        fact_date=f"{year}-0{rng.randint(1, 9)}",
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(url: str, workers: int, threads: int, keep_alive: int, log: Path):
    """gunicorn serving the app on a free loopback port; stopped on the way out."""
    port = free_port()
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": url}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        # Longer than a clinician's pause, as a browser's connection stays open: else the server
        # closes an idle connection just as the client reuses it, and the client (unlike a
        # browser) does not retry.
        "--keep-alive",
        str(keep_alive),
        "--error-logfile",
        str(log),
        "wsgi:app",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not start; see {log}") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def swarm(host: str, plan: Path, args, out: Path) -> int:
    """Run locust headless until it stops by itself; its CSV files go to `out`*."""
    env = {
        **os.environ,
        "PEERBRIEF_LOAD_PLAN": str(plan),
        "PEERBRIEF_LOAD_WAIT": args.wait,
        "PEERBRIEF_LOAD_SECONDS": str(args.seconds),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        # The locustfile measures SECONDS from the moment every clinician is signed in, and
        # stops the run then; this is the outer bound if the sign-ins never all succeed.
        "--run-time",
        f"{args.seconds + SIGN_IN_BOUND}s",
        "--stop-timeout",
        "10",
        "--host",
        host,
        "--csv",
        str(out),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    # Bounded twice: locust stops itself after --run-time; this is the guard if it does not.
    with open(f"{out}-locust.log", "w") as log:
        done = subprocess.run(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=args.seconds + SIGN_IN_BOUND + 60,
        )
    said = Path(f"{out}-locust.log").read_text()
    if done.returncode not in (0, 1):  # 1: some requests failed, which the figures show
        print(said[-3000:])
        raise SystemExit(f"locust failed ({done.returncode})")
    for line in said.splitlines():
        if "signed in after" in line:
            print(f"  {line.strip()}")
    if "CPU usage" in said:  # the figures include the client's own wait for a core
        print("  note: locust warned that its own CPU use was high; the machine is shared")
    return done.returncode


def report(label: str, out: Path, seconds: int) -> int:
    """Print the figures from locust's CSV; returns the number of failed requests."""
    with open(f"{out}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(f"\n== {label}")
    print(f"{'request':<34}{'count':>7}{'errors':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}")
    for r in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        if r["Request Count"] == "0":  # the sign-ins: before the measured period
            continue
        name = "ALL" if r["Name"] == "Aggregated" else r["Name"]
        print(
            f"{name[:33]:<34}{r['Request Count']:>7}{r['Failure Count']:>8}"
            f"{float(r['Requests/s']):>8.1f}{r['50%']:>7}{r['95%']:>7}{r['99%']:>7}"
        )
    errors = int(total["Failure Count"])
    print(
        f"{label}: {total['Request Count']} requests in {seconds} s, "
        f"{float(total['Requests/s']):.1f} req/s; p50 {total['50%']} ms, p95 {total['95%']} ms, "
        f"p99 {total['99%']} ms; errors {errors} (goal 0)"
    )
    if errors:
        with open(f"{out}_failures.csv", newline="") as handle:
            for r in csv.DictReader(handle):
                print(f"  error x{r['Occurrences']}: {r['Method']} {r['Name']}: {r['Error']}")
    return errors


@contextmanager
def postgres_database(base_url: str):
    """A new database on the server of `base_url`, dropped afterwards; yields its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"peerbrief_load_{os.getpid()}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def one(label: str, url: str, args, work: Path) -> int:
    print(f"== {label}: seeding")
    plan = seed(url, args.users, args.background, args.facts)
    plan_file = work / f"{label}-plan.json"
    plan_file.write_text(json.dumps(plan))
    log = work / f"{label}-gunicorn.log"
    keep_alive = math.ceil(max(float(s) for s in args.wait.split(","))) + 5
    with server(url, args.workers, args.threads, keep_alive, log) as host:
        print(
            f"  gunicorn at {host}: {args.workers} workers x {args.threads} threads; "
            f"{args.users} clinicians sign in, then {args.seconds} s are measured"
        )
        swarm(host, plan_file, args, work / label)
    errors = report(label, work / label, args.seconds)
    if errors:  # the work folder goes away: show what the server said
        print("  the server's log, last lines:")
        for line in log.read_text(errors="replace").splitlines()[-30:]:
            print(f"    {line}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--background", type=int, default=200, help="cases besides the users'")
    parser.add_argument("--facts", type=int, default=30, help="facts per case")
    parser.add_argument("--wait", default="2,10", help="think time between clicks: min,max s")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()

    pg_url = os.environ.get("PEERBRIEF_PG_URL")
    errors = 0
    with tempfile.TemporaryDirectory(prefix="peerbrief-load-") as tmp:
        work = Path(tmp)
        if args.only != "postgresql":
            url = f"sqlite:///{work / 'load.sqlite3'}"
            errors += one("sqlite", url, args, work)
        if args.only != "sqlite" and pg_url:
            with postgres_database(pg_url) as url:
                errors += one("postgresql", url, args, work)
        elif args.only == "postgresql":
            raise SystemExit("Set PEERBRIEF_PG_URL to a PostgreSQL server to test on it.")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
