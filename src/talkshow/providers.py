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
``character``   ``entry()``                                                             a reader
==============  =====================================================================  ===================

``options`` is the provider's own table from the show file (plain data). Importing this
module imports no provider.
"""

from __future__ import annotations

from talkshow.core.registry import Registry

__all__ = [
    "CHARACTER_FORMATS",
    "CHAT_SOURCES",
    "MODERATORS",
    "OUTPUTS",
    "REPLIES",
    "STT",
    "TRANSPORTS",
    "TURN_MODELS",
    "VOICES",
    "WRITERS",
]

VOICES = Registry(
    "voice",
    {
        "piper": "talkshow.voice.piper:PiperEngine",
        "espeak": "talkshow.voice.espeak:EspeakEngine",
        "openai": "talkshow.voice.openai_speech:OpenAISpeechEngine",
        "elevenlabs": "talkshow.voice.elevenlabs:ElevenLabsEngine",
        "kokoro": "talkshow.voice.kokoro:KokoroEngine",
    },
)

STT = Registry(
    "stt",
    {
        "pocketsphinx": "talkshow.ears.pocketsphinx_stt:create",
        "openai": "talkshow.ears.openai_stt:create",
        "whisper": "talkshow.ears.whisper_stt:create",
        "faster-whisper": "talkshow.ears.whisper_stt:create",  # its name before Whisper became the default
    },
)

TURN_MODELS = Registry("turn_model", {"smart-turn": "talkshow.ears.smart_turn:create"})

WRITERS = Registry(
    "writer",
    {
        "improv": "talkshow.writer.improv:create",
        "script": "talkshow.writer.script:create",
        "openai": "talkshow.writer.openai_compat:create",
    },
)

REPLIES = Registry(
    "reply",
    {
        "improv": "talkshow.writer.reply:create_improv",
        "openai": "talkshow.writer.reply:create_openai",
    },
)

OUTPUTS = Registry(
    "output",
    {
        "rtmp": "talkshow.broadcast.rtmp:create",
        "mp4": "talkshow.broadcast.mp4:create",
    },
)

TRANSPORTS = Registry(
    "transport",
    {
        "twilio": "talkshow.phone.media_stream:create",
        "audiosocket": "talkshow.phone.audiosocket_server:create",
    },
)

# Moderation's stage 2 (stage 1, the word lists and the classifier, always runs).
MODERATORS = Registry(
    "moderator",
    {
        "openai": "talkshow.moderation.openai_moderation:create",
        "judge": "talkshow.moderation.judge:create",
        "onnx": "talkshow.moderation.onnx_classifier:create",
    },
)

# Live chat from the platforms (each is [chat.NAME] in a show file).
CHAT_SOURCES = Registry(
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
CHARACTER_FORMATS = Registry("character", {"pngtuber-plus": "talkshow.characters.pngtuber:PngTuberPlusReader"})
