"""The team's discussion of a case: who a comment mentions, and what is new to a member.

A mention is "@" and a member's first name, full name, or the part of their email before
the "@" ("@avery", "@Avery Demo", "@a.demo"), in any case. A name two members share
mentions both: better a note too many than a colleague who never sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_AT = re.compile(r"(?<![\w@.])@([\w.'-]+(?:\s+[\w.'-]+)?)")


def _handles(member: Any) -> set[str]:
    name = " ".join(member.name.lower().split())
    handles = {name, member.email.split("@")[0].lower()}
    if name:
        handles.add(name.split(" ")[0])
    return {h for h in handles if h}


def mentions(text: str, members: Iterable[Any]) -> list[Any]:
    """The members `text` mentions, in the order they are first named; each member once.

    `members` have `.name` and `.email`. "@avery demo" is tried as a full name before
    "@avery" as a first name, so a two-word mention never needs quoting.
    """
    members = list(members)
    found: list[Any] = []
    for match in _AT.finditer(text):
        words = match.group(1).rstrip(".,;:!?'-").lower().split()
        for candidate in (" ".join(words), words[0]) if len(words) > 1 else (words[0],):
            named = [m for m in members if candidate in _handles(m)]
            if named:
                found += [m for m in named if m not in found]
                break
    return found
