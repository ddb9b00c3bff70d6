"""What a case needs next: the open to-dos that the case list and workspace show."""

from dataclasses import dataclass
from typing import Any

from app.domain.vocabulary import category

_BY_STATUS = {
    "draft": "Prepare the brief and request the P2P",
    "p2p_scheduled": "Hold the P2P call",
    "p2p_done": "Record the outcome and confirm it in writing",
    "appeal": "File the written appeal",
    "external_review": "Follow the external review",
    "approved": "None: approved",
    "upheld": "Consider external review or legal help",
    "closed": "None: closed",
}


@dataclass(frozen=True)
class Todo:
    text: str
    why: str = ""


def todos(case: Any, fact_kinds: list[str]) -> list[Todo]:
    """The open to-dos of a case, most pressing first; the first is the case's next action.

    A missing written reason comes first (seed 000: "request the 'why' in writing").
    """
    found: list[Todo] = []
    if case.denial_reason_missing:
        found.append(
            Todo(
                "Request the denial reason in writing",
                "The reason decides the answer: a funding or administrative denial is argued "
                "differently from a clinical one.",
            )
        )
    if case.status in ("approved", "closed"):
        return found
    if not fact_kinds:
        found.append(Todo("Add the clinical facts", "History, prior treatments, scores."))
    elif case.denial_category == "step_therapy" and "prior_treatment" not in fact_kinds:
        found.append(
            Todo(
                "Record each prior treatment",
                category("step_therapy").answer,
            )
        )
    found.append(Todo(_BY_STATUS.get(case.status, "")))
    return found


def next_action(case: Any, fact_kinds: list[str]) -> str:
    """The single next step shown in the case list ("None: approved" once a case is done)."""
    found = todos(case, fact_kinds)
    return found[0].text if found else _BY_STATUS.get(case.status, "")
