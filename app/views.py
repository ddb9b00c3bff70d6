"""What every page shares: template helpers, the front door and the error pages."""

from datetime import date

from flask import Flask, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from markupsafe import Markup

from app.domain import dates, facts, outcomes, readiness, vocabulary
from app.domain.arguments import CLAIM_KINDS
from app.web import IdConverter, htmx
from citations import AmaReference

# Where each readiness warning is fixed (`readiness.WHERE`): the page, and the part of it.
FIXED_ON = {
    "intake": ("cases.edit", ""),
    "facts": ("cases.show", "facts"),
    "documents": ("cases.show", "documents"),
    "claims": ("cases.show", "evidence"),
    "criteria": ("brief.show", "criteria"),
    "ask": ("brief.show", "framing"),
    "letter": ("brief.show", "letter"),
    "call": ("calls.show", ""),
}


def fix_url(where: str, case) -> str:
    """The address of the page (and the part of it) where a warning is fixed."""
    key, _, anchor = where.partition("#")
    if key == "profile":
        return url_for("profile.edit")
    endpoint, part = FIXED_ON.get(key, ("cases.show", ""))
    return url_for(endpoint, case_id=case.id, _anchor=anchor or part or None)


def init_app(app: Flask) -> None:
    # Before any blueprint's rules are made: an id too large for the database is no page.
    app.url_map.converters["int"] = IdConverter
    app.add_url_rule("/", "index", lambda: redirect(url_for("cases.index")))
    app.jinja_env.filters["day"] = dates.show
    app.jinja_env.filters["score"] = outcomes.fmt
    # A stored AMA reference as HTML: its text escaped, the journal in <i>.
    app.jinja_env.filters["ama"] = lambda runs: Markup(AmaReference.from_json(runs).html())  # nosec B704  # html() escapes every run
    app.jinja_env.globals.update(
        fix_url=fix_url,
        where_names=readiness.WHERE,
        vocabulary=vocabulary,
        claim_kinds=CLAIM_KINDS,
        label=vocabulary.label,
        fact_summary=facts.summary,
        fact_kind=facts.kind,
        FACT_KINDS=facts.FACT_KINDS,
    )

    @app.context_processor
    def team_context():
        from flask_login import current_user

        from app.services.teams import current_team

        if not current_user.is_authenticated:
            return {}
        team = current_team()
        role = current_user.role_in(team.id) if team else None
        return {"team": team, "role": role, "today": date.today()}

    def error_page(status: int, title: str, message: str):
        if htmx():
            return render_template("partials/error.html", title=title, message=message), status
        return render_template("error.html", title=title, message=message), status

    @app.errorhandler(404)
    def not_found(_):
        return error_page(404, "Not found", "There is no such page, or it belongs to another team.")

    @app.errorhandler(403)
    def forbidden(_):
        return error_page(403, "Not allowed", "Your role in this team does not allow that.")

    @app.errorhandler(CSRFError)
    def csrf_failed(_):
        return error_page(
            400,
            "The form expired",
            "This form was open too long or came from elsewhere. Reload the page and try again: "
            "nothing was saved.",
        )

    @app.errorhandler(413)
    def too_large(_):
        limit = app.config["MAX_CONTENT_LENGTH"]
        if (request.content_length or 0) <= limit:
            # The request fits, but one text field of a multipart form is over Flask's limit.
            field = app.config["MAX_FORM_MEMORY_SIZE"] // 1000
            return error_page(
                413,
                "Too large",
                f"A field of this form holds more than {field} KB of text: shorten it and "
                "try again. Nothing was saved.",
            )
        size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 2**10} KB"
        return error_page(413, "Too large", f"Uploads are limited to {size}: nothing was saved.")

    @app.before_request
    def refuse_nul():
        # No field, file name, query or URL has a use for NUL, and PostgreSQL can neither store
        # nor compare one: say so, save nothing. Every value of a repeated field counts.
        sent = [
            *(request.view_args or {}).values(),
            *(value for _, value in request.args.items(multi=True)),
            *(value for _, value in request.form.items(multi=True)),
            *(upload.filename or "" for _, upload in request.files.items(multi=True)),
        ]
        if any(isinstance(v, str) and "\x00" in v for v in sent):
            return error_page(
                400,
                "Not saved",
                "A field contains a character that cannot be "
                "stored (NUL). Remove it and try again.",
            )
        return None

    @app.after_request
    def vary_on_htmx(response):
        # A page and its fragment share a URL: caches must keep them apart.
        if request.headers.get("HX-Request"):
            response.vary.add("HX-Request")
        return response
