"""The show file's [tutor] table: checked by key, and its pace given to the tutor's voice."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.paths import SHOWS
from talkshow.brain import with_brain
from talkshow.core.errors import ShowFileError
from talkshow.show_file import read_show
from talkshow.talk.settings import TalkSettings
from talkshow.tutor.settings import TutorSettings, tutor_show


def tutor_show_file(tmp_path: Path, tutor_table: str) -> Path:
    text = (SHOWS / "tutor.toml").read_text()
    start = text.index("[tutor]")
    end = text.index("[phone]")
    (tmp_path / "theo.json").write_text((SHOWS / "theo.json").read_text())
    show = tmp_path / "tutor.toml"
    show.write_text(text[:start] + "[tutor]\n" + tutor_table + "\n\n" + text[end:])
    return show


def test_the_bundled_tutor_show_reads() -> None:
    config, _ = read_show(SHOWS / "tutor.toml")
    assert config.section(TutorSettings).level == "B1"
    assert config.section(TalkSettings).reply == "tutor"
    theo = config.member("theo")
    assert theo.greeting.startswith("Hello! I'm Theo"), "the greeting comes from Theo's character card"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('level = "D4"', "tutor level must be one of A2, B1, B2, C1"),
        ("rate = 400", "tutor rate must be 90-220"),
        ("topics = [1, 2]", "topics must be up to 50 strings"),
        ("confidence_floor = 2", "confidence_floor must be between 0 and 1"),
        ("teacher = true", "unknown key 'teacher' in \\[tutor\\]"),
    ],
)
def test_a_bad_tutor_table_is_named_at_its_line(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(ShowFileError, match=message) as caught:
        read_show(tutor_show_file(tmp_path, table))
    assert caught.value.line is not None


def test_the_tutor_speaks_at_the_tables_pace_and_learners_are_kept_beside_the_studio(tmp_path: Path) -> None:
    config, _ = read_show(tutor_show_file(tmp_path, "rate = 120"))
    assert config.member("theo").voice.rate == 150, "the cast's own rate, before the station applies [tutor]"
    ready = tutor_show(config, "theo", tmp_path / "db" / "studio.sqlite3")
    theo = ready.member("theo")
    assert theo.voice.rate == 120
    assert theo.voice.fallback is not None and theo.voice.fallback.rate == 120
    assert ready.member("wendell").voice == config.member("wendell").voice
    assert ready.section(TutorSettings).learners == str(tmp_path / "db" / "learners.sqlite3")
    own, _ = read_show(tutor_show_file(tmp_path, 'learners = "people.sqlite3"'))
    assert tutor_show(own, "theo", tmp_path / "x.sqlite3").section(TutorSettings).learners == str(
        tmp_path / "people.sqlite3"
    ), "a show's own file is relative to the show"
    lambo, _ = read_show(SHOWS / "lambo.toml")
    assert tutor_show(lambo, "duke", tmp_path / "x.sqlite3") == lambo, "a show with no [tutor] is left as it is"


def test_a_server_brain_writes_the_tutors_chunks_and_the_embedded_one_leaves_it_offline() -> None:
    config, _ = read_show(SHOWS / "tutor.toml")
    served = with_brain(config, "ollama:qwen2.5:3b").section(TalkSettings)
    assert served.reply == "tutor" and served.reply_options["model"] == "qwen2.5:3b"
    assert served.reply_options["base_url"] == "http://127.0.0.1:11434/v1"
    embedded = with_brain(config, "embedded").section(TalkSettings)
    assert embedded.reply == "tutor" and "server" not in embedded.reply_options
