"""Answers from orders everyone learns, worked out, not looked up: the day, month or season after or before
another ("what season comes after winter": spring; "what month is before June": May)."""

from __future__ import annotations

import re

from talkshow.knowledge.solvers import Solved

__all__ = ["solve_order"]

_ORDERS = {
    "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "month": tuple("January February March April May June July August September October November December".split()),
    "season": ("spring", "summer", "autumn", "winter"),
}
_OTHER_NAMES = {"fall": "autumn"}
_ASKED = re.compile(
    r"\b(?:what|which) (?:(day|month|season) )?(?:(?:comes?|is|falls?) )?(?:right |just )?(after|before) (\w+)\b"
    r"|\bthe (day|month|season) (after|before) (\w+)\b"
)


def solve_order(heard: str) -> Solved | None:
    """The day, month or season next to the one named, or None if ``heard`` does not ask for one."""
    text = " ".join(re.sub(r"[^a-z ]", " ", heard.lower()).split())
    match = _ASKED.search(text)
    if match is None:
        return None
    kind, way, named = (match.group(1), match.group(2), match.group(3)) if match.group(2) else match.group(4, 5, 6)
    named = _OTHER_NAMES.get(named, named)
    for order_kind, order in _ORDERS.items():
        names = [n.lower() for n in order]
        if named in names and kind in (None, order_kind):
            step = 1 if way == "after" else -1
            found = order[(names.index(named) + step) % len(order)]
            said = order[names.index(named)]
            return Solved(order_kind, found, f"{found} comes {way} {said}", "the calendar")
    return None
