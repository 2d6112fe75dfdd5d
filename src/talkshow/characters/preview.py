"""A preview clip: a pack says a test line in the studio set, voiced, lip-synced, as a small MP4.

The studio's cast editor runs this in a child process (``python -m talkshow.characters.preview``):
the pack came from a stranger and the render is CPU work, so it gets its own process, a lower
priority, a memory cap and a deadline, and the live show's threads never wait on it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from talkshow.characters.cast import cast_from_names
from talkshow.config import ShowConfig, VideoSettings, WriterSettings, show_from_topic
from talkshow.core.errors import TalkshowError
from talkshow.voice.settings import VoiceSettings

__all__ = ["preview_config", "render_preview"]

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


def render_preview(pack: Path, text: str, voice: dict[str, object] | None, out: Path, cache: Path) -> None:
    """Render the preview clip of ``pack`` saying ``text`` to ``out``."""
    from talkshow.show.render import render_show
    from talkshow.telemetry.events import Telemetry

    with tempfile.TemporaryDirectory(prefix="talkshow-preview-") as work:
        config = preview_config(pack, text, voice, Path(work) / "line.screenplay", cache)
        render_show(config, out, Telemetry())  # the editor reads the clip, not the render's events


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


def main(argv: list[str] | None = None) -> int:
    """``python -m talkshow.characters.preview PACK OUT --text T [--voice JSON] --cache DIR``; exit 2 on bad input."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--text", required=True)
    parser.add_argument("--voice", default="", help="a JSON object: engine, voice, pitch, rate, formants")
    parser.add_argument("--cache", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        voice = json.loads(args.voice) if args.voice else None
        if voice is not None and not isinstance(voice, dict):
            raise TalkshowError("--voice must be a JSON object")
        render_preview(args.pack, args.text, voice, args.out, args.cache)
    except (TalkshowError, ValueError) as exc:
        print(f"preview: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
