"""Answers that know things: the knowledge stage first, then the character says the fact in its own voice.

Every reply writer is wrapped in this one (``make_replier``), the tutor aside. For a caller's
words the knowledge stage answers (a fact, a sum, the date, or an honest "no idea"):

- over the rules (no model), the line is built from the fact, in character ("Eight! A spider is
  a predatory arachnid with eight legs.");
- over a model (the embedded brain or a server), the model is given the fact first and the
  question second, and writes the line; its first sentence must keep the answer word, or the
  built line airs instead. Whatever the model adds after it streams on as usual;
- "no idea" is said as such, in character: the rules and the embedded brain never guess. A
  server brain (a real model) may answer unaided.
- spoken words the ears were too unsure of, which no reading of them makes a question it knows,
  are asked for again ("I didn't quite catch that."), never twice in a row.

Words that are not a question of fact (an opinion, a greeting, the character's own life) go to
the wrapped writer unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
from collections import OrderedDict
from collections.abc import AsyncGenerator, Mapping
from dataclasses import replace

from talkshow.core.errors import TalkshowError, WriterError
from talkshow.core.kinds.writer import CALLER, ReplyRequest, ReplyWriter
from talkshow.knowledge.misheard import sound_alikes
from talkshow.knowledge.stage import Answer, KnowledgeStage, open_stage
from talkshow.telemetry.events import Telemetry
from talkshow.writer.answers import SAY_AGAIN

logger = logging.getLogger(__name__)

__all__ = ["NO_IDEA", "KnowledgeReply", "fact_line", "no_idea_line", "with_knowledge"]

_FRAMES = {
    "confident": (
        "{Answer}! {fact}.",
        "Easy. {fact}.",
        "{fact}. Everybody knows that.",
        "{Answer}. {fact}, obviously.",
    ),
    "anxious": ("Oh! Um, {fact}.", "{Answer}, I think. Yes: {fact}.", "I read this once! {fact}."),
    "neutral": ("{fact}.", "{Answer}. {fact}."),
}
# What the knowledge says when it holds no answer: honest, in character, per temperament.
NO_IDEA = {
    "confident": ("No idea, and I host a talk show.", "Beats me. Ask Wendell, he reads.", "That one, I don't know."),
    "anxious": ("Oh no, I don't know that one. Sorry!", "I honestly have no idea. I should know that, shouldn't I?"),
    "neutral": ("I don't know that one.", "I have no idea, I'm afraid."),
}
_COMMON_START = re.compile(
    r"^(?:A|An|The|There|It|Today|Blue|Red|Green|Yellow|White|Black|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|"
    r"Eleven|Twelve|Twenty|Thirty|Forty|Fifty|Sixty|Seventy|Eighty|Ninety|Half|Double|Minus)\b"
)
MODEL_KINDS = ("transcript", "hybrid", "openai")  # writers that are models: they phrase the fact
# The ears make their other readings of an unsure turn when asked (a beam search over the encoded audio: 131 ms
# median, 215 ms p90 here); a reply whose words heard ask nothing the knowledge knows waits this long at most.
READINGS_WAIT_S = 0.4
# Words heard that may be a question (a misheard one may have lost its shape but seldom its question mark or its
# first word): only these wait for the ears' readings. On the dev set said in noise, 2 of 22 answers from readings
# came from words heard as a statement ("You wrote a name." for "Who wrote Hamlet?").
_ASKS = re.compile(
    r".*\?$|(?:what|what's|how|who|where|which|why|when|is|are|was|were|can|do|does|did|in|it's|i'm)\b", re.IGNORECASE
)
# Words the ears were this unsure of (their least sure word), which no reading made a question of: the character
# asks to hear them again rather than answer what may not have been said ("Don't need a fish get a pear tart?
# Yes. I'd bet the studio on it."). On the dev half said in noise, no turn heard right had a word under 0.1, and
# 12% of those misheard did (docs/brain.md). Never twice in a row: a caller who is hard to hear is answered.
ASK_AGAIN_BELOW = 0.1
ANSWERED_AS_KEPT = 32  # the last readings answered instead of the words heard (a call's worth of turns)


def fact_line(answer: Answer, temperament: str, pick: random.Random) -> str:
    """The fact said in character, the answer word kept."""
    frames = _FRAMES.get(temperament, _FRAMES["neutral"])
    fact = answer.fact.rstrip(". ")
    fact = fact[:1].upper() + fact[1:]
    word = answer.answer
    frame = pick.choice(frames)
    if re.search(r"[,:] \{fact\}", frame) and _COMMON_START.match(fact):
        fact = fact[:1].lower() + fact[1:]  # "Oh! Um, a spider is..." (a name keeps its capital)
    if "{Answer}" in frame and (not word or word.lower() in fact.lower()[: len(word) + 2] or len(word.split()) > 3):
        frame = frames[-1] if "{Answer}" not in frames[-1] else "{fact}."  # no "Paris! The capital ... is Paris"
    return frame.format(Answer=word[:1].upper() + word[1:], fact=fact)


def no_idea_line(temperament: str, pick: random.Random) -> str:
    """An honest "no idea", in character."""
    return pick.choice(NO_IDEA.get(temperament, NO_IDEA["neutral"]))


def _hard_to_hear(request: ReplyRequest) -> bool:
    """Whether the ears were too unsure of the words to answer them, and the character did not just ask again."""
    sure = min((word.confidence for word in request.heard_words), default=1.0)
    said_last = next((e.text for e in reversed(request.history) if e.speaker == request.character.id), "")
    return sure < ASK_AGAIN_BELOW and said_last not in SAY_AGAIN


def _keeps(sentence: str, answer: Answer) -> bool:
    """Whether a model's sentence holds the answer: its word; for "what is X" or "who was X", whose answer is
    what the fact says of X, two of the fact's own words besides X's ("A kangaroo." says nothing)."""
    said = sentence.lower()
    if answer.question.kind in ("what_is", "who"):
        named = set(re.findall(r"[a-z]+", answer.answer.lower()))
        content = [w for w in dict.fromkeys(re.findall(r"[a-z]{4,}", answer.fact.lower())) if w not in named]
        return sum(bool(re.search(rf"\b{w}", said)) for w in content) >= min(2, len(content))
    word = answer.answer
    return bool(word) and all(re.search(rf"\b{re.escape(part)}", said) for part in word.lower().split()[:2])


class KnowledgeReply:
    """The knowledge stage before ``inner``; ``guesses``: whether ``inner`` may answer what the knowledge does not."""

    name = "knowledge"

    def __init__(self, inner: ReplyWriter, stage: KnowledgeStage, model: bool, guesses: bool) -> None:
        self.inner = inner
        self.stage = stage
        self.model = model
        self.guesses = guesses
        # Words heard -> the ears' other reading that was answered instead: a follow-up ("how many does it have?")
        # looks back at what was answered, not at the mishearing in the history.
        self._answered_as: OrderedDict[str, str] = OrderedDict()

    async def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
        """The fact in character (or through the model, checked), else what ``inner`` says."""
        before = tuple(self._answered_as.get(e.text, e.text) for e in request.history if e.speaker == CALLER)
        answer, reading = await self._answer(request, before)
        if reading != request.heard:  # the ears' other reading was the question: it is what is answered
            self._answered_as[request.heard] = reading
            while len(self._answered_as) > ANSWERED_AS_KEPT:
                self._answered_as.popitem(last=False)
            request = replace(request, heard=reading)
        me = request.character
        pick = random.Random(f"{me.id}|{request.heard}|{len(request.history)}")
        if answer is None and _hard_to_hear(request):
            yield pick.choice(SAY_AGAIN)
            return
        if answer is None or (not answer.known and self.guesses):
            async with contextlib.aclosing(self.inner.reply(request)) as stream:
                async for sentence in stream:
                    yield sentence
            return
        if not answer.known:
            yield no_idea_line(me.temperament, pick)
            return
        built = fact_line(answer, me.temperament, pick)
        if not self.model:
            yield built
            return
        async for sentence in self._phrased(replace(request, facts=(answer.fact,)), answer, built):
            yield sentence

    async def _answer(self, request: ReplyRequest, before: tuple[str, ...]) -> tuple[Answer | None, str]:
        """What the knowledge says to the words heard; if it knows nothing of them, to the first other reading of
        them that is a question it can answer; and the words it answers. Other readings of spoken words: the words
        heard with a sound-alike small word put back ("In a tomato fruit?": "Is a tomato fruit?"), then the ears'
        own ("how many legs don't aspire to him": "...does a spider have"), which they may still be making: those
        are waited for only here, when nothing before answered, and for at most ``READINGS_WAIT_S``."""
        answer = self.stage.answer(request.heard, before) if request.heard else None
        if (answer is not None and answer.known) or not request.heard:
            return answer, request.heard
        spoken = bool(request.heard_words) or request.heard_seconds > 0  # chat and typed words are as written
        for reading in sound_alikes(request.heard) if spoken else ():
            if (other := self._known(reading, before, request.heard)) is not None:
                return other, reading
        readings = request.heard_readings
        if answer is None and not _ASKS.match(request.heard.strip()):
            return answer, request.heard  # a statement ("I think cats are great"): no reading of it is worth a wait
        waits = not readings.ready and readings.later is not None  # chat and typed words have no readings coming
        others = await asyncio.to_thread(readings.wait, READINGS_WAIT_S) if waits else readings.ready
        for reading in (r for ears in others for r in (ears, *sound_alikes(ears))):
            if (other := self._known(reading, before, request.heard)) is not None:
                return other, reading
        return answer, request.heard

    def _known(self, reading: str, before: tuple[str, ...], heard: str) -> Answer | None:
        other = self.stage.answer(reading, before)
        if other is None or not other.known:
            return None
        asked = other.question
        if asked.kind == "what_is" and not asked.text.rstrip(" ?.!").endswith(asked.subject):
            return None  # "what is the opponent on map": a reading that needed words cut to ask anything
        logger.info("answered %r, another reading of %r", reading, heard)
        return other

    async def _phrased(self, request: ReplyRequest, answer: Answer, built: str) -> AsyncGenerator[str, None]:
        """The model's line with the fact in its prompt; its first sentence must keep the answer word."""
        first = True
        try:
            async with contextlib.aclosing(self.inner.reply(request)) as stream:
                async for sentence in stream:
                    if first and not _keeps(sentence, answer):
                        logger.info("the model's line lost the answer %r; the fact is said instead", answer.answer)
                        yield built
                        return
                    first = False
                    yield sentence
        except WriterError:
            if not first:
                raise
        if first:  # the model failed or said nothing: the fact, built
            yield built

    async def aclose(self) -> None:
        """Close the wrapped writer and the knowledge base."""
        close = getattr(self.inner, "aclose", None)
        if close is not None:
            await close()
        self.stage.close()


def with_knowledge(
    inner: ReplyWriter, kind: str, options: Mapping[str, object], telemetry: Telemetry | None
) -> ReplyWriter:
    """``inner`` behind the knowledge stage; ``inner`` alone if the knowledge base is missing (logged)."""
    try:
        stage = open_stage()
    except TalkshowError as exc:
        logger.warning("answers without the knowledge base: %s", exc)
        return inner
    stage.answer("how many legs does a spider have")  # load the lexicon now, not on the first caller's question
    model = kind in MODEL_KINDS
    guesses = kind == "openai" or (model and options.get("server") not in ("embedded", None))
    return KnowledgeReply(inner, stage, model, guesses)
