"""What the two-factor tests do the way a member would: set up an app, read the codes off the
page, and type the code an authenticator app shows."""

import re
import time

import pyotp
from sqlalchemy import select

from app.domain import totp
from app.extensions import db
from app.models import AuditEvent, TwoFactor, User
from tests.support import PASSWORD, Client

KEY = re.compile(r'id="two-factor-key">([A-Z2-7 ]+)<')
RECOVERY = re.compile(r"<li><code>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})</code></li>")


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def next_code(app, email: str, secret: str) -> str:
    """The code an app shows now, or the next one if now's was used (what a member waiting
    for the next code would type)."""
    with app.app_context():
        row = db.session.get(TwoFactor, user_id(app, email))
        last = row.last_step if row else None
    step = totp.step_at(time.time())
    if last is not None and step <= last:
        step = last + 1
    return pyotp.TOTP(secret).generate_otp(step)


def wrong_code(secret: str) -> str:
    """Six digits that are no code of the window around now."""
    now = totp.step_at(time.time())
    window = {pyotp.TOTP(secret).generate_otp(now + d) for d in range(-2, 4)}
    return next(f"{n:06d}" for n in range(123456, 10**6) if f"{n:06d}" not in window)


def enrol(app, client: Client, email: str) -> tuple[str, list[str]]:
    """Set up two-factor for the signed-in `client`: the key read off the page, and the
    recovery codes shown once."""
    client.get("/account/two-factor/")
    assert client.post("/account/two-factor/setup").status_code == 302
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    secret = KEY.search(page).group(1).replace(" ", "")
    done = client.post("/account/two-factor/confirm", {"code": next_code(app, email, secret)})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = RECOVERY.findall(done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def password_step(client: Client, email: str, next_page: str = ""):
    """The sign-in form posted with the right password: the answer to it."""
    url = "/login" + (f"?next={next_page}" if next_page else "")
    client.get(url)
    return client.post(url, {"email": email, "password": PASSWORD})


def code_step(client: Client, code: str):
    client.get("/account/two-factor/code")
    return client.post("/account/two-factor/code", {"code": code})


def audit_of(app, action: str = "two_factor") -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(AuditEvent.user_id, AuditEvent.team_id, AuditEvent.what)
            .where(AuditEvent.action == action)
            .order_by(AuditEvent.id)
        ).all()
