"""Each package's show-file table is its own section: parsed through the registry, held by type, defaulted."""

from dataclasses import replace
from pathlib import Path

import pytest

from talkshow.chat.settings import ChatSettings
from talkshow.cohost.settings import CohostSettings
from talkshow.config import show_from_topic
from talkshow.core.errors import ShowFileError
from talkshow.moderation.settings import ModerationSettings
from talkshow.phone.settings import PhoneSettings
from talkshow.providers import SECTIONS
from talkshow.show_check import load_show
from talkshow.studio.memory_settings import MemorySettings
from talkshow.talk.settings import TalkSettings
from talkshow.tutor.settings import TutorSettings

EVERY_TABLE = """topic = "moons"
[talk]
character = "wendell"
end_silence_ms = 500
[phone]
caller_id = "hidden"
[moderation]
blocklist = ["lambo*"]
[chat]
answer_every_s = 7
[memory]
retention_days = 30
[tutor]
level = "c1"
[cohost]
debate = true
"""


def test_each_table_lands_in_its_packages_section(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text(EVERY_TABLE)
    config = load_show(path)
    assert config.section(TalkSettings).character == "wendell"
    assert config.section(TalkSettings).turns.end_silence_ms == 500
    assert config.section(PhoneSettings).caller_id == "hidden"
    assert config.section(ModerationSettings).blocklist == ("lambo*",)
    assert config.section(ChatSettings).answer_every_s == 7.0
    assert config.section(MemorySettings).retention_days == 30.0
    assert config.section(TutorSettings).level == "C1"
    assert config.section(CohostSettings) == CohostSettings(enabled=True, character="", debate=True)
    assert set(SECTIONS) == {"talk", "phone", "moderation", "chat", "memory", "tutor", "cohost"}


def test_a_table_left_out_is_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text('topic = "moons"\n[memory]\nrecall = 1\n')
    config = load_show(path)
    assert config.section(MemorySettings) == MemorySettings(recall=1)
    for kind in (TalkSettings, PhoneSettings, ModerationSettings, ChatSettings):
        assert config.section(kind) == kind(), kind.__name__


def test_a_bad_key_in_a_section_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text('topic = "moons"\n[memory]\nrecall = 1\n[phone]\ncaller_id = "hidden"\nbusy = "sing"\n')
    with pytest.raises(ShowFileError, match="busy") as info:
        load_show(path)
    assert info.value.line == 6, str(info.value)


def test_an_unknown_table_lists_the_sections_there_are(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text('topic = "moons"\n[tlak]\ncharacter = "duke"\n')
    with pytest.raises(ShowFileError, match="unknown key 'tlak'.*talk") as info:
        load_show(path)
    assert info.value.line == 2


def test_with_sections_replaces_only_that_section() -> None:
    config = show_from_topic("moons")
    chat = replace(config.section(ChatSettings), answer_every_s=3.0)
    changed = config.with_sections(chat)
    assert changed.section(ChatSettings).answer_every_s == 3.0
    assert changed.section(TalkSettings) == config.section(TalkSettings) == TalkSettings()
    assert config.section(ChatSettings) == ChatSettings(), "the original is unchanged (frozen data)"
