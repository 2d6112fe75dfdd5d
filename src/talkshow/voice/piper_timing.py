"""Piper's per-id durations turned into phoneme and word times.

The model returns one duration per input id: start, pad after every symbol, end.
These helpers fold pads into sounds and match the IPA words espeak produced to the
words of the text.
"""

from __future__ import annotations

import numpy as np

from talkshow.core.turn import WordTiming
from talkshow.voice.espeak_ipa import IpaClause, ipa_clauses, word_spans
from talkshow.voice.ipa import MODIFIERS

__all__ = ["per_symbol", "without_pads", "word_timings"]


def without_pads(symbols: list[str], lengths: list[float]) -> tuple[list[str], list[float]]:
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


def per_symbol(symbols: list[str], id_map: dict[str, list[int]], id_samples: np.ndarray) -> list[float]:
    """Each symbol's duration in samples (a symbol may map to several ids)."""
    out, index = [], 0
    for symbol in symbols:
        count = len(id_map[symbol])
        out.append(float(id_samples[index : index + count].sum()))
        index += count
    return out


def word_timings(
    text: str,
    clauses: list[IpaClause],
    owners: list[tuple[int, int] | None],
    symbol_samples: list[float],
    rate: int,
    offset: int,
) -> list[WordTiming]:
    """Word times from the symbols each IPA word owns, matched to the text's words.

    espeak may merge or split words ("of the" can be one IPA word); when the counts
    differ, IPA words map proportionally onto the clause's text words.
    """
    spans: dict[tuple[int, int], list[float]] = {}
    position = 0.0
    for owner, length in zip(owners, symbol_samples, strict=True):
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
