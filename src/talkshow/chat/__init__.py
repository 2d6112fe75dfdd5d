"""Live chat steers the show: chat source -> desk -> moderation -> the cast's answers, on air.

Sources are providers of kind ``chat`` (``twitch`` over EventSub, ``twitch-irc``
anonymous, ``youtube`` polling within its quota, ``webhook`` for any bot); each hands the
``ChatDesk`` normalized ``ChatMessage``s and ``ChatRemoval``s. The ``ChatHost`` airs the
best question at the pace ``ChatSettings`` allows; the ``ChatBooth`` builds them all.
"""

from typing import TYPE_CHECKING

from talkshow._lazy import lazy_exports

if TYPE_CHECKING:  # imported on first use: the settings module stays light
    from talkshow.chat.booth import ChatBooth
    from talkshow.chat.desk import ChatDesk, Question
    from talkshow.chat.host import ChatHost
    from talkshow.chat.settings import ChatSettings
    from talkshow.chat.types import ChatInbox, ChatMessage, ChatRemoval, ChatSource

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ChatBooth": "booth",
        "ChatDesk": "desk",
        "Question": "desk",
        "ChatHost": "host",
        "ChatSettings": "settings",
        "ChatInbox": "types",
        "ChatMessage": "types",
        "ChatRemoval": "types",
        "ChatSource": "types",
    },
)

__all__ = [
    "ChatBooth",
    "ChatDesk",
    "ChatHost",
    "ChatInbox",
    "ChatMessage",
    "ChatRemoval",
    "ChatSettings",
    "ChatSource",
    "Question",
]
