"""Kokoro (82M) from model files the user supplies, on onnxruntime. Nothing is downloaded.

``options.model`` is the ``.onnx`` file, ``options.voices`` the voice-style archive
(``voices-v1.0.bin``, an ``.npz`` of one (510, 1, 256) style table per voice) and
``options.config`` the ``config.json`` whose ``vocab`` maps IPA symbols to token ids.
The same espeak-ng IPA as Piper feeds it. Kokoro's graph does not expose phoneme
times cleanly, so lip sync aligns its audio against the text (pocketsphinx).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import UnknownVoiceError, VoiceError
from talkshow.core.kinds.voice import Speech, VoiceInfo, join_speech
from talkshow.voice.espeak_ipa import ipa_clauses, sentences

__all__ = ["KokoroEngine", "KokoroModel", "KokoroVoice"]

SAMPLE_RATE = 24_000
MAX_TOKENS = 510


class KokoroModel:
    """A loaded Kokoro model, its style tables and its vocabulary."""

    def __init__(self, model: Path, voices: Path, config: Path, threads: int = 1) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise VoiceError("Kokoro needs onnxruntime: pip install 'talkshow'") from exc
        try:
            self.vocab: dict[str, int] = {str(k): int(v) for k, v in json.loads(config.read_text())["vocab"].items()}
            with np.load(voices, allow_pickle=False) as archive:
                self.styles: dict[str, npt.NDArray[np.float32]] = {
                    name: np.asarray(archive[name], np.float32) for name in archive.files
                }
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise VoiceError(f"cannot read Kokoro files {voices} / {config}: {type(exc).__name__}: {exc}") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        try:
            self.session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise VoiceError(f"onnxruntime cannot load the Kokoro model {model}: {exc}") from exc
        names = {i.name for i in self.session.get_inputs()}
        token_input = next((n for n in ("tokens", "input_ids") if n in names), None)
        if token_input is None or not {"style", "speed"} <= names:
            raise VoiceError(
                f"{model} lacks Kokoro's inputs (tokens or input_ids, style, speed); it has {sorted(names)}"
            )
        self.token_input = token_input

    def run(self, ipa: str, voice: str, speed: float) -> npt.NDArray[np.float32]:
        """Audio for ``ipa`` in style ``voice``."""
        tokens = [self.vocab[c] for c in ipa if c in self.vocab][: MAX_TOKENS - 2]
        table = self.styles[voice]
        style = table[min(len(tokens), len(table) - 1)].reshape(1, -1)
        feed: dict[str, Any] = {
            self.token_input: np.array([[0, *tokens, 0]], np.int64),
            "style": style.astype(np.float32),
            "speed": np.array([speed], np.float32),
        }
        try:
            audio = self.session.run(None, feed)[0]
        except Exception as exc:
            raise VoiceError(f"Kokoro model failed: {exc}") from exc
        return np.asarray(audio, np.float32).reshape(-1)


class KokoroEngine:
    """Kokoro voices from user-supplied files (``options.model``, ``options.voices``, ``options.config``)."""

    name = "kokoro"

    def __init__(self) -> None:
        self._models: dict[tuple[str, str, str], KokoroModel] = {}
        self._lock = threading.Lock()

    def list_voices(self) -> list[VoiceInfo]:
        """Kokoro's voices live in the user's voices file (``af_heart``, ``am_adam``...)."""
        return [VoiceInfo(self.name, "<voice in options.voices>", "en-us", "needs Kokoro model files you supply")]

    def status(self) -> str:
        """Kokoro is configured per character; the engine itself needs only onnxruntime."""
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            return "onnxruntime is missing: pip install 'talkshow'"
        return ""

    def version(self) -> str:
        """onnxruntime's version (the model files are part of the options, hence the cache key)."""
        import onnxruntime

        return f"onnxruntime-{onnxruntime.__version__}"

    def voice(self, settings: VoiceSettings) -> KokoroVoice:
        """A voice for ``settings``; raises UnknownVoiceError when a file or the voice is missing."""
        paths = tuple(str(settings.options.get(k, "")) for k in ("model", "voices", "config"))
        missing = [
            k for k, p in zip(("model", "voices", "config"), paths, strict=True) if not p or not Path(p).is_file()
        ]
        if missing:
            raise UnknownVoiceError(self.name, settings.voice, f"options {', '.join(missing)} must name existing files")
        key = (paths[0], paths[1], paths[2])
        with self._lock:
            if key not in self._models:
                self._models[key] = KokoroModel(Path(paths[0]), Path(paths[1]), Path(paths[2]))
            model = self._models[key]
        if settings.voice not in model.styles:
            raise UnknownVoiceError(self.name, settings.voice, f"voices: {', '.join(sorted(model.styles)[:12])}")
        return KokoroVoice(model, settings)


class KokoroVoice:
    """One character's Kokoro voice, sentence by sentence."""

    def __init__(self, model: KokoroModel, settings: VoiceSettings) -> None:
        self.model = model
        self.settings = settings
        self.speed = settings.rate / 175
        self.language = str(settings.options.get("language", "en-us"))

    def synthesize(self, text: str) -> Speech:
        """The whole line."""
        return join_speech(list(self.stream(text)), text)

    def stream(self, text: str) -> Iterator[Speech]:
        """Each sentence as soon as it is synthesized."""
        groups = sentences(ipa_clauses(text, self.language))
        if not groups:
            raise VoiceError(f"espeak-ng found nothing to pronounce in {text[:40]!r}")
        for number, group in enumerate(groups):
            start = group[0].char_start if number else 0
            end = group[-1].char_end if number + 1 < len(groups) else len(text)
            ipa = " ".join(c.ipa + c.terminator for c in group)
            audio = self.model.run(ipa, self.settings.voice, self.speed)
            samples = np.clip(audio * 32767, -32768, 32767).astype(np.int16)
            yield Speech(samples, SAMPLE_RATE, text[start:end])
