"""What a caller who is not on air hears: the busy message, the hold message.

They are spoken once, in the answering character's voice, before the stream's clock
starts (synthesis holds the GIL), and kept as ready 20 ms wire frames for each encoding.
Playing one is only pacing those frames out; it never touches the show.
"""

from __future__ import annotations

import asyncio

import numpy as np
import numpy.typing as npt

from talkshow.core.cast import VoiceSettings
from talkshow.phone.audio import ENCODINGS, FRAME_MS, PHONE_RATE, PhoneAudio
from talkshow.phone.wire import Wire
from talkshow.voice.service import SpeechService

__all__ = ["Prompt", "play", "render_prompt"]

TAIL_S = 0.3  # silence after the words, so a hang-up right after them does not clip the last one


class Prompt:
    """One message, spoken once; as wire frames for each encoding and rate (made once per line format)."""

    def __init__(self, text: str, samples: npt.NDArray[np.int16], sample_rate: int) -> None:
        self.text = text
        self.samples, self.sample_rate = samples, sample_rate
        self._frames: dict[tuple[str, int], list[bytes]] = {}

    def frames(self, encoding: str, wire_rate: int = PHONE_RATE) -> list[bytes]:
        """The message as 20 ms frames for a line carrying ``encoding`` at ``wire_rate``."""
        key = (encoding, wire_rate)
        if key not in self._frames:
            self._frames[key] = PhoneAudio(encoding, self.sample_rate, wire_rate).encode(self.samples)
        return self._frames[key]

    @property
    def seconds(self) -> float:
        """How long it plays."""
        return len(self.samples) / self.sample_rate


def render_prompt(speech: SpeechService, voice: VoiceSettings, text: str) -> Prompt:
    """``text`` in ``voice``, ready as wire frames for both phone bridges' formats."""
    spoken = speech.speak(voice, text)
    tail = np.zeros(round(TAIL_S * spoken.sample_rate), np.int16)
    prompt = Prompt(text, np.concatenate([spoken.samples.astype(np.int16), tail]), spoken.sample_rate)
    for encoding in ENCODINGS:  # the phone network's formats now, before the clock; others on first use
        prompt.frames(encoding)
    return prompt


async def play(wire: Wire, frames: list[bytes]) -> None:
    """Send ``frames`` at real time, one every 20 ms (returns when the last has gone)."""
    loop = asyncio.get_running_loop()
    due = loop.time()
    for frame in frames:
        await wire.send_audio(frame)
        due += FRAME_MS / 1000
        await asyncio.sleep(max(0.0, due - loop.time()))
