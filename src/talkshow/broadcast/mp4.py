"""MP4 output: H.264 (yuv420p, faststart) + AAC at 48 kHz through PyAV.

Encoding runs on its own thread behind a bounded queue; an encoder failure is
captured and re-raised to the producer instead of dying silently.
"""

from __future__ import annotations

import logging
import queue
import threading
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import numpy as np
import numpy.typing as npt

from talkshow.clock import ShowClock
from talkshow.config import VideoSettings
from talkshow.errors import TalkshowError

logger = logging.getLogger(__name__)

__all__ = ["EncoderError", "Mp4Writer"]

_STOP = object()


class EncoderError(TalkshowError):
    """The encoder thread failed; carries the original exception as its cause."""


class Mp4Writer:
    """Encodes raw I420 frames and their audio into an MP4 file."""

    def __init__(self, path: Path, video: VideoSettings, clock: ShowClock, queue_size: int = 48) -> None:
        self.path = path
        self.clock = clock
        self.frames_written = 0
        self.samples_written = 0
        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_size)
        self._error: BaseException | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        self._container = av.open(str(path), mode="w", options={"movflags": "+faststart"})
        vstream = self._container.add_stream("libx264", rate=clock.fps)
        vstream.width, vstream.height = video.width, video.height
        vstream.pix_fmt = "yuv420p"
        vstream.time_base = Fraction(1, clock.fps)
        vstream.options = {
            "preset": video.preset,
            "crf": str(video.crf),
            "g": str(clock.fps),  # a keyframe every second, ready for 1 s segments
            "x264-params": "colorprim=bt709:transfer=bt709:colormatrix=bt709",
        }
        astream = self._container.add_stream("aac", rate=clock.sample_rate, layout="mono")
        astream.time_base = Fraction(1, clock.sample_rate)
        self._video = vstream
        self._audio = astream
        self._thread = threading.Thread(target=self._run, name="mp4-encoder", daemon=True)
        self._thread.start()

    def write(self, i420: npt.NDArray[np.uint8], audio: npt.NDArray[np.int16]) -> None:
        """Queue one frame (copied now) and exactly one frame's worth of audio."""
        if self._error is not None:
            raise EncoderError(f"encoding {self.path} failed: {self._error}") from self._error
        if len(audio) != self.clock.samples_per_frame:
            raise ValueError(f"each frame carries {self.clock.samples_per_frame} samples, got {len(audio)}")
        frame = av.VideoFrame.from_ndarray(i420, format="yuv420p")
        frame.pts = self.frames_written
        sound = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(audio, dtype=np.int16).reshape(1, -1), format="s16", layout="mono"
        )
        sound.sample_rate = self.clock.sample_rate
        sound.pts = self.samples_written
        self.frames_written += 1
        self.samples_written += len(audio)
        self._put((frame, sound))

    def _put(self, item: object) -> None:
        while True:
            if self._error is not None:
                raise EncoderError(f"encoding {self.path} failed: {self._error}") from self._error
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _run(self) -> None:
        try:
            while True:
                item = self._queue.get()
                if item is _STOP:
                    break
                frame, sound = cast(tuple[av.VideoFrame, av.AudioFrame], item)
                for packet in self._video.encode(frame):
                    self._container.mux(packet)
                for packet in self._audio.encode(sound):
                    self._container.mux(packet)
            for packet in self._video.encode(None):
                self._container.mux(packet)
            for packet in self._audio.encode(None):
                self._container.mux(packet)
        except BaseException as exc:  # captured and re-raised to the producer
            self._error = exc
            logger.exception("encoder thread failed")
            while True:  # drain so a blocked producer wakes up and sees the error
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break

    def close(self) -> None:
        """Flush the encoders and finish the file (moov atom moved to the front)."""
        if self._thread.is_alive():
            self._put(_STOP)
            self._thread.join()
        self._container.close()
        if self._error is not None:
            raise EncoderError(f"encoding {self.path} failed: {self._error}") from self._error
