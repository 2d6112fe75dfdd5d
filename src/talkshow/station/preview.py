"""A preview clip: a pack says a test line in the studio set, voiced, lip-synced, as a small MP4.

The studio's cast editor runs this in a child process (``python -m talkshow.station.preview``):
the pack came from a stranger and the render is CPU work, so it gets its own process, a lower
priority, a memory cap and a deadline, and the live show's threads never wait on it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from talkshow.characters.preview import preview_config
from talkshow.core.errors import TalkshowError
from talkshow.station.render import render_show
from talkshow.telemetry.events import Telemetry

__all__ = ["render_preview"]


def render_preview(pack: Path, text: str, voice: dict[str, object] | None, out: Path, cache: Path) -> None:
    """Render the preview clip of ``pack`` saying ``text`` to ``out``."""
    with tempfile.TemporaryDirectory(prefix="talkshow-preview-") as work:
        config = preview_config(pack, text, voice, Path(work) / "line.screenplay", cache)
        render_show(config, out, Telemetry())  # the editor reads the clip, not the render's events


def main(argv: list[str] | None = None) -> int:
    """``python -m talkshow.station.preview PACK OUT --text T [--voice JSON] --cache DIR``; exit 2 on bad input."""
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
