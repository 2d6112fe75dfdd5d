"""A show file read and checked: its character packs, voices and writers exist and take their options.

Checking builds the providers a show file names (on the call, never on import), so it is a
step of its own after ``talkshow.show_file.read_show``, which builds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from talkshow.config import ShowConfig
from talkshow.core.errors import ShowFileError
from talkshow.providers import WRITERS
from talkshow.show_file import ShowSource, read_show
from talkshow.talk.settings import TalkSettings

__all__ = ["check_show", "load_show"]


def load_show(path: Path | str) -> ShowConfig:
    """Read and check a show file; raises ShowFileError naming file and line."""
    config, source = read_show(path)
    check_show(config, source)
    return config


def check_show(config: ShowConfig, src: ShowSource) -> None:
    """Check that every character pack and voice exists and the writers take their options (errors name the line)."""
    from talkshow.characters.pack import find_pack
    from talkshow.core.errors import TalkshowError, UnknownCharacterError
    from talkshow.talk.providers import make_replier
    from talkshow.telemetry.events import Telemetry
    from talkshow.voice.service import SpeechService

    unheard = Telemetry()  # what is built here only proves it can be: nobody listens to it
    talk = config.section(TalkSettings)
    builds: list[tuple[Callable[[], object], str]] = [
        (lambda: WRITERS.load(config.writer.kind)(config.writer.options, config.base_dir, unheard), "writer"),
    ]
    replied = talk
    if talk.reply_options.get("server") == "embedded":  # the station starts it and gives its address
        from dataclasses import replace

        from talkshow.llm.models import embedded_model

        builds.append((lambda: embedded_model(talk.reply_options), "talk"))
        replied = replace(talk, reply_options={**talk.reply_options, "base_url": "http://127.0.0.1:9/v1"})
    builds.append((lambda: make_replier(replied, config.writer, unheard, config.sections), "talk"))
    for build, table in builds:
        try:
            build()
        except TalkshowError as exc:
            raise ShowFileError(src.path, str(exc), src.table_line(table) or None) from exc
    speech = SpeechService(config.video.sample_rate, None, unheard)
    for index, member in enumerate(config.cast):
        after = src.table_line("cast", index)
        try:
            find_pack(member.pack, config.base_dir)
        except UnknownCharacterError as exc:
            raise src.error(str(exc), "character", member.pack, after=after) from exc
        try:
            speech.check(member.voice)
        except TalkshowError as exc:
            shown = Path(member.voice.voice).name if member.voice.voice.endswith(".onnx") else member.voice.voice
            raise src.error(str(exc), "voice", shown, after=after) from exc
