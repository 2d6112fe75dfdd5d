"""Whisper through CTranslate2: the default ears (Whisper base, embedded), or a model directory you supply.

Whisper is trained on 30 s windows, and faster-whisper pads every input to 30 s: 1.0-1.7 s
per short utterance on one core. CTranslate2's encoder takes any length, so a turn is
padded only to ``window_s`` (8 s unless set): measured here, 0.3-0.5 s for a 1-3 s
question, with the same words. Too short a window and the decoder, not seeing the audio
end, repeats itself, so the output is bounded by the audio's length and a repeated
sentence is dropped.

The engine runs in a child process (``ProcessSTT``): audio goes there as it is spoken, and
the listener asks for the text at the speaker's first pause, before the turn is decided.
A transcript Whisper itself judges to be no speech (its no-speech probability, with a low
average log-probability) comes back empty, so the character says it missed that instead
of answering a hallucination.

Greedy decoding (the default) also gives each word's confidence: the lowest probability of its
tokens. ``prompt`` is text Whisper takes as what was said before: Whisper is a language model
too and writes what it expects, so a learner's "I go yesterday" comes out "I went" unless the
prompt shows it speech with errors kept (the tutor's show does this; docs/tutor.md). With no ``prompt``
given, a call's (``CALLER_PROMPT``); ``prompt = ""`` gives none.

When a word's confidence is low, a beam search over the same encoded audio gives up to
``alternatives`` other readings nearly as likely (the n-best, best first). The ears do not choose
among them: the writer may (the knowledge stage answers the first reading that is a question it
knows). Measured on the dev question set said by espeak in noise, 42% -> 50% answered (docs/brain.md).
The readings are made only when asked for (in the child, ``create``: after the text is sent, and only if a
writer needs them), so a turn whose words the writer can use pays nothing for them.

    [talk]
    stt = "whisper"                                    # the default: Whisper base, embedded
    stt_options = { model_dir = "~/models/small.en" }  # or your own CTranslate2 Whisper model
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from talkshow.audio import resample
from talkshow.core.errors import InputError, TalkshowError
from talkshow.core.kinds.hearing import (
    NO_READINGS,
    HeardWord,
    Readings,
    SpeechToText,
    Transcript,
    TranscriptionError,
)
from talkshow.ears.log_mel import log_mel

__all__ = ["WhisperSTT", "create"]

RATE = 16_000
MAX_WINDOW_S = 30  # Whisper's own window: longer audio is decoded a window at a time
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
TOKENS_PER_SECOND = 7  # fast speech is ~4 words (5-6 tokens) a second; more than this is the decoder looping
MAX_PROMPT_CHARS = 600  # Whisper's previous text is at most half its 448-token context
# What a call sounds like, as Whisper's "previous text" when a show gives none: Whisper writes what it expects,
# and with this it expects a caller's questions and chat. Measured (`bench brain --spoken`, the dev set, default
# ears): misheard 124 -> 111 of 161, answered 31% -> 36%; a prompt of questions alone heard more questions
# (39%) but would bend a caller's statements toward questions. None of the question sets' lines is in it.
CALLER_PROMPT = (
    "Caller: Hi, I love the show. How many wheels does a truck have? What is the capital of Peru? "
    "What is eleven plus four? I think cats are great. Who was Mozart?"
)
NO_SPEECH = (0.6, -1.0)  # Whisper's own rule: no-speech probability above, average log-probability below
UNSURE_BELOW = 0.5  # a word heard with less probability than this: the turn may be misheard, so look for readings
# A reading's average log-probability a token may be this far below the beam's best and still be offered: chosen
# on the dev question set (0.4 and 1.0 answered the same; the smaller offers fewer readings).
READING_MARGIN = 0.4
MAX_ALTERNATIVES = 8
# A beam of five for other readings of an unsure turn, made only when a writer asks (0: none). When a beam ran beside
# every turn's greedy decoding, whether anyone wanted its readings or not, a fresh-clone CI run (seed 390076752) had
# two calls' replies held by moderation on loaded cores; made on demand, only an unsure turn the knowledge cannot
# answer as heard pays for one.
ALTERNATIVES = 4


class WhisperSTT:
    """Transcribes whole utterances with a CTranslate2 Whisper model (greedy by default)."""

    def __init__(
        self,
        model_dir: str | Path,
        name: str = "whisper",
        compute_type: str = "int8",
        threads: int = 1,
        beam_size: int = 1,
        language: str = "en",
        window_s: float = 8.0,
        prompt: str = "",
        alternatives: int = 0,
        defer_readings: bool = False,
    ) -> None:
        directory = check_model_dir(model_dir)
        if not 1.0 <= window_s <= MAX_WINDOW_S:
            raise InputError(f"talk.stt_options.window_s must be 1-{MAX_WINDOW_S} s, not {window_s}")
        if not 0 <= alternatives <= MAX_ALTERNATIVES:
            raise InputError(f"talk.stt_options.alternatives must be 0-{MAX_ALTERNATIVES}, not {alternatives}")
        import ctranslate2
        import tokenizers

        try:
            self._model: Any = ctranslate2.models.Whisper(
                str(directory),
                device="cpu",
                compute_type=compute_type,
                intra_threads=threads,
            )
            self._tokenizer: Any = tokenizers.Tokenizer.from_file(str(directory / "tokenizer.json"))
        except Exception as exc:  # CTranslate2 and tokenizers raise their own kinds for a bad file
            raise TranscriptionError(f"Whisper cannot load the model in {str(directory)!r}: {exc}") from exc
        self.name = name
        self.model_dir = directory
        self.beam_size = beam_size
        self.window_s = window_s
        self.alternatives = alternatives
        self.defer_readings = defer_readings  # the readings wait for ``take_readings`` (made after the text is sent)
        self._unsure: Callable[[], tuple[str, ...]] | None = None  # makes the last utterance's readings, if unsure
        # A reading that holds a sentence of the prompt is the decoder copying its "previous text", not hearing.
        self._prompt_sentences = [_plain(s) for s in _SENTENCE.findall(prompt) if len(_plain(s).split()) >= 3]
        self._mels = int(self._model.n_mels)
        self._prompt = self._previous(prompt) + self._prompt_tokens(language)
        self._text_tokens: int = self._tokenizer.token_to_id("<|endoftext|>") or 0

    def _prompt_tokens(self, language: str) -> list[str]:
        language_token = f"<|{language}|>" if language else ""
        if language_token and self._tokenizer.token_to_id(language_token) is None:
            raise InputError(f"talk.stt_options.language {language!r} is not one this Whisper model knows")
        tokens = ["<|startoftranscript|>", language_token, "<|transcribe|>", "<|notimestamps|>"]
        return [token for token in tokens if token and self._tokenizer.token_to_id(token) is not None]

    def _previous(self, prompt: str) -> list[str]:
        """``prompt`` as Whisper's "previous text" tokens (none for no prompt)."""
        words = " ".join(prompt.split())
        if not words:
            return []
        if len(words) > MAX_PROMPT_CHARS:
            raise InputError(f"talk.stt_options.prompt is {len(words)} characters; the limit is {MAX_PROMPT_CHARS}")
        return ["<|startofprev|>", *self._tokenizer.encode(" " + words, add_special_tokens=False).tokens]

    def transcribe(self, samples: npt.NDArray[np.int16], sample_rate: int) -> Transcript:
        """The text of ``samples`` (mono int16 at any rate); empty if Whisper judges it no speech."""
        started = time.perf_counter()
        audio = resample(samples, sample_rate, RATE).astype(np.float32) / 32768.0
        step = MAX_WINDOW_S * RATE
        windows = [self._window(audio[start : start + step]) for start in range(0, max(len(audio), 1), step)]
        text = " ".join(t for t, _, _ in windows if t)
        words = tuple(w for _, heard, _ in windows for w in heard)
        self._unsure = windows[0][2] if len(windows) == 1 else None  # a long turn is not a question asked
        readings = NO_READINGS if self.defer_readings else Readings(self.take_readings())
        ms = (time.perf_counter() - started) * 1000
        return Transcript(text, self.name, ms, words if len(words) == len(text.split()) else (), readings)

    def take_readings(self) -> tuple[str, ...]:
        """Other readings of the last utterance, if a word of it was unsure: a beam search over its encoded audio,
        made now (only a writer that needs them asks, so no other turn pays for it)."""
        unsure, self._unsure = self._unsure, None
        return unsure() if unsure is not None else ()

    def open_stream(self) -> _WholeUtterance:
        """An utterance gathered as it is spoken and decoded whole at ``finish``."""
        return _WholeUtterance(self)

    def _window(
        self, audio: npt.NDArray[np.float32]
    ) -> tuple[str, tuple[HeardWord, ...], Callable[[], tuple[str, ...]] | None]:
        """One window's text, each word's confidence (greedy decoding) and, if a word was unsure and readings are
        wanted, what makes them (a beam search over the same encoded audio, run when asked).

        An unsure greedy text that holds a sentence of the prompt is the decoder copying its "previous text" (a
        caller who really asks it is heard surely): the first reading that does not copy it is taken instead,
        each of its words unsure."""
        import ctranslate2

        seconds = len(audio) / RATE
        padded = min(MAX_WINDOW_S, max(self.window_s, seconds + 1.0))
        audio = np.pad(audio, (0, max(0, int(padded * RATE) - len(audio))))
        features = log_mel(audio, self._mels)
        features = features[:, : features.shape[1] - features.shape[1] % 2]  # the encoder halves the frames
        max_length = len(self._prompt) + 8 + int(TOKENS_PER_SECOND * seconds)
        try:
            encoded = ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None]))
            if self.alternatives:  # encoded once: a beam for other readings may decode it again, if asked
                encoded = self._model.encode(encoded)
            result = self._model.generate(
                encoded,
                [self._prompt],
                beam_size=self.beam_size,
                max_length=max_length,
                return_scores=True,
                return_no_speech_prob=True,
                return_logits_vocab=self.beam_size == 1,  # per-step logits come only with greedy decoding
            )[0]
        except (RuntimeError, ValueError) as exc:
            raise TranscriptionError(f"Whisper failed: {exc}", retryable=True) from exc
        ids = [token for token in result.sequences_ids[0] if token < self._text_tokens]
        if result.no_speech_prob > NO_SPEECH[0] and result.scores[0] < NO_SPEECH[1]:
            return "", (), None
        text = self._tokenizer.decode(ids).strip()
        kept = without_repeats(text)
        if kept != text or not result.logits:
            return kept, (), None
        words = self._word_confidences(result.sequences_ids[0], result.logits[0])
        if not self.alternatives or all(word.confidence >= UNSURE_BELOW for word in words):
            return kept, words, None
        readings = functools.partial(self._readings, encoded, max_length, kept)
        if any(sentence in _plain(kept) for sentence in self._prompt_sentences):
            others = readings()  # made now: rare, and a copy is not what was said
            if others:
                return others[0], tuple(HeardWord(w, 0.0) for w in others[0].split()), lambda: others[1:]
        return kept, words, readings

    def _readings(self, encoded: Any, max_length: int, heard: str) -> tuple[str, ...]:
        """Other readings of the ``encoded`` audio from a beam search, best first: within ``READING_MARGIN`` of the
        best, none the same words as ``heard``, none copying the prompt."""
        size = self.alternatives + 1
        try:
            result = self._model.generate(
                encoded, [self._prompt], beam_size=size, num_hypotheses=size, max_length=max_length, return_scores=True
            )[0]
        except (RuntimeError, ValueError):  # the greedy text stands; readings are a help, not a need
            return ()
        readings: dict[str, str] = {_plain(heard): heard}
        for sequence, score in zip(result.sequences_ids, result.scores, strict=True):
            if result.scores[0] - score > READING_MARGIN:
                break
            text = without_repeats(self._tokenizer.decode([t for t in sequence if t < self._text_tokens]).strip())
            plain = _plain(text)
            if plain and not any(sentence in plain for sentence in self._prompt_sentences):
                readings.setdefault(plain, text)
        return tuple(readings.values())[1:]

    def _word_confidences(self, ids: list[int], logits: list[Any]) -> tuple[HeardWord, ...]:
        """Each word of the decoded ``ids`` with the lowest probability of its tokens."""
        words: list[tuple[str, float]] = []
        for token, step in zip(ids, logits, strict=False):
            if token >= self._text_tokens:
                continue
            row = np.asarray(step, dtype=np.float64).ravel()
            probability = float(np.exp(row[token] - row.max()) / np.exp(row - row.max()).sum())
            piece = self._tokenizer.decode([token])
            if piece.startswith(" ") or not words:
                words.append((piece.strip(), probability))
            else:
                text, low = words[-1]
                words[-1] = (text + piece, min(low, probability))
        return tuple(HeardWord(text, round(p, 3)) for text, p in words if text)


