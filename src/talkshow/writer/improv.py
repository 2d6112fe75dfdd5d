"""The offline default writer: a debate on the topic as asked, in character, with no network.

The topic is read as a phrase (``topic_phrase``): a yes/no question or a claim gives each
character a side ("cereal is a soup" / "cereal isn't a soup"); anything else is mused about
whole. Lines answer the other character in their own words, pick up an earlier line, and
bring back what a viewer or caller said in an earlier show (``WriteRequest.memories``). No
line is said twice in a show. Deterministic for a seed, varied across seeds. The templates
are in ``improv_lines``.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import AsyncGenerator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talkshow.config import CastMember
from talkshow.core.kinds.writer import Line, WriteRequest
from talkshow.knowledge.english import singular
from talkshow.writer.improv_lines import ARGUE, CALLBACK, CLOSE, FACT, MUSE, OPEN, REBUT, REMEMBER, Template
from talkshow.writer.topic_facts import Fact, TopicFacts
from talkshow.writer.topic_phrase import Topic, read_topic

if TYPE_CHECKING:
    from talkshow.telemetry.events import Telemetry

__all__ = ["ImprovWriter", "topic_subject"]

_ARTICLES = ("a", "an", "the", "my", "our", "your", "some")
_STOP = set(
    """a an the in on of to for and or but with about why how what is are was were be been it this that
    there their our my your room people should would could can will do does did we you they i talk discuss
    need needs keep get got have has make let really all every""".split()
)

MAX_SUBJECT_WORDS = 4
# The times a show says a side's claim in full (the opener's among them) before its body only argues it.
CLAIMS_IN_FULL = 2


def topic_subject(topic: str) -> str:
    """The thing a topic is about, whole: ``why there's a lambo in the room`` -> ``the lambo``.

    A subject is a run of content words, never part of one (``is a hot dog a sandwich`` ->
    ``the hot dog``, not ``the hot``): the first run after an article, else the longest run.
    """
    words = re.findall(r"[A-Za-z0-9'-]+", topic)
    runs: list[tuple[int, list[str]]] = []  # (index of the run's first word, its words)
    for index, word in enumerate(words):
        if word.lower() in _STOP or "'" in word:
            continue
        if runs and runs[-1][0] + len(runs[-1][1]) == index:
            runs[-1][1].append(word)
        else:
            runs.append((index, [word]))
    if not runs:
        return "this"
    for start, run in runs:
        if start > 0 and words[start - 1].lower() in _ARTICLES:
            return "the " + " ".join(run[:MAX_SUBJECT_WORDS])
    _, longest = max(runs, key=lambda found: sum(len(w) for w in found[1]))
    return " ".join(longest[:MAX_SUBJECT_WORDS])


class ImprovWriter:
    """A debate from templates: sides taken on the topic as asked, answers in the other's words, and facts about
    the topic from the knowledge base (``TopicFacts``) brought to the argument; seeded."""

    name = "improv"

    def __init__(self, facts: TopicFacts | None = None) -> None:
        self._facts = facts or TopicFacts(None)

    async def lines(self, request: WriteRequest) -> AsyncGenerator[Line, None]:
        """Yield ``request.turns`` lines, speakers alternating; no line twice in a show."""
        rng = random.Random(f"improv:{request.seed}:{request.topic}")
        cast = request.cast
        topic = read_topic(request.topic)
        thing = topic_subject(request.topic)  # "why there's a lambo in the room" -> "the lambo"
        if topic.kind == "thing" and not topic.text.lower().startswith(_ASKING):  # a thing is named whole, if short
            thing = topic.text if len(topic.text.split()) <= 4 else self._named_by_its_noun(request.topic)
        facts = self._facts.facts(request.topic)
        rng.shuffle(facts)
        facts = _taking_turns(facts)
        show = _Show(topic, thing, rng, request, facts)
        speaker_index = rng.randrange(len(cast)) if request.seed else 0
        done = len(request.history)
        last = done + request.turns - 1
        for turn in range(done, done + request.turns):
            member = cast[speaker_index % len(cast)]
            other = cast[(speaker_index + 1) % len(cast)]
            text, emotion = show.line(turn, last, member, other)
            yield Line(member.id, text, emotion)
            speaker_index += 1 if len(cast) == 2 else rng.randrange(1, len(cast))

    def _named_by_its_noun(self, topic: str) -> str:
        """A long topic named by its last noun: "the best way to eat a banana" -> "the banana question"."""
        nouns = self._facts.nouns(topic)
        return f"the {nouns[-1][0]} question" if nouns else "the whole idea"


def _taking_turns(facts: list[Fact]) -> list[Fact]:
    """``facts`` with the topic's nouns taking turns, each in its own order: a show about whether the office should
    get a pet octopus said four facts of the office and the pet, and none of the octopus's eight tentacles."""
    by_noun: dict[str, list[Fact]] = {}
    for fact in facts:
        by_noun.setdefault(fact.noun, []).append(fact)
    rounds = itertools.zip_longest(*by_noun.values())
    return [fact for one_round in rounds for fact in one_round if fact is not None]


