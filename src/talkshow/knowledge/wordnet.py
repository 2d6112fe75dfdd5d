"""WordNet's database files (``wndb``: data.*, index.*, *.exc, lexnames) read into rows for the knowledge base.

A data line is ``offset lex_filenum ss_type w_cnt word lex_id ... p_cnt pointer... [frames] | gloss``
(w_cnt in hex, p_cnt in decimal, a pointer ``symbol offset pos source/target``). A synset is named
by one integer here: its part of speech's digit, then its eight-digit offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["POS_FILES", "Link", "Synset", "exceptions", "lexnames", "read_data", "sense_ranks", "synset_id"]

POS_FILES = ("noun", "verb", "adj", "adv")
POS_DIGIT = {"n": 1, "v": 2, "a": 3, "s": 3, "r": 4}  # a satellite adjective lives in data.adj as "a" does


@dataclass(frozen=True)
class Synset:
    """One sense: its id, part of speech (n, v, a, r), lexicographer file, words and gloss."""

    id: int
    pos: str
    lexname: str
    words: tuple[str, ...]
    gloss: str


@dataclass(frozen=True)
class Link:
    """A pointer between senses (``kind`` is WordNet's symbol: ``@`` hypernym, ``!`` antonym, ``%p`` part...);
    ``source_word``/``target_word`` are 1-based word numbers for a lexical pointer, 0 for the whole synset."""

    source: int
    kind: str
    target: int
    source_word: int
    target_word: int


def synset_id(pos: str, offset: str | int) -> int:
    """The one integer naming a synset: the part of speech's digit, then its offset."""
    return POS_DIGIT[pos] * 100_000_000 + int(offset)


def lexnames(text: str) -> dict[int, str]:
    """``lexnames``: file number -> name (``noun.animal``)."""
    names = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].isdigit():
            names[int(parts[0])] = parts[1]
    return names


def read_data(text: str, names: dict[int, str]) -> Iterator[tuple[Synset, list[Link]]]:
    """Each synset of a ``data.*`` file with its pointers (the licence header, indented, is skipped)."""
    for line in text.splitlines():
        if not line or line.startswith(" "):
            continue
        head, _, gloss = line.partition(" | ")
        fields = head.split()
        pos = "a" if fields[2] == "s" else fields[2]
        me = synset_id(pos, fields[0])
        count = int(fields[3], 16)
        words = tuple(_word(fields[4 + 2 * i]) for i in range(count))
        at = 4 + 2 * count
        links = []
        for i in range(int(fields[at])):
            symbol, offset, target_pos, numbers = fields[at + 1 + 4 * i : at + 5 + 4 * i]
            target = synset_id(target_pos, offset)
            links.append(Link(me, symbol, target, int(numbers[:2], 16), int(numbers[2:], 16)))
        yield Synset(me, pos, names.get(int(fields[1]), ""), words, gloss.strip()), links


def _word(raw: str) -> str:
    """A synset's word as said: underscores are spaces, an adjective's marker ``(p)`` goes."""
    word = raw.split("(", 1)[0] if raw.endswith(")") else raw
    return word.replace("_", " ")


def sense_ranks(text: str, pos: str) -> Iterator[tuple[str, int, int]]:
    """``index.*``: (lemma, synset, rank) with rank 0 for the lemma's most frequent sense."""
    for line in text.splitlines():
        if not line or line.startswith(" "):
            continue
        fields = line.split()
        pointers = int(fields[3])
        offsets = fields[4 + pointers + 2 :]
        lemma = fields[0].replace("_", " ")
        for rank, offset in enumerate(offsets):
            yield lemma, synset_id(pos, offset), rank


def exceptions(text: str, pos: str) -> Iterator[tuple[str, str, str]]:
    """``*.exc``: (inflected form, lemma, pos), e.g. (mice, mouse, n)."""
    for line in text.splitlines():
        fields = line.split()
        for lemma in fields[1:]:
            yield fields[0].replace("_", " "), lemma.replace("_", " "), pos
