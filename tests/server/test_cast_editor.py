"""The cast editor on a real serve: import, refuse bad files, map mouths, pick a voice, preview, in Chromium."""

from __future__ import annotations

import io
import json
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import av
import httpx
import numpy as np
import pytest

from support.avatar_files import pngtuber_save, save_entry, write_save
from support.budgets import LATE_FRAMES_ALLOWED
from support.paths import SHOWS
from support.serve import CHROMIUM, start_studio
from talkshow.characters.importing import import_avatar

pytestmark = pytest.mark.slow

Studio = tuple[str, Path]  # base URL, the packs folder
PNG = pngtuber_save()["0"]["imageData"]  # a real sprite, so the field under test is the one refused


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    """One serve for the module, with its own packs folder (XDG_DATA_HOME) and database."""
    root = tmp_path_factory.mktemp("cast")
    shows = SHOWS
    # As a new user does: `characters import guest.save`, then `serve --cast guest,duke`.
    packs = root / "talkshow" / "characters"
    import_avatar(write_save(root, "guest.save", mouths=1), packs)
    env, args = {"XDG_DATA_HOME": str(root)}, ("--cast", "guest,duke")
    base, _, process = start_studio(root, shows, root / "studio.sqlite3", turns=40, env=env, args=args)
    yield base, root / "talkshow" / "characters"
    process.kill()
    process.wait()


def test_an_imported_character_cast_on_the_command_line_speaks_on_air(studio: Studio) -> None:
    base, _ = studio
    on_stage = httpx.get(f"{base}/api/characters").json()
    assert [(c["id"], c["pack"]) for c in on_stage] == [("guest", "guest"), ("duke", "duke")], "names, never paths"
    deadline = time.monotonic() + 60
    while not any(
        line["speaker"] == "guest" and line["status"] in ("on_air", "done")
        for line in httpx.get(f"{base}/api/lines").json()["lines"]
    ):
        assert time.monotonic() < deadline, "the imported character never spoke"
        time.sleep(0.5)


def _import(base: str, content: bytes, filename: str = "my.save", **params: str) -> httpx.Response:
    return httpx.post(f"{base}/api/cast/import", params={"filename": filename, **params}, content=content, timeout=90)


def _magenta(rgb: np.ndarray) -> int:
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    return int(np.count_nonzero((r > 190) & (g < 110) & (b > 140) & (r - g > 110)))


# It counts late frames: in the first tier, three workers on two cores held the show's GIL holders off the CPU
# and it saw 4 against the budget's 3 (seed 343733355, fresh clone); it runs pinned, as the other timed tests do.
@pytest.mark.solo
def test_import_edit_and_preview_over_http_while_the_show_stays_on_time(studio: Studio, tmp_path: Path) -> None:
    base, packs = studio
    late_before = httpx.get(f"{base}/api/status").json()["late_frames"]
    made = _import(base, write_save(tmp_path, mouths=3).read_bytes(), id="pixel", name="Pixel")
    assert made.status_code == 201, made.text
    pack = made.json()
    assert pack["id"] == "pixel" and pack["name"] == "Pixel" and len(pack["sprites"]) == 11
    assert pack["mouths"]["D"] == "112" and pack["use"] == "talkshow serve --cast pixel,duke"
    assert (packs / "pixel" / "manifest.toml").is_file()

    # A partial map is refused and names what is missing; a full one is written to the manifest.
    partial = httpx.put(f"{base}/api/cast/packs/pixel/mouths", json={"mouths": {"A": "106"}})
    assert partial.status_code == 400 and "missing: B, C, D" in partial.json()["error"]
    mapping = {shape: "112" for shape in "ABCDEFGHX"} | {"A": "106", "X": "106", "B": "110", "C": "111"}
    assert httpx.put(f"{base}/api/cast/packs/pixel/mouths", json={"mouths": mapping}).status_code == 200
    written = tomllib.loads((packs / "pixel" / "manifest.toml").read_text())
    assert written["mouths"] == mapping
    unknown = httpx.put(f"{base}/api/cast/packs/pixel/mouths", json={"mouths": mapping | {"D": "999"}})
    assert unknown.status_code == 400 and "no sprite '999'" in unknown.json()["error"]

    voice = {"engine": "piper", "voice": "joe", "pitch": 64, "rate": 182, "formants": 1.12}
    assert httpx.put(f"{base}/api/cast/packs/pixel/voice", json=voice).status_code == 200
    assert tomllib.loads((packs / "pixel" / "manifest.toml").read_text())["voice"] == voice
    assert httpx.put(f"{base}/api/cast/packs/pixel/voice", json=voice | {"formants": 3}).status_code == 422

    thumb = httpx.get(f"{base}/api/cast/packs/pixel/sprites/112")
    assert thumb.status_code == 200 and thumb.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert httpx.get(f"{base}/api/cast/packs/pixel/sprites/..%2F..%2Fx").status_code == 404
    assert httpx.get(f"{base}/api/cast/packs/..%2Fpixel/sprites/112").status_code == 404

    clip = httpx.post(f"{base}/api/cast/packs/pixel/preview", json={"text": "Soup is a drink, obviously."}, timeout=120)
    assert clip.status_code == 200 and clip.headers["content-type"] == "video/mp4", clip.text[:300]
    with av.open(io.BytesIO(clip.content), "r") as container:
        assert container.streams.video[0].codec_context.name == "h264"
        mouth = [_magenta(f.to_ndarray(format="rgb24")[:, :320]) for f in container.decode(video=0)]
    with av.open(io.BytesIO(clip.content), "r") as container:
        audio = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    assert len(mouth) > 45 and np.abs(audio).max() > 0.05  # a second and a half of the line, voiced
    assert max(mouth) > 2.5 * min(mouth), "the mapped mouths open and close on the line"
    late = httpx.get(f"{base}/api/status").json()["late_frames"] - late_before
    assert late <= LATE_FRAMES_ALLOWED, f"{late} frames late while importing and previewing"


