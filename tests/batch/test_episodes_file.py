"""The episodes file: what it takes, and a clear error naming the episode and the key for what it does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from talkshow.batch import DEFAULT_EPISODE_CPUS, EpisodeStore, episode_cpus, load_episodes
from talkshow.core.errors import InputError


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "show.toml").write_text('title = "x"\ntopic = "y"\n')
    path = tmp_path / "episodes.toml"
    path.write_text(text)
    return path


def test_a_topic_and_a_show_file_with_their_overrides(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[episode]]\nname = "one"\ntopic = " is cereal a soup "\nturns = 4\nseed = 9\ncast = ["wendell", "duke"]\n'
        '[[episode]]\nname = "two"\nshow = "show.toml"\n',
    )
    one, two = load_episodes(path)
    assert (one.name, one.topic, one.turns, one.seed, one.cast) == (
        "one",
        "is cereal a soup",
        4,
        9,
        ("wendell", "duke"),
    )
    assert two.show == (tmp_path / "show.toml").resolve() and two.topic is None and two.file_name == "two.mp4"
    config = one.show_config()
    assert (config.topic, config.turns, config.seed) == ("is cereal a soup", 4, 9)
    assert [m.id for m in config.cast] == ["wendell", "duke"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[episode]]\nname = "a b"\ntopic = "x"\n', "name must be 1-80 letters"),
        ('[[episode]]\nname = "../up"\ntopic = "x"\n', "name must be 1-80 letters"),
        ('[[episode]]\nname = "a"\n', "give a topic or a show file"),
        ('[[episode]]\nname = "a"\ntopic = "x"\nshow = "show.toml"\n', "give a topic or a show file"),
        ('[[episode]]\nname = "a"\nshow = "missing.toml"\n', "is not a file"),
        ('[[episode]]\nname = "a"\ntopic = "x"\nturn = 3\n', "unknown key 'turn'"),
        ('[[episode]]\nname = "a"\ntopic = "x"\nturns = 0\n', "turns must be a whole number"),
        ('[[episode]]\nname = "a"\ntopic = "x"\nseed = true\n', "seed must be a whole number"),
        ('[[episode]]\nname = "a"\ntopic = "x"\ncast = ["my"]\n', "two or more character names"),
        ('[[episode]]\nname = "A"\ntopic = "x"\n[[episode]]\nname = "a"\ntopic = "y"\n', "two episodes are named"),
        ("[show]\n", "unknown key 'show'"),
        ("", "no [[episode]] tables"),
        ("[[episode]\n", "cannot read the episodes file"),
    ],
)
def test_bad_files_are_refused_naming_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("[", r"\[")) as caught:
        load_episodes(write(tmp_path, text))
    assert str(tmp_path / "episodes.toml") in str(caught.value)


def test_the_cpus_an_episode_asks_for_come_from_what_the_manifest_measured() -> None:
    assert episode_cpus({}) == DEFAULT_EPISODE_CPUS
    measured = {n: {"cpu_s": cpu, "wall_s": 10.0} for n, cpu in (("a", 11.0), ("b", 13.0), ("c", 30.0))}
    assert episode_cpus(measured) == 1.25  # the median share, to a quarter core


def test_an_unknown_store_protocol_and_a_broken_manifest_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nosuch://"):
        EpisodeStore("nosuch://bucket/dir")
    store = EpisodeStore(str(tmp_path))
    (tmp_path / "manifest.json").write_text('{"episodes": [{"nom": 1}]}')
    with pytest.raises(InputError, match="not a talkshow manifest"):
        store.read_manifest()
