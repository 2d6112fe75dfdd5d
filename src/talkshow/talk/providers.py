"""Builds talk mode's parts from settings, through the provider registries: the STT, turn model and reply writer."""

from __future__ import annotations

from talkshow.config import WriterSettings
from talkshow.ears.stt import SpeechToText
from talkshow.ears.turns import TurnJudge
from talkshow.providers import REPLIES, STT, TURN_MODELS
from talkshow.talk.settings import TalkSettings
from talkshow.telemetry import Telemetry
from talkshow.writer.reply import ReplyWriter

__all__ = ["make_replier", "make_stt", "make_turn_judge", "reply_kind"]


def make_stt(settings: TalkSettings) -> SpeechToText:
    """The configured speech to text (``talk.stt``, with ``talk.stt_options``)."""
    stt: SpeechToText = STT.load(settings.stt)(settings.stt_options)
    return stt


def make_turn_judge(settings: TalkSettings) -> TurnJudge | None:
    """The configured turn model, or None: turns end on silence alone (the default)."""
    if not settings.turn_model:
        return None
    judge: TurnJudge = TURN_MODELS.load(settings.turn_model)({})
    return judge


def reply_kind(settings: TalkSettings, writer: WriterSettings) -> str:
    """The reply writer's name: ``talk.reply``, or the show writer's kind if it also writes replies (else improv)."""
    return settings.reply or (writer.kind if writer.kind in REPLIES else "improv")


def make_replier(settings: TalkSettings, writer: WriterSettings, telemetry: Telemetry | None) -> ReplyWriter:
    """The configured reply writer; by default the show's own writer kind and options (openai, else improv)."""
    kind = reply_kind(settings, writer)
    options = {**(writer.options if writer.kind == kind else {}), **settings.reply_options}
    replier: ReplyWriter = REPLIES.load(kind)(options, telemetry)
    return replier
