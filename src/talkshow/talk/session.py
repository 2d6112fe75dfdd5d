"""One call, whatever carries it: ears -> conversation -> air, with every stage of every exchange traced.

The transport (WebRTC, or a phone bridge) feeds the caller's audio in and reports each
reply packet it sends. The session holds the show while the call is on air, turns
barge-ins into cuts, and emits ``talk_exchange`` once the first packet of a reply has
gone out: from the end of the caller's speech to that packet, stage by stage.

A transport whose caller hears the show late (a phone platform's playout buffer) passes
``heard_until``, so a cut reply keeps only what reached them; ``on_reply_stopping`` (the
moment a reply is to stop) and ``on_reply_stopped`` (once the show's cut has landed), so
it can throw away at once the audio it still holds for them, and mute what was already
on its way until the cut.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from talkshow.core.air import AirChange
from talkshow.core.faces import OnAir
from talkshow.core.kinds.hearing import SpeechToText
from talkshow.core.kinds.writer import FollowsAir, ReplyWriter
from talkshow.core.turn import PreparedTurn
from talkshow.ears.listener import EarsEvent, Listener
from talkshow.ears.turn_end import TurnJudge, VoiceActivity
from talkshow.talk.conversation import Conversation
from talkshow.talk.reply_state import Reply
from talkshow.talk.settings import TalkSettings

logger = logging.getLogger(__name__)

__all__ = ["TalkSession"]


class TalkSession:
    """A caller on air with one character (a context manager; ``close`` resumes the show)."""

    def __init__(
        self,
        air: OnAir,
        settings: TalkSettings,
        vad: VoiceActivity,
        stt: SpeechToText,
        replier: ReplyWriter,
        session_id: str = "",
        judge: TurnJudge | None = None,
        transport: str = "webrtc",
        heard_until: Callable[[], int | None] = lambda: None,
        on_reply_stopping: Callable[[], None] = lambda: None,
        on_reply_stopped: Callable[[], None] = lambda: None,
    ) -> None:
        """``heard_until()`` and the ``on_reply_*`` hooks are the transport's (see the module docstring)."""
        self.air = air
        self.settings = settings
        self.id = session_id
        self.telemetry = air.telemetry
        self.started_at = time.perf_counter()
        self._exchanges = 0
        self._lock = threading.Lock()
        self._by_turn: dict[int, Reply] = {}  # turn index -> the reply it is part of
        self._awaiting_packet: list[tuple[int, Reply]] = []  # (first sample on air, reply)
        self._paused_ms: float | None = None  # how soon after the caller's first voice the reply stopped
        self._speaking = False  # between the caller's first voice and the end of their turn
        self._guess: Reply | None = None  # a reply made when the caller paused, held until their turn ends
        self._acked: Reply | None = None  # a reply that acknowledged the caller while their words were transcribed
        self.closed = False
        self.transport = transport
        self.on_reply_stopped = on_reply_stopped
        self._follower = replier if isinstance(replier, FollowsAir) else None
        self.conversation = Conversation(
            air, settings, replier, self._track_part, heard_until, on_stopping=on_reply_stopping
        )
        air.begin_call()
        air.mix_guest(settings.mix_caller)
        self._unwatch = air.watch_air(self._aired)
        self.listener = Listener(vad, stt, self._heard, settings.turns, judge=judge)
        self.telemetry.emit(
            "talk_started",
            session=self.id,
            character=self.conversation.character.id,
            transport=transport,
            caller=settings.caller_name,  # as shown on air (a phone number only masked, by default)
        )

    def __enter__(self) -> TalkSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close("the call ended")

    @property
    def character(self) -> str:
        """The cast id the caller talks to."""
        return self.conversation.character.id

    @property
    def greeting(self) -> str:
        """What the character says first to a caller, if its persona gives it (a character card's first message)."""
        return self.conversation.character.greeting

    def feed(self, samples: npt.NDArray[np.int16], arrived_at: float | None = None) -> None:
        """The caller's audio, 48 kHz mono int16, from the transport's thread or loop (never blocks)."""
        self.listener.feed(samples, arrived_at)
        self.air.guest_audio(samples)  # into the broadcast only if the operator allows it

    def say(self, text: str) -> Reply:
        """The character says ``text`` on air as it is (a greeting, a goodbye); the reply, to follow it."""
        return self.conversation.say(text)

    def hand_over(self, character: str, line: str) -> None:
        """Another cast member takes the call and says ``line``."""
        before = self.character
        self.conversation.hand_over(character, line)
        self.telemetry.emit("talk_handed_over", session=self.id, before=before, after=character)

    def packet_sent(self, pts: int, samples: int = 960) -> None:
        """The transport sent the show-audio packet covering samples ``[pts, pts + samples)``."""
        if not self._awaiting_packet:
            return
        now = time.perf_counter()
        with self._lock:
            due = [(s, r) for s, r in self._awaiting_packet if pts + samples > s]
            self._awaiting_packet = [(s, r) for s, r in self._awaiting_packet if pts + samples <= s]
        for _, reply in due:
            reply.stamps["first_packet"] = now
            self._report_when_timed(reply)

    def stop_replying(self) -> None:
        """The call is ending: nothing more of any reply is voiced or aired (any thread, never blocks)."""
        self.conversation.stop()

    def close(self, reason: str) -> None:
        """End the call: stop listening and replying, and let the show resume."""
        if self.closed:
            return
        self.closed = True
        self.listener.close()
        self.conversation.close()
        self.air.show_guest_caption("", "")
        self.air.mix_guest(False)
        self.air.end_call()
        self._unwatch()
        self.telemetry.emit("talk_ended", session=self.id, reason=reason, exchanges=self._exchanges)

    # ears (listener thread)
    @property
    def busy(self) -> bool:
        """Whether the caller is talking or the character is answering them (a co-host's chat waits for neither)."""
        reply = self.conversation.current
        return self._speaking or (reply is not None and not reply.finished_airing and not reply.cancelled)

    def _heard(self, event: EarsEvent) -> None:
        if event.kind != "judged":  # a turn model's verdict says nothing of whether they still talk
            self._speaking = event.kind in ("voice_onset", "speech_start", "resumed")
        reply = self.conversation.current
        exchange = reply.exchange if reply else -1
        if event.kind == "voice_onset":
            if self.conversation.pause(event.at):
                self._paused_ms = round((time.perf_counter() - event.at) * 1000, 3)
                if not self.settings.finish_sentence:  # the sentence on air still reaches them
                    self.on_reply_stopped()
                self.telemetry.emit("reply_paused", session=self.id, exchange=exchange, cut_ms=self._paused_ms)
            return
        if event.kind == "voice_dropped":
            if self.conversation.resume():
                self.telemetry.emit("reply_resumed", session=self.id, exchange=exchange)
            self._paused_ms = None
            return
        if event.kind == "speech_start":
            self.telemetry.emit("user_speech_start", session=self.id, sample=event.sample)
            paused_ms = self._paused_ms
            if self.conversation.interrupt(event.at) is not None:
                if self._follower is not None:
                    self._follower.reply_cut(self.settings.finish_sentence)
                if paused_ms is None and not self.settings.finish_sentence:  # no pause came first (grace time)
                    self.on_reply_stopped()
                cut_ms = paused_ms if paused_ms is not None else round((time.perf_counter() - event.at) * 1000, 3)
                heard_chars = int(reply.stamps.get("heard_chars", 0)) if reply else 0
                self.telemetry.emit(
                    "barge_in",
                    session=self.id,
                    exchange=exchange,
                    cut_ms=cut_ms,
                    heard_chars=heard_chars,
                    aired_chars=int(reply.stamps.get("aired_chars", heard_chars)) if reply else 0,
                    caller_behind_ms=round(reply.stamps.get("caller_behind_ms", 0.0), 1) if reply else 0.0,
                )
            self._paused_ms = None
            return
        if event.kind == "failed":
            self.telemetry.emit("talk_error", session=self.id, error="the ears failed; see the log")
            return
        if event.kind == "turn_ended":  # over, its words still being transcribed: acknowledge the caller now
            if self._guess is None and self.settings.acknowledge:
                self._exchanges += 1
                stamps = {"turn_end": event.at, **event.details}
                self._acked = self.conversation.acknowledge(self._exchanges, stamps)
            return
        if event.kind == "judged":  # the turn model's verdict at the pause
            self.telemetry.emit("turn_judged", session=self.id, exchange=self._exchanges, **event.details)
            return
        utterance = event.utterance
        if event.kind == "resumed":  # the caller went on after a pause: the guessed reply is dropped
            if self._guess is not None:
                self.conversation.abandon(self._guess)
                self.telemetry.emit("reply_abandoned", session=self.id, exchange=self._guess.exchange)
                self._guess = None
            return
        if utterance is None:
            return
        stamps = {
            "speech_start": utterance.speech_start_at,
            "speech_end": utterance.speech_end_at,
            "stt_final": utterance.text_ready_at,
        }
        ears = utterance.transcript
        if event.kind == "tentative":  # write and voice the reply now; it airs if the turn ends here
            self._exchanges += 1
            self._guess = self.conversation.ask(self._exchanges, utterance.text, stamps, False, ears)
            return
        guess, self._guess = self._guess, None
        acked, self._acked = self._acked, None  # the turn ended before its words were ready: the reply has begun
        if acked is None and (guess is None or guess.heard != utterance.text):
            if guess is not None:
                self.conversation.abandon(guess)
            self._exchanges += 1
        exchange = self._exchanges
        self.telemetry.emit(
            "user_speech_end",
            session=self.id,
            exchange=exchange,
            start_sample=utterance.start_sample,
            end_sample=utterance.end_sample,
            speech_ms=round(utterance.seconds * 1000, 3),
            reason=utterance.reason,
        )
        self.telemetry.emit(
            "stt_final",
            session=self.id,
            exchange=exchange,
            text=utterance.text,
            ms=round(utterance.transcript.ms if utterance.transcript else 0.0, 3),
            error=utterance.error,
            guessed=guess is not None and guess.heard == utterance.text,
        )
        stamps["turn_end"] = utterance.decided_at
        if acked is not None:
            self.conversation.answer(acked, utterance.text, stamps, ears)
        elif guess is not None and guess.heard == utterance.text:
            self.conversation.confirm(guess, stamps)
        else:
            self.conversation.ask(exchange, utterance.text, stamps, ears=ears)

    # the reply's parts as they are pushed (conversation thread)
    def _track_part(self, reply: Reply, part: PreparedTurn) -> None:
        with self._lock:
            self._by_turn[part.index] = reply
        if self._follower is not None:
            seconds = len(part.audio) / part.sample_rate
            self._follower.part_voiced(part.line.text, part.index, seconds, part.spoken_text)

    # telemetry sink: when our parts go on and off air (pacer thread)
    def _aired(self, change: AirChange) -> None:
        """Follow the reply's parts on and off air (on the clock's thread: only notes it)."""
        turn = change.turn
        with self._lock:
            reply = self._by_turn.get(turn)
        if reply is None:
            return
        if self._follower is not None:
            self._follower.part_aired(turn, change.kind != "off_air")
        if change.kind == "off_air":
            reply.off_air.add(turn)
            reply.off_air_frame = max(reply.off_air_frame, change.frame)
            self._forget_aired()
            return
        reply.aired.add(turn)
        if turn == reply.answer_turn and "answer_on_air" not in reply.stamps:
            reply.stamps["answer_on_air"] = time.perf_counter()
            self._report_when_timed(reply)
        if reply.first_aired_at is None:
            reply.first_aired_at = time.perf_counter()
            reply.stamps["on_air"] = reply.first_aired_at
            if reply.exchange <= 0:  # a greeting or goodbye: not an answer, so not an exchange to time
                return
            first_sample = change.frame * self.air.clock.samples_per_frame
            with self._lock:
                self._awaiting_packet.append((first_sample, reply))

    def _forget_aired(self) -> None:
        """Release the replies that have finished airing (the writer may finish after the last part airs,
        so each air change sweeps: at most the reply on air and the one before it are kept)."""
        with self._lock:
            done = {
                id(r): r for r in self._by_turn.values() if r.finished_airing and r is not self.conversation.current
            }
            if not done:
                return
            self._by_turn = {turn: r for turn, r in self._by_turn.items() if id(r) not in done}
        for reply in done.values():
            reply.release()

    def _report_when_timed(self, reply: Reply) -> None:
        """Report the exchange once its first packet has gone and its answer is on air (after any ack)."""
        with self._lock:
            if (
                "first_packet" not in reply.stamps
                or "answer_on_air" not in reply.stamps
                or reply.stamps.get("reported")
            ):
                return
            reply.stamps["reported"] = 1.0
        self._report(reply)

    def _report(self, reply: Reply) -> None:
        stamps = reply.stamps
        end = stamps.get("speech_end", stamps.get("turn_end", 0.0))

        def ms(name: str) -> float:
            return round((stamps[name] - end) * 1000, 3) if name in stamps else -1.0

        self.telemetry.emit(
            "talk_exchange",
            session=self.id,
            exchange=reply.exchange,
            heard=reply.heard,
            speech_ms=round((end - stamps.get("speech_start", end)) * 1000, 3),
            turn_end_ms=ms("turn_end"),
            stt_final_ms=ms("stt_final"),
            first_sentence_ms=ms("first_sentence"),
            first_audio_ms=ms("first_audio"),
            on_air_ms=ms("on_air"),
            first_packet_ms=ms("first_packet"),
            answer_audio_ms=ms("answer_audio"),
            answer_on_air_ms=ms("answer_on_air"),
            acknowledged=bool(reply.ack),
            fallback=bool(stamps.get("fallback")),
        )
