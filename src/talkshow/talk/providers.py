"""Builds talk mode's parts from settings: the STT and the reply writer."""

from __future__ import annotations

from talkshow.config import WriterSettings
from talkshow.ears.openai_stt import OpenAITranscriber
from talkshow.ears.pocketsphinx_stt import PocketsphinxSTT
from talkshow.ears.process_stt import ProcessSTT
from talkshow.ears.smart_turn import SmartTurn
from talkshow.ears.stt import SpeechToText
from talkshow.ears.turns import TurnJudge
from talkshow.errors import InputError
from talkshow.talk.settings import TalkSettings
from talkshow.telemetry import Telemetry
from talkshow.writer.reply import ImprovReply, OpenAIReply, ReplyWriter

__all__ = ["make_replier", "make_stt", "make_turn_judge"]

STT_KINDS = ("pocketsphinx", "openai", "faster-whisper")
REPLY_KINDS = ("improv", "openai")


def make_stt(settings: TalkSettings) -> SpeechToText:
    """The configured speech to text: pocketsphinx (bundled), an OpenAI-compatible endpoint or faster-whisper."""
    options = settings.stt_options
    if settings.stt == "pocketsphinx":
        return ProcessSTT(PocketsphinxSTT)  # it holds the GIL while decoding: never in the stream's process
    if settings.stt == "openai":
        return OpenAITranscriber(
            base_url=str(options.get("base_url", "https://api.openai.com/v1")),
            model=str(options.get("model", "gpt-4o-mini-transcribe")),
            api_key_env=str(options.get("api_key_env", "OPENAI_API_KEY")),
            language=str(options.get("language", "")),
            timeout_s=float(options.get("timeout", 10.0)),
        )
    if settings.stt == "faster-whisper":
        from talkshow.ears.whisper_stt import FasterWhisperSTT  # the whisper extra: imported only when chosen

        if "model_dir" not in options:
            raise InputError("talk.stt = 'faster-whisper' needs talk.stt_options.model_dir (a local model directory)")
        return FasterWhisperSTT(
            model_dir=str(options["model_dir"]),
            compute_type=str(options.get("compute_type", "int8")),
            threads=int(options.get("threads", 1)),
            beam_size=int(options.get("beam_size", 1)),
            language=str(options.get("language", "en")),
        )
    raise InputError(f"unknown talk.stt {settings.stt!r}; choose from {', '.join(STT_KINDS)}")


def make_turn_judge(settings: TalkSettings) -> TurnJudge | None:
    """The configured turn model, or None: turns end on silence alone (the default)."""
    if settings.turn_model == "smart-turn":
        return SmartTurn()
    if settings.turn_model:
        raise InputError(f"unknown talk.turn_model {settings.turn_model!r}; choose smart-turn or leave it out")
    return None


def make_replier(settings: TalkSettings, writer: WriterSettings, telemetry: Telemetry) -> ReplyWriter:
    """The configured reply writer; by default the show's own writer kind and options (openai, else improv)."""
    kind = settings.reply or ("openai" if writer.kind == "openai" else "improv")
    if kind == "improv":
        return ImprovReply()
    if kind != "openai":
        raise InputError(f"unknown talk.reply {kind!r}; choose from {', '.join(REPLY_KINDS)}")
    options = {**(writer.options if writer.kind == "openai" else {}), **settings.reply_options}
    if "model" not in options:
        raise InputError("talk.reply = 'openai' needs a model (talk.reply_options.model or the writer's model)")
    return OpenAIReply(
        model=str(options["model"]),
        base_url=str(options.get("base_url", "https://api.openai.com/v1")),
        api_key_env=str(options.get("api_key_env", "OPENAI_API_KEY")),
        temperature=float(options.get("temperature", 0.8)),
        timeout=float(options.get("timeout", 10.0)),
        telemetry=telemetry,
    )
