"""What the caller told the character in this call, and the questions that ask it back.

"My name is Sam" ... "What's my name?": the answer is in the call, not in any knowledge base.
Each statement a caller makes in a known shape fills a slot (their name, where they call from,
what their cat is called, how many kids they have); a question about one is answered from it,
or not at all: a slot never heard is no answer, and the rules or a model take the question.
"""

from __future__ import annotations

import re

from talkshow.knowledge.english import a_or_an, plural
from talkshow.knowledge.numbers import number_from_words, spoken

__all__ = ["recall"]

_COLOURS = "red|orange|yellow|green|blue|purple|pink|brown|black|white|gray|grey|silver|gold"
_NUMBER = (
    r"(?:\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[ -](?:one|two|three|four|five|six|seven|"
    r"eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen)"
)
# (pattern, slot): the slot may name a group ("colour:{thing}"); the value is the group ``v``.
_STATEMENTS: tuple[tuple[str, str], ...] = (
    (r"\bmy name is (?P<v>[a-z]+)", "name"),
    (r"\b(?:call me|i'm called|i am called) (?P<v>[a-z]+)", "name"),
    (r"\bmy (?P<thing>[a-z]+) is (?:called|named) (?P<v>[a-z]+)", "called:{thing}"),
    (rf"\bi (?:drive|have|own|got|bought) an? (?P<v>{_COLOURS}) (?P<thing>[a-z]+)", "colour:{thing}"),
    (rf"\bmy (?P<thing>[a-z]+) is (?P<v>{_COLOURS})\b", "colour:{thing}"),
    (r"\bi'?m calling from (?P<v>[a-z ]+)|\bi'?m from (?P<w>[a-z ]+)|\bi live in (?P<x>[a-z ]+)", "from"),
    (r"\bi work (?:as|at|in) (?P<v>[a-z ]+)", "work"),
    (rf"\bi'?m (?P<v>{_NUMBER}) years old|\bi (?:just )?turned (?P<w>{_NUMBER})", "age"),
    (r"\bi play (?:the )?(?P<v>[a-z]+)", "play"),
    (r"\bmy favou?rite (?P<thing>[a-z]+) is (?:the |a |an )?(?P<v>[a-z ]+)", "like:{thing}"),
    (r"\bi (?:had|ate) (?P<v>[a-z ]+?) for (?:breakfast|lunch|dinner)", "ate"),
    (rf"\bi have (?P<v>{_NUMBER}) (?P<thing>[a-z]+)", "count"),
)
_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (r"\bwhat(?: is|'s) my name\b|\bwho am i\b", "name", "Your name is {v}"),
    (r"\bwhat(?: is|'s) my (?P<thing>[a-z]+) (?:called|named)\b", "called:{thing}", "Your {thing} is called {v}"),
    (r"\bwhat colou?r is my (?P<thing>[a-z]+)", "colour:{thing}", "Your {thing} is {v}"),
    (
        r"\bwhere (?:am i|i'?m) calling from\b|\bwhere am i from\b|\bwhere do i live\b",
        "from",
        "You're calling from {v}",
    ),
    (r"\bwhere do (?:you think )?i work\b|\bwhat(?: is|'s) my job\b|\bwhat do i do\b", "work", "You work as {v}"),
    (r"\bhow old (?:am i|did i (?:just )?turn)\b", "age", "You just turned {v}"),
    (r"\bwhat (?:instrument )?do i play\b", "play", "You play the {v}"),
    (
        r"\bwhat (?P<thing>[a-z]+) did i say i (?:like|love)\b|\bwhat(?: is|'s) my favou?rite (?P<other>[a-z]+)",
        "like:{thing}",
        "Your favourite {thing} is {v}",
    ),
    (r"\bwhat did i (?:eat|have)\b", "ate", "You had {v}"),
)


def _heard(lines: tuple[str, ...]) -> dict[str, str]:
    slots: dict[str, str] = {}
    for line in lines:
        said = " ".join(re.sub(r"[^a-z0-9' -]", " ", line.lower()).split())
        for pattern, slot in _STATEMENTS:
            for match in re.finditer(pattern, said):
                groups = {k: v for k, v in match.groupdict().items() if v}
                value = groups.get("v") or groups.get("w") or groups.get("x") or ""
                thing = groups.get("thing", "")
                slots[slot.format(thing=thing)] = f"{value} {thing}" if slot == "count" else value.strip()
    return slots


def recall(heard: str, before: tuple[str, ...]) -> tuple[str, str] | None:
    """(answer, sentence) for a question about what the caller said earlier in the call, or None."""
    asked = " ".join(re.sub(r"[^a-z0-9' -]", " ", heard.lower()).split())
    slots = _heard(before)
    if not slots:
        return None
    more = re.search(rf"\bif i (?:had|got) (?P<n>{_NUMBER}) more\b", asked)
    if more and "count" in slots:
        number, thing = slots["count"].split(" ", 1)
        total = (number_from_words([number]) or 0) + (number_from_words([more.group("n")]) or 0)
        said = spoken(total)
        return said, f"{said.capitalize()} {plural(thing) if total != 1 else thing}"
    for pattern, slot, sentence in _QUESTIONS:
        match = re.search(pattern, asked)
        if not match:
            continue
        thing = next((v for k, v in match.groupdict().items() if v and k in ("thing", "other")), "")
        value = slots.get(slot.format(thing=thing))
        if value:
            said = value.title() if slot in ("name", "from") or slot.startswith("called") else value
            if slot == "work" and not re.match(r"^(?:a|an|the) ", said):
                said = f"{a_or_an(said)} {said}"
            return value, sentence.format(v=said, thing=thing)
    return None
