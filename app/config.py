"""Configuration from the environment, with safe defaults for a single machine."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance / "secret_key"
    if not path.exists():
        # Created 0600, never readable by others even before a chmod.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as key:
            key.write(secrets.token_hex(32))
    return path.read_text().strip()


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'peerbrief.sqlite3'}")
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _production() -> bool:
    """PEERBRIEF_ENV: `production` (the default, so a deployment is safe without it) or
    `development` (plain http on one's own machine)."""
    env = os.environ.get("PEERBRIEF_ENV", "production")
    if env not in ("production", "development"):
        raise ValueError(f"PEERBRIEF_ENV must be production or development, not {env!r}")
    return env == "production"


# The names a request may give as its Host when PEERBRIEF_ALLOWED_HOSTS is not set: this
# machine's own. A server reached by any other name answers 400 until that name is listed,
# so a forged Host never reaches a link, a redirect or a calendar address.
# (Werkzeug compares names without their port, and cannot match a bracketed IPv6 one.)
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def _allowed_hosts() -> list[str]:
    """PEERBRIEF_ALLOWED_HOSTS: host names separated by commas (a leading dot allows every
    subdomain: `.clinic.example`); "*" allows any (only behind a proxy that checks it)."""
    value = os.environ.get("PEERBRIEF_ALLOWED_HOSTS", "")
    names = [n.strip().lower() for n in value.split(",") if n.strip()]
    return names or list(LOOPBACK_HOSTS)


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None or value == "" else value == "1"


def load(app: Flask, overrides: dict | None) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)  # the database and key live here
    idle = int(os.environ.get("PEERBRIEF_IDLE_MINUTES", "15"))
    production = _production()
    # Cookies go over TLS only, in production; Chromium keeps them on http://127.0.0.1 too.
    secure = _flag("PEERBRIEF_SECURE_COOKIES", production)
    app.config.from_mapping(
        SECRET_KEY=_secret_key(instance),
        PRODUCTION=production,  # PEERBRIEF_ENV: e.g. `peerbrief demo` asks before real data
        SQLALCHEMY_DATABASE_URI=_database_url(instance),
        # A database error names the statement, never the values bound to it: they are a
        # patient's data, and the error's text reaches logs and tracebacks.
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "hide_parameters": True},
        IDLE_TIMEOUT=timedelta(minutes=idle),
        # How often an open case asks for teammates' new comments and changes.
        LIVE_POLL_SECONDS=int(os.environ.get("PEERBRIEF_LIVE_POLL_SECONDS", "15")),
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=idle),
        # A save sent after its session ended is kept this long for its user (app/drafts.py).
        DRAFT_LIFETIME=timedelta(minutes=int(os.environ.get("PEERBRIEF_DRAFT_MINUTES", "30"))),
        # However busy, a session ends this long after signing in (server-side: app/sessions.py).
        SESSION_LIFETIME=timedelta(hours=float(os.environ.get("PEERBRIEF_SESSION_HOURS", "12"))),
        SESSION_COOKIE_HTTPONLY=True,
        # Lax, not Strict: a link to a case from an email or a calendar opens it signed in;
        # every form carries a CSRF token besides.
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        # __Host-: a sibling subdomain cannot plant or overwrite the session cookie.
        SESSION_COOKIE_NAME="__Host-session" if secure else "session",
        REMEMBER_COOKIE_DURATION=timedelta(0),
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # Sent on HTTPS responses only (a browser ignores it over http anyway).
        HSTS="max-age=31536000; includeSubDomains" if production else "",
        # How many reverse proxies stand in front: their X-Forwarded-For/-Proto/-Host are
        # believed (the client's address for throttling, https for cookies and HSTS).
        PROXY_HOPS=int(os.environ.get("PEERBRIEF_TRUST_PROXY", "0") or 0),
        # Flask checks the Host (X-Forwarded-Host behind a trusted proxy) against these;
        # security.py answers any other with 400.
        ALLOWED_HOSTS=_allowed_hosts(),
        # Sign-in throttling counts failed attempts (app/signin.py) in the database, which
        # every worker shares; or in the store named here (redis://host:6379, pip install redis).
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=os.environ.get("PEERBRIEF_RATELIMIT_STORAGE_URI", ""),
        LOGIN_LIMIT_PER_ADDRESS=os.environ.get(
            "PEERBRIEF_LOGIN_LIMIT_PER_ADDRESS", "10 per minute"
        ),
        # One address guessing one account: short, and it locks only that guesser.
        LOGIN_LIMIT_PER_PAIR=os.environ.get("PEERBRIEF_LOGIN_LIMIT_PER_PAIR", "5 per 15 minutes"),
        # Every address together, on one account: higher than one address can reach alone.
        LOGIN_LIMIT_PER_ACCOUNT=os.environ.get("PEERBRIEF_LOGIN_LIMIT_PER_ACCOUNT", "30 per hour"),
        # Seals the two-factor secrets in the database; SECRET_KEY when unset. Changing it
        # means every member sets up two-factor again.
        TWO_FACTOR_KEY=os.environ.get("PEERBRIEF_TWO_FACTOR_KEY", ""),
        # A temporary password an admin sets works this long, only to choose one's own.
        TEMPORARY_PASSWORD_TTL=timedelta(hours=24),
        MAX_CONTENT_LENGTH=int(os.environ.get("PEERBRIEF_MAX_UPLOAD_MB", "50")) * 1024 * 1024,
        # DOI and PubMed look-ups identify themselves, as Crossref and NCBI ask.
        LOOKUP_EMAIL=os.environ.get("PEERBRIEF_CONTACT_EMAIL", "peerbrief@localhost"),
        LOOKUP_TIMEOUT=float(os.environ.get("PEERBRIEF_LOOKUP_TIMEOUT", "10")),
        NCBI_API_KEY=os.environ.get("NCBI_API_KEY", ""),
        WTF_CSRF_TIME_LIMIT=None,
        CASES_PER_PAGE=50,
    )
    if overrides:
        app.config.update(overrides)
    hosts = app.config["ALLOWED_HOSTS"]
    app.config["TRUSTED_HOSTS"] = None if "*" in hosts else hosts
