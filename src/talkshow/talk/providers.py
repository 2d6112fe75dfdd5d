"""Builds talk mode's parts from settings, through the provider registries: the STT, turn model and reply writer."""

from __future__ import annotations

import logging

from talkshow.config import WriterSettings
from talkshow.core.kinds.hearing import SpeechToText, TranscriptionError
from talkshow.core.kinds.writer import ReplyWriter
from talkshow.core.sections import Sections
from talkshow.ears.turn_end import TurnJudge
from talkshow.providers import REPLIES, SECTIONS, STT, TURN_MODELS
from talkshow.talk.settings import TalkSettings
from talkshow.telemetry.events import Telemetry
from talkshow.writer.knowledge_reply import with_knowledge

logger = logging.getLogger(__name__)

__all__ = ["FALLBACK_STT", "make_replier", "make_stt", "make_turn_judge", "reply_kind"]


FALLBACK_STT = "pocketsphinx"  # bundled with its wheel: the ears that are always there


def make_stt(settings: TalkSettings) -> SpeechToText:
    """The configured speech to text (``talk.stt``, with ``talk.stt_options``).

    If its model cannot be used (missing, altered, too new for the runtime) the error is
    logged, naming the file, and the calls are heard by pocketsphinx instead: the show goes
    on. A wrong option is the show file's error and still stops the start.
    """
    try:
        stt: SpeechToText = STT.load(settings.stt)(settings.stt_options)
    except TranscriptionError as exc:
        if settings.stt == FALLBACK_STT:
            raise
        logger.error("%s; the ears fall back to %s", exc, FALLBACK_STT)
        stt = STT.load(FALLBACK_STT)({})
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


def make_replier(
    settings: TalkSettings, writer: WriterSettings, telemetry: Telemetry, sections: Sections | None = None
) -> ReplyWriter:
    """The configured reply writer; by default the show's own writer kind and options (openai, else improv),
    behind the knowledge stage (``talk.knowledge``, on by default: ``writer.knowledge_reply``).

    A reply writer with a show-file table of the same name (``[tutor]`` for ``tutor``) is given that
    table's settings as the option ``section``, and the caller's name as ``caller``.
    """
    kind = reply_kind(settings, writer)
    options = {**(writer.options if writer.kind == kind else {}), **settings.reply_options}
    if sections is not None and kind in SECTIONS:
        options["section"] = sections.get(SECTIONS.load(kind).kind)
        options["caller"] = settings.caller_name  # who is calling, for a writer that remembers people
    replier: ReplyWriter = REPLIES.load(kind)(options, telemetry)
    if kind == "tutor" or not settings.knowledge:  # the tutor answers what a learner says, not questions of fact
        return replier
    return with_knowledge(replier, kind, options, telemetry)
