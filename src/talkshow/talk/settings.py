"""Talk mode's settings: who answers, how turns are heard, which STT and which reply writer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from talkshow.core.sections import Section, SectionReader
from talkshow.ears.settings import TurnSettings
from talkshow.providers import REPLIES, STT, TURN_MODELS

__all__ = ["SECTION", "TalkSettings", "read_talk_section"]


def _talk_turns() -> TurnSettings:
    # A conversation answers sooner than a dictation. The silence is counted from Silero's
    # end of speech, which trails the voice by a median 108 ms (46-150 over the bench's 18
    # caller clips), so 350 ms here is ~460 ms of real silence before the turn ends.
    return TurnSettings(end_silence_ms=350.0, max_utterance_s=20.0)


@dataclass(frozen=True)
class TalkSettings:
    """How a person talks with a character (``[talk]`` in a show file)."""

    character: str = ""  # the cast id that answers; "" = the first cast member
    caller_name: str = "Caller"  # on the caller's caption card
    turns: TurnSettings = field(default_factory=_talk_turns)
    turn_model: str = ""  # "smart-turn": Smart Turn v3 judges, at each pause, whether the caller has finished
    stt: str = "whisper"  # Whisper base, embedded; "pocketsphinx" (light); "openai" (any /v1/audio/transcriptions)
    stt_options: dict[str, Any] = field(default_factory=dict)  # model_dir, threads, window_s ... or model, base_url
    reply: str = ""  # "improv", "openai", or "" = the show's writer kind (openai if it is; else improv)
    reply_options: dict[str, Any] = field(default_factory=dict)  # model, base_url, ... (default: the writer's)
    barge_in_grace_ms: float = 150.0  # a reply cannot be cut in its first ms on air (the echo canceller settles)
    reply_timeout_s: float = 8.0  # no sentence for this long: the reply ends (a fallback line if none aired)
    peer_timeout_s: float = 10.0  # a peer gone this long ends the call; the show resumes
    max_call_s: float = 1800.0
    # The turn is over but the words are not transcribed yet: the character says "Ha!" or "Oh! Um." at once.
    acknowledge: bool = True
    mix_caller: bool = False  # the caller's voice in the broadcast; off by default (privacy), the operator's call
    knowledge: bool = True  # questions of fact answered from the knowledge base first (docs/brain.md)
    # A caller who talks over a reply hears the sentence on air end first (a tutor's correction is never
    # left half said); off: the reply stops at the next frame (a host gives way at once).
    finish_sentence: bool = False


_NUMBERS = {  # [talk] key -> (lowest, highest)
    "start_threshold": (0.05, 0.95),
    "end_threshold": (0.05, 0.95),
    "min_speech_ms": (64, 2000),
    "end_silence_ms": (100, 3000),
    "max_utterance_s": (2, 120),
    "complete_threshold": (0.05, 0.95),
    "incomplete_silence_ms": (300, 5000),
    "barge_in_grace_ms": (0, 2000),
    "reply_timeout_s": (1, 60),
    "peer_timeout_s": (2, 120),
    "max_call_s": (10, 86400),
}
_TURN_KEYS = {"start_threshold", "end_threshold", "min_speech_ms", "end_silence_ms", "max_utterance_s",
              "complete_threshold", "incomplete_silence_ms"}  # fmt: skip
_CHOICES = {"character", "caller_name", "stt", "reply", "stt_options", "reply_options", "mix_caller", "turn_model",
            "acknowledge", "knowledge", "finish_sentence"}  # fmt: skip


def read_talk_section(data: dict[str, Any], reader: SectionReader) -> TalkSettings:
    """``[talk]`` from a show file, every value checked and every provider it names registered."""
    for key in data:
        if key not in _CHOICES and key not in _NUMBERS:
            hint = ", ".join(sorted(_CHOICES | set(_NUMBERS)))
            raise reader.fail(f"unknown key {key!r} in [talk] (expected one of: {hint})", key)
    numbers: dict[str, float] = {}
    for key, (low, high) in _NUMBERS.items():
        if key in data:
            numbers[key] = float(reader.value(data, key, (int, float), 0))
            if not low <= numbers[key] <= high:
                raise reader.fail(f"talk {key} must be between {low:g} and {high:g}, got {numbers[key]:g}", key)
    d = TalkSettings()
    talk = TalkSettings(
        character=str(reader.value(data, "character", str, "")),
        caller_name=str(reader.value(data, "caller_name", str, d.caller_name))[:40],
        turns=replace(d.turns, **{k: v for k, v in numbers.items() if k in _TURN_KEYS}),
        stt=str(reader.value(data, "stt", str, d.stt)),
        stt_options=dict(reader.value(data, "stt_options", dict, {})),
        reply=str(reader.value(data, "reply", str, d.reply)),
        reply_options=dict(reader.value(data, "reply_options", dict, {})),
        mix_caller=bool(reader.value(data, "mix_caller", bool, False)),
        acknowledge=bool(reader.value(data, "acknowledge", bool, True)),
        knowledge=bool(reader.value(data, "knowledge", bool, True)),
        finish_sentence=bool(reader.value(data, "finish_sentence", bool, False)),
        turn_model=str(reader.value(data, "turn_model", str, "")),
    )
    timing: dict[str, Any] = {k: v for k, v in numbers.items() if k not in _TURN_KEYS}
    talk = replace(talk, **timing)
    if talk.character and talk.character not in reader.cast_ids:
        raise reader.fail(f"talk character {talk.character!r} is not in the cast", "character")
    reader.check_provider(STT, talk.stt, "talk stt", "stt")
    if talk.turn_model:
        reader.check_provider(TURN_MODELS, talk.turn_model, "talk turn_model", "turn_model")
    if talk.reply:
        reader.check_provider(REPLIES, talk.reply, "talk reply", "reply")
    return talk


SECTION = Section("talk", TalkSettings, read_talk_section)
