"""The tutor as a reply writer: each learner turn is checked, answered in chunks, and followed on air.

Offline (the default), the chunks are composed from the grammar checker's findings (``compose``).
With a model (``--brain ...``), the model writes them as JSON held to ``CHUNKS_SCHEMA``, streamed
so the first chunk is voiced while the rest come, and each is checked against the checker: a
correction of words the learner did not say is dropped, a correction of a word the ears were unsure
of becomes a question, and an error the checker found that the model let pass is corrected all the
same. A reply that does not validate ends in the offline reply, never in silence.

One ``TutorReply`` is made per call (the talk desk makes a reply writer per call), so its ``lesson``
is that call's: the page reads it (``/api/tutor/lesson``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections import Counter
from collections.abc import AsyncGenerator, Mapping
from dataclasses import replace
from typing import Any

from talkshow.core.errors import WriterError
from talkshow.core.kinds.writer import CALLER, ReplyRequest
from talkshow.openai_api import ChatStream, Endpoint, EndpointError
from talkshow.telemetry.events import Telemetry
from talkshow.tutor.checker import Check, GrammarChecker
from talkshow.tutor.chunks import CHUNKS_SCHEMA, Chunk, ChunkStream, TutorReplyError
from talkshow.tutor.compose import ask_and_correct, compose_reply, explain, pick_finding, remind
from talkshow.tutor.learners import LearnerBook, Recurring
from talkshow.tutor.lesson import Lesson, LessonTurn
from talkshow.tutor.settings import LEVELS, TutorSettings

__all__ = ["TutorReply", "create", "tutor_messages"]

logger = logging.getLogger(__name__)


@functools.cache
def shared_checker() -> GrammarChecker:
    """One grammar checker for the process (thread-safe), built on first use: Harper's dictionary takes about a
    second to build, and the talk desk makes a reply writer for every call."""
    return GrammarChecker()


class TutorReply:
    """Answers a learner as a tutor: a recast, at most one correction explained, a question."""

    name = "tutor"

    def __init__(
        self,
        settings: TutorSettings,
        checker: GrammarChecker,
        model: tuple[str, Endpoint] | None = None,
        telemetry: Telemetry | None = None,
        seed: int | None = None,
        learner: str = "",
    ) -> None:
        """``learner``: who is calling; with ``settings.learners`` set, they are remembered there (SQLite)."""
        self.settings = settings
        self.checker = checker
        self.lesson = Lesson()
        self.learner = learner or "learner"
        self.book: LearnerBook | None = (
            None  # opened at the first turn (a writer built only to check settings opens none)
        )
        self.lesson_id = 0
        self._recurring: Recurring | None = None
        self.habits: Counter[str] = Counter()  # the kinds of error this learner made, for what to explain
        self._asked: set[str] = set()
        self._pick = random.Random(seed)
        self._model = model
        if model is not None and telemetry is None:
            raise ValueError("a tutor with a model is given the show's telemetry: its requests are measured there")
        self._chat = ChatStream(model[1], telemetry, connect_s=3.0) if model is not None and telemetry else None

    async def reply(self, request: ReplyRequest) -> AsyncGenerator[str, None]:
        """The chunks' spoken text, one at a time, as each is ready to voice."""
        floor = self.settings.confidence_floor
        check = await asyncio.to_thread(self.checker.check, request.heard, request.heard_words, floor)
        first_turn = not self.lesson.turns
        if first_turn and self.settings.learners:
            await asyncio.to_thread(self._open_book)
        self.habits.update(f.kind for f in check.findings)
        if self.book is not None and request.heard.strip():
            await asyncio.to_thread(
                self.book.add_turn,
                self.lesson_id, self.learner, request.heard, check.corrected, request.heard_seconds, check.findings,
            )  # fmt: skip
        if self._chat is None or not request.heard.strip():
            chunks = self._offline(check)
            if first_turn and self._recurring is not None:
                chunks = remind(self._recurring, chunks, self._asked)
            turn = self.lesson.begin_turn(request.heard, check.corrected, chunks, "tutor")
            async for text in self._voice(turn):
                yield text
            return
        turn = self.lesson.begin_turn(request.heard, check.corrected, [], "model")
        try:
            async with contextlib.aclosing(self._from_model(request, check, turn)) as texts:
                async for text in texts:
                    yield text
        finally:
            self.lesson.done_voicing(turn)

    def _open_book(self) -> None:
        """Start this lesson in the learners' book, and take what it knows of the learner."""
        self.book = LearnerBook(self.settings.learners)
        self.lesson_id = self.book.start_lesson(self.learner, self.settings.level)
        self.habits = self.book.habits(self.learner)
        self._recurring = self.book.recurring(self.learner, self.lesson_id)
        self.lesson.lesson_id = self.lesson_id

    def _offline(self, check: Check) -> list[Chunk]:
        return compose_reply(check, self.settings.level, self._asked, self._pick, self.habits, self.settings.topics)

    async def _voice(self, turn: LessonTurn, start: int = 0) -> AsyncGenerator[str, None]:
        try:
            for index in range(start, len(turn.chunks)):
                self.lesson.voicing(turn, index)
                yield turn.chunks[index].chunk.text
        finally:
            self.lesson.done_voicing(turn)

    async def _from_model(self, request: ReplyRequest, check: Check, turn: LessonTurn) -> AsyncGenerator[str, None]:
        assert self._model is not None and self._chat is not None
        model, _ = self._model
        body = {
            "model": model,
            "temperature": 0.3,
            "max_tokens": 320,
            "messages": tutor_messages(request, check, self.settings),
            "response_format": {"type": "json_schema", "json_schema": {"name": "tutor_reply", "schema": CHUNKS_SCHEMA}},
        }
        stream, said, corrected = ChunkStream(), 0, False
        try:
            async for delta in self._chat.deltas(body):
                for chunk in stream.feed(delta):
                    kept = self._checked(chunk, check)
                    if kept is None:
                        continue
                    corrected = corrected or kept.kind == "correction"
                    if kept.kind == "follow_up" and not corrected and (check.findings or check.doubtful):
                        said = await self._add(turn, self._checker_correction(check), said)
                        yield turn.chunks[said - 1].chunk.text
                        corrected = True
                    said = await self._add(turn, kept, said)
                    yield kept.text
            stream.finish()
        except (TutorReplyError, EndpointError, WriterError) as exc:
            logger.warning("the tutor's model reply failed after %d chunks (%s); the offline tutor answers", said, exc)
            turn.source = "fallback"
            for chunk in self._offline(check):
                if said and chunk.kind == "say":
                    continue  # the model already reacted; keep only the checker's correction and a question
                said = await self._add(turn, chunk, said)
                yield chunk.text
            return
        if (check.findings or check.doubtful) and not corrected:
            said = await self._add(turn, self._checker_correction(check), said)
            yield turn.chunks[said - 1].chunk.text

    async def _add(self, turn: LessonTurn, chunk: Chunk, said: int) -> int:
        self.lesson.add_chunk(turn, chunk)
        self.lesson.voicing(turn, said)
        return said + 1

    def _checker_correction(self, check: Check) -> Chunk:
        finding = pick_finding(check.findings, self.habits)
        if finding is None:  # only words the ears were unsure of: asked and corrected at once
            return ask_and_correct(check.doubtful[0], check.text, self.settings.level)
        return explain(finding, self.settings.level)

    def _checked(self, chunk: Chunk, check: Check) -> Chunk | None:
        """``chunk`` as it may air: a correction of words not said is dropped; of a doubtful word, asked."""
        if chunk.kind != "correction":
            return chunk
        wrong = chunk.wrong.lower()
        if wrong not in check.text.lower():
            logger.info("the tutor's model corrected %r, which the learner did not say: dropped", chunk.wrong)
            return None
        if any(word in wrong.split() for word in check.unsure):  # asked and corrected at once
            said = f"Did you say '{chunk.wrong}'? If so, we say '{chunk.right}'."
            return Chunk("correction", said, chunk.wrong, chunk.right, chunk.why, source=chunk.source)
        return chunk

    def part_voiced(self, text: str, turn: int, seconds: float, spoken: str = "") -> None:
        """A part carrying a chunk's text was voiced (``FollowsAir``)."""
        self.lesson.part_voiced(text, turn, seconds, spoken)

    def part_aired(self, turn: int, on_air: bool) -> None:
        """A part went on or off air (``FollowsAir``)."""
        self.lesson.part_aired(turn, on_air)

    def reply_cut(self, finishing: bool = False) -> None:
        """The learner talked over the reply (``FollowsAir``): its unfinished chunks are cut.

        ``finishing``: the sentence on air ends first, so the chunk it carries can still end played.
        """
        self.lesson.cut(finishing)

    async def aclose(self) -> None:
        """The call is over: the lesson ends in the learners' book, and the model's connection closes."""
        if self.book is not None:
            self.book.end_lesson(self.lesson_id)
            self.book.close()
            self.book = None
        if self._chat is not None:
            await self._chat.aclose()


