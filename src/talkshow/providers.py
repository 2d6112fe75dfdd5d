"""Every built-in provider, by kind and name: the one file to touch when talkshow gains a provider.

Each entry is one line: a name and the import path of what builds it. Other packages add
theirs through entry points in the group ``talkshow.<kind>`` (see ``talkshow.core.registry``).
What each kind's entry is called with:

==============  =====================================================================  ===================
kind            the entry, called as                                                    returns
==============  =====================================================================  ===================
``voice``       ``entry()``                                                             ``VoiceEngine``
``stt``         ``entry(options)``                                                      ``SpeechToText``
``turn_model``  ``entry(options)``                                                      ``TurnJudge``
``writer``      ``entry(options, base_dir, telemetry)``                                 ``Writer``
``reply``       ``entry(options, telemetry)``                                           ``ReplyWriter``
``output``      ``entry(target, options, context: OutputContext)``                      ``Output``
``transport``   ``entry(options, lines: CallLines)``                                    ``CallerTransport``
``moderator``   ``entry(options)``                                                      ``Moderator``
``chat``        ``entry(options, inbox: ChatInbox)``                                    ``ChatSource``
``character``   ``entry()``                                                             ``CharacterFormat``
``persona``     ``entry()``                                                             ``PersonaFormat``
``section``     (not called: the entry is the ``Section`` itself)                        ``Section``
==============  =====================================================================  ===================

``options`` is the provider's own table from the show file (plain data). Importing this
module imports no provider; each registry is typed by its kind's Protocol (``talkshow.core.kinds``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from talkshow.core.registry import Registry

if TYPE_CHECKING:
    from talkshow.core.kinds.character_format import CharacterFormat
    from talkshow.core.kinds.chat import ChatSource
    from talkshow.core.kinds.hearing import SpeechToText
    from talkshow.core.kinds.moderation import Moderator
    from talkshow.core.kinds.output import Output
    from talkshow.core.kinds.persona_format import PersonaFormat
    from talkshow.core.kinds.transport import CallerTransport
    from talkshow.core.kinds.voice import VoiceEngine
    from talkshow.core.kinds.writer import ReplyWriter, Writer
    from talkshow.core.sections import Section
    from talkshow.ears.turn_end import TurnJudge

__all__ = [
    "CHARACTER_FORMATS",
    "CHAT_SOURCES",
    "MODERATORS",
    "OUTPUTS",
    "PERSONA_FORMATS",
    "REPLIES",
    "SECTIONS",
    "STT",
    "TRANSPORTS",
    "TURN_MODELS",
    "VOICES",
    "WRITERS",
]

VOICES: Registry[Callable[[], VoiceEngine]] = Registry(
    "voice",
    {
        "piper": "talkshow.voice.piper:PiperEngine",
        "espeak": "talkshow.voice.espeak:EspeakEngine",
        "openai": "talkshow.voice.openai_speech:OpenAISpeechEngine",
        "elevenlabs": "talkshow.voice.elevenlabs:ElevenLabsEngine",
        "kokoro": "talkshow.voice.kokoro:KokoroEngine",
    },
)

STT: Registry[Callable[..., SpeechToText]] = Registry(
    "stt",
    {
        "pocketsphinx": "talkshow.ears.pocketsphinx_stt:create",
        "openai": "talkshow.ears.openai_stt:create",
        "whisper": "talkshow.ears.whisper_stt:create",
        "faster-whisper": "talkshow.ears.whisper_stt:create",  # its name before Whisper became the default
    },
)

TURN_MODELS: Registry[Callable[..., TurnJudge]] = Registry(
    "turn_model", {"smart-turn": "talkshow.ears.smart_turn:create"}
)

WRITERS: Registry[Callable[..., Writer]] = Registry(
    "writer",
    {
        "improv": "talkshow.writer.improv:create",
        "script": "talkshow.writer.script:create",
        "openai": "talkshow.writer.openai_compat:create",
    },
)

REPLIES: Registry[Callable[..., ReplyWriter]] = Registry(
    "reply",
    {
        "improv": "talkshow.writer.reply:create_improv",
        "openai": "talkshow.writer.reply:create_openai",
        "transcript": "talkshow.writer.transcript_reply:create",
        "hybrid": "talkshow.writer.hybrid_reply:create",
        "tutor": "talkshow.tutor.reply:create",
    },
)

OUTPUTS: Registry[Callable[..., Output]] = Registry(
    "output",
    {
        "rtmp": "talkshow.broadcast.rtmp:create",
        "mp4": "talkshow.broadcast.mp4:create",
    },
)

TRANSPORTS: Registry[Callable[..., CallerTransport]] = Registry(
    "transport",
    {
        "twilio": "talkshow.phone.media_stream:create",
        "audiosocket": "talkshow.phone.audiosocket_server:create",
    },
)

# Moderation's stage 2 (stage 1, the word lists and the classifier, always runs).
MODERATORS: Registry[Callable[..., Moderator]] = Registry(
    "moderator",
    {
        "openai": "talkshow.moderation.openai_moderation:create",
        "judge": "talkshow.moderation.judge:create",
        "onnx": "talkshow.moderation.onnx_classifier:create",
        "meaning": "talkshow.moderation.meaning:create",
    },
)

# Live chat from the platforms (each is [chat.NAME] in a show file).
CHAT_SOURCES: Registry[Callable[..., ChatSource]] = Registry(
    "chat",
    {
        "twitch": "talkshow.chat.twitch_eventsub:create",
        "twitch-irc": "talkshow.chat.twitch_irc:create",
        "youtube": "talkshow.chat.youtube:create",
        "webhook": "talkshow.chat.webhook:create",
    },
)

# Avatar files that `talkshow characters import` reads: a reader has ``name``, ``suffixes`` and
# ``read(path) -> ImportedAvatar`` (talkshow.characters.pngtuber).
CHARACTER_FORMATS: Registry[Callable[[], CharacterFormat]] = Registry(
    "character", {"pngtuber-plus": "talkshow.characters.pngtuber:PngTuberPlusReader"}
)

# Persona files a show file's ``[[cast]]`` names with ``card = "FILE"``: a reader has ``name``,
# ``suffixes`` and ``read(path) -> Persona`` (talkshow.core.kinds.persona_format).
PERSONA_FORMATS: Registry[Callable[[], PersonaFormat]] = Registry(
    "persona", {"character-card": "talkshow.characters.character_card:CharacterCardReader"}
)

# The show file's per-package tables: each package declares its own (talkshow.core.sections).
SECTIONS: Registry[Section[Any]] = Registry(
    "section",
    {
        "talk": "talkshow.talk.settings:SECTION",
        "phone": "talkshow.phone.settings:SECTION",
        "moderation": "talkshow.moderation.settings:SECTION",
        "chat": "talkshow.chat.settings:SECTION",
        "memory": "talkshow.studio.memory_settings:SECTION",
        "tutor": "talkshow.tutor.settings:SECTION",
        "cohost": "talkshow.cohost.settings:SECTION",
    },
)