def check_model_dir(model_dir: str | Path) -> Path:
    """``model_dir`` if it is a complete CTranslate2 Whisper directory; InputError naming what is not."""
    directory = Path(model_dir).expanduser()
    if not directory.is_dir():
        raise InputError(f"talk.stt_options.model_dir {str(directory)!r} is not a directory")
    missing = [file for file in REQUIRED_FILES if not (directory / file).is_file()]
    if missing:
        raise InputError(
            f"the Whisper model in {str(directory)!r} lacks {', '.join(missing)}; talkshow loads only "
            "complete local CTranslate2 model directories (convert with --copy_files tokenizer.json)"
        )
    return directory


class _WholeUtterance:
    """Audio gathered in the child as it arrives; decoded whole when the speaker pauses."""

    def __init__(self, stt: WhisperSTT) -> None:
        self._stt = stt
        self._chunks: list[npt.NDArray[np.int16]] = []

    def feed(self, samples: npt.NDArray[np.int16]) -> str:
        """Keep 16 kHz audio (a partial decode here would delay the final one: the turn's end cannot wait)."""
        self._chunks.append(np.array(samples, np.int16))
        return ""

    def finish(self) -> Transcript:
        """The whole utterance's text."""
        audio = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        self._chunks = []
        return self._stt.transcribe(audio, RATE)


