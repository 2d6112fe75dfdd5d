"""A character in conversation with a caller: each reply is written, voiced and aired sentence by sentence.

Replies are made on the conversation's own thread (the writer streams; each complete sentence is voiced and
pushed through the live cut path at once). The history holds what was said; a reply cut by a barge-in keeps
only the words that aired, read from the show clock's exact playback position, not guessed from its length.

Interruptions come in two steps. At the first voice from the caller (``pause``) the reply stops at the next
frame. If that voice was a backchannel (``resume``), the reply picks up again at the start of the word it
stopped in. If it becomes a turn (``interrupt``), the reply is over, and the history keeps what aired. A
caller who hears the show late (a phone line) says how far they have heard (``heard_until``); then "what
aired" is what reached them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from talkshow.core.air import Interruption
from talkshow.core.errors import LineHeldError
from talkshow.core.faces import OnAir
from talkshow.core.kinds.hearing import Transcript
from talkshow.core.kinds.moderation import Verdict
from talkshow.core.kinds.writer import CALLER, Exchange, Line, ReplyWriter
from talkshow.core.turn import PreparedTurn
from talkshow.sentences import SentenceSplitter
from talkshow.supervisor import Policy, Worker
from talkshow.talk.heard import heard_by_listener, split_at
from talkshow.talk.replacements import Replacements
from talkshow.talk.reply_loop import end_replies, enqueue_latest, run_replies
from talkshow.talk.reply_state import Reply
from talkshow.talk.screen import CallerScreen
from talkshow.talk.settings import TalkSettings
from talkshow.writer.answers import acknowledgement
from talkshow.writer.reply import ImprovReply

logger = logging.getLogger(__name__)

__all__ = ["Conversation", "Reply"]

CUT_MARK = " —"  # ends a reply in the history that the caller talked over
ACK_GRACE_S = 0.2  # the turn is over but not its words: wait this long for them before acknowledging


class Conversation:
    """Replies to a caller's utterances in one character's voice, on air (a context manager)."""

    def __init__(
        self,
        air: OnAir,
        settings: TalkSettings,
        replier: ReplyWriter,
        on_reply_part: Callable[[Reply, PreparedTurn], None] = lambda reply, part: None,
        heard_until: Callable[[], int | None] = lambda: None,
        on_stopping: Callable[[], None] = lambda: None,
    ) -> None:
        """``heard_until()``: the stream sample the caller has heard up to, if they hear the show late (else None).
        ``on_stopping()`` runs (on the caller's thread, under the lock: it must only schedule) the moment a reply
        is to stop, before the cut lands, so a transport can drop what it holds for the caller at once."""
        self.air = air
        self.settings = settings
        self.replier = replier
        self.fallback = ImprovReply()
        self.character = air.config.member(settings.character or air.config.cast[0].id)
        self.on_reply_part = on_reply_part
        self.heard_until = heard_until
        self.on_stopping = on_stopping
        self.history: list[Exchange] = []
        self.current: Reply | None = None
        self._lock = threading.Lock()
        self._asks: queue.Queue[Reply | None] = queue.Queue(maxsize=4)
        self.replacements = Replacements(settings.reply_timeout_s)
        self.screen = CallerScreen(air, settings.caller_name, air.telemetry, air.config.topic)
        self._pick = random.Random()  # acknowledgements vary from call to call
        self._last_ack = ""
        self._closed = False
        self._worker = Worker("conversation", lambda stop: self._run(), policy=Policy.FALLBACK)
        self._worker.start()

    def __enter__(self) -> Conversation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ask(
        self, number: int, heard: str, stamps: dict[str, float], confirmed: bool = True, ears: Transcript | None = None
    ) -> Reply:
        """The caller said ``heard`` in exchange ``number`` (``ears``: how the ears heard it): a reply is written and
        aired (queued behind one in progress). Unconfirmed, it is held until ``confirm`` (or dropped by ``abandon``)."""
        reply = Reply(number, heard, stamps=dict(stamps), confirmed=confirmed).heard_by(ears)
        with self._lock:
            if heard:
                reply.caller_index = len(self.history)
                self.history.append(Exchange(CALLER, heard))
        self._enqueue(reply)
        return reply

    def _enqueue(self, reply: Reply) -> None:
        if self._closed:
            reply.cancel()
        else:
            enqueue_latest(self._asks, reply)

    def confirm(self, reply: Reply, stamps: dict[str, float]) -> None:
        """The caller's turn did end where the reply was guessed: air what is ready, and the rest as it comes."""
        with self._lock:
            reply.stamps.update(stamps)
            reply.confirmed = True
            if reply.cancelled or reply.paused is not None:
                return
            if reply.written:
                self._remember(reply)
            self.screen.caption(reply)
            held, reply.held = reply.held, []
            for part in held:
                reply.parts.append(part)
                self.on_reply_part(reply, part)
                self.air.push_part(part, reply.token)
        self.air.wake_renderer()

    def abandon(self, reply: Reply) -> None:
        """The caller went on speaking: the guessed reply is dropped unheard, with their half-sentence."""
        with self._lock:
            reply.cancel()
            reply.held = []
            index = reply.caller_index
            if 0 <= index < len(self.history) and self.history[index] == Exchange(CALLER, reply.heard):
                del self.history[index]
            reply.caller_index = -1

    def acknowledge(self, exchange: int, stamps: dict[str, float]) -> Reply:
        """The caller's turn is over but its text is still being made: the reply opens with a short
        acknowledgement in character now, and answers once ``answer`` gives it the words."""
        self._last_ack = acknowledgement(self.character.temperament, self._last_ack, self._pick)
        reply = Reply(exchange, "", stamps=dict(stamps), ack=self._last_ack, heard_ready=threading.Event())
        self._enqueue(reply)
        return reply

    def answer(self, reply: Reply, heard: str, stamps: dict[str, float], ears: Transcript | None = None) -> None:
        """The words of the turn ``reply`` acknowledged: it goes on to answer them."""
        with self._lock:
            reply.heard = heard
            reply.heard_by(ears)
            reply.stamps.update(stamps)
            if heard:
                reply.caller_index = len(self.history)
                self.history.append(Exchange(CALLER, heard))
        if reply.heard_ready is not None:
            reply.heard_ready.set()

    def say(self, text: str) -> Reply:
        """The character says ``text`` as it is (a greeting, a goodbye), on air like a reply and into the history."""
        splitter = SentenceSplitter()
        sentences = [*splitter.feed(" ".join(text.split()) + " "), splitter.rest()]
        reply = Reply(0, "", script=tuple(s for s in sentences if s))
        self._enqueue(reply)
        return reply

    def hand_over(self, character: str, line: str) -> Reply:
        """Another cast member takes the call: the reply on air stops (what aired stays), and they say ``line``."""
        member = self.air.config.member(character)
        self.interrupt(time.perf_counter())
        self.character = member
        return self.say(line)

    def pause(self, at: float, force: bool = False) -> bool:
        """The caller's voice began at ``at``: stop the reply on air at the next frame (False: nothing to stop).

        Within the grace time after the reply went on air, only a confirmed turn (``force``) stops it. With
        ``finish_sentence``, the sentence on air ends first; only the sentences after it stop.
        """
        with self._lock:
            reply = self.current
            if reply is None or reply.finished_airing or reply.paused is not None:
                return False
            if not reply.confirmed:  # made on speculation at a pause in the caller's speech: nothing of it airs
                return False
            grace_s = self.settings.barge_in_grace_ms / 1000
            if not force and reply.first_aired_at is not None and at - reply.first_aired_at < grace_s:
                return False  # most likely the echo of the reply's own start: the canceller has not settled yet
            finishing = self.settings.finish_sentence
            future = self.air.interrupt(finishing)
            reply.paused = Interruption()  # set before the cut lands: parts voiced meanwhile are held
            until = None if finishing else self.heard_until()  # where the caller is: nothing after it reaches them
            on_air = self.air.next_stream_frame() * self.air.clock.samples_per_frame  # at once: not after the cut
            if not finishing:
                self.on_stopping()
        try:
            cut = future.result(timeout=1.0)
        except Exception as exc:  # the renderer restarting, say: the reply is held all the same
            logger.warning("pausing the reply failed: %s", exc)
            return True
        reply.aired_cut = reply.paused = cut
        if until is not None:  # the caller hears the show late: what reached them is what counts
            reply.paused = heard_by_listener(cut, reply.parts, reply.aired, self.air.air_log, until)
            reply.stamps["caller_behind_ms"] = (on_air - until) * 1000 / self.air.clock.sample_rate
        return True

    def resume(self) -> bool:
        """The voice was a backchannel: the reply goes on from the start of the word it stopped in."""
        with self._lock:
            reply = self.current
            if reply is None or reply.paused is None or reply.cancelled:
                return False
            cut, reply.paused = reply.paused, None
            before, rest = split_at(reply.parts, reply.aired, cut, self._remake)
            reply.aired_before = " ".join(t for t in (reply.aired_before, before) if t)
            token = self.air.cut_token
            reply.token = token
            reply.parts = [*rest, *reply.held]
            reply.held = []
            for part in reply.parts:
                self.on_reply_part(reply, part)
                self.air.push_part(part, token)
        self.air.wake_renderer()
        return True

    def interrupt(self, at: float) -> Interruption | None:
        """The caller took the turn: the reply is over, and only what aired stays in the history."""
        if self.current is not None and self.current.paused is None:
            self.pause(at, force=True)  # no pause yet: the onset fell in the grace time
        with self._lock:
            reply = self.current
            if reply is None or reply.paused is None:
                return None
            cut = reply.paused
            reply.cancel()
            before, _ = split_at(reply.parts, reply.aired, cut, self._remake)
            heard = " ".join(t for t in (reply.aired_before, before) if t)
            if reply.aired_cut is not None and reply.aired_cut is not cut:
                aired, _ = split_at(reply.parts, reply.aired, reply.aired_cut, self._remake)
                reply.stamps["aired_chars"] = len(" ".join(t for t in (reply.aired_before, aired) if t))
            if 0 <= reply.history_index < len(self.history):
                del self.history[reply.history_index]
            if heard:
                self.history.append(Exchange(self.character.id, heard + CUT_MARK))
            reply.stamps["heard_chars"] = len(heard)
        return cut

    def _remake(self, part: PreparedTurn, sample: int, char: int) -> PreparedTurn:
        """The rest of ``part`` from ``sample`` (a resumed reply's next turn)."""
        return self.air.rest_of(part, self.air.next_pushed_index(), sample, char)

    def stop(self) -> None:
        """Stop replying now (any thread, never blocks): nothing more of any reply is voiced, and a reply pushed
        but not yet begun on air is taken off; one already airing ends with its sentences already pushed (a
        word cut off mid-air would sound worse). ``close`` then ends the thread."""
        self._closed = True  # nothing is queued from now on
        with self._lock:
            reply = self.current
            if reply is None or reply.cancelled:
                return
            unheard = bool(reply.parts) and not reply.aired  # pushed, and none of it on air yet
            reply.cancel()
        if unheard:  # a caller who left before it began hears none of it, and nor does the audience
            self.air.interrupt()

    def close(self) -> None:
        """Stop replying: the reply being written and every queued one are dropped, and the thread ends."""
        self.stop()
        end_replies(self._asks)
        self._worker.stop(timeout=10)
        if self._worker.alive:
            logger.warning("the conversation thread did not stop within 10 s (a reply is still being voiced)")

    def _run(self) -> None:
        run_replies(self._asks, self._answer, self._begin, self.replier)

    def _begin(self, reply: Reply) -> bool:
        """Whether to answer ``reply`` now (it may have been talked past, or the call be over)."""
        if reply.cancelled or self._closed:
            reply.cancel()
            return False
        self.current = reply
        return True

    async def _answer(self, reply: Reply) -> None:
        sentences: list[str] = []
        reply.token = self.air.begin_streamed_line()
        loop = asyncio.get_running_loop()
        deadline = asyncio.timeout(self.settings.reply_timeout_s)

        def next_sentence_due() -> None:  # the deadline is for each sentence, not the whole (voiced) reply
            deadline.reschedule(loop.time() + self.settings.reply_timeout_s)

        writing = asyncio.ensure_future(self._stream(reply, sentences, next_sentence_due))

        def abort() -> None:  # from any thread: the writing task lives on this loop
            loop.call_soon_threadsafe(writing.cancel)

        reply.abort = abort
        if reply.cancelled:  # cancelled before ``abort`` was set
            writing.cancel()
        try:
            try:
                async with deadline:
                    await writing
            except asyncio.CancelledError:
                if not reply.cancelled:
                    raise
                logger.info("reply %d dropped after %d sentences: the caller went on", reply.exchange, len(sentences))
            except Exception as exc:  # held by moderation, an LLM error or hang: a replacement, in character
                replacement = self.replacements.after(reply, len(sentences), exc)
                if replacement and self._air(reply, replacement):
                    sentences.append(replacement)
        finally:
            reply.abort = lambda: None
            self.air.end_streamed_line()
        with self._lock:
            reply.text = " ".join(s for s in sentences if s)
            reply.written = True  # under the lock: ``confirm`` either sees it written or leaves this to us
            if reply.confirmed:
                self._remember(reply)

    def _remember(self, reply: Reply) -> None:
        """Put the written reply in the history (under the lock; once it is sure to air)."""
        if reply.text and not reply.cancelled and reply.history_index < 0:
            reply.history_index = len(self.history)
            self.history.append(Exchange(self.character.id, reply.text))

    async def _stream(self, reply: Reply, sentences: list[str], on_sentence: Callable[[], None]) -> None:
        if reply.script:
            for sentence in reply.script:
                if reply.cancelled or not await asyncio.to_thread(self._air, reply, sentence):
                    return
                sentences.append(sentence)
                on_sentence()
            return
        if reply.ack:  # the words may be a moment away: if they come within the grace, answer them at once
            assert reply.heard_ready is not None
            if await asyncio.to_thread(reply.heard_ready.wait, ACK_GRACE_S):
                reply.ack = ""  # an answer on air sooner beats an acknowledgement the answer waits behind
            else:
                if not await asyncio.to_thread(self._air, reply, reply.ack, False):
                    return
                sentences.append(reply.ack)
                on_sentence()
                if not await asyncio.to_thread(reply.heard_ready.wait, self.settings.reply_timeout_s):
                    raise TimeoutError("the caller's words never came")
            if reply.cancelled:
                return
        if reply.heard and (verdict := await self._judge_heard(reply)).held:
            raise LineHeldError("the caller's words were held", verdict.reason, verdict.stage, verdict.unsure, True)
        memories = await asyncio.to_thread(self.air.recall, reply.heard, "") if reply.heard else ()
        with self._lock:
            earlier = self.history[: reply.caller_index] if reply.caller_index >= 0 else list(self.history)
            request = reply.request(self.character, self.air.config.topic, tuple(earlier), memories)
        replier = self.replier if reply.heard else self.fallback
        async with contextlib.aclosing(replier.reply(request)) as stream:
            async for sentence in stream:
                if reply.cancelled:
                    return
                if not await asyncio.to_thread(self._air, reply, sentence):
                    return
                sentences.append(sentence)
                on_sentence()

    async def _judge_heard(self, reply: Reply) -> Verdict:
        """Moderation judges the caller's words (off the ears' thread), knowing how sure the ears were of them."""
        sure = min((word.confidence for word in reply.heard_words), default=1.0)  # the least sure word
        verdict = await asyncio.to_thread(self.air.gate.review, reply.heard, "caller", self.settings.caller_name, sure)
        with self._lock:
            self.screen.judged(reply, verdict.allowed, self.history)
        return verdict

    def _air(self, reply: Reply, sentence: str, answering: bool = True) -> bool:
        """Voice ``sentence`` and push its parts on air (held while paused); False if the reply was cut.

        ``answering``: it depends on what the caller said (not the acknowledgement before it).
        """
        reply.stamps.setdefault("first_sentence", time.perf_counter())  # a replacement for a held line counts too
        line = Line(self.character.id, sentence, "happy" if sentence.endswith("!") else "neutral")
        index = self.air.next_pushed_index()
        for part in self.air.stream_line(index, line, "talk", wanted=lambda: not (reply.cancelled or self._closed)):
            part = replace(part, continued=True)  # the reply's sentences run on: no pause between them
            with self._lock:
                if reply.cancelled:
                    return False
                reply.stamps.setdefault("first_audio", time.perf_counter())
                if answering and reply.answer_turn < 0:
                    reply.stamps["answer_audio"] = time.perf_counter()
                    reply.answer_turn = part.index
                if reply.paused is not None or not reply.confirmed:
                    reply.held.append(part)
                    continue
                reply.parts.append(part)
                self.on_reply_part(reply, part)
                if not self.air.push_part(part, reply.token):
                    return False
            self.air.wake_renderer()  # a renderer waiting for room makes the cut for it now
        return True
