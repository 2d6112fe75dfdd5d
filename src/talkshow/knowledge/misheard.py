"""What a question heard a little wrong was likely to be: the small words the ears swap for others that sound alike.

Whisper hears a quick, flat "is" as "in" and "of" as "on" ("In a tomato fruit?", "What is half on twenty?"):
the content words are right and the question's shape is lost. These are the swaps seen on the dev question set
said by espeak in noise; each gives one more reading, which the knowledge stage answers only if it is a question it
knows (as the ears' own other readings are), so a caller who said exactly what was heard is still answered that.
"""

from __future__ import annotations

import re

__all__ = ["sound_alikes"]

# (what was heard, what may have been said): one swap at a time, then all that apply together
_SWAPS = (
    (re.compile(r"^(?:in|it's|its|i'm|it is)(?= (?:a|an|the) )", re.IGNORECASE), "Is"),  # "In a tomato fruit"
    (re.compile(r"^in(?= [a-z]+ [a-z]+\W*$)", re.IGNORECASE), "Is"),  # "In iron metal."
    (re.compile(r"^what in\b", re.IGNORECASE), "What is"),  # "What in a parrot?"
    (re.compile(r"\bon\b(?= (?:a |an |the )?[a-z]+\W*$)", re.IGNORECASE), "of"),  # "the opposite on hard"
    # "Two penguins live at the North Pole."
    (re.compile(r"^two(?= [a-z]+s (?:live|eat|have|like|fly|swim|lay|make)\b)", re.IGNORECASE), "Do"),
)


def sound_alikes(heard: str) -> tuple[str, ...]:
    """Other questions ``heard`` may have been, each with one sound-alike small word put back (then all of them)."""
    found: list[str] = []
    together = heard
    for pattern, said in _SWAPS:
        if pattern.search(heard):
            found.append(pattern.sub(said, heard, count=1))
            together = pattern.sub(said, together, count=1)
    if len(found) > 1:
        found.append(together)
    return tuple(dict.fromkeys(f for f in found if f != heard))
