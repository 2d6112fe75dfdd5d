"""The chat desk's settings (``[chat]`` in a show file; each source is ``[chat.NAME]``): plain data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from talkshow.core.sections import Section, SectionReader
from talkshow.providers import CHAT_SOURCES

__all__ = ["SECTION", "ChatSettings", "parse_chat_table", "read_chat_section"]


@dataclass(frozen=True)
class ChatSettings:
    """Which chats are read, what commands do, and how often chat gets on air."""

    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # provider name -> its options
    prefix: str = "!"
    ask_command: str = "ask"  # !ask <character> <question>
    topic_command: str = "topic"  # !topic <suggestion>; the same suggestion from others counts as votes
    answer_every_s: float = 20.0  # at most one chat answer per this many seconds ...
    answer_every_turns: int = 2  # ... and per this many show lines aired (0: no limit by lines)
    user_cooldown_s: float = 60.0  # a viewer's next question counts only after this
    user_burst: int = 5  # messages a viewer may send in ``user_burst_s`` before the rest are dropped (flood)
    user_burst_s: float = 10.0
    max_chars: int = 300  # a longer message is cut (on screen and in the prompt)
    max_pending: int = 50  # questions waiting; past this the lowest-ranked goes
    question_max_age_s: float = 300.0  # a question not answered by then is stale
    topic_every_s: float = 120.0  # the most-voted suggestion joins the studio's queue this often (0: never)
    card_extra_s: float = 2.0  # the question card stays this long after the answer's audio


Fail = Callable[[str, str], Exception]
_NUMBERS = {  # key -> (lowest, highest)
    "answer_every_s": (0.0, 3600.0), "answer_every_turns": (0, 100), "user_cooldown_s": (0.0, 86_400.0),
    "user_burst": (1, 1000), "user_burst_s": (1.0, 3600.0), "max_chars": (20, 500), "max_pending": (1, 10_000),
    "question_max_age_s": (5.0, 86_400.0), "topic_every_s": (0.0, 86_400.0), "card_extra_s": (0.0, 60.0),
}  # fmt: skip
_TEXTS = ("prefix", "ask_command", "topic_command")
_SECRETS = {"token", "client_id", "client_secret", "api_key", "password", "secret", "oauth"}


def read_chat_section(data: dict[str, Any], reader: SectionReader) -> ChatSettings:
    """``[chat]`` from a show file: the table checked and each ``[chat.NAME]`` a registered source."""

    def known(name: str) -> None:
        reader.check_provider(CHAT_SOURCES, name, "chat source", name)

    return parse_chat_table(data, known, reader.fail)


def parse_chat_table(data: dict[str, Any], known_sources: Callable[[str], None], fail: Fail) -> ChatSettings:
    """``[chat]``: sub-tables are sources (``known_sources(name)`` raises for an unknown one), the rest settings."""
    values: dict[str, Any] = {}
    sources: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            known_sources(key)
            secret = next((k for k in value if k in _SECRETS), None)
            if secret is not None:
                raise fail(f"chat.{key} {secret}: credentials do not go in a show file (it gets shared); "
                           f"name a variable with {secret}_env or a file with {secret}_file", secret)  # fmt: skip
            if value.get("enabled", True) is not False:
                sources[key] = {k: v for k, v in value.items() if k != "enabled"}
        elif key in _NUMBERS:
            low, high = _NUMBERS[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                raise fail(f"chat {key} must be a number from {low:g} to {high:g}, got {value!r}", key)
            values[key] = type(low)(value)
        elif key in _TEXTS:
            if not isinstance(value, str) or not value.strip() or len(value) > 20 or " " in value.strip():
                raise fail(f"chat {key} must be one short word, got {value!r}", key)
            values[key] = value.strip()
        else:
            choices = ", ".join(sorted((*_NUMBERS, *_TEXTS)))
            raise fail(f"unknown key {key!r} in [chat] (settings: {choices}; a source is a [chat.NAME] table)", key)
    return ChatSettings(sources=sources, **values)


SECTION = Section("chat", ChatSettings, read_chat_section)
