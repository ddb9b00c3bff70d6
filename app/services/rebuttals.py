"""The team's rebuttal bank: seeded from the defaults when the team is made, read by the
bank's page, the talking points and a case's import."""

from sqlalchemy import event, insert, select

from app.domain import rebuttals as defaults
from app.extensions import db
from app.models import Rebuttal, Team


def default_rows(team_id: int) -> list[dict]:
    """The default rebuttals as rows of a team's bank."""
    return [
        {
            "team_id": team_id,
            "category": r.category,
            "objection": r.objection,
            "rebuttal": r.rebuttal,
            "position": position,
            "needs": list(r.needs),
        }
        for position, r in enumerate(defaults.DEFAULT_REBUTTALS)
    ]


@event.listens_for(Team, "after_insert")
def _seed_bank(_mapper, connection, team: Team) -> None:
    """A new team's bank starts as a copy of the defaults, in the transaction that makes the
    team, however it is made (the command line, the demo, a test)."""
    connection.execute(insert(Rebuttal.__table__), default_rows(team.id))


def bank(team_id: int, denial_category: str) -> list[Rebuttal]:
    """The team's rebuttals for a category."""
    return list(
        db.session.scalars(
            select(Rebuttal)
            .where(Rebuttal.team_id == team_id, Rebuttal.category == denial_category)
            .order_by(Rebuttal.position, Rebuttal.id)
        )
    )
