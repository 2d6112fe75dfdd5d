"""Builds the whole stage for a show: set, lighting, rigs, TV and compositor."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from talkshow.characters.layered import is_layered, load_layered_pack
from talkshow.characters.pack import find_pack, load_pack
from talkshow.config import ShowConfig
from talkshow.core.picture import Caption
from talkshow.stage.captions import render_caption
from talkshow.stage.compositor import Compositor
from talkshow.stage.frame import LightGain
from talkshow.stage.layered_rig import LayeredRig
from talkshow.stage.rig import CharacterRig, Rig
from talkshow.stage.scene import Layout, StudioSet, build_set
from talkshow.stage.tv import TVSource, open_tv
from talkshow.supervisor import Supervisor

__all__ = ["Stage", "build_rigs", "build_stage"]


@dataclass
class Stage:
    """Everything that draws frames for one show."""

    layout: Layout
    studio: StudioSet
    rigs: list[Rig]
    tv: TVSource
    compositor: Compositor
    names: dict[str, str]

    def caption(self, cast_id: str, text: str, key: str) -> Caption:
        """A caption card for ``cast_id`` saying ``text`` (done once per line)."""
        index = [r.cast_id for r in self.rigs].index(cast_id)
        sprite = render_caption(self.names[cast_id], text, self.layout.caption_box, self.layout.scale, index)
        return Caption(key, sprite)

    def show_topic(self, topic: str) -> None:
        """The desk's banner and the TV's ticker name ``topic`` (a new show on the same stage). It draws, so it
        runs on a preparer's thread, never the frame loop's; each is swapped in whole when ready."""
        self.studio.retitle(topic[:60])
        retitle = getattr(self.tv, "retitle", None)  # the generated news channel; a video or a dark TV has none
        if callable(retitle):
            retitle(topic)

    def guest_caption(self, name: str, text: str, key: str) -> Caption:
        """A caption card for someone not in the cast (a caller), for the top of the screen."""
        box = self.layout.guest_box
        return Caption(key, render_caption(name, text, box, self.layout.scale, len(self.rigs)))

    def close(self) -> None:
        """Stop the TV's background decoding."""
        self.tv.close()

    def __enter__(self) -> Stage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_rigs(
    config: ShowConfig,
    layout: Layout,
    light: LightGain,
    pixels: dict[int, npt.NDArray[np.uint8]] | None = None,
) -> list[Rig]:
    """Every cast member's rig in its seat, lit by ``light`` (a map smaller than the frame leaves colours as
    drawn); ``pixels`` keeps each sprite's RGBA by ``id(sprite)``."""
    rigs: list[Rig] = []
    for member, seat in zip(config.cast, layout.seats, strict=False):
        folder = find_pack(member.pack, config.base_dir)
        scale = layout.character_scale
        if is_layered(folder):
            rigs.append(LayeredRig(member.id, load_layered_pack(folder), seat, scale, light, pixels))
        else:
            rigs.append(CharacterRig(member.id, load_pack(folder), seat, scale, light, pixels))
    return rigs


def build_stage(config: ShowConfig, blocking_tv: bool = True, supervisor: Supervisor | None = None) -> Stage:
    """Load packs, draw the set, prepare every character state and open the TV."""
    video = config.video
    layout = Layout.for_size(video.width, video.height, len(config.cast))
    studio = build_set(config.scene, layout, config.title, config.base_dir)
    rigs = build_rigs(config, layout, studio.light_gain)
    screen = layout.tv_screen
    tv = open_tv(
        config.scene.tv,
        screen.x1 - screen.x0,
        screen.y1 - screen.y0,
        config.base_dir,
        config.topic or config.title,
        blocking_tv,
        supervisor,
    )
    try:
        compositor = Compositor(studio, rigs, tv, captions=config.scene.captions)
    except BaseException:
        tv.close()  # its decode thread must not outlive a stage that never was
        raise
    return Stage(layout, studio, rigs, tv, compositor, {m.id: m.name for m in config.cast})
