"""Peerbrief: prepare a peer-to-peer review and a medical-necessity appeal in minutes."""

import gc
from pathlib import Path

from flask import Flask

from app import config
from app.extensions import csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application; `test_config` overrides configuration for tests."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    config.load(app, test_config)
    if hops := app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)

    from app import (
        auth,
        brief,
        calendar,
        calls,
        cases,
        conferences,
        dashboard,
        deadlines,
        discussion,
        documents,
        drafts,
        facts,
        invitations,
        profile,
        rebuttals,
        security,
        sessions,
        teams,
        views,
    )
    from app.library import links as library_links
    from app.library import views as library
    from app.mfa import views as mfa

    db.init_app(app)
    app.session_interface = sessions.SessionStore()  # signed-in sessions live in the database
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    security.init_app(app)  # before CSRF: a signed-out request is sent to sign in first
    drafts.init_app(app)  # a form kept across an automatic sign-out, shown once
    csrf.init_app(app)
    views.init_app(app)
    for blueprint in (
        auth.bp,
        profile.bp,
        cases.bp,
        facts.bp,
        teams.bp,
        invitations.bp,
        library.bp,
        library_links.bp,
        brief.bp,
        documents.bp,
        rebuttals.bp,
        calls.bp,
        deadlines.bp,
        calendar.bp,
        dashboard.bp,
        conferences.bp,
        discussion.bp,
        discussion.mine,
        mfa.bp,
    ):
        app.register_blueprint(blueprint)
    from app.services import rebuttals as _seeds  # noqa: F401  (seeds a new team's bank)
    from app.services.cosign import settle

    app.after_request(settle)  # a change to a case withdraws stale co-signatures

    from app.cli import register

    register(app)
    return app


def tune_collector() -> None:
    """Set Python's garbage collector for a server process, once the app is loaded.

    What is loaded by now lives as long as the process: frozen, it is kept out of the
    collector's full passes. A page makes tens of thousands of short-lived objects; a young
    pass every 20,000 allocations rather than 700 lets fewer of them outlive a pass into the
    older generations, whose passes stop a request for several milliseconds now and then.
    """
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)
