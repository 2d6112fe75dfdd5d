"""What the audience sees of a caller's words: only what moderation allowed, and only once the turn is sure."""

from __future__ import annotations

from talkshow.core.faces import CallStage
from talkshow.core.kinds.writer import CALLER, Exchange
from talkshow.talk.reply_state import Reply
from talkshow.telemetry.events import Telemetry

__all__ = ["CallerScreen"]


class CallerScreen:
    """Captions a caller's words on air after moderation judged them (called under the conversation's lock)."""

    def __init__(self, stage: CallStage, caller_name: str, telemetry: Telemetry, topic: str) -> None:
        self.stage = stage
        self.caller_name = caller_name
        self.telemetry = telemetry
        self.topic = topic

    def judged(self, reply: Reply, allowed: bool, history: list[Exchange]) -> None:
        """Note the verdict on ``reply.heard``; held words are never shown, and leave the writer's ``history``."""
        reply.heard_allowed = allowed
        if not allowed:
            index = reply.caller_index
            if 0 <= index < len(history) and history[index] == Exchange(CALLER, reply.heard):
                del history[index]
            reply.caller_index = -1
        self.caption(reply)

    def caption(self, reply: Reply) -> None:
        """Show the caller's words once they are allowed and the turn is confirmed (a guess may be abandoned)."""
        if reply.heard_allowed and reply.confirmed and not reply.captioned and not reply.cancelled:
            reply.captioned = True
            self.stage.show_guest_caption(self.caller_name, reply.heard)
            self.telemetry.emit("caller_heard", text=reply.heard, topic=self.topic, person="")  # the show remembers
