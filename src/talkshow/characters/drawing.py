"""Drawing the bundled cast's layers with Pillow: body, head, eyes, lids, brows and glasses.

Each is drawn supersampled on a ``Layer`` and saved at canvas size; the mouths are
``talkshow.characters.mouth_drawing``, and ``talkshow.characters.art`` makes the packs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

__all__ = [
    "CANVAS", "INK", "SS", "Color", "Design", "Layer", "body", "brows", "curve", "ellipse",
    "eye_whites", "glasses", "head", "lids", "masked", "pupils", "scaled", "shade",
]  # fmt: skip

SS = 3  # supersampling factor for smooth edges
CANVAS = (640, 900)
Color = tuple[int, int, int]
INK: Color = (38, 28, 36)


@dataclass(frozen=True)
class Design:
    """The look of one character, in canvas pixels."""

    id: str
    name: str
    description: str
    skin: Color
    hair: Color
    jacket: Color
    shirt: Color
    accent: Color
    head_box: tuple[int, int, int, int]
    jaw_square: float
    eye_y: int
    eye_dx: int
    eye_r: tuple[int, int]
    iris: Color
    brow_thickness: int
    mouth_y: int
    mouth_w: int
    shoulder_w: int
    open_lid: float
    glasses: bool
    hair_style: str
    facing: str


class Layer:
    """A supersampled RGBA drawing surface that saves at canvas size."""

    def __init__(self) -> None:
        self.image = Image.new("RGBA", (CANVAS[0] * SS, CANVAS[1] * SS), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.image.resize(CANVAS, Image.Resampling.LANCZOS).save(path, optimize=True)


def scaled(*values: float) -> list[float]:
    return [v * SS for v in values]


def ellipse(
    layer: Layer, cx: float, cy: float, rx: float, ry: float, fill: Color | tuple[int, int, int, int], width: float = 5
) -> None:
    layer.draw.ellipse(scaled(cx - rx, cy - ry, cx + rx, cy + ry), fill=fill, outline=INK, width=int(width * SS))


def curve(
    p0: tuple[float, float], p1: tuple[float, float], p2: tuple[float, float], steps: int = 24
) -> list[tuple[float, float]]:
    """Quadratic Bezier points from p0 via control p1 to p2."""
    points = []
    for i in range(steps + 1):
        t = i / steps
        x = (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0]
        y = (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1]
        points.append((x * SS, y * SS))
    return points


def masked(layer: Layer, mask: Image.Image, paint: Callable[[Layer], None]) -> None:
    """Paint onto a temporary layer and keep only what falls inside ``mask``."""
    temp = Layer()
    paint(temp)
    alpha = ImageChops.multiply(temp.image.getchannel("A"), mask)
    temp.image.putalpha(alpha)
    layer.image.alpha_composite(temp.image)


# --- body and head -----------------------------------------------------------------


def body(d: Design) -> Layer:
    layer = Layer()
    cx = CANVAS[0] / 2
    top = d.head_box[3] - 30
    half = d.shoulder_w / 2
    neck_w = 58 if d.jaw_square > 0.5 else 44
    layer.draw.rectangle(
        scaled(cx - neck_w / 2, top - 40, cx + neck_w / 2, top + 60), fill=d.skin, outline=INK, width=5 * SS
    )
    torso = [
        (cx - half, 900),
        (cx - half + 10, top + 120),
        (cx - half + 70, top + 62),
        (cx - 40, top + 40),
        (cx + 40, top + 40),
        (cx + half - 70, top + 62),
        (cx + half - 10, top + 120),
        (cx + half, 900),
    ]
    layer.draw.polygon([(x * SS, y * SS) for x, y in torso], fill=d.jacket, outline=INK, width=6 * SS)
    shirt = [(cx - 46, top + 40), (cx, top + 170), (cx + 46, top + 40)]
    layer.draw.polygon([(x * SS, y * SS) for x, y in shirt], fill=d.shirt, outline=INK, width=4 * SS)
    if d.jaw_square > 0.5:  # a tie for the showman
        tie = [(cx - 14, top + 52), (cx + 14, top + 52), (cx + 22, top + 160), (cx, top + 190), (cx - 22, top + 160)]
        layer.draw.polygon([(x * SS, y * SS) for x, y in tie], fill=d.accent, outline=INK, width=4 * SS)
        for side in (-1, 1):
            lapel = [(cx + side * 46, top + 40), (cx + side * 20, top + 150), (cx + side * 95, top + 88)]
            layer.draw.polygon(
                [(x * SS, y * SS) for x, y in lapel], fill=shade(d.jacket, 0.8), outline=INK, width=4 * SS
            )
    else:  # a bow tie and a sweater vest pattern for the worrier
        for side in (-1, 1):
            wing = [(cx, top + 58), (cx + side * 30, top + 44), (cx + side * 30, top + 76)]
            layer.draw.polygon([(x * SS, y * SS) for x, y in wing], fill=d.accent, outline=INK, width=4 * SS)
        ellipse(layer, cx, top + 60, 8, 8, d.accent, 3)
        for row in range(4):
            y = top + 210 + row * 70
            for col in range(-2, 3):
                x = cx + col * 60 + (30 if row % 2 else 0)
                diamond = [(x, y - 22), (x + 18, y), (x, y + 22), (x - 18, y)]
                layer.draw.polygon([(px * SS, py * SS) for px, py in diamond], fill=shade(d.jacket, 0.85))
    return layer


def shade(color: Color, factor: float) -> Color:
    return (int(color[0] * factor), int(color[1] * factor), int(color[2] * factor))


def head(d: Design) -> Layer:
    layer = Layer()
    x0, y0, x1, y1 = d.head_box
    cx = (x0 + x1) / 2
    for side in (-1, 1):  # ears behind the head
        ex = cx + side * (x1 - x0) / 2
        ellipse(layer, ex, d.eye_y + 30, 26, 40, d.skin)
    radius = int((x1 - x0) * (0.5 - 0.28 * d.jaw_square))
    layer.draw.rounded_rectangle(scaled(x0, y0, x1, y1), radius=radius * SS, fill=d.skin, outline=INK, width=6 * SS)
    ellipse(layer, cx, d.eye_y + 62, 14, 10, shade(d.skin, 0.86), 0)  # nose shadow
    layer.draw.arc(scaled(cx - 16, d.eye_y + 40, cx + 16, d.eye_y + 76), 20, 160, fill=INK, width=4 * SS)
    for side in (-1, 1):  # cheeks
        ellipse(
            layer,
            cx + side * (d.eye_dx + 18),
            d.mouth_y - 22,
            24,
            14,
            (min(255, d.skin[0] + 8), int(d.skin[1] * 0.82), int(d.skin[2] * 0.8)),
            0,
        )
    _hair(layer, d)
    return layer


def _hair(layer: Layer, d: Design) -> None:
    x0, y0, x1, _ = d.head_box
    cx = (x0 + x1) / 2
    if d.hair_style == "quiff":
        shape: list[tuple[float, float]] = [
            (x0 - 6, y0 + 120),
            (x0 - 4, y0 + 40),
            (cx - 60, y0 - 40),
            (cx + 40, y0 - 70),
            (x1 + 30, y0 - 20),
            (x1 + 6, y0 + 60),
            (x1 + 2, y0 + 120),
            (x1 - 20, y0 + 60),
            (cx + 30, y0 + 30),
            (cx - 40, y0 + 40),
            (x0 + 20, y0 + 70),
        ]
        layer.draw.polygon([(x * SS, y * SS) for x, y in shape], fill=d.hair, outline=INK, width=5 * SS)
        layer.draw.line(
            curve((cx - 40, y0 - 20), (cx + 20, y0 - 50), (x1 + 10, y0 - 10)), fill=shade(d.hair, 2.2), width=5 * SS
        )
    else:
        tufts: list[tuple[float, float]] = []
        for i in range(11):
            a = math.pi * (1.05 + 0.9 * i / 10)
            r = (x1 - x0) / 2 + (26 if i % 2 else -4)
            tufts.append((cx + r * math.cos(a), y0 + 95 + r * 0.72 * math.sin(a)))
        shape = [
            (x0 - 8, y0 + 140),
            *tufts,
            (x1 + 8, y0 + 140),
            (x1 - 24, y0 + 70),
            (cx, y0 + 48),
            (x0 + 24, y0 + 70),
        ]
        layer.draw.polygon([(x * SS, y * SS) for x, y in shape], fill=d.hair, outline=INK, width=5 * SS)


# --- eyes and brows ----------------------------------------------------------------


def _eye_centers(d: Design) -> list[tuple[float, float]]:
    cx = CANVAS[0] / 2
    return [(cx - d.eye_dx, d.eye_y), (cx + d.eye_dx, d.eye_y)]


def eye_whites(d: Design) -> Layer:
    layer = Layer()
    for ex, ey in _eye_centers(d):
        ellipse(layer, ex, ey, d.eye_r[0], d.eye_r[1], (255, 255, 255), 4)
    return layer


def pupils(d: Design) -> Layer:
    layer = Layer()
    r = d.eye_r[1] * 0.55
    for ex, ey in _eye_centers(d):
        ellipse(layer, ex, ey + 2, r, r, d.iris, 0)
        ellipse(layer, ex, ey + 2, r * 0.55, r * 0.55, (20, 16, 24), 0)
        ellipse(layer, ex + r * 0.3, ey - r * 0.3, r * 0.22, r * 0.22, (255, 255, 255), 0)
    return layer


def _eye_mask(d: Design, grow: float) -> Image.Image:
    mask = Image.new("L", (CANVAS[0] * SS, CANVAS[1] * SS), 0)
    draw = ImageDraw.Draw(mask)
    for ex, ey in _eye_centers(d):
        draw.ellipse(
            scaled(ex - d.eye_r[0] - grow, ey - d.eye_r[1] - grow, ex + d.eye_r[0] + grow, ey + d.eye_r[1] + grow),
            fill=255,
        )
    return mask


def lids(d: Design, state: str) -> Layer:
    """Skin over the top of each eye; how much depends on the state."""
    layer = Layer()
    cover = {"wide": 0.0, "open": d.open_lid, "half": 0.55, "closed": 1.0}[state]
    rx, ry = d.eye_r
    mask = _eye_mask(d, 3)
    if cover > 0:

        def paint(temp: Layer) -> None:
            for ex, ey in _eye_centers(d):
                lid_y = ey - ry + 2 * ry * cover
                temp.draw.rectangle(scaled(ex - rx - 8, ey - ry - 8, ex + rx + 8, lid_y), fill=d.skin)

        masked(layer, mask, paint)
    for ex, ey in _eye_centers(d):
        if state == "closed":
            layer.draw.line(curve((ex - rx, ey + 2), (ex, ey + ry * 0.7), (ex + rx, ey + 2)), fill=INK, width=6 * SS)
        elif cover > 0:
            lid_y = ey - ry + 2 * ry * cover
            half_w = rx * math.sqrt(max(0.0, 1 - ((lid_y - ey) / ry) ** 2)) + 2
            layer.draw.line(curve((ex - half_w, lid_y), (ex, lid_y - 4), (ex + half_w, lid_y)), fill=INK, width=6 * SS)
        else:
            layer.draw.arc(scaled(ex - rx, ey - ry, ex + rx, ey + ry), 200, 340, fill=INK, width=6 * SS)
    return layer


def brows(d: Design, pose: str) -> Layer:
    layer = Layer()
    lift = {"neutral": 0, "raised": 22, "frown": -8, "worried": 10}[pose]
    for side, (ex, ey) in zip((-1, 1), _eye_centers(d), strict=True):
        base_y = ey - d.eye_r[1] - 22 - lift
        inner = (ex - side * d.eye_r[0] * 0.9, base_y)
        outer = (ex + side * d.eye_r[0] * 1.05, base_y)
        if pose == "frown":
            inner = (inner[0], inner[1] + 16)
            outer = (outer[0], outer[1] - 6)
        elif pose == "worried":
            inner = (inner[0], inner[1] - 16)
            outer = (outer[0], outer[1] + 12)
        control = ((inner[0] + outer[0]) / 2, min(inner[1], outer[1]) - (14 if pose != "frown" else 2))
        layer.draw.line(
            curve(inner, control, outer),
            fill=d.hair if d.hair_style == "quiff" else shade(d.hair, 0.7),
            width=d.brow_thickness * SS,
            joint="curve",
        )
    return layer


def glasses(d: Design) -> Layer:
    layer = Layer()
    r = max(d.eye_r) + 16
    for ex, ey in _eye_centers(d):
        layer.draw.ellipse(
            scaled(ex - r, ey - r, ex + r, ey + r), outline=(60, 50, 58), width=7 * SS, fill=(200, 230, 255, 30)
        )
    (lx, ly), (rx_, _) = _eye_centers(d)
    layer.draw.line(curve((lx + r, ly), ((lx + rx_) / 2, ly - 12), (rx_ - r, ly)), fill=(60, 50, 58), width=7 * SS)
    return layer
