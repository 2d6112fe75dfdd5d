"""One phone call, whichever bridge carries it: answered or held, on air with a character, ended cleanly.

A bridge (Media Streams, AudioSocket) reads its connection and hands the call what it
hears: audio, marks, keys, the end. The call asks the switchboard for the line; a second
caller hears the busy message or holds, as the dial plan says. On the line it is a talk
session like any other, with the phone's own ends: the show's mix-minus audio paced out
in 20 ms frames (``PhoneSender``), the caller's audio in through the jitter and flood
guard (``InboundAudio``), the greeting, DTMF keys, the call's time limit with a goodbye,
and a watchdog for a bridge that goes silent without saying goodbye.

Everything here runs on the server's event loop; the ears and the reply writer have
threads of their own, and the only calls from them (``on_reply_stopped``) come back
through ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from dataclasses import replace
from typing import Any, Protocol

from talkshow.broadcast.pcm_feed import PcmSubscription
from talkshow.core.faces import OnAir
from talkshow.phone.audio import PhoneAudio
from talkshow.phone.inbound import InboundAudio
from talkshow.phone.outbound import PhoneSender
from talkshow.phone.prompts import play
from talkshow.phone.settings import STOCK_GREETING, PhoneSettings, caller_label, mask_number
from talkshow.phone.wire import Wire
from talkshow.talk.desk import CallerLine, TalkDesk
from talkshow.talk.reply_state import Reply
from talkshow.talk.session import TalkSession
from talkshow.tasks import TaskGroup

logger = logging.getLogger(__name__)

__all__ = ["Board", "PhoneCall"]


class Board(Protocol):
    """What a call asks of the switchboard that made it (``Switchboard``): the line, the prompts, its settings."""

    desk: TalkDesk
    air: OnAir
    settings: PhoneSettings

    async def admit(self, call: PhoneCall) -> CallerLine | None:
        """The line for ``call``, once it is free (None: the caller heard busy and goes)."""

    def prompt(self, name: str, audio: PhoneAudio) -> list[bytes]:
        """A prompt (``busy``, ``hold``) in the call's wire format."""

    def forget(self, call: PhoneCall) -> None:
        """``call`` is over."""


WATCH_EVERY_S = 0.25
STALL_S = 0.5  # a watch tick this much late means the loop stalled, not that the bridge did
FLOOD_LIMIT_S = 5.0  # a bridge flooding this long is broken: the call ends
GOODBYE_WAIT_S = 20.0
LOST_GRACE_S = 0.2  # the goodbye airs at the time limit; the line closes once it has, or after this


