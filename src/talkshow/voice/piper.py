"""Piper neural voices on onnxruntime: the embedded default, and any Piper voice file.

Text becomes IPA with the project's libespeak-ng, IPA becomes ids through the voice's
``phoneme_id_map``, and the model returns audio plus each id's duration, so phoneme
and word times are the model's own. A line is voiced sentence by sentence, and each
sentence is handed on as soon as it exists (``stream``).

Pitch moves the voice without changing its pace: the model speaks slower by the pitch
factor and the audio is declared at a higher sample rate by the same factor, so one
resample to the show rate raises the pitch and restores the tempo, timings included.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from talkshow.errors import UnknownVoiceError, VoiceError
from talkshow.voice.arpabet import PAUSE
from talkshow.voice.embedded import EMBEDDED_VOICES, embedded_files
from talkshow.voice.espeak_ipa import IpaClause, ipa_clauses, sentences, word_spans
from talkshow.voice.ipa import MODIFIERS, timed_phones
from talkshow.voice.onnx_vits import VitsModel
from talkshow.voice.settings import VoiceSettings
from talkshow.voice.types import PhonemeTiming, Speech, VoiceInfo, WordTiming, join_speech

logger = logging.getLogger(__name__)

__all__ = ["PiperEngine", "PiperModelConfig", "PiperVoice"]

SEMITONES_PER_PITCH_STEP = 0.1  # pitch 0-100 spans -5..+5 semitones around the voice's own
SENTENCE_PAUSE_S = 0.12


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
        model, config = self.load(settings.voice, int(settings.options.get("threads", 1)))
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

    @property
    def sample_rate(self) -> int:
        """The rate the audio is declared at (the model's, times the pitch factor)."""
        return round(self.config.sample_rate * self.pitch_factor)

    def synthesize(self, text: str) -> Speech:
        """The whole line at once (the sentences of ``stream`` joined)."""
        return join_speech(list(self.stream(text)), text)

    def stream(self, text: str) -> Iterator[Speech]:
        """The line sentence by sentence; each chunk's text is its exact slice of ``text``."""
        groups = sentences(ipa_clauses(text, self.config.language))
        if not groups:
            raise VoiceError(f"espeak-ng found nothing to pronounce in {text[:40]!r}")
        for number, group in enumerate(groups):
            start = group[0].char_start if number else 0
            end = group[-1].char_end if number + 1 < len(groups) else len(text)
            pause = self.sentence_pause_s if number + 1 < len(groups) else 0.0
            yield self._sentence(text, group, start, end, pause)

    def _sentence(self, text: str, clauses: list[IpaClause], start: int, end: int, pause_s: float) -> Speech:
        symbols, owners = self._symbols(clauses)
        id_map = self.config.id_map
        ids = [i for symbol in symbols for i in id_map[symbol]]
        result = self.model.run(ids, self.length_scale, self.noise_scale, self.noise_w, self.speaker)
        audio = np.clip(result.audio * 32767, -32768, 32767).astype(np.int16)
        rate = self.sample_rate
        silence = np.zeros(round(pause_s * rate), np.int16)
        samples = np.concatenate([audio, silence])
        if result.id_samples is None:  # a graph without the duration tensor: lip sync aligns instead
            return Speech(samples, rate, text[start:end])
        per_symbol = _per_symbol(symbols, id_map, result.id_samples)
        sounds, lengths = _without_pads(symbols, per_symbol)
        phones = [PhonemeTiming(a / rate, b / rate, p) for p, a, b in timed_phones(sounds, lengths)]
        if silence.size:
            phones.append(PhonemeTiming(len(audio) / rate, len(samples) / rate, PAUSE))
        words = _words(text, clauses, owners, per_symbol, rate, start)
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


def _without_pads(symbols: list[str], lengths: list[float]) -> tuple[list[str], list[float]]:
    """Pads folded into the symbol after them, so two-symbol sounds (``aɪ``) sit side by side.

    Forward, because the model spends a pad's frames on the onset of the next sound:
    measured against pocketsphinx, word starts folded backward came ~80 ms late.
    """
    sounds: list[str] = []
    folded: list[float] = []
    carried = 0.0
    for symbol, length in zip(symbols, lengths, strict=True):
        if symbol == "_":
            carried += length
        else:
            sounds.append(symbol)
            folded.append(length + carried)
            carried = 0.0
    if carried and folded:
        folded[-1] += carried
    return sounds, folded


def _per_symbol(symbols: list[str], id_map: dict[str, list[int]], id_samples: np.ndarray) -> list[float]:
    """Each symbol's duration in samples (a symbol may map to several ids)."""
    out, index = [], 0
    for symbol in symbols:
        count = len(id_map[symbol])
        out.append(float(id_samples[index : index + count].sum()))
        index += count
    return out


def _words(
    text: str,
    clauses: list[IpaClause],
    owners: list[tuple[int, int] | None],
    per_symbol: list[float],
    rate: int,
    offset: int,
) -> list[WordTiming]:
    """Word times from the symbols each IPA word owns, matched to the text's words.

    espeak may merge or split words ("of the" can be one IPA word); when the counts
    differ, IPA words map proportionally onto the clause's text words.
    """
    spans: dict[tuple[int, int], list[float]] = {}
    position = 0.0
    for owner, length in zip(owners, per_symbol, strict=True):
        if owner is not None:
            spans.setdefault(owner, [position, position])[1] = position + length
        position += length
    words: list[WordTiming] = []
    for number, clause in enumerate(clauses):
        text_words = word_spans(text, clause.char_start, clause.char_end)
        ipa_words = sorted(key for key in spans if key[0] == number)
        if not text_words or not ipa_words:
            continue
        if len(text_words) > len(ipa_words):  # espeak merged words ("in the" -> "ɪnðə"): split by pronunciation
            lengths = [_sound_count(text[a:b]) for a, b in text_words]
            ipa_texts = clause.ipa.split(" ")
            groups = _merged_groups([_sound_count(w, ipa=True) for w in ipa_texts][: len(ipa_words)], lengths)
            for key, group in zip(ipa_words, groups, strict=False):
                begin, finish = spans[key]
                share = (finish - begin) / max(sum(lengths[j] for j in group), 1)
                for j in group:
                    end = begin + share * lengths[j]
                    a, b = text_words[j]
                    words.append(WordTiming(begin / rate, end / rate, a - offset, b - offset))
                    begin = end
            continue
        for rank, key in enumerate(ipa_words):  # as many or more IPA words ("42" -> "forty two"): proportional
            first = rank * len(text_words) // len(ipa_words)
            last = max(first, (rank + 1) * len(text_words) // len(ipa_words) - 1)
            begin, finish = spans[key]
            char_start, char_end = text_words[first][0] - offset, text_words[last][1] - offset
            if words and words[-1].char_start == char_start:  # two IPA words on one text word
                words[-1] = WordTiming(words[-1].start, finish / rate, char_start, char_end)
            else:
                words.append(WordTiming(begin / rate, finish / rate, char_start, char_end))
    return words


def _sound_count(word: str, ipa: bool = False) -> int:
    """How many sounds a word has: its IPA letters (modifiers and stress not counted)."""
    spelled = word if ipa else "".join(c.ipa for c in ipa_clauses(word))
    return max(1, sum(1 for c in spelled if c not in MODIFIERS))


def _merged_groups(ipa_lengths: list[int], text_lengths: list[int]) -> list[list[int]]:
    """Text word indices per IPA word, greedily filling each IPA word with the words whose sounds fit."""
    groups: list[list[int]] = []
    index = 0
    for rank, target in enumerate(ipa_lengths):
        ipa_left = len(ipa_lengths) - rank - 1
        group, total = [index], text_lengths[index]
        index += 1
        while index < len(text_lengths) - ipa_left and total + text_lengths[index] / 2 <= target:
            total += text_lengths[index]
            group.append(index)
            index += 1
        groups.append(group)
        if index >= len(text_lengths):
            break
    if groups and index < len(text_lengths):
        groups[-1] += range(index, len(text_lengths))
    return groups
