"""Imported PNGTuber avatars: the import, the rig's states and motion, and every kind of bad file."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from support.avatar_files import save_entry, write_save
from talkshow.acting.types import Pose
from talkshow.characters.importing import import_avatar
from talkshow.characters.layered import load_layered_pack
from talkshow.characters.pngtuber import MAX_FILE_BYTES
from talkshow.core.errors import CharacterPackError, InputError
from talkshow.stage.layered_rig import LayeredRig, _Moving

LIGHT = np.ones((1080, 1920, 3), np.float16)


def _rig(tmp_path: Path, mouths: int = 1, costume: int = 1) -> LayeredRig:
    tmp_path.mkdir(parents=True, exist_ok=True)
    folder = import_avatar(write_save(tmp_path, mouths=mouths), tmp_path / "packs")
    if costume != 1:
        manifest = folder / "manifest.toml"
        manifest.write_text(manifest.read_text().replace("costume = 1", f"costume = {costume}"))
    return LayeredRig("my", load_layered_pack(folder), (150, 196), 1.0, LIGHT)


def _placed(rig: LayeredRig, pose: Pose, seconds: float = 1.0) -> dict[str, tuple[int, int, int]]:
    """Each drawn moving sprite's id (flattened static groups: "group") -> x, y and which image."""
    out = {}
    for item in rig.items(pose, seconds):
        layer = rig.layers[int(item.key[-1])]
        name = layer.spec.id if isinstance(layer, _Moving) else "group"
        out[name] = (item.x, item.y, id(item.sprite))
    return out


def _shown(rig: LayeredRig, pose: Pose, seconds: float = 1.0) -> set[str]:
    return set(_placed(rig, pose, seconds))


def test_import_writes_a_pack_with_the_tree_motion_and_a_mouth_map(tmp_path: Path) -> None:
    folder = import_avatar(write_save(tmp_path, mouths=3), tmp_path / "packs", name="Pixel")
    pack = load_layered_pack(folder)
    assert folder.name == "my" and pack.name == "Pixel"
    assert len(pack.sprites) == 11 and all((folder / s.file).is_file() for s in pack.sprites)
    by_id = {s.id: s for s in pack.sprites}
    assert by_id["102"].parent == "101" and by_id["103"].parent == "102"
    hair = by_id["103"]  # xFrq 0.05 rad a tick at 60 ticks/s is 0.477 Hz; drag 4 lags 3 ticks
    assert hair.wobble[1] == pytest.approx(0.05 * 60 / (2 * np.pi), rel=1e-3) and hair.drag_s == pytest.approx(3 / 60)
    assert by_id["107"].frames == 4 and by_id["107"].frame_rate == pytest.approx(10.0)
    assert by_id["108"].costumes[0] is False and by_id["108"].costumes[1] is True
    # The avatar is fitted into the seat: about 700 px tall at most, its motion scaled with it.
    heights = [pack.images[s.id].shape[0] for s in pack.sprites]
    assert max(heights) < 700
    # Three open mouths in one place: ranked by height; the silent one is closed (A, X).
    assert pack.mouths["X"] == pack.mouths["A"] == "106"
    assert (pack.mouths["B"], pack.mouths["C"], pack.mouths["D"]) == ("110", "111", "112")


def test_two_state_mouth_opens_on_the_cues_and_the_eyes_blink(tmp_path: Path) -> None:
    rig = _rig(tmp_path, mouths=1)
    assert rig.pack.mouths == {}
    for shape in "BCDEFGH":
        drawn = _shown(rig, Pose(mouth=shape))
        assert "110" in drawn and "106" not in drawn, shape
    for shape in "AX":  # lips together or at rest: the closed mouth
        drawn = _shown(rig, Pose(mouth=shape))
        assert "106" in drawn and "110" not in drawn, shape
    assert {"104"} <= _shown(rig, Pose()) and "105" not in _shown(rig, Pose())
    closed = _shown(rig, Pose(eyes="closed"))
    assert "105" in closed and "104" not in closed


def test_mapped_mouths_show_one_per_shape(tmp_path: Path) -> None:
    rig = _rig(tmp_path, mouths=3)
    mouths = {"106", "110", "111", "112"}
    for shape, expected in (("X", "106"), ("A", "106"), ("B", "110"), ("C", "111"), ("D", "112"), ("F", "110")):
        assert _shown(rig, Pose(mouth=shape)) & mouths == {expected}, shape


def test_static_layers_are_flattened_and_costumes_choose_sprites(tmp_path: Path) -> None:
    rig = _rig(tmp_path / "one", mouths=1)
    groups = [layer for layer in rig.layers if not isinstance(layer, _Moving)]
    assert len(groups) == 1  # the body and the head: one sprite
    moving = {layer.spec.id for layer in rig.layers if isinstance(layer, _Moving)}
    assert moving == {"103", "104", "105", "106", "107", "110"}  # the hat (108) is costume 2's
    worn = _rig(tmp_path / "two", mouths=1, costume=2)
    assert len([layer for layer in worn.layers if not isinstance(layer, _Moving)]) == 2  # the hat: a second group


