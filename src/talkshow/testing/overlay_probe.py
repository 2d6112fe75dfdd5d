"""What an overlay page shows and plays, measured inside the page (headless Chromium) for tests and the bench.

``PROBE_JS`` is evaluated in an open ``/overlay`` page with the character's mouth box and the page's
origin. It records, on the page's audio clock, the first loud sample of each sound the overlay plays
(an AudioWorklet on its output node), and per animation frame the dark pixels around the mouth read
back from the canvas, with the time being heard, the stream frame shown and the wall time.
``read_line`` turns that record into what one aired line looked and sounded like.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["OPEN_FACTOR", "PROBE_JS", "OverlayLine", "read_line"]

OPEN_FACTOR = 1.5  # a mouth is open at this many times the rest mouth's dark pixels (lips together: ~1.25)

PROBE_JS = """
async ({mouth, origin}) => {
  const o = window.talkshowOverlay;
  const code = `registerProcessor("onsets", class extends AudioWorkletProcessor {
    constructor() { super(); this.quiet = 1e9; }
    process(inputs) {
      const x = inputs[0][0];
      if (!x) return true;
      let loud = -1;
      for (let i = 0; i < x.length; i++) if (Math.abs(x[i]) > 0.02) { loud = i; break; }
      if (loud >= 0 && this.quiet > 0.25 * sampleRate) this.port.postMessage(currentTime + loud / sampleRate);
      this.quiet = loud >= 0 ? 0 : this.quiet + x.length;
      return true;
    }
  });`;
  await o.audio.audioWorklet.addModule(URL.createObjectURL(new Blob([code], {type: "text/javascript"})));
  const node = new AudioWorkletNode(o.audio, "onsets");
  o.output.connect(node);
  window.probe = {onsets: [], samples: []};
  node.port.onmessage = (event) => window.probe.onsets.push(event.data);
  const context = o.canvas.getContext("2d", {willReadFrequently: true});
  // The head bobs and nods: a quarter of the mouth's height around it, and nothing else dark is that close.
  const pad = Math.round((mouth[3] - mouth[1]) * 0.25);
  const x0 = mouth[0] - origin[0] - pad, y0 = mouth[1] - origin[1] - pad;
  const w = mouth[2] - mouth[0] + 2 * pad, h = mouth[3] - mouth[1] + 2 * pad;
  const sample = () => {
    const pixels = context.getImageData(x0, y0, w, h).data;
    let dark = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] > 200 && pixels[i] + pixels[i + 1] + pixels[i + 2] < 180) dark += 1;
    }
    window.probe.samples.push([o.heardTime(), dark, o.state.frame, performance.timeOrigin + performance.now()]);
    requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
}
"""


@dataclass(frozen=True)
class OverlayLine:
    """One aired line as the page showed it (times on the page's audio clock unless said)."""

    rest: list[int]  # dark pixels around the mouth per animation frame before the line
    during: list[tuple[float, int]]  # (heard time, dark pixels) from the line's first frame on
    opened_at: float | None  # when the mouth first opened
    sound_at: float | None  # the first loud sample of the line's sound
    shown_wall: float | None  # wall time (s) the page first showed the line's first frame
    tick_s: float  # the page's animation frame interval (its sampling step)

    @property
    def mouth_minus_sound_s(self) -> float | None:
        """How much later the mouth opened than the sound began (negative: earlier)."""
        if self.opened_at is None or self.sound_at is None:
            return None
        return self.opened_at - self.sound_at


def read_line(probe: dict[str, Any], aired_frame: int, until_frame: int | None = None) -> OverlayLine:
    """The probe's record around the line whose first frame went out as stream frame ``aired_frame``."""
    samples = probe["samples"]
    rest = [dark for _, dark, frame, _ in samples if frame < aired_frame]
    window = [s for s in samples if s[2] >= aired_frame and (until_frame is None or s[2] < until_frame)]
    during = [(heard, dark) for heard, dark, _, _ in window]
    resting = min(rest) if rest else 0
    opened = [heard for heard, dark in during if rest and dark > OPEN_FACTOR * resting]
    start = during[0][0] if during else None
    onsets = [t for t in probe["onsets"] if start is not None and t >= start - 1.0]
    walls = [s[3] for s in samples]
    tick = float(np.median(np.diff(walls))) / 1000 if len(walls) > 1 else 0.0
    return OverlayLine(
        rest=rest,
        during=during,
        opened_at=opened[0] if opened else None,
        sound_at=onsets[0] if onsets else None,
        shown_wall=window[0][3] / 1000 if window else None,
        tick_s=tick,
    )
