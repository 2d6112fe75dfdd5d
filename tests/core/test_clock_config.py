from pathlib import Path

import pytest

from talkshow.core.clock import ShowClock
from talkshow.core.errors import ShowFileError
from talkshow.show_check import load_show


def test_clock_gives_whole_samples_per_frame() -> None:
    clock = ShowClock(30, 48_000)
    assert clock.samples_per_frame == 1600
    assert clock.frames_for(1.0) == 30
    assert clock.frames_for(1.01) == 31
    with pytest.raises(ValueError, match="whole multiple"):
        ShowClock(29, 48_000)


def test_example_shows_load(shows_dir: Path) -> None:
    lambo = load_show(shows_dir / "lambo.toml")
    assert [m.id for m in lambo.cast] == ["duke", "wendell"]
    assert lambo.turns == 12 and lambo.video.width == 1920 and lambo.video.fps == 30
    pilot = load_show(shows_dir / "pilot.toml")
    assert pilot.writer.kind == "script"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "show.toml"
    path.write_text(text, encoding="utf-8")
    return path


CAST = '[[cast]]\ncharacter = "duke"\n[[cast]]\ncharacter = "wendell"\n'


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('topic = "x"\nturns = [\n', 2, "invalid TOML"),
        ('topic = "x"\ncolour = 3\n' + CAST, 2, "unknown key 'colour'"),
        ('topic = "x"\n[[cast]]\ncharacter = "duke"\n[[cast]]\ncharacter = "bob"\n', 5, "unknown character 'bob'"),
        ('topic = "x"\n' + CAST + '[cast.voice]\nvoice = "en-us+nope"\n', 7, "unknown espeak voice"),
        ('topic = ""\n' + CAST, 1, "topic is empty"),
        ('topic = "x"\nturns = 0\n' + CAST, 2, "turns must be at least 1"),
        ('topic = "x"\n[video]\nfps = 29\n' + CAST, 3, "fps must be one of"),
    ],
)
def test_bad_show_files_name_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ShowFileError) as info:
        load_show(path)
    assert message in str(info.value)
    assert info.value.line == line
    assert str(path) in str(info.value)
