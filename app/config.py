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
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'peerbrief.sqlite3'}")
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load(app: Flask, overrides: dict | None) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    idle = int(os.environ.get("PEERBRIEF_IDLE_MINUTES", "15"))
    app.config.from_mapping(
        SECRET_KEY=_secret_key(instance),
        SQLALCHEMY_DATABASE_URI=_database_url(instance),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        IDLE_TIMEOUT=timedelta(minutes=idle),
        # How often an open case asks for teammates' new comments and changes.
        LIVE_POLL_SECONDS=int(os.environ.get("PEERBRIEF_LIVE_POLL_SECONDS", "15")),
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=idle),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("PEERBRIEF_SECURE_COOKIES", "0") == "1",
        REMEMBER_COOKIE_DURATION=timedelta(0),
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
