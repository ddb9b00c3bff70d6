"""Reading a payer's criteria as pasted from a policy: a numbered list becomes rows."""

import re

# "1.", "1)", "(1)", "a.", "(a)", "i.", "ii)", bullets: the ways policies number their criteria.
_ITEM = re.compile(
    r"^\s*(?:\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)]|\((?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})\)"
    r"|[•\-–*·▪])\s+(?P<text>.+)$"
)


def parse_criteria(text: str) -> list[str]:
    """The criteria in pasted policy text, one string each.

    A line that starts with a number, letter or bullet starts a criterion; lines that follow
    without one continue it (policies wrap long criteria), and lines before the first one are
    the policy's preamble ("... when ALL of the following are met:"). Text with no numbering
    at all is taken one non-empty line per criterion.
    """
    items: list[str] = []
    preamble: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _ITEM.match(line)
        if match:
            items.append(match.group("text").strip())
        elif items:
            items[-1] = f"{items[-1]} {line.strip()}"
        else:
            preamble.append(line.strip())
    return [" ".join(i.split()) for i in (items or preamble) if i.strip()]
