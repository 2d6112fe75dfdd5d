"""A preview clip's show: a pack says a test line in the studio set, at preview size.

``talkshow.station.preview`` renders it, in a child process of the cast editor.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from talkshow.characters.cast import cast_from_names
from talkshow.config import ShowConfig, VideoSettings, WriterSettings, show_from_topic
from talkshow.core.cast import VoiceSettings
from talkshow.core.errors import TalkshowError

__all__ = ["MAX_TEXT", "PREVIEW_SIZE", "preview_config"]

PREVIEW_SIZE = (640, 360)
MAX_TEXT = 200


def preview_config(pack: Path, text: str, voice: dict[str, object] | None, script: Path, cache: Path) -> ShowConfig:
    """A one-line show: the pack (seated beside Duke) says ``text``, in ``voice`` if given, at preview size."""
    text = " ".join(text.split())[:MAX_TEXT]
    if not text:
        raise TalkshowError("a preview needs a line to say")
    cast = list(cast_from_names(f"{pack},duke"))
    if voice:
        cast[0] = replace(cast[0], voice=_voice(voice, cast[0].voice))
    if not cast[0].id[:1].isalpha():  # a screenplay speaker starts with a letter
        cast[0] = replace(cast[0], id="guest")
    script.write_text(f"{cast[0].id}: {text}\n", encoding="utf-8")
    config = show_from_topic("a preview", turns=1)
    return replace(
        config,
        cast=tuple(cast),
        writer=WriterSettings("script", {"script": str(script)}),
        video=VideoSettings(width=PREVIEW_SIZE[0], height=PREVIEW_SIZE[1]),
        cache_dir=cache,
    )


def _voice(table: dict[str, object], base: VoiceSettings) -> VoiceSettings:
    """The editor's voice choice on top of the character's own (a pack's [voice] keys)."""
    options = dict(base.options)
    if "formants" in table:
        options["formants"] = float(str(table["formants"]))
    return replace(
        base,
        engine=str(table.get("engine", base.engine)),
        voice=str(table.get("voice", base.voice)),
        pitch=int(str(table.get("pitch", base.pitch))),
        rate=int(str(table.get("rate", base.rate))),
        options=options,
    )
