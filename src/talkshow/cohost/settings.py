"""The show file's ``[cohost]`` table: a character that co-hosts a streamer's stream.

    [cohost]
    character = "duke"        # who co-hosts (a cast id); "" = talk mode's character
    debate = false            # true: the character also runs shows from the queue, as a show does

In co-host mode the show runs no topic of its own unless asked (an operator's or agent's start,
or ``debate = true``); the streamer is on the line for as long as they stream (the talk page or a
phone line, up to 12 hours a call), and the character answers them as in talk mode: quiet while
they talk, stopped when they talk over it. It also answers chat between the streamer's turns, and
reacts to moments pushed by the studio API or MCP (``POST /api/react``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from talkshow.chat.settings import ChatSettings
from talkshow.config import ShowConfig
from talkshow.core.errors import InputError
from talkshow.core.sections import Section, SectionReader
from talkshow.talk.settings import TalkSettings

__all__ = ["SECTION", "STREAM_CALL_S", "CohostSettings", "cohost_show", "read_cohost_section"]

STREAM_CALL_S = 43_200.0  # a streamer's call lasts a stream: 12 hours, not a caller's half hour
_KEYS = {"character", "debate"}


@dataclass(frozen=True)
class CohostSettings:
    """How the character co-hosts (``[cohost]``); ``enabled`` is whether the show file has the table."""

    enabled: bool = False
    character: str = ""
    debate: bool = False


def read_cohost_section(data: dict[str, Any], reader: SectionReader) -> CohostSettings:
    """``[cohost]`` from a show file, every value checked."""
    for key in data:
        if key not in _KEYS:
            raise reader.fail(f"unknown key {key!r} in [cohost] (expected one of: {', '.join(sorted(_KEYS))})", key)
    character = str(reader.value(data, "character", str, ""))
    return CohostSettings(True, character, bool(reader.value(data, "debate", bool, False)))


SECTION = Section("cohost", CohostSettings, read_cohost_section)


def cohost_show(config: ShowConfig) -> ShowConfig:
    """``config`` (a ShowConfig) made ready to co-host, if it has a ``[cohost]`` table (unchanged otherwise):
    the co-host answers the line, a call lasts a stream, and chat is answered between the streamer's turns
    rather than per show line (a co-host's show airs none of its own)."""
    cohost = config.section(CohostSettings)
    if not cohost.enabled:
        return config
    talk = config.section(TalkSettings)
    character = cohost.character or talk.character
    if character and character not in {m.id for m in config.cast}:
        raise InputError(f"[cohost] character {character!r} is not in the cast")
    talk = replace(talk, character=character, max_call_s=max(talk.max_call_s, STREAM_CALL_S))
    chat = replace(config.section(ChatSettings), answer_every_turns=0)
    return config.with_sections(talk, chat)
