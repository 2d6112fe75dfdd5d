"""What a caller who is not on air hears: the busy message, the hold message.

They are spoken once, in the answering character's voice, before the stream's clock
starts (synthesis holds the GIL), and kept as ready 20 ms wire frames for each encoding.
Playing one is only pacing those frames out; it never touches the show.
"""

from __future__ import annotations

import asyncio

import numpy as np

from talkshow.phone.audio import ENCODINGS, FRAME_MS, PhoneAudio
from talkshow.phone.wire import Wire
from talkshow.voice import SpeechService, VoiceSettings

__all__ = ["Prompt", "play", "render_prompt"]

TAIL_S = 0.3  # silence after the words, so a hang-up right after them does not clip the last one


class Prompt:
    """One message as wire frames, per encoding."""

    def __init__(self, text: str, frames: dict[str, list[bytes]]) -> None:
        self.text = text
        self.frames = frames

    @property
    def seconds(self) -> float:
        """How long it plays."""
        return len(next(iter(self.frames.values()), [])) * FRAME_MS / 1000


def render_prompt(speech: SpeechService, voice: VoiceSettings, text: str) -> Prompt:
    """``text`` in ``voice``, as wire frames for every encoding a bridge may use."""
    spoken = speech.speak(voice, text)
    tail = np.zeros(round(TAIL_S * spoken.sample_rate), np.int16)
    samples = np.concatenate([spoken.samples.astype(np.int16), tail])
    frames = {}
    for encoding in ENCODINGS:
        audio = PhoneAudio(encoding, show_rate=spoken.sample_rate)
        frames[encoding] = audio.encode(samples)
    return Prompt(text, frames)


async def play(wire: Wire, frames: list[bytes]) -> None:
    """Send ``frames`` at real time, one every 20 ms (returns when the last has gone)."""
    loop = asyncio.get_running_loop()
    due = loop.time()
    for frame in frames:
        await wire.send_audio(frame)
        due += FRAME_MS / 1000
        await asyncio.sleep(max(0.0, due - loop.time()))