class _Show:
    """One show's state: who holds which side, what was said, which templates are left."""

    def __init__(self, topic: Topic, thing: str, rng: random.Random, request: WriteRequest, facts: list[Fact]) -> None:
        self.topic, self.thing, self.rng = topic, thing, rng
        said = " ".join(line.text for line in request.history)
        self.facts = [fact for fact in facts if fact.text not in said]  # a show resumed does not say one twice
        self.said: list[tuple[str, str, str]] = [(line.speaker, line.text, "argue") for line in request.history]
        self.memories = [m for m in request.memories if m.kind in ("question", "caller") and m.text.strip()][:2]
        self._pools: dict[tuple[str, str], list[Template]] = {}
        self._sides: dict[str, bool] = {}  # member id -> holds "yes"
        first_yes = rng.random() < 0.5
        for index, member in enumerate(request.cast):
            confident = member.temperament == "confident"
            self._sides[member.id] = confident if len({m.temperament for m in request.cast}) > 1 else (
                first_yes if index % 2 == 0 else not first_yes)  # fmt: skip

    def line(self, turn: int, last: int, member: CastMember, other: CastMember) -> Template:
        """The line for ``turn``: an opener, an argument, an answer, a callback or a closer, never said before."""
        kinds = self._kinds(turn, last, other)
        for kind in kinds:
            for _ in range(12):
                template = self._pick(kind, member)
                if template is None:
                    break
                if kind != "close" and self._said_enough(template[0]):
                    continue
                text = self._fill(template[0], member, other, kind)
                if text and all(text != said for _, said, _ in self.said):
                    self.said.append((member.id, text, kind))
                    if kind == "remember":  # brought back once: the next callback is to someone else
                        self.memories.pop(0)
                    if kind == "fact":  # each fact is said once
                        self.facts.pop(0)
                    return text, template[1]
        text = _capital(f"{self.rng.choice(_FRESH)} {self._side(member)}.")  # every template of every kind is used up
        self.said.append((member.id, text, "close"))
        return text, "neutral"

    def _said_enough(self, template: str) -> bool:
        """A line of the body that would say a side's claim in full once the show has said claims often enough:
        people say "every school should have a garden" once or twice, then argue it, not say it again."""
        says_a_claim = "{side}" in template.lower() or "{against}" in template.lower()
        if not says_a_claim or not self.topic.debatable:
            return False
        claims = (self.topic.yes.lower(), self.topic.no.lower())
        return sum(any(claim in text.lower() for claim in claims) for _, text, _ in self.said) >= CLAIMS_IN_FULL

    def _kinds(self, turn: int, last: int, other: CastMember) -> list[str]:
        body = "argue" if self.topic.debatable else "muse"
        if turn == 0:
            return ["open"]
        if turn == last and last > 1:
            return ["close"]
        if self.memories and turn in (3, 9):
            return ["remember", body]
        if self.facts and turn % 3 == 2:  # a fact about the topic every third line, while there are any
            return ["fact", body]
        if turn >= 6 and turn % 6 == 0 and self._quote_of(other, earliest=True):
            return ["callback", body]
        if turn % 3 == 1 and self._quote_of(other):
            return ["rebut", body]
        return [body, "rebut"]

    def _pick(self, kind: str, member: CastMember) -> Template | None:
        temperament = member.temperament if member.temperament in OPEN else "neutral"
        pool = self._pools.setdefault((kind, member.id), [])
        if not pool:
            pool.extend(_TEMPLATES[kind][temperament])
            self.rng.shuffle(pool)
        return pool.pop() if pool else None

    def _fill(self, template: str, member: CastMember, other: CastMember, kind: str = "") -> str:
        thing, subject = self._thing_as_said(kind), _as_object(self.topic.subject, self.topic.text)
        memory = self.memories[0] if "{who}" in template and self.memories else None
        if ("{who}" in template and memory is None) or ("{quote}" in template and not self._quote_of(other)):
            return ""
        if "{subject}" in template.lower() and not subject:
            return ""
        fact = self.facts[0].text if self.facts else ""
        if "{fact" in template.lower() and not fact:
            return ""
        quote = self._quote_of(other, earliest="earlier" in template) or ""
        mine = self._quote_of(member, earliest=True)
        if "{mine}" in template and not mine:
            return ""
        values = {
            "question": self.topic.question,
            "side": self._side(member, thing=thing),
            "against": self._side(other, thing=thing) if self._sides.get(other.id) != self._sides.get(member.id) else
            self._side(member, against=True, thing=thing),
            "subject": subject,
            "thing": thing,
            "other": other.name,
            "quote": quote,
            "mine": mine,
            "answer": "yes" if self._sides.get(member.id, True) else "no",
            "who": memory.who if memory else "",
            "said": _shorten(memory.text, 10) if memory else "",
            "fact": fact,
            "fact_lower": self.facts[0].mid_sentence if self.facts else "",
        }  # fmt: skip
        values |= {key.capitalize(): _capital(value) for key, value in values.items()}
        text = template.format(**values)
        return _capital(_agree(text, thing) if _plural(thing) else text)

    def _side(self, member: CastMember, against: bool = False, thing: str = "") -> str:
        holds_yes = self._sides.get(member.id, True) != against
        if self.topic.debatable:
            return self.topic.yes if holds_yes else self.topic.no
        thing = thing or self.thing
        return f"{thing} {'are' if _plural(thing) else 'is'} {'a wonderful thing' if holds_yes else 'worrying'}"

    def _thing_as_said(self, kind: str) -> str:
        """The thing, or "it" in a line of the show's body right after a line that named it, as people say it
        ("Every time someone mentions it, I need a little sit-down"); never in an opener, a closer or a quote."""
        if kind not in ("argue", "muse") or not self.said or _plural(self.thing):
            return self.thing
        return "it" if self.thing.lower() in self.said[-1][1].lower() else self.thing

    def _quote_of(self, other: CastMember, earliest: bool = False) -> str:
        theirs = [text for who, text, kind in self.said if who == other.id and kind in _QUOTABLE]
        if not theirs:
            return ""
        return _quotable(theirs[0] if earliest else theirs[-1], self.topic.subject, self.topic.question)