def tutor_messages(request: ReplyRequest, check: Check, settings: TutorSettings) -> list[dict[str, str]]:
    """The chat messages asking a model for a tutor's chunks, with the checker's findings as hints."""
    me = request.character
    found = "; ".join(f"'{f.wrong}' -> '{f.right}' ({f.why})" for f in check.findings) or "none"
    system = (
        f"You are {me.name}, a warm English tutor talking with a learner at CEFR level {settings.level}. "
        f"{me.persona} Reply as JSON: a list of chunks. First a 'say' chunk reacting to what they said, "
        "repeating their sentence corrected, naturally. Then at most one 'correction' chunk (wrong, right, why, "
        "and the text you say), only for a real error in their words. Then one 'follow_up' question. "
        "Short, simple sentences. A grammar checker found these errors: " + found + "."
    )
    messages = [{"role": "system", "content": system}]
    for line in request.history[-8:]:
        messages.append({"role": "user" if line.speaker == CALLER else "assistant", "content": line.text})
    messages.append({"role": "user", "content": request.heard})
    return messages


def create(options: Mapping[str, Any], telemetry: Telemetry) -> TutorReply:
    """The ``reply`` provider ``tutor``: the show's ``[tutor]`` table (``section``); a model if ``model`` is set."""
    settings = options.get("section")
    if not isinstance(settings, TutorSettings):
        settings = TutorSettings()
    if options.get("level") in LEVELS:  # the learner's choice for this lesson, from the lesson page
        settings = replace(settings, level=str(options["level"]))
    if options.get("topic"):
        settings = replace(settings, topics=(str(options["topic"])[:80], *settings.topics))
    model = None
    if options.get("model") and options.get("server") != "embedded":
        model = (str(options["model"]), Endpoint.from_options(options, timeout_s=10.0))
    return TutorReply(settings, shared_checker(), model, telemetry, learner=str(options.get("caller", "")))
