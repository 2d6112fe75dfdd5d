"""Talk mode's settings: who answers, how turns are heard, which STT and which reply writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from talkshow.ears.settings import TurnSettings

__all__ = ["TalkSettings"]


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
