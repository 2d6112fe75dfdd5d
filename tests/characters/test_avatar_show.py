"""An imported avatar on air: lip sync measured from the rendered H.264, decoded back."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from support.avatar_files import write_save
from support.small_shows import small_config
from talkshow.characters.cast import cast_from_names
from talkshow.characters.importing import import_avatar
from talkshow.station.render import render_show
from talkshow.telemetry.events import MemorySink, Telemetry

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside


def _magenta_area(rgb: np.ndarray) -> int:
    """Pixels of the test avatar's mouth colour (250, 40, 200), with room for the encoder's error."""
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    return int(np.count_nonzero((r > 190) & (g < 110) & (b > 140) & (r - g > 110)))


def test_an_imported_two_state_mouth_follows_the_speech_in_the_video(tmp_path: Path) -> None:
    folder = import_avatar(write_save(tmp_path, mouths=1), tmp_path / "packs")
    config = small_config(tmp_path, turns=4)
    config = config.with_overrides(cast=cast_from_names(f"{folder},duke"))
    assert config.cast[0].id == "my" and config.cast[0].voice != config.cast[1].voice
    sink = MemorySink()
    out = tmp_path / "show.mp4"
    render_show(config, out, Telemetry([sink]))
    with av.open(str(out), "r") as container:
        # the avatar sits in the left half; the bundled Duke has no magenta
        mouth = [_magenta_area(f.to_ndarray(format="rgb24")[:, :320]) for f in container.decode(video=0)]
    with av.open(str(out), "r") as container:
        audio = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    rms = np.array([np.sqrt(np.mean(audio[i * 1600 : (i + 1) * 1600] ** 2)) for i in range(len(mouth))])
    turns = sorted((e.fields["frame"], e.fields["speaker"]) for e in sink.of_kind("turn_on_air"))
    mine = np.zeros(len(mouth), bool)
    for (start, speaker), (end, _) in zip(turns, [*turns[1:], (len(mouth), "")], strict=True):
        mine[start:end] = speaker == "my"
    assert mine.sum() > 60, "the imported character spoke"
    area = np.array(mouth, float)
    closed = float(np.median(area[~mine]))  # while Duke talks: the closed line
    opened = area > 1.6 * closed
    loud = mine & (rms > 0.25 * rms[mine].max())
    quiet = mine & (rms < 0.02 * rms[mine].max())
    # Open on speech, shut in its pauses: the mouth follows the phoneme cues, not a volume gate.
    assert opened[loud].mean() > 0.7, opened[loud].mean()
    assert quiet.sum() > 3 and opened[quiet].mean() < 0.3, opened[quiet].mean()
    assert not opened[~mine].any()  # silent while the other character talks
    assert np.corrcoef(rms[mine], area[mine])[0, 1] > 0.4
