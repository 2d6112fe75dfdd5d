import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from support.small_shows import small_config
from talkshow.acting.types import Pose
from talkshow.characters.pack import bundled_packs_dir, list_packs, load_pack
from talkshow.core.errors import CharacterPackError, TVSourceError
from talkshow.stage.builder import build_stage
from talkshow.stage.compositor import Compositor, FrameState
from talkshow.stage.rig import CharacterRig
from talkshow.stage.tv import VideoFileTV

# times nothing: make test runs it beside the solo tier, on the CPU those two workers leave idle
pytestmark = pytest.mark.beside


def test_bundled_packs_have_every_state() -> None:
    packs = list_packs()
    assert {"duke", "wendell"} <= set(packs)
    pack = load_pack(packs["duke"])
    assert set(pack.eyes) == {"open", "half", "closed", "wide"}
    assert set(pack.brows) == {"neutral", "raised", "frown", "worried"}
    assert all(set(shapes) == set("ABCDEFGHX") for shapes in pack.mouths.values())
    assert not np.array_equal(pack.mouths["neutral"]["D"].pixels, pack.mouths["neutral"]["X"].pixels)


def test_broken_pack_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(bundled_packs_dir() / "wendell", broken)
    (broken / "mouths" / "smile" / "D.png").unlink()
    with pytest.raises(CharacterPackError, match=r"broken.*mouths\.smile\.D"):
        load_pack(broken)
    (broken / "manifest.toml").write_text("[character\n")
    with pytest.raises(CharacterPackError, match="not valid TOML"):
        load_pack(broken)


def test_user_pack_from_a_folder(tmp_path: Path) -> None:
    mine = tmp_path / "packs" / "mine"
    shutil.copytree(bundled_packs_dir() / "duke", mine)
    config = small_config(tmp_path)
    cast = (config.cast[0].__class__(**{**config.cast[0].__dict__, "pack": "packs/mine"}), config.cast[1])
    stage = build_stage(config.with_overrides(cast=cast, base_dir=tmp_path))
    rig = stage.rigs[0]
    assert isinstance(rig, CharacterRig) and rig.pack.folder == mine
    stage.close()


def _states() -> list[FrameState]:
    states = []
    for f in range(24):
        poses = {
            "duke": Pose(
                body_dy=f % 3,
                head_dy=(f // 4) % 3,
                mouth="ABCDEFGHX"[f % 9],
                mouth_set="smile",
                eyes="closed" if f % 7 == 0 else "open",
                gaze_x=1.0,
            ),
            "wendell": Pose(
                brows="worried" if f % 5 else "raised",
                eyes="wide" if f % 6 == 0 else "open",
                gaze_x=-1.0,
                head_dx=-4 if f > 10 else 0,
            ),
        }
        states.append(FrameState(f / 30, poses))
    return states


def test_dirty_region_redraw_equals_full_redraw(tmp_path: Path) -> None:
    stage = build_stage(small_config(tmp_path))
    caption = stage.caption("duke", "Honestly? I parked it there.", "c1")
    incremental = stage.compositor
    for index, state in enumerate(_states()):
        if index > 12:
            state = FrameState(state.seconds, state.poses, caption)
        frame = incremental.compose(state).data.copy()
        fresh = Compositor(stage.studio, stage.rigs, stage.tv, captions=True)
        assert np.array_equal(frame, fresh.compose(state).data), f"frame {index} differs"
    assert incremental.stats.dirty_pixels < 0.5 * stage.layout.width * stage.layout.height
    stage.close()


def test_frame_is_raw_i420_and_shows_the_tv(tmp_path: Path) -> None:
    stage = build_stage(small_config(tmp_path))
    a = stage.compositor.compose(_states()[0]).data.copy()
    b = stage.compositor.compose(FrameState(1.0, _states()[0].poses)).data.copy()
    assert a.shape == (360 * 3 // 2, 640) and a.dtype == np.uint8
    tv = stage.layout.tv_screen
    assert not np.array_equal(a[tv.y0 : tv.y1, tv.x0 : tv.x1], b[tv.y0 : tv.y1, tv.x0 : tv.x1])
    outside = slice(0, tv.y0 - 20)
    assert np.array_equal(a[outside, :], b[outside, :])
    stage.close()


def test_tv_plays_a_video_file_scaled_and_looped(tv_video: Path) -> None:
    tv = VideoFileTV(tv_video, 200, 112)
    first_id, (y, u, _v) = tv.frame_at(0.0)
    assert y.shape == (112, 200) and u.shape == (56, 100)
    later_id, later = tv.frame_at(1.5)  # the clip is 1 s long: this is a loop
    assert later_id > first_id and later_id >= 30
    assert not np.array_equal(later[0], y) or later_id % 25 == 0
    tv.close()


def test_missing_or_undecodable_tv_video(tmp_path: Path) -> None:
    with pytest.raises(TVSourceError, match="file not found"):
        VideoFileTV(tmp_path / "nope.mp4", 200, 112)
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00not a video" * 100)
    with pytest.raises(TVSourceError, match="junk.mp4"):
        VideoFileTV(junk, 200, 112)


def test_a_new_show_on_the_same_stage_puts_its_topic_on_the_desk_and_the_ticker(tmp_path: Path) -> None:
    """Issue 18-knows: during "who really invented the sandwich" the desk and the TV read the first show's topic."""
    first = small_config(tmp_path)  # "why there's a lambo in the room"
    stage = build_stage(first)
    sandwich = build_stage(
        replace(first, topic="who really invented the sandwich", title="who really invented the sandwich")
    )
    state = _states()[0]
    desk = slice(stage.studio.desk_origin[1], stage.layout.height)
    before = stage.compositor.compose(state).data.copy()
    stage.show_topic("who really invented the sandwich")
    after = stage.compositor.compose(state).data.copy()
    expected = sandwich.compositor.compose(state).data
    assert not np.array_equal(before[desk], after[desk]), "the banner changed"
    assert np.array_equal(after[desk], expected[desk]), "and reads as a stage built for the new show's does"
    tv = stage.layout.tv_screen
    assert np.array_equal(after[tv.y0 : tv.y1, tv.x0 : tv.x1], expected[tv.y0 : tv.y1, tv.x0 : tv.x1]), "the ticker"
    stage.close()
    sandwich.close()