def test_motion_wobbles_drags_hops_and_animates(tmp_path: Path) -> None:
    rig = _rig(tmp_path, mouths=1)
    frames = [_placed(rig, Pose(), n / 30) for n in range(60)]
    assert len({f["group"][:2] for f in frames}) == 1  # the body holds still at rest
    assert len({f["103"][:2] for f in frames}) > 5  # the hair wobbles
    assert len({f["107"][2] for f in frames}) == 4  # the sparkle steps through its four frames
    hop = [_placed(rig, Pose(speech_s=n / 30), 3 + n / 30) for n in range(16)]
    body = [f["group"][1] for f in hop]
    hair = [f["103"][1] - 3 * np.sin(2 * np.pi * 0.08 * 60 / (2 * np.pi) * (3 + n / 30)) for n, f in enumerate(hop)]
    assert min(body) < body[0] - 20 and body[-1] == body[0]  # a hop of about 38 px, landed after 0.5 s
    # The hair lags the hop by its drag (3 ticks, 50 ms): its highest point comes later than the body's.
    assert int(np.argmin(hair)) > int(np.argmin(body))


def _png_b64(size: tuple[int, int]) -> str:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (255, 0, 0, 255)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def _one(**fields: object) -> dict[str, object]:
    return {"0": save_entry(1, None, _png_b64((8, 8)), (0, 0), **fields)}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", r"invalid JSON"),
        ([1, 2, 3], r"expected a JSON object of sprites"),
        (_one(imageData="@@@not base64@@@"), r"sprite '0': imageData is not valid base64"),
        (_one(imageData=base64.b64encode(b"GIF89a not a png").decode()), r"imageData is not a PNG image"),
        (_one(imageData=_png_b64((5000, 4000))), r"5000x4000, over the 16,777,216-pixel limit"),
        (_one(pos="Vector2(1, __import__)"), r'pos must be a Godot "Vector2\(x, y\)" string'),
        (_one(offset="Vector2(1e999, 0)"), r"offset .* out of range"),
        (_one(costumeLayers="[1, 1, oops]"), r"costumeLayers must be a Godot array string"),
        (_one(showTalk=7), r"showTalk is 7; it must be between 0 and 2"),
        (_one(xAmp=float("nan")), r"xAmp must be a number"),
        (_one(parentId=99), r"parent '99', which is not in the file"),
        (_one(frames=9, imageData=_png_b64((4, 4))), r"frames is 9 but the image is only 4 pixels wide"),
    ],
)
def test_bad_avatar_files_are_refused_by_name(tmp_path: Path, content: object, message: str) -> None:
    path = tmp_path / "bad.save"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    with pytest.raises(CharacterPackError, match=message):
        import_avatar(path, tmp_path / "packs")
    assert not (tmp_path / "packs" / "bad").exists()


def test_parent_cycles_and_thousands_of_layers_are_refused(tmp_path: Path) -> None:
    image = _png_b64((4, 4))
    cycle = {
        "0": save_entry(1, 3, image, (0, 0)),
        "1": save_entry(2, 1, image, (0, 0)),
        "2": save_entry(3, 2, image, (0, 0)),
    }
    with pytest.raises(CharacterPackError, match=r"parent cycle: 1 -> 3 -> 2 -> 1"):
        import_avatar(write_save(tmp_path, "cycle.save", content=cycle), tmp_path / "packs")
    many = {str(i): save_entry(i, None, image, (0, 0)) for i in range(3000)}
    with pytest.raises(CharacterPackError, match=r"3000 sprites is more than the 200"):
        import_avatar(write_save(tmp_path, "many.save", content=many), tmp_path / "packs")


def test_oversized_files_are_refused_before_they_are_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.save"
    with path.open("wb") as handle:  # sparse: the size is checked, the bytes are never read
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(CharacterPackError, match=r"the limit is 64 MB"):
        import_avatar(path, tmp_path / "packs")


def test_pack_paths_cannot_escape_and_ids_are_checked(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"pack id '\.\./evil' may only use"):
        import_avatar(write_save(tmp_path), tmp_path / "packs", pack_id="../evil")
    folder = import_avatar(write_save(tmp_path), tmp_path / "packs")
    manifest = folder / "manifest.toml"
    (tmp_path / "secret.png").write_bytes(b"")
    manifest.write_text(manifest.read_text().replace('file = "sprites/101.png"', 'file = "../../secret.png"'))
    with pytest.raises(CharacterPackError, match=r"file '\.\./\.\./secret\.png' is outside the pack folder"):
        load_layered_pack(folder)
    with pytest.raises(InputError, match=r"already exists; pass --replace"):
        import_avatar(write_save(tmp_path), tmp_path / "packs")
