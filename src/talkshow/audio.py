"""Audio decoding and resampling through PyAV (libswresample).

Speech is resampled exactly once, from the engine's native rate to the show's rate.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from talkshow.core.errors import TalkshowError

__all__ = ["AudioDecodeError", "AudioTooLongError", "decode_audio", "resample", "wav_bytes"]

Int16Array = npt.NDArray[np.int16]
MIN_RATE, MAX_RATE = 4_000, 384_000  # sample rates real audio uses; anything else is a damaged header


class AudioDecodeError(TalkshowError):
    """An audio file or upload is not decodable audio."""


class AudioTooLongError(AudioDecodeError):
    """The audio decodes but runs longer than allowed."""


def resample(samples: Int16Array, src_rate: int, dst_rate: int) -> Int16Array:
    """Mono int16 ``samples`` converted from ``src_rate`` to ``dst_rate``."""
    if src_rate == dst_rate or len(samples) == 0:
        return samples.astype(np.int16, copy=True)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=dst_rate)
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples, dtype=np.int16).reshape(1, -1), format="s16", layout="mono"
    )
    frame.sample_rate = src_rate
    parts: list[Int16Array] = [np.asarray(f.to_ndarray(), np.int16).reshape(-1) for f in resampler.resample(frame)]
    parts += [np.asarray(f.to_ndarray(), np.int16).reshape(-1) for f in resampler.resample(None)]
    out = np.concatenate(parts) if parts else np.zeros(0, np.int16)
    # Keep the exact expected length so timings in seconds stay valid.
    expected = round(len(samples) * dst_rate / src_rate)
    if len(out) < expected:
        out = np.concatenate([out, np.zeros(expected - len(out), np.int16)])
    return out[:expected].astype(np.int16, copy=False)


def _decode_pcm_wav(data: bytes, rate: int, max_seconds: float | None) -> Int16Array | None:
    """16-bit PCM WAV straight from its bytes (microseconds, where probing with FFmpeg takes ~20 ms).

    None for any other WAV (float, 24-bit, compressed...): FFmpeg decodes those.
    """
    import io
    import wave

    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            if wav.getsampwidth() != 2 or wav.getcomptype() != "NONE":
                return None
            channels, source_rate, count = wav.getnchannels(), wav.getframerate(), wav.getnframes()
            if not MIN_RATE <= source_rate <= MAX_RATE:
                raise AudioDecodeError(f"upload: a sample rate of {source_rate} Hz is not audio")
            if max_seconds is not None and count > max_seconds * source_rate:
                raise AudioTooLongError(f"upload: longer than {max_seconds:g} s")
            raw = wav.readframes(count)
    except AudioDecodeError:
        raise
    except Exception:  # the wave module raises many things on a damaged header: FFmpeg gets a try
        return None
    usable = len(raw) // (2 * channels) * (2 * channels)  # a truncated file may end mid-sample
    samples = np.frombuffer(raw[:usable], "<i2")
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1).astype(np.int16)
    if len(samples) == 0:
        raise AudioDecodeError("upload: contains no audio samples")
    return resample(samples, source_rate, rate)


def decode_audio(source: Path | str | bytes, rate: int, max_seconds: float | None = None) -> Int16Array:
    """Decode any audio PyAV understands (WAV, MP3, OGG...) to mono int16 at ``rate``."""
    import io

    if isinstance(source, bytes) and source[:4] == b"RIFF" and source[8:12] == b"WAVE":
        samples = _decode_pcm_wav(source, rate, max_seconds)
        if samples is not None:
            return samples
    handle: str | io.BytesIO = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    label = "upload" if isinstance(source, bytes) else str(source)
    try:
        container = av.open(handle, mode="r")
    except (av.error.FFmpegError, OSError, MemoryError, ValueError) as exc:
        raise AudioDecodeError(f"{label}: not a readable audio file ({exc})") from exc
    try:
        if not container.streams.audio:
            raise AudioDecodeError(f"{label}: contains no audio stream")
        stream = container.streams.audio[0]
        if not MIN_RATE <= (stream.sample_rate or 0) <= MAX_RATE:
            raise AudioDecodeError(f"{label}: a sample rate of {stream.sample_rate} Hz is not audio")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        parts: list[Int16Array] = []
        total = 0
        limit = None if max_seconds is None else int(max_seconds * rate)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    parts.append(np.asarray(out.to_ndarray(), np.int16).reshape(-1))
                    total += len(parts[-1])
                if limit is not None and total > limit:
                    raise AudioTooLongError(f"{label}: longer than {max_seconds:g} s")
            for out in resampler.resample(None):
                parts.append(np.asarray(out.to_ndarray(), np.int16).reshape(-1))
        except AudioTooLongError:
            raise
        except (av.error.FFmpegError, MemoryError, ValueError, RuntimeError) as exc:  # damaged headers or data
            raise AudioDecodeError(f"{label}: corrupt audio ({type(exc).__name__}: {exc})") from exc
    finally:
        container.close()
    if not parts:
        raise AudioDecodeError(f"{label}: decoded to no samples")
    return np.concatenate(parts).astype(np.int16, copy=False)


def wav_bytes(samples: Int16Array, rate: int) -> bytes:
    """Mono int16 ``samples`` as a 16-bit PCM WAV file in memory."""
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.ascontiguousarray(samples, np.int16).tobytes())
    return buffer.getvalue()
