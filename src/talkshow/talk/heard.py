"""What of a reply the caller heard when they spoke over it.

The show clock says exactly what aired before a cut (``Interruption``). A caller who
hears the show late, a phone caller behind the platform's playout buffer, heard less: the
transport says up to which stream sample they have heard, and the air log turns that into
samples of each turn. The history keeps, and a resumed reply restarts from, the words
that reached the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from talkshow.core.air import AirLog, Interruption
from talkshow.core.turn import PreparedTurn

__all__ = ["heard_by_listener", "split_at"]

Remake = Callable[[PreparedTurn, int, int], PreparedTurn]  # (turn, from sample, from char) -> the rest of it


def heard_by_listener(
    cut: Interruption, parts: Sequence[PreparedTurn], aired: set[int], air_log: AirLog, until_sample: int
) -> Interruption:
    """``cut`` narrowed to a listener who has heard the stream up to ``until_sample``.

    ``aired`` holds the indexes of ``parts`` whose first frame went out. A part the listener
    heard less of than aired is marked as heard that far (0 if none of it reached them).
    """
    heard = dict(cut.heard)
    dropped = {id(t) for t in cut.dropped}
    for part in parts:
        if id(part) in dropped:
            continue
        on_air = heard.get(id(part), len(part.audio) if part.index in aired else None)
        if on_air is None:
            continue  # never aired: nobody heard it
        listener = air_log.heard_of(part, until_sample)
        if listener is not None and listener < on_air:
            heard[id(part)] = listener
    return Interruption(heard=heard, dropped=list(cut.dropped), show_frame=cut.show_frame)


def split_at(
    parts: Sequence[PreparedTurn], aired: set[int], cut: Interruption, remake: Remake
) -> tuple[str, list[PreparedTurn]]:
    """The text heard before ``cut``, and the turns that would carry the reply on from there.

    A part cut inside a word is picked up from the start of that word (``remake``).
    """
    dropped = {id(t) for t in cut.dropped}
    words: list[str] = []
    rest: list[PreparedTurn] = []
    for part in parts:
        if rest or id(part) in dropped or (id(part) not in cut.heard and part.index not in aired):
            rest.append(part)
        elif id(part) in cut.heard and cut.heard[id(part)] < len(part.audio):
            sample, char = part.resume_point(cut.heard[id(part)])
            words.append((part.spoken_text or part.line.text)[:char].strip())
            if sample < len(part.audio):
                rest.append(remake(part, sample, char))
        else:
            words.append((part.spoken_text or part.line.text).strip())
    # Stripped: a part remade after an earlier pause starts at its word's space ("Ah!" then " Yesterday you..."),
    # and the history would read "Ah!  Yesterday" (seed 777001).
    return " ".join(w for w in words if w), rest