class PhoneCall:
    """A caller on a phone bridge (created by ``Switchboard.connect``; lives on the server's loop)."""

    def __init__(self, board: Board, wire: Wire, call_id: str, number: str, audio: PhoneAudio) -> None:
        self.board = board
        self.wire = wire
        self.call_id = call_id
        self.masked = mask_number(number)  # the only form of the number logs and traces get
        self.label = caller_label(number, board.settings.caller_id)  # as shown on air
        self.audio = audio  # the line's format, converted both ways
        self.inbound = InboundAudio(self.audio, f"call {self.masked}")
        self.state = "ringing"  # -> holding -> on_air, or busy; then ended
        self.reason = ""
        self.session: TalkSession | None = None
        self.sender: PhoneSender | None = None
        self.line: CallerLine | None = None
        self.connected_at = time.monotonic()
        self.ended = asyncio.Event()
        self._last_audio = time.monotonic()
        self._subscription: PcmSubscription | None = None
        self._prompt: asyncio.Task[None] | None = None
        self._goodbye: Reply | None = None
        self._closing: tuple[str, bool] | None = None  # why this side is hanging up, once it is
        # A failure in the call's own code is a bug: logged, and the call hangs up (the show goes on).
        self._tasks = TaskGroup(f"call {self.masked}", on_failure=self._failed)

    # What the bridge hears, on the loop.
    def admit(self) -> bool:
        """False while the bridge floods faster than real time (the message is dropped unread, and counted)."""
        return self.inbound.admit()

    def audio_in(self, payload: bytes, timestamp_ms: int | None = None) -> None:
        """A packet of the caller's audio (wire encoding); dropped unless the call is on air."""
        self._last_audio = time.monotonic()
        samples = self.inbound.accept(payload, timestamp_ms)
        if self.session is not None and len(samples):
            self.session.feed(samples, time.perf_counter())

    def mark(self, name: str) -> None:
        """The platform echoed a mark: the caller has heard the audio sent before it."""
        if self.sender is not None:
            self.sender.mark_played(name)

    def dtmf(self, digit: str) -> None:
        """The caller pressed ``digit``: do what the dial plan says."""
        action = self.board.settings.dtmf.get(digit, "ignore")
        self.board.air.telemetry.emit("phone_dtmf", call=self.call_id, digit=digit, action=action)
        if self.session is None or action == "ignore":
            return
        if action == "hangup":
            self._spawn(self.hang_up(f"the caller pressed {digit}"))
        elif action == "handover":
            self._hand_over()

    # The call's life.
    async def run(self) -> None:
        """Get the line (or hear busy), go on air, and watch the call until it ends."""
        if self.ended.is_set():  # hung up before this task first ran (a bridge's uuid and hangup in one read)
            return
        try:
            self._spawn(self._watch())
            line = await self.board.admit(self)
            if self.ended.is_set():  # hung up while it connected or held: the line goes straight back
                if line is not None:
                    await self.board.desk.end_line(line, self.reason)
                return
            self.line = line
            if self.line is None:
                self.state = "busy"
                logger.info("call %s: the line is busy; the caller hears the busy message", self.masked)
                await play(self.wire, self.board.prompt("busy", self.audio))
                await self.hang_up("the line was busy")
                return
            await self._go_on_air(self.line)
        except ConnectionError as exc:  # the wire went while a prompt played
            await self.end(f"the connection was lost: {exc}", fault=True)

    async def _go_on_air(self, line: CallerLine) -> None:
        if self._prompt is not None:  # the hold message, if it is still playing
            self._prompt.cancel()
            await self.wire.send_clear()
        board, air, settings = self.board, self.board.air, self.board.settings
        desk = board.desk
        line.id = self.call_id
        await desk.ensure_warm()
        if self.ended.is_set():  # hung up while the ears loaded
            desk.release(line)
            return
        talk = replace(
            desk.settings,
            character=settings.character or desk.settings.character,
            caller_name=self.label,
            mix_caller=desk.mix_on,
        )
        loop = asyncio.get_running_loop()
        sender = self.sender = PhoneSender(
            self.wire,
            self.audio,
            air.clock.samples_per_frame,
            air.next_stream_frame,
            mark_every_frames=settings.mark_interval_ms // 20,
            on_sent=self._sent,
        )
        self.session = desk.open_call(
            line,
            talk,
            heard_until=lambda: sender.heard_until,
            on_reply_stopping=lambda: loop.call_soon_threadsafe(self._stop_reply),
            on_reply_stopped=lambda: loop.call_soon_threadsafe(sender.cut_landed),
        )
        self._subscription = air.pcm_feed.subscribe(loop, sender.show_audio)
        self._spawn(self._send())
        self.state = "on_air"
        logger.info("call %s on air with %s over %s", self.masked, self.session.character, self.wire.transport)
        own = self.session.greeting if settings.greeting == STOCK_GREETING else ""
        self.session.say(own or settings.greeting)

    async def _send(self) -> None:
        assert self.sender is not None
        try:
            await self.sender.run()
        except ConnectionError as exc:  # a reset mid-reply: the show goes on, the call is over
            # A caller who hangs up closes the socket right after saying so: give the bridge a
            # moment to read the hangup, so the call ends for the reason it really ended.
            await asyncio.sleep(LOST_GRACE_S)
            await self.end(f"the connection was lost mid-call: {exc}", fault=True)

    def _sent(self, first_sample: int) -> None:
        if self.session is not None:
            self.session.packet_sent(first_sample, 960)

    def _stop_reply(self) -> None:
        if self.sender is not None and not self.ended.is_set():
            self.sender.stop_reply()  # now, on this loop: before the cut's cut_landed, which comes after it
            self._spawn(self._clear())

    async def _clear(self) -> None:
        assert self.sender is not None
        try:
            await self.sender.clear_platform()
        except ConnectionError as exc:
            await self.end(f"the connection was lost: {exc}", fault=True)

    def _hand_over(self) -> None:
        assert self.session is not None
        cast = list(self.board.air.config.cast)
        current = next(i for i, m in enumerate(cast) if m.id == self.session.character)
        member = cast[(current + 1) % len(cast)]
        if member.id != self.session.character:
            self.session.hand_over(member.id, f"{member.name} here, taking over the line. Go ahead, caller!")

    async def _watch(self) -> None:
        """Ends a call whose bridge went silent or floods, and one that reached its time limit."""
        settings = self.board.settings
        goodbye_at: float | None = None
        woke = time.monotonic()
        while not self.ended.is_set():
            await asyncio.sleep(WATCH_EVERY_S)
            now, slept = time.monotonic(), time.monotonic() - woke
            woke = now
            if slept > WATCH_EVERY_S + STALL_S:
                # The loop itself was held up (a model loading, a GC): the bridge's packets are waiting
                # unread behind this wake-up, so the caller's silence is judged on the next tick, once read.
                continue
            if now - self._last_audio > settings.silence_timeout_s:
                silent = settings.silence_timeout_s
                await self.hang_up(f"no audio from the bridge for {silent:g} s (it never said the call ended)", True)
            elif self.inbound.flooding_for(now) > FLOOD_LIMIT_S:
                await self.hang_up(f"the bridge sent faster than real time for over {FLOOD_LIMIT_S:g} s", True)
            elif self.session is not None and goodbye_at is None and now - self.connected_at > settings.max_call_s:
                goodbye_at = now
                self._goodbye = self.session.say(settings.goodbye)
            elif goodbye_at is not None and (self._goodbye_heard() or now - goodbye_at > GOODBYE_WAIT_S):
                await self.hang_up(f"the call reached its {settings.max_call_s:g} s limit")

    def _goodbye_heard(self) -> bool:
        """The caller has heard the goodbye to its end (the platform's marks say so, or it was sent)."""
        goodbye, sender = self._goodbye, self.sender
        if goodbye is None or sender is None or not goodbye.finished_airing or goodbye.off_air_frame < 0:
            return False
        end = goodbye.off_air_frame * self.board.air.clock.samples_per_frame
        return sender.heard_until is not None and sender.heard_until >= end

    async def hang_up(self, reason: str, fault: bool = False) -> None:
        """End the call from this side: the platform hangs up and the show resumes."""
        if self._closing is None:
            self._closing = (reason, fault)  # the bridge, seeing its socket close meanwhile, must not say otherwise
        await self.wire.close(reason)
        await self.end(reason, fault)

    async def end(self, reason: str, fault: bool = False) -> None:
        """The call is over (hung up on either side, or lost): free the line, resume the show (idempotent).

        ``fault``: it ended because something went wrong (logged as a warning; otherwise at info).
        """
        if self.ended.is_set():
            return
        self.ended.set()
        reason, fault = self._closing or (reason, fault)
        self.reason = reason
        previous, self.state = self.state, "ended"
        if self._prompt is not None:
            self._prompt.cancel()
        if self.sender is not None:
            self.sender.close()
        if self._subscription is not None:
            self.board.air.pcm_feed.unsubscribe(self._subscription)
        exchanges = self.session.conversation.history if self.session is not None else []
        if self.line is not None:
            await self.board.desk.end_line(self.line, reason)
        self.board.forget(self)
        self._tasks.cancel(keep=asyncio.current_task())
        seconds = time.monotonic() - self.connected_at
        logger.log(
            logging.WARNING if fault else logging.INFO,
            "call %s ended after %.0f s (%s): %s",
            self.masked,
            seconds,
            previous,
            reason,
        )
        self.board.air.telemetry.emit(
            "phone_call_ended",
            call=self.call_id,
            transport=self.wire.transport,
            caller=self.masked,
            state=previous,
            seconds=round(seconds, 3),
            lines=len(exchanges),
            reason=reason,
            **self.inbound.stats.__dict__,
            **({f"sent_{k}": v for k, v in self.sender.stats.__dict__.items()} if self.sender else {}),
        )

    def hold(self) -> None:
        """The caller waits for the line: they hear the hold message (then silence)."""
        self.state = "holding"
        self._prompt = self._spawn(play(self.wire, self.board.prompt("hold", self.audio)))

    def status(self) -> dict[str, object]:
        """The call as the studio lists it (the number masked)."""
        return {
            "call": self.call_id,
            "transport": self.wire.transport,
            "caller": self.label,
            "state": self.state,
            "seconds": round(time.monotonic() - self.connected_at, 1),
        }

    def start(self) -> None:
        """Run the call in the background (on the loop): ``run`` through the call's own tasks."""
        self._spawn(self.run())

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        return self._tasks.spawn(coroutine, getattr(coroutine, "__name__", ""))

    def _failed(self, error: BaseException) -> None:
        if not self.ended.is_set():
            self._spawn(self.hang_up("talkshow failed to handle the call; see the log", True))
