"""Small helpers every blueprint shares: is this an htmx request, and render page or partial."""

from dataclasses import dataclass

from flask import render_template, request


@dataclass(frozen=True)
class Htmx:
    """What htmx told us about a request (its HX-* headers)."""

    request: bool
    target: str | None
    trigger: str | None
    boosted: bool

    def __bool__(self) -> bool:
        return self.request


def htmx() -> Htmx:
    h = request.headers
    return Htmx(
        request=h.get("HX-Request") == "true",
        target=h.get("HX-Target"),
        trigger=h.get("HX-Trigger"),
        boosted=h.get("HX-Boosted") == "true",
    )


def render(page: str, partial: str, **context):
    """The whole page for a normal request, only the partial it includes for htmx."""
    h = htmx()
    return render_template(partial if h and not h.boosted else page, **context)


def refused(partial: str, target: str, **context):
    """A refused form, sent back (422) in place of `target` with its messages and typed values.

    A save would have replaced something else (a list); the refusal replaces the form itself.
    """
    headers = {"HX-Retarget": target, "HX-Reswap": "outerHTML"}
    return render_template(partial, **context), 422, headers
