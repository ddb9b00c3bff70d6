from types import SimpleNamespace

import pytest

from app.domain.discussion import mentions

AVERY = SimpleNamespace(name="Avery Demo", email="a.demo@clinic.test")
JORDAN = SimpleNamespace(name="Jordan Lee", email="jlee@clinic.test")
JORDAN_B = SimpleNamespace(name="Jordan Brook", email="jbrook@clinic.test")
TEAM = [AVERY, JORDAN, JORDAN_B]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("@avery can you sign?", [AVERY]),
        ("Thanks @Avery Demo.", [AVERY]),
        ("cc @a.demo, @jlee", [AVERY, JORDAN]),
        ("@Jordan Lee please call the plan", [JORDAN]),
        ("@jordan: both of you", [JORDAN, JORDAN_B]),  # a shared first name reaches both
        ("mail a.demo@clinic.test", []),  # an email address is not a mention
        ("@nobody here", []),
        ("@avery and @avery again", [AVERY]),
    ],
)
def test_mentions(text, named):
    assert mentions(text, TEAM) == named