_TEMPLATES = {"open": OPEN, "argue": ARGUE, "rebut": REBUT, "muse": MUSE, "callback": CALLBACK,
              "remember": REMEMBER, "close": CLOSE, "fact": FACT}  # fmt: skip
_ASKING = ("why", "what", "how", "who", "where", "when", "which")
_QUOTABLE = ("open", "argue", "muse")  # lines with something in them; never a quote of a quote
_FRESH = ("And one more thing:", "Let me say it again:", "For the record:", "Final answer:")


def _quotable(text: str, subject: str, asked: str) -> str:
    """The clause of a line most worth quoting back: 4 to 9 words, about the subject, not an aside or the question."""
    sentences = re.findall(r"[^.!?]+[.!?]?", re.sub(r'"[^"]*"', "", text))
    said = " ".join(s for s in sentences if not s.strip().endswith("?"))  # a question quoted is no claim
    clauses = [_without_aside(c) for c in re.split(r"[.!?:;]", said)] or [""]
    # Short, and not the side the show keeps repeating: a quote is a few of the other's own words.
    fitting = [c for c in clauses if 3 <= len(c.split()) <= 6 and c.lower() not in asked.lower()]
    about = {w for w in subject.lower().split() if len(w) > 2}
    on_topic = [c for c in fitting if about & set(c.lower().split())]
    clause = max(on_topic or fitting, key=lambda c: len(c.split())) if fitting else _shorten(max(clauses, key=len), 7)
    return clause[:1].lower() + clause[1:] if clause[:2] not in ("I ", "I'") else clause


def _without_aside(clause: str) -> str:
    words = clause.strip(" ,\"'").split()
    while words and words[0].lower().strip(",") in _ASIDES:
        words.pop(0)
    return " ".join(words).strip(" ,")


_ASIDES = {"um", "okay", "ok", "wait", "look", "well", "so", "hold", "on", "sorry", "but", "and", "hello", "hi"}


def _shorten(text: str, words: int) -> str:
    parts = " ".join(text.split()).strip(" \"'").split()
    return " ".join(parts[:words]) + ("..." if len(parts) > words else "")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def create(options: Mapping[str, Any], base_dir: Path, telemetry: Telemetry) -> ImprovWriter:
    """The ``writer`` provider ``improv``: offline templates and the knowledge base's facts (no options)."""
    return ImprovWriter(TopicFacts.open())


def _plural(thing: str) -> bool:
    """Whether ``thing`` names many ("cats better than dogs", "passports"), which "it" would not stand for."""
    return bool(thing.split()) and singular(thing) != thing


_PERSONAL = frozenset(("i", "we", "you", "they", "he", "she"))  # "should we all keep bees": no thing to talk about


def _as_object(subject: str, topic: str) -> str:
    """The topic's subject as the object of "about" or "to", with the article the topic gave it ("is a tomato a
    fruit": "about a tomato"); empty for a person's pronoun, whose lines are left out ("about we", "about us")."""
    if subject.lower() in _PERSONAL:
        return ""
    said = re.search(rf"\b(?:a|an|the) {re.escape(subject)}\b", topic, re.IGNORECASE)
    return said.group(0) if said else subject


def _agree(text: str, thing: str) -> str:
    """``text`` with the words that go with ``thing`` made plural, for a thing that names many: "volcanoes are",
    "are volcanoes insured", "about volcanoes: they want", "than they seem" (the templates say them singular)."""
    name = re.escape(thing)
    text = re.sub(rf"\b{name} is\b", f"{thing} are", text)
    text = re.sub(rf"\b([Ii])s {name}\b", lambda m: f"{'A' if m[1] == 'I' else 'a'}re {thing}", text)
    text = re.sub(rf"\b{name}: it wants\b", f"{thing}: they want", text)
    text = re.sub(rf"\b{name} were a person\b", f"{thing} were people", text)
    return re.sub(rf"\b{name} than it seems\b", f"{thing} than they seem", text)
