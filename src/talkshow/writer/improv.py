"""The offline default writer: topic-aware, persona-driven banter.

Deterministic for a seed, varied across seeds, and needs no network. Lines come
from templates by temperament and role in the debate, filled with the topic.
"""

from __future__ import annotations

import random
import re
from collections.abc import AsyncGenerator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talkshow.config import CastMember
from talkshow.core.kinds.writer import Line, WriteRequest

if TYPE_CHECKING:
    from talkshow.telemetry.events import Telemetry

__all__ = ["ImprovWriter", "topic_subject"]

_ARTICLES = ("a", "an", "the", "my", "our", "your", "some")
_STOP = set(
    """a an the in on of to for and or but with about why how what is are was were be been it this that
    there their our my your room people should would could can will do does did we you they i talk discuss""".split()
)

Template = tuple[str, str]  # (text, emotion)

_OPENERS: dict[str, list[Template]] = {
    "confident": [
        ("Welcome back, everybody! Tonight: {topic}. And yes, I already know the answer.", "excited"),
        ("Good evening! Let's talk about {topic}, because frankly I'm the expert here.", "smug"),
        ("Folks, tonight's big question is {topic}. Spoiler: it's awesome.", "happy"),
    ],
    "anxious": [
        ("Um, hi everyone. Tonight we're discussing {topic}, and I have concerns. Several.", "worried"),
        ("Hello! So, {topic}. I made a list of risks. It's four pages.", "worried"),
        ("Welcome, I guess. Our topic is {topic}, and honestly I didn't sleep.", "sad"),
    ],
    "neutral": [("Welcome to the show. Today: {topic}.", "neutral")],
}
_REPLIES: dict[str, list[Template]] = {
    "confident": [
        ("Relax, {other}. {Thing} is basically a power move. Power moves are good.", "smug"),
        ("Look, {thing} isn't a problem. {Thing} is a lifestyle!", "excited"),
        ("Everybody who's anybody has {thing}. I have two.", "smug"),
        ("Trust me, {other}. I've read one whole article about {thing}.", "happy"),
        ("You worry too much! {Thing} pays for itself in pure confidence.", "happy"),
        ("Risk? The only risk is not having {thing}, my friend.", "smug"),
        ("{other}, champions don't ask questions. Champions buy {thing}!", "excited"),
        ("Numbers? I don't need numbers. I've got vibes, and the vibes say {thing}.", "smug"),
        ("Ha! That's exactly what someone without {thing} would say.", "happy"),
        ("Fine, one tiny downside. But have you seen how shiny {thing} is?", "neutral"),
        ("I took a calculated risk. Well, I didn't calculate. But I took it!", "excited"),
        ("Here's the plan: more {thing}. Bigger {thing}. Next question.", "smug"),
    ],
    "anxious": [
        ("But {other}, what if {thing} breaks? Who do we even call?", "worried"),
        ("Okay, but has anyone checked whether {thing} is insured? Anyone?", "worried"),
        ("I looked it up, and {thing} is mentioned in three lawsuits. Three!", "surprised"),
        ("Sorry, sorry. It's just that {thing} makes me really nervous.", "sad"),
        ("Wait, is {thing} even allowed in here? I feel like it isn't.", "confused"),
        ("What about the neighbors? They'll see {thing} and ask questions!", "worried"),
        ("I'm not saying {thing} is a disaster. I'm saying it's a disaster in progress.", "worried"),
        ("Can we at least read the manual for {thing}? Please?", "worried"),
        ("{other}, I think {thing} is looking at me. Is that normal?", "surprised"),
        ("Okay, deep breath. {Thing} is fine. Everything is fine. Nothing is fine!", "angry"),
        ("I'd like it on record that I was against {thing} from the start.", "sad"),
        ("How much did {thing} cost? Actually, don't tell me. I'll faint.", "worried"),
    ],
    "neutral": [
        ("Interesting point about {thing}, {other}.", "neutral"),
        ("I can see both sides of {thing}, honestly.", "neutral"),
        ("Let's hear more about {thing}.", "happy"),
    ],
}
_CLOSERS: dict[str, list[Template]] = {
    "confident": [
        ("And that settles it: {thing} is simply a win. Goodnight, everybody!", "excited"),
        ("That's our show! Remember, {thing} is always the answer. Always.", "smug"),
    ],
    "anxious": [
        ("So to sum up, {thing} is terrifying. Stay safe, everyone. Goodnight.", "worried"),
        ("That's all the time we have. I'm going to go lie down now.", "sad"),
    ],
    "neutral": [("That's our show. Thanks for watching.", "happy")],
}


MAX_SUBJECT_WORDS = 4


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


def _clean_topic(topic: str) -> str:
    topic = topic.strip().rstrip("?.! ")
    return topic if len(topic) <= 80 else topic[:77] + "..."


class ImprovWriter:
    """Writes alternating banter from templates; deterministic for a seed."""

    name = "improv"

    async def lines(self, request: WriteRequest) -> AsyncGenerator[Line, None]:
        """Yield ``request.turns`` lines, speakers alternating."""
        rng = random.Random(f"improv:{request.seed}:{request.topic}")
        cast = request.cast
        thing = topic_subject(request.topic)
        topic = _clean_topic(request.topic)
        pools: dict[str, list[Template]] = {}
        speaker_index = rng.randrange(len(cast)) if request.seed else 0
        done = len(request.history)
        for turn in range(done, done + request.turns):
            member = cast[speaker_index % len(cast)]
            other = cast[(speaker_index + 1) % len(cast)]
            kind = member.temperament if member.temperament in _REPLIES else "neutral"
            if turn == 0:
                text, emotion = rng.choice(_OPENERS[kind])
            elif turn == done + request.turns - 1 and request.turns > 2:
                text, emotion = rng.choice(_CLOSERS[kind])
            else:
                pool = pools.setdefault(member.id, [])
                if not pool:
                    pool.extend(_REPLIES[kind])
                    rng.shuffle(pool)
                text, emotion = pool.pop()
            yield Line(member.id, _fill(text, topic, thing, other), emotion)
            speaker_index += 1 if len(cast) == 2 else rng.randrange(1, len(cast))


def _fill(template: str, topic: str, thing: str, other: CastMember) -> str:
    text = template.format(topic=topic, thing=thing, Thing=thing[:1].upper() + thing[1:], other=other.name)
    return text[:1].upper() + text[1:]


def create(options: Mapping[str, Any], base_dir: Path, telemetry: Telemetry) -> ImprovWriter:
    """The ``writer`` provider ``improv``: offline templates (no options)."""
    return ImprovWriter()
