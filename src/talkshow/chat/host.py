"""Chat on air: at the pace the show allows, a viewer's question is shown and a character answers it.

Every ``TICK_S`` the host asks whether chat may have the air: no call on the line, at
least ``answer_every_s`` since the last chat answer, and ``answer_every_turns`` show lines
aired since. Then it takes the desk's best question, has moderation judge the viewer's
name and words (held: dropped and counted, the next one is tried), puts the question card
up, writes the answer with the show's reply writer and voices it (judged again, as an
answer). The character then breaks into the show line on air at the end of its sentence
(``cut_in``: a long line would otherwise hold the answer for seconds), the question card goes
up with the answer's first words, and the show goes on with its next line after the answer. A
held answer airs a deflection instead. Topic votes join the studio's queue every ``topic_every_s``.

A removal (a deleted message, a ban or timeout, a cleared chat) reaches the answer at every
stage: while it is written or voiced it is dropped and its card never shows; on air, it is cut
at the next frame as the dump button cuts (and, behind a broadcast delay, dumped before the
public sees it), and the card comes down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from talkshow.chat.cut_in import SHOW_TURNS_BELOW, seconds_to_break
from talkshow.chat.desk import ChatDesk, Question
from talkshow.config import CastMember
from talkshow.core.air import AirChange
from talkshow.core.errors import InputError, LineHeldError
from talkshow.core.faces import OnAir, ShowControl
from talkshow.core.kinds.chat import ChatRemoval
from talkshow.core.kinds.writer import Line, ReplyRequest, ReplyWriter
from talkshow.talk.settings import TalkSettings
from talkshow.tasks import TaskGroup
from talkshow.writer.answers import DEFLECTIONS

logger = logging.getLogger(__name__)

__all__ = ["NO_ANSWER", "TICK_S", "ChatHost"]

TICK_S = 0.25
TRIES_PER_TICK = 5  # held questions skipped in one go before the host waits for the next tick
NO_ANSWER = "Great question. Let me think about that one and come back to you."  # when the writer gave nothing


@dataclass(eq=False)
class _Answer:
    """The answer in flight: whether a removal took its question back, and whether any of it is on air."""

    question: Question
    removed: bool = False
    on_air: bool = False  # a part was pushed: a removal now cuts it
    lock: threading.Lock = field(default_factory=threading.Lock)


class ChatHost:
    """Takes questions from the desk to air; an asyncio task on the server's loop (a context of its own)."""

    def __init__(
        self,
        desk: ChatDesk,
        show: ShowControl,
        replier: ReplyWriter,
        line_busy: Callable[[], bool],
        add_topic: Callable[[str], object],
    ) -> None:
        self.desk = desk
        self.show = show
        self.on_air: OnAir = show.on_air
        self.replier = replier
        self.line_busy = line_busy
        self.add_topic = add_topic
        self.settings = desk.settings
        self.last_answer_at = -float("inf")
        self.turns_since = self.settings.answer_every_turns  # the first question may air at once
        self._deflection = 0
        self._tasks = TaskGroup("chat host")
        self._unwatch: Callable[[], None] = lambda: None
        self._answer: _Answer | None = None

    def start(self) -> None:
        """Begin on the running loop."""
        self._unwatch = self.on_air.watch_air(self._aired)
        self.desk.watch_removals(self._removed)
        self._tasks.spawn(self._run(), "questions")
        if self.settings.topic_every_s > 0:
            self._tasks.spawn(self._topics(), "topic votes")

    async def close(self) -> None:
        """Stop taking questions (an answer on air finishes)."""
        self._unwatch()
        self._tasks.cancel()
        close = getattr(self.replier, "aclose", None)
        if close is not None:
            with contextlib.suppress(Exception):
                await close()

    def _aired(self, change: AirChange) -> None:  # the clock's thread: only count
        if change.kind == "aired" and change.turn < SHOW_TURNS_BELOW:
            self.turns_since += 1

    def _removed(self, removal: ChatRemoval) -> None:
        """A removal (any thread): the answer to a question it covers is dropped, or cut if it is on air."""
        answer = self._answer
        if answer is None or not removal.covers(answer.question.message):
            return
        with answer.lock:
            if answer.removed:
                return
            answer.removed = True
            on_air = answer.on_air
        self.desk.count("removed_in_flight")
        if on_air:  # as the dump button cuts: at the next frame, and out of the delay before the public hears it
            self.on_air.interrupt()
            self.on_air.show_guest_caption("", "")
            with contextlib.suppress(InputError):  # InputError: there is no broadcast delay to dump
                self.show.dump()
        self.show.telemetry.emit(
            "chat_answer_removed", platform=removal.platform, reason=removal.reason or "deleted", on_air=on_air
        )

    def may_answer(self, now: float) -> bool:
        """Chat may have the air now."""
        waited = now - self.last_answer_at >= self.settings.answer_every_s
        return waited and self.turns_since >= self.settings.answer_every_turns and not self.line_busy()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            if self.desk.pending and self.may_answer(time.monotonic()):
                try:
                    await self._answer_one()
                except Exception:  # one bad question must not end chat on air
                    logger.exception("answering a chat question failed")

    async def _answer_one(self) -> None:
        for _ in range(TRIES_PER_TICK):
            question = self.desk.take_question()
            if question is None:
                return
            said = f"{question.name}: {question.text}"
            verdict = await asyncio.to_thread(self.on_air.gate.review, said, "chat", question.message.user_key)
            if verdict.held:
                self.desk.count("held")
                continue
            if not self.desk.still_wanted(question):  # deleted or banned while it was judged
                self.desk.count("removed")
                continue
            await self._air(question)
            return

    async def _air(self, question: Question) -> None:
        arrived_wall = question.message.at
        self.last_answer_at = time.monotonic()
        self.turns_since = 0
        member = self.show.config.member(question.character)
        flight = self._answer = _Answer(question)
        try:
            answer = await self._write(question, member)
            try:
                turn, audio_s = await asyncio.to_thread(self._break_in, member.id, answer, flight)
            except LineHeldError:
                self.desk.count("answer_held")
                answer = DEFLECTIONS[self._deflection % len(DEFLECTIONS)]
                self._deflection += 1
                turn, audio_s = await asyncio.to_thread(self._break_in, member.id, answer, flight)
            except InputError as exc:
                logger.warning("a chat answer could not air: %s", exc)
                self.on_air.show_guest_caption("", "")
                return
        finally:
            self._answer = None
        if flight.removed or turn < 0:  # taken back before or while it aired: it is not an answer to remember
            return
        self.desk.count("answered")
        self.show.telemetry.emit(
            "chat_question_aired", platform=question.message.platform, character=member.id, turn=turn,
            question=question.text, answer=answer, since_arrival_ms=round((time.time() - arrived_wall) * 1000, 1),
            user=question.message.user_key, name=question.name, topic=self.topic(),
        )  # fmt: skip
        self._tasks.spawn(self._take_card_down(audio_s + self.settings.card_extra_s), "card")

    def _break_in(self, character: str, text: str, flight: _Answer) -> tuple[int, float]:
        """Voice the answer, break into the show line on air at a sentence's end, and air it (a worker thread).

        Returns the first part's turn number and the answer's length ((-1, 0.0): removed before it aired). A
        held answer raises ``LineHeldError`` before anything on air is cut. The question card goes up with
        the first part, so a question taken back before its answer airs is never shown.
        """
        air = self.on_air
        line = Line(character, text, "neutral")
        parts = air.stream_line(air.next_pushed_index(), line, "chat", wanted=lambda: not flight.removed)
        first = next(parts, None)
        if first is None or flight.removed:
            return -1, 0.0
        question = flight.question
        air.begin_streamed_line()  # from here no show line may start: the answer goes next
        seconds = len(first.audio) / first.sample_rate
        try:
            wait = seconds_to_break(air, self.show.config.video.fps)
            if wait is not None:
                time.sleep(wait)
                air.interrupt().result(timeout=2.0)  # the show line stops here; its next line follows the answer
            token = air.cut_token  # taken after the cut: parts pushed under it are the ones to air
            with flight.lock:  # a removal either comes first (nothing airs) or sees the part on air (and cuts it)
                if flight.removed:
                    return -1, 0.0
                air.show_guest_caption(question.name, question.text)
                air.push_part(first, token)
                flight.on_air = True
            air.wake_renderer()
            for part in parts:
                with flight.lock:
                    if flight.removed or not air.push_part(part, token):
                        break  # removed, or cut (a skip, a call): the rest does not air
                seconds += len(part.audio) / part.sample_rate
                air.wake_renderer()
        finally:
            air.end_streamed_line()
        return first.index, seconds

    def topic(self) -> str:
        """The topic of the show on air (the show file's, between shows)."""
        show = self.show.status().get("show")
        return str(show["topic"]) if isinstance(show, dict) and show.get("topic") else self.show.config.topic

    async def _write(self, question: Question, member: CastMember) -> str:
        memories = await asyncio.to_thread(self.on_air.recall, question.text, question.message.user_key)
        request = ReplyRequest(member, self.topic(), question.text, (), memories)
        sentences: list[str] = []
        try:
            async with asyncio.timeout(self.show.config.section(TalkSettings).reply_timeout_s):
                async with contextlib.aclosing(self.replier.reply(request)) as stream:
                    async for sentence in stream:
                        sentences.append(sentence)
                        if len(" ".join(sentences)) > 240:
                            break
        except Exception as exc:  # the writer failed: whatever it wrote, or a line that is true anyway
            logger.warning("the chat answer's writer failed: %s", exc)
        return " ".join(sentences) or NO_ANSWER

    async def _take_card_down(self, after_s: float) -> None:
        await asyncio.sleep(after_s)
        if not self.line_busy():  # a caller's own card is not ours to take down
            self.on_air.show_guest_caption("", "")

    async def _topics(self) -> None:
        while True:
            await asyncio.sleep(self.settings.topic_every_s)
            picked = self.desk.take_topic()
            if picked is None:
                continue
            topic, votes = picked
            verdict = await asyncio.to_thread(self.on_air.gate.review, topic, "chat")
            if verdict.held:
                self.desk.count("topic_held")
                continue
            await asyncio.to_thread(self.add_topic, topic)
            self.show.telemetry.emit("chat_topic_queued", topic=topic, votes=votes)
