"""The channels file and the admission rule: what is let in, what is refused, and the words of each refusal."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from support.paths import SHOWS as SHOWS_DIR
from talkshow.channels import decide, load_channels
from talkshow.channels.admission import idle_cores, tree_cpu_seconds
from talkshow.core.errors import InputError

SHOWS = SHOWS_DIR


def _file(tmp_path: Path, text: str) -> Path:
    (tmp_path / "lambo.toml").write_text((SHOWS / "lambo.toml").read_text())
    path = tmp_path / "channels.toml"
    path.write_text(text)
    return path


def test_two_channels_get_their_own_ports_folders_and_a_core_each(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        """
[house]
data = "air"
[[channel]]
name = "lambo"
show = "lambo.toml"
size = "1280x720"
[[channel]]
name = "late-night"
topics = ["is cereal a soup"]
rtmp = ["env:RTMP_LATE"]
""",
    )
    house = load_channels(path, house_port=9000, cores=2)
    first, second = house.channels
    assert (first.port, second.port) == (9001, 9002)
    assert (first.cpus, second.cpus) == ((0,), (1,)), "one core each while there are enough"
    assert first.show == tmp_path / "lambo.toml" and first.size == (1280, 720) and first.pixels == 1280 * 720
    assert second.topics == ("is cereal a soup",) and second.rtmp == ("env:RTMP_LATE",) and second.size is None
    assert house.data == (tmp_path / "air").resolve()
    three = load_channels(_file(tmp_path, "[[channel]]\nname='a'\n[[channel]]\nname='b'\n[[channel]]\nname='c'\n"),
                          9000, cores=2)  # fmt: skip
    assert all(c.cpus == () for c in three.channels), "more channels than cores: the scheduler shares them"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "no [[channel]] tables"),
        ("[[channel]]\nname = 'a b'\n", "name must be 1-40 letters"),
        ("[[channel]]\nname = 'a'\nsize = '1281x720'\n", "size takes WIDTHxHEIGHT in even pixels"),
        ("[[channel]]\nname = 'a'\nsize = '8000x4000'\n", "from 160x90 to 3840x2160"),
        ("[[channel]]\nname = 'a'\ncpus = [7]\n", "cpus must be a list of core numbers from 0 to 1"),
        ("[[channel]]\nname = 'a'\nshow = 'missing.toml'\n", "show 'missing.toml' is not a file"),
        ("[[channel]]\nname = 'a'\nprot = 9001\n", "unknown key 'prot'"),
        ("[[channel]]\nname = 'a'\n[[channel]]\nname = 'a'\n", "two channels have the name 'a'"),
        ("[[channel]]\nname = 'a'\nport = 9000\n", "a channel's port is the house's own"),
        ("[house]\nlate_rate_limit = 2\n[[channel]]\nname = 'a'\n", "late_rate_limit must be a number from 0 to 1"),
        ("[[channel]]\nname = 'a'\ntopics = 'cats'\n", "topics must be a list of non-empty strings"),
        ("[channel]\nname = 'a'\n", "no [[channel]] tables"),
        ("[[channel]\n", "cannot read the channels file"),
    ],
)
def test_a_bad_channels_file_is_refused_naming_what_is_wrong(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(InputError, match=f"channels.toml: .*{_escaped(words)}"):
        load_channels(_file(tmp_path, text), house_port=9000, cores=2)


def _escaped(words: str) -> str:
    import re

    return re.escape(words)


def test_admission_refuses_when_a_running_channel_is_late_or_the_cores_have_no_room() -> None:
    first = decide(None, idle=1.5, late_rates={}, late_rate_limit=0.005, reserve=0.2)
    assert first.admitted and "the first channel" in first.reason
    assert not decide(None, idle=0.1, late_rates={}, late_rate_limit=0.005, reserve=0.2).admitted
    fits = decide(0.6, idle=1.0, late_rates={"a": 0.0}, late_rate_limit=0.005, reserve=0.2)
    assert fits.admitted and "1.00 cores idle for a need of about 0.60" in fits.reason
    tight = decide(0.9, idle=1.0, late_rates={"a": 0.0}, late_rate_limit=0.005, reserve=0.2)
    assert (
        not tight.admitted
        and "1.00 idle; it needs about 0.90" in tight.reason
        and "0.20 must stay free" in tight.reason
    )
    late = decide(0.1, idle=1.9, late_rates={"a": 0.0, "b": 0.03}, late_rate_limit=0.005, reserve=0.2)
    assert not late.admitted and "channel 'b' is already late on 3.0%" in late.reason


def test_the_measurements_are_real_a_busy_core_is_not_idle_and_cpu_time_adds_up() -> None:
    if not hasattr(os, "sched_getaffinity") or 0 not in os.sched_getaffinity(0):
        pytest.skip("needs core 0")
    pid = os.fork()
    if pid == 0:  # a child that spins on core 0 for 2.5 s
        os.sched_setaffinity(0, {0})
        end = time.monotonic() + 2.5
        while time.monotonic() < end:
            pass
        os._exit(0)
    try:
        time.sleep(0.2)
        idle = idle_cores((0,), seconds=1.0)
        spent = tree_cpu_seconds(os.getpid())
    finally:
        os.waitpid(pid, 0)
    assert idle < 0.3, f"core 0 spun by the child yet {idle:.2f} idle"
    assert spent > 1.0, "this process's tree includes the spinning child"
