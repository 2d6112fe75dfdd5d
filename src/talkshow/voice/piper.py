"""Piper neural voices on onnxruntime: the embedded default, and any Piper voice file.

Text becomes IPA with the project's libespeak-ng, IPA becomes ids through the voice's
``phoneme_id_map``, and the model returns audio plus each id's duration, so phoneme
and word times are the model's own. A line is voiced sentence by sentence, and each
sentence is handed on as soon as it exists (``stream``). A long sentence is voiced a few
clauses at a time (``MAX_IDS_PER_RUN``): the model's working memory grows with the audio
it makes in one run, and a clause's own comma pause lands where the sentence put it.

Pitch moves the voice without changing its pace: the model speaks slower by the pitch
factor and the audio is declared at a higher sample rate by the same factor, so one
resample to the show rate raises the pitch and restores the tempo, timings included.
That moves the formants with the pitch; ``options.formants`` (a ratio, 0.7-1.4) sets
where they end up instead, so one model can voice two people (talkshow.voice.formants).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import UnknownVoiceError, VoiceError
from talkshow.core.kinds.voice import PhonemeTiming, Speech, VoiceInfo, join_speech
from talkshow.voice.arpabet import PAUSE
from talkshow.voice.embedded import EMBEDDED_VOICES, embedded_files
from talkshow.voice.espeak_ipa import IpaClause, ipa_clauses, sentences
from talkshow.voice.formants import shift_formants
from talkshow.voice.ipa import timed_phones
from talkshow.voice.onnx_vits import VitsModel
from talkshow.voice.piper_timing import per_symbol, without_pads, word_timings

logger = logging.getLogger(__name__)

__all__ = ["VOICE_THREADS", "PiperEngine", "PiperModelConfig", "PiperVoice", "voice_threads"]

SEMITONES_PER_PITCH_STEP = 0.1  # pitch 0-100 spans -5..+5 semitones around the voice's own
SENTENCE_PAUSE_S = 0.12
# One model run's working memory grows with its audio: on the joe voice, the peak over the loaded model was
# +30 MB for a 1.6 s sentence, +97 MB for 5.0 s and +214 MB for 12.7 s (one run each). The ids run at about 44 a
# second of speech, so 160 is ~3.6 s: a longer sentence is voiced in runs of whole clauses under it. A clause's run
# ends on its comma, and the model's own trailing and leading silence (0.2-0.3 s) is the pause a whole sentence
# makes there (0.3-0.4 s), so runs join with no pause added. One clause longer than this stays one run.
MAX_IDS_PER_RUN = 160
# A caller waits on the first sentence's synthesis: two threads voice a 3 s sentence in 183 ms, not 250 (one run
# each, 2026-11-29), and the talk bench's answer on air went from 880 / 1005 ms (median / p90) to 784 / 919 with no
# late frame. The frames rendered ahead cover the renderer while both cores synthesize (workers do not spin).
VOICE_THREADS = 2


def voice_threads() -> int:
    """``VOICE_THREADS``, or fewer on a process allowed fewer cores: a second thread on the same core only waits."""
    return max(1, min(VOICE_THREADS, len(os.sched_getaffinity(0))))


@dataclass(frozen=True)
class PiperModelConfig:
    """What a Piper ``.onnx.json`` says about its model."""

    sample_rate: int
    id_map: dict[str, list[int]]
    noise_scale: float
    length_scale: float
    noise_w: float
    language: str
    speakers: dict[str, int]

    @classmethod
    def load(cls, path: Path) -> PiperModelConfig:
        """Parse ``path``; raises VoiceError naming the file and what is wrong."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            inference = data.get("inference", {})
            return cls(
                sample_rate=int(data["audio"]["sample_rate"]),
                id_map={str(k): [int(i) for i in v] for k, v in data["phoneme_id_map"].items()},
                noise_scale=float(inference.get("noise_scale", 0.667)),
                length_scale=float(inference.get("length_scale", 1.0)),
                noise_w=float(inference.get("noise_w", 0.8)),
                language=str(data.get("espeak", {}).get("voice", "en-us")),
                speakers={str(k): int(v) for k, v in (data.get("speaker_id_map") or {}).items()},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise VoiceError(f"{path} is not a Piper voice config ({type(exc).__name__}: {exc})") from exc


class PiperEngine:
    """Piper voices: ``joe`` is embedded; any other is a path to a ``.onnx`` file."""

    name = "piper"

    def __init__(self) -> None:
        self._models: dict[Path, tuple[VitsModel, PiperModelConfig]] = {}
        self._lock = threading.Lock()

    def list_voices(self) -> list[VoiceInfo]:
        """The embedded voices (a model file path works too)."""
        listed = [VoiceInfo(self.name, v.name, "en-us", v.description) for v in EMBEDDED_VOICES.values()]
        listed.append(VoiceInfo(self.name, "<path/to/voice.onnx>", "any", "any Piper voice file you supply"))
        return listed

    def status(self) -> str:
        """Empty when the embedded voice's files are there and match their pins; otherwise why not."""
        try:
            import onnxruntime  # noqa: F401

            embedded_files("joe")
        except (ImportError, VoiceError) as exc:
            return str(exc)
        return ""

    def version(self) -> str:
        """onnxruntime's version (the model's bytes are pinned or keyed by path)."""
        import onnxruntime

        return f"onnxruntime-{onnxruntime.__version__}"

    def voice(self, settings: VoiceSettings) -> PiperVoice:
        """A voice for ``settings``; raises UnknownVoiceError for a missing voice."""
        model, config = self.load(settings.voice, int(settings.options.get("threads", voice_threads())))
        return PiperVoice(model, config, settings)

    def check(self, settings: VoiceSettings) -> None:
        """Raise UnknownVoiceError if ``settings`` names a missing voice or speaker, without loading the model."""
        _, config_path = self._paths(settings.voice)
        _speaker_id(PiperModelConfig.load(config_path), settings)

    def load(self, voice: str, threads: int = 1) -> tuple[VitsModel, PiperModelConfig]:
        """The model and config for an embedded name or a model path, loaded once."""
        model_path, config_path = self._paths(voice)
        with self._lock:
            if model_path not in self._models:
                if voice in EMBEDDED_VOICES:
                    embedded_files(voice)
                config = PiperModelConfig.load(config_path)
                self._models[model_path] = (VitsModel(model_path, threads=threads), config)
            return self._models[model_path]

    def _paths(self, voice: str) -> tuple[Path, Path]:
        if voice in EMBEDDED_VOICES:
            model_path, config_path = embedded_files(voice, verify=False)  # hashed in load, once per model
        elif voice.endswith(".onnx"):
            model_path, config_path = Path(voice), Path(voice + ".json")
            if not model_path.is_file():
                raise UnknownVoiceError(self.name, voice, "no such model file")
            if not config_path.is_file():
                raise UnknownVoiceError(self.name, voice, f"its config {config_path.name} is missing beside it")
        else:
            raise UnknownVoiceError(self.name, voice, f"voices: {', '.join(EMBEDDED_VOICES)}, or a .onnx file path")
        return model_path, config_path


class PiperVoice:
    """One character's Piper voice; safe to use from several threads."""

    def __init__(self, model: VitsModel, config: PiperModelConfig, settings: VoiceSettings) -> None:
        self.model = model
        self.config = config
        self.settings = settings
        options: dict[str, Any] = settings.options
        self.pitch_factor = float(2 ** ((settings.pitch - 50) * SEMITONES_PER_PITCH_STEP / 12))
        self.length_scale = config.length_scale * 175 / settings.rate * self.pitch_factor
        self.noise_scale = float(options.get("noise_scale", config.noise_scale))
        self.noise_w = float(options.get("noise_w", config.noise_w))
        self.sentence_pause_s = float(options.get("sentence_pause_s", SENTENCE_PAUSE_S))
        self.speaker = _speaker_id(config, settings)
        # The resample moves formants by pitch_factor; this ratio, applied first, lands them at options.formants.
        formants = float(options.get("formants", self.pitch_factor))
        if not 0.7 <= formants <= 1.4:
            raise VoiceError(f"piper option formants must be between 0.7 and 1.4, not {formants}")
        self.formant_correction = formants / self.pitch_factor

    @property
    def sample_rate(self) -> int:
        """The rate the audio is declared at (the model's, times the pitch factor)."""
        return round(self.config.sample_rate * self.pitch_factor)

    def synthesize(self, text: str) -> Speech:
        """The whole line at once (the sentences of ``stream`` joined)."""
        return join_speech(list(self.stream(text)), text)

    def stream(self, text: str) -> Iterator[Speech]:
        """The line sentence by sentence (a long one a few clauses at a time); each chunk's text is its exact slice."""
        groups = sentences(ipa_clauses(text, self.config.language))
        if not groups:
            raise VoiceError(f"espeak-ng found nothing to pronounce in {text[:40]!r}")
        runs: list[tuple[list[IpaClause], bool]] = []  # (clauses, whether they end their sentence)
        for group in groups:
            split = self._runs(group)
            runs += [(run, run is split[-1]) for run in split]
        for number, (run, ends_sentence) in enumerate(runs):
            last = number + 1 == len(runs)
            start = run[0].char_start if number else 0
            end = len(text) if last else run[-1].char_end
            pause = self.sentence_pause_s if ends_sentence and not last else 0.0
            yield self._sentence(text, run, start, end, pause)

    def _runs(self, sentence: list[IpaClause]) -> list[list[IpaClause]]:
        """The sentence's clauses in runs of at most ``MAX_IDS_PER_RUN`` ids (a longer clause alone)."""
        runs: list[list[IpaClause]] = []
        size = 0
        for clause in sentence:
            ids = self._id_count(clause)
            if runs and size + ids <= MAX_IDS_PER_RUN:
                runs[-1].append(clause)
                size += ids
            else:
                runs.append([clause])
                size = ids
        return runs

    def _id_count(self, clause: IpaClause) -> int:
        symbols, _ = self._symbols([clause])
        return sum(len(self.config.id_map[symbol]) for symbol in symbols)

    def _sentence(self, text: str, clauses: list[IpaClause], start: int, end: int, pause_s: float) -> Speech:
        symbols, owners = self._symbols(clauses)
        id_map = self.config.id_map
        ids = [i for symbol in symbols for i in id_map[symbol]]
        result = self.model.run(ids, self.length_scale, self.noise_scale, self.noise_w, self.speaker)
        rate = self.sample_rate
        model_audio = result.audio
        if abs(self.formant_correction - 1.0) > 1e-3:
            model_audio = shift_formants(model_audio, self.config.sample_rate, self.formant_correction)
        audio = np.clip(model_audio * 32767, -32768, 32767).astype(np.int16)
        silence = np.zeros(round(pause_s * rate), np.int16)
        samples = np.concatenate([audio, silence])
        if result.id_samples is None:  # a graph without the duration tensor: lip sync aligns instead
            return Speech(samples, rate, text[start:end])
        symbol_samples = per_symbol(symbols, id_map, result.id_samples)
        sounds, lengths = without_pads(symbols, symbol_samples)
        phones = [PhonemeTiming(a / rate, b / rate, p) for p, a, b in timed_phones(sounds, lengths)]
        if silence.size:
            phones.append(PhonemeTiming(len(audio) / rate, len(samples) / rate, PAUSE))
        words = word_timings(text, clauses, owners, symbol_samples, rate, start)
        return Speech(samples, rate, text[start:end], tuple(phones), tuple(words))

    def _symbols(self, clauses: list[IpaClause]) -> tuple[list[str], list[tuple[int, int] | None]]:
        """Piper's id sequence as symbols (start, pad after each, end) and each one's (clause, word)."""
        id_map = self.config.id_map
        symbols = ["^", "_"]
        owners: list[tuple[int, int] | None] = [None, None]
        for number, clause in enumerate(clauses):
            word = 0
            text = clause.ipa + clause.terminator + (" " if number + 1 < len(clauses) else "")
            for char in text:
                if char not in id_map:
                    continue
                owner = None if char == " " or char in clause.terminator else (number, word)
                symbols += [char, "_"]
                owners += [owner, None]
                if char == " ":
                    word += 1
        symbols.append("$")
        owners.append(None)
        # A pad's frames carry the onset of the sound after it (see _without_pads).
        for index in range(len(symbols) - 2, -1, -1):
            if symbols[index] == "_":
                owners[index] = owners[index + 1]
        return symbols, owners


def _speaker_id(config: PiperModelConfig, settings: VoiceSettings) -> int:
    """A multi-speaker model's speaker, by name or number (options.speaker); 0 when not given."""
    speaker = str(settings.options.get("speaker", "0"))
    if speaker in config.speakers:
        return config.speakers[speaker]
    if speaker.isdigit() and (not config.speakers or int(speaker) in config.speakers.values()):
        return int(speaker)
    raise UnknownVoiceError("piper", f"{settings.voice} speaker {speaker}", f"speakers: {list(config.speakers)}")