@pytest.mark.parametrize(
    ("name", "content", "status", "says"),
    [
        ("no-image", {"0": save_entry(1, None, "", (0, 0))}, 400, "imageData is missing"),
        ("bad-base64", {"0": save_entry(1, None, "not base64!!", (0, 0))}, 400, "not valid base64"),
        ("bad-vector", {"0": save_entry(1, None, PNG, (0, 0), pos="Vector2(1, os.system)")}, 400, "Vector2"),
        ("not-json", b'{"0": [', 400, "invalid JSON"),
        ("not-png", {"0": save_entry(1, None, "R0lGODlhAQABAAAAACw=", (0, 0))}, 400, "not a PNG"),
        ("too-big", b" " * (21 * 2**20), 413, "20 MB"),
    ],
)
def test_hostile_files_are_refused_with_the_reason_and_the_show_goes_on(
    studio: Studio, name: str, content: object, status: int, says: str
) -> None:
    base, packs = studio
    body = content if isinstance(content, bytes) else json.dumps(content).encode()
    refused = _import(base, body, f"{name}.save")
    assert refused.status_code == status, refused.text
    error = refused.json()["error"]
    assert says in error and "talkshow-import-" not in error  # the upload's private path is not shown
    assert not (packs / name).exists()
    assert httpx.get(f"{base}/healthz").status_code == 200


def test_a_parent_cycle_is_named(studio: Studio, tmp_path: Path) -> None:
    base, _ = studio
    content = pngtuber_save(mouths=1)
    content["1"]["parentId"] = 103  # the head under its own hair, which hangs from the head
    refused = _import(base, write_save(tmp_path, "loop.save", content=content).read_bytes(), "loop.save")
    assert refused.status_code == 400 and "parent cycle: 102 -> 103 -> 102" in refused.json()["error"], refused.text


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_the_cast_editor_page_uploads_maps_the_mouths_and_plays_a_preview(studio: Studio, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    base, packs = studio
    avatar = write_save(tmp_path, "browser-guest.save", mouths=2)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page_errors: list[str] = []
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
            page.goto(base + "/cast")
            page.set_input_files("#avatar-file", str(avatar))
            page.fill("#avatar-name", "Browser Guest")
            page.click("#import-form button[type=submit]")
            page.wait_for_selector("#pack option[value='browser-guest']", state="attached", timeout=60_000)
            assert page.input_value("#pack") == "browser-guest"
            # The proposed map, with thumbnails (the table is filled after the pack list: wait, never peek).
            page.wait_for_selector("#mouths tr[data-shape='D'] img", state="visible", timeout=10_000)
            page.select_option("#mouths tr[data-shape='D'] select", "110")  # the smaller mouth for D
            page.click("#save-mouths")
            page.wait_for_selector("#mouth-state:text-is('saved')", timeout=10_000)
            page.fill("#pitch", "66")
            page.click("#voice-form button[type=submit]")
            page.wait_for_selector("#voice-state:text-is('saved')", timeout=10_000)
            page.click("#preview-form button[type=submit]")
            page.wait_for_function("window.talkshow.previews > 0", timeout=120_000)
            duration = page.evaluate("document.getElementById('preview').duration")
            page.screenshot(path=str(tmp_path / "cast-editor.png"))
        finally:
            browser.close()
    written = tomllib.loads((packs / "browser-guest" / "manifest.toml").read_text())
    assert written["mouths"]["D"] == "110" and written["voice"]["pitch"] == 66
    assert written["character"]["name"] == "Browser Guest"
    assert duration > 1.0 and not page_errors, (duration, page_errors)