_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def _plain(text: str) -> str:
    """``text`` lower case, its words only (how two readings are compared)."""
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


def without_repeats(text: str) -> str:
    """``text`` with a sentence that repeats the one before it dropped (a decoder loop's tail, cut or whole), and a
    word said over and over cut to the first time ("Who discovered pennies a l l l l l l l l l": the decoder looping
    on one token; a person's "no no no no" is four at most)."""
    kept: list[str] = []
    for sentence in (s.strip() for s in _SENTENCE.findall(_WORD_LOOP.sub(r"\1", text))):
        key = re.sub(r"[^a-z0-9' ]", "", sentence.lower()).strip()
        previous = re.sub(r"[^a-z0-9' ]", "", kept[-1].lower()).strip() if kept else ""
        if sentence and not (previous and key and previous.startswith(key)):
            kept.append(sentence)
    return " ".join(kept)


_WORD_LOOP = re.compile(r"\b([\w']+)(?:[ ,-]+\1\b){4,}", re.IGNORECASE)  # one word, then it again four times or more


def create(options: Mapping[str, Any]) -> SpeechToText:
    """The ``stt`` provider ``whisper``: Whisper base (embedded) or ``model_dir``, in a child process."""
    from talkshow.ears.process_stt import ProcessSTT
    from talkshow.ears.whisper_model import whisper_dir

    known = {"model_dir", "compute_type", "threads", "beam_size", "language", "window_s", "prompt", "alternatives"}
    unknown = set(options) - known
    if unknown:
        raise InputError(f"talk.stt_options has unknown keys for whisper: {', '.join(sorted(unknown))}")
    prompt = " ".join(str(options.get("prompt", CALLER_PROMPT)).split())  # "" for none
    if len(prompt) > MAX_PROMPT_CHARS:  # checked here too: the child would only fail to start
        raise InputError(f"talk.stt_options.prompt is {len(prompt)} characters; the limit is {MAX_PROMPT_CHARS}")
    if "model_dir" in options:
        model_dir = check_model_dir(str(options["model_dir"]))
    else:
        try:
            model_dir = whisper_dir()
        except TalkshowError as exc:
            raise TranscriptionError(f"the embedded Whisper base model cannot be used: {exc}") from exc
    factory = functools.partial(
        WhisperSTT,
        model_dir,
        compute_type=str(options.get("compute_type", "int8")),
        threads=int(options.get("threads", 1)),
        beam_size=int(options.get("beam_size", 1)),
        language=str(options.get("language", "en")),
        window_s=float(options.get("window_s", 8.0)),
        prompt=prompt,
        alternatives=int(options.get("alternatives", ALTERNATIVES)),
        defer_readings=True,  # the child sends the text first, then makes the readings
    )
    return ProcessSTT(factory, "whisper")  # the child loads the model now: a bad one is an error here
