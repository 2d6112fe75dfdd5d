"""Draws the bundled cast as character packs (body, head, eyes, brows, 27 mouths).

Run ``python -m talkshow.characters.art`` to regenerate ``assets/characters``; the
output is committed, so shows never depend on this code at run time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from talkshow.characters.pack import BROW_POSES, EYE_STATES, MOUTH_SETS
from talkshow.lipsync.shapes import SHAPES

__all__ = ["DESIGNS", "Design", "generate_pack"]

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


class _Layer:
    """A supersampled RGBA drawing surface that saves at canvas size."""

    def __init__(self) -> None:
        self.image = Image.new("RGBA", (CANVAS[0] * SS, CANVAS[1] * SS), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.image.resize(CANVAS, Image.Resampling.LANCZOS).save(path, optimize=True)


def _s(*values: float) -> list[float]:
    return [v * SS for v in values]


def _ellipse(
    layer: _Layer, cx: float, cy: float, rx: float, ry: float, fill: Color | tuple[int, int, int, int], width: float = 5
) -> None:
    layer.draw.ellipse(_s(cx - rx, cy - ry, cx + rx, cy + ry), fill=fill, outline=INK, width=int(width * SS))


def _curve(
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


def _masked(layer: _Layer, mask: Image.Image, paint: Callable[[_Layer], None]) -> None:
    """Paint onto a temporary layer and keep only what falls inside ``mask``."""
    temp = _Layer()
    paint(temp)
    alpha = ImageChops.multiply(temp.image.getchannel("A"), mask)
    temp.image.putalpha(alpha)
    layer.image.alpha_composite(temp.image)


# --- body and head -----------------------------------------------------------------


def _body(d: Design) -> _Layer:
    layer = _Layer()
    cx = CANVAS[0] / 2
    top = d.head_box[3] - 30
    half = d.shoulder_w / 2
    neck_w = 58 if d.jaw_square > 0.5 else 44
    layer.draw.rectangle(
        _s(cx - neck_w / 2, top - 40, cx + neck_w / 2, top + 60), fill=d.skin, outline=INK, width=5 * SS
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
                [(x * SS, y * SS) for x, y in lapel], fill=_shade(d.jacket, 0.8), outline=INK, width=4 * SS
            )
    else:  # a bow tie and a sweater vest pattern for the worrier
        for side in (-1, 1):
            wing = [(cx, top + 58), (cx + side * 30, top + 44), (cx + side * 30, top + 76)]
            layer.draw.polygon([(x * SS, y * SS) for x, y in wing], fill=d.accent, outline=INK, width=4 * SS)
        _ellipse(layer, cx, top + 60, 8, 8, d.accent, 3)
        for row in range(4):
            y = top + 210 + row * 70
            for col in range(-2, 3):
                x = cx + col * 60 + (30 if row % 2 else 0)
                diamond = [(x, y - 22), (x + 18, y), (x, y + 22), (x - 18, y)]
                layer.draw.polygon([(px * SS, py * SS) for px, py in diamond], fill=_shade(d.jacket, 0.85))
    return layer


def _shade(color: Color, factor: float) -> Color:
    return (int(color[0] * factor), int(color[1] * factor), int(color[2] * factor))


def _head(d: Design) -> _Layer:
    layer = _Layer()
    x0, y0, x1, y1 = d.head_box
    cx = (x0 + x1) / 2
    for side in (-1, 1):  # ears behind the head
        ex = cx + side * (x1 - x0) / 2
        _ellipse(layer, ex, d.eye_y + 30, 26, 40, d.skin)
    radius = int((x1 - x0) * (0.5 - 0.28 * d.jaw_square))
    layer.draw.rounded_rectangle(_s(x0, y0, x1, y1), radius=radius * SS, fill=d.skin, outline=INK, width=6 * SS)
    _ellipse(layer, cx, d.eye_y + 62, 14, 10, _shade(d.skin, 0.86), 0)  # nose shadow
    layer.draw.arc(_s(cx - 16, d.eye_y + 40, cx + 16, d.eye_y + 76), 20, 160, fill=INK, width=4 * SS)
    for side in (-1, 1):  # cheeks
        _ellipse(
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


def _hair(layer: _Layer, d: Design) -> None:
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
            _curve((cx - 40, y0 - 20), (cx + 20, y0 - 50), (x1 + 10, y0 - 10)), fill=_shade(d.hair, 2.2), width=5 * SS
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


def _eye_whites(d: Design) -> _Layer:
    layer = _Layer()
    for ex, ey in _eye_centers(d):
        _ellipse(layer, ex, ey, d.eye_r[0], d.eye_r[1], (255, 255, 255), 4)
    return layer


def _pupils(d: Design) -> _Layer:
    layer = _Layer()
    r = d.eye_r[1] * 0.55
    for ex, ey in _eye_centers(d):
        _ellipse(layer, ex, ey + 2, r, r, d.iris, 0)
        _ellipse(layer, ex, ey + 2, r * 0.55, r * 0.55, (20, 16, 24), 0)
        _ellipse(layer, ex + r * 0.3, ey - r * 0.3, r * 0.22, r * 0.22, (255, 255, 255), 0)
    return layer


def _eye_mask(d: Design, grow: float) -> Image.Image:
    mask = Image.new("L", (CANVAS[0] * SS, CANVAS[1] * SS), 0)
    draw = ImageDraw.Draw(mask)
    for ex, ey in _eye_centers(d):
        draw.ellipse(
            _s(ex - d.eye_r[0] - grow, ey - d.eye_r[1] - grow, ex + d.eye_r[0] + grow, ey + d.eye_r[1] + grow), fill=255
        )
    return mask


def _lids(d: Design, state: str) -> _Layer:
    """Skin over the top of each eye; how much depends on the state."""
    layer = _Layer()
    cover = {"wide": 0.0, "open": d.open_lid, "half": 0.55, "closed": 1.0}[state]
    rx, ry = d.eye_r
    mask = _eye_mask(d, 3)
    if cover > 0:

        def paint(temp: _Layer) -> None:
            for ex, ey in _eye_centers(d):
                lid_y = ey - ry + 2 * ry * cover
                temp.draw.rectangle(_s(ex - rx - 8, ey - ry - 8, ex + rx + 8, lid_y), fill=d.skin)

        _masked(layer, mask, paint)
    for ex, ey in _eye_centers(d):
        if state == "closed":
            layer.draw.line(_curve((ex - rx, ey + 2), (ex, ey + ry * 0.7), (ex + rx, ey + 2)), fill=INK, width=6 * SS)
        elif cover > 0:
            lid_y = ey - ry + 2 * ry * cover
            half_w = rx * math.sqrt(max(0.0, 1 - ((lid_y - ey) / ry) ** 2)) + 2
            layer.draw.line(_curve((ex - half_w, lid_y), (ex, lid_y - 4), (ex + half_w, lid_y)), fill=INK, width=6 * SS)
        else:
            layer.draw.arc(_s(ex - rx, ey - ry, ex + rx, ey + ry), 200, 340, fill=INK, width=6 * SS)
    return layer


def _brows(d: Design, pose: str) -> _Layer:
    layer = _Layer()
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
            _curve(inner, control, outer),
            fill=d.hair if d.hair_style == "quiff" else _shade(d.hair, 0.7),
            width=d.brow_thickness * SS,
            joint="curve",
        )
    return layer


def _glasses(d: Design) -> _Layer:
    layer = _Layer()
    r = max(d.eye_r) + 16
    for ex, ey in _eye_centers(d):
        layer.draw.ellipse(
            _s(ex - r, ey - r, ex + r, ey + r), outline=(60, 50, 58), width=7 * SS, fill=(200, 230, 255, 30)
        )
    (lx, ly), (rx_, _) = _eye_centers(d)
    layer.draw.line(_curve((lx + r, ly), ((lx + rx_) / 2, ly - 12), (rx_ - r, ly)), fill=(60, 50, 58), width=7 * SS)
    return layer


# --- mouths ------------------------------------------------------------------------


@dataclass(frozen=True)
class _MouthShape:
    open: float  # opening height as a fraction of mouth width
    width: float  # width scale
    round: bool  # rounded (E, F) instead of a smile-line opening
    top_teeth: float
    bottom_teeth: float
    tongue: float
    lip_bite: bool = False


_MOUTHS = {
    "X": _MouthShape(0.0, 0.78, False, 0, 0, 0),
    "A": _MouthShape(0.0, 0.70, False, 0, 0, 0),
    "B": _MouthShape(0.14, 0.90, False, 0.5, 0.45, 0),
    "C": _MouthShape(0.30, 0.92, False, 0.22, 0.0, 0.35),
    "D": _MouthShape(0.50, 1.00, False, 0.16, 0.0, 0.40),
    "E": _MouthShape(0.30, 0.62, True, 0.15, 0, 0.3),
    "F": _MouthShape(0.20, 0.36, True, 0, 0, 0),
    "G": _MouthShape(0.12, 0.82, False, 0.75, 0, 0, lip_bite=True),
    "H": _MouthShape(0.30, 0.88, False, 0.18, 0, 0.8),
}
_CORNER_LIFT = {"neutral": 0.0, "smile": 0.16, "frown": -0.12}


def _mouth(d: Design, mood: str, shape_name: str) -> _Layer:
    layer = _Layer()
    shape = _MOUTHS[shape_name]
    cx, cy = CANVAS[0] / 2, d.mouth_y
    w = d.mouth_w * shape.width * (1.08 if mood == "smile" and not shape.round else 1.0)
    lift = _CORNER_LIFT[mood] * d.mouth_w * (0.4 if shape.round else 1.0)
    left, right = (cx - w / 2, cy - lift), (cx + w / 2, cy - lift)
    lip = (202, 92, 96) if d.jaw_square < 0.5 else (176, 82, 80)
    if shape.open == 0:
        # The control point sits below the corners for a smile, above for a frown.
        sag = lift * 1.3 + (3 if shape_name == "A" else 0)
        line = _curve(left, (cx, cy + sag), right)
        layer.draw.line(line, fill=INK, width=(8 if shape_name == "A" else 6) * SS, joint="curve")
        if shape_name == "A":  # pressed lips bulge a little
            layer.draw.line(
                _curve((left[0] + 10, left[1] + 8), (cx, cy + sag + 11), (right[0] - 10, right[1] + 8)),
                fill=_shade(lip, 0.9),
                width=4 * SS,
            )
        for corner in (left, right):
            _ellipse(layer, corner[0], corner[1], 3, 3, INK, 0)
        return layer
    h = d.mouth_w * shape.open
    mask = Image.new("L", (CANVAS[0] * SS, CANVAS[1] * SS), 0)
    mask_draw = ImageDraw.Draw(mask)
    if shape.round:
        box = _s(cx - w / 2, cy - h / 2 - lift * 0.3, cx + w / 2, cy + h / 2 - lift * 0.3)
        mask_draw.ellipse(box, fill=255)
        outline: list[tuple[float, float]] | None = None
    else:
        upper = _curve(left, (cx, cy - h * 0.45 + lift * 0.3), right)
        lower = _curve(right, (cx, cy + h * 1.35 + lift * 0.6), left)
        outline = upper + lower
        mask_draw.polygon(outline, fill=255)

    def paint(temp: _Layer) -> None:
        temp.draw.rectangle(_s(cx - w, cy - h * 2, cx + w, cy + h * 2), fill=(92, 24, 36))
        if shape.tongue:
            tongue_y = cy + h * (0.9 - shape.tongue * 0.8)
            _ellipse(temp, cx, tongue_y + h * 0.45, w * 0.32, h * 0.5, (222, 110, 120), 0)
        top = cy - h * 0.6 - lift * 0.2
        if shape.top_teeth:
            temp.draw.rectangle(
                _s(cx - w, top - h, cx + w, top + h * 0.35 + h * shape.top_teeth * 0.9), fill=(250, 250, 246)
            )
        if shape.bottom_teeth:
            temp.draw.rectangle(
                _s(cx - w, cy + h * (1.05 - shape.bottom_teeth), cx + w, cy + h * 2), fill=(238, 238, 232)
            )

    _masked(layer, mask, paint)
    if outline is None:
        lip_width = 9 if shape_name == "F" else 6
        layer.draw.ellipse(
            _s(cx - w / 2, cy - h / 2 - lift * 0.3, cx + w / 2, cy + h / 2 - lift * 0.3),
            outline=INK,
            width=lip_width * SS,
        )
        if shape_name == "F":
            layer.draw.ellipse(
                _s(cx - w / 2 - 7, cy - h / 2 - 7, cx + w / 2 + 7, cy + h / 2 + 7),
                outline=_shade(lip, 0.95),
                width=6 * SS,
            )
    else:
        layer.draw.line([*outline, outline[0]], fill=INK, width=6 * SS, joint="curve")
    if shape.lip_bite:
        layer.draw.line(
            _curve((cx - w * 0.38, cy + h * 0.9), (cx, cy + h * 1.4), (cx + w * 0.38, cy + h * 0.9)),
            fill=_shade(lip, 1.0),
            width=7 * SS,
        )
    return layer


# --- packs -------------------------------------------------------------------------

DESIGNS = (
    Design(
        id="duke",
        name="Duke",
        description="Confident showman. Square jaw, slick quiff, navy blazer, red tie.",
        skin=(232, 180, 140),
        hair=(34, 30, 40),
        jacket=(38, 58, 120),
        shirt=(245, 245, 240),
        accent=(196, 40, 52),
        head_box=(168, 150, 472, 500),
        jaw_square=0.8,
        eye_y=300,
        eye_dx=72,
        eye_r=(36, 28),
        iris=(96, 64, 40),
        brow_thickness=13,
        mouth_y=420,
        mouth_w=124,
        shoulder_w=560,
        open_lid=0.22,
        glasses=False,
        hair_style="quiff",
        facing="right",
    ),
    Design(
        id="wendell",
        name="Wendell",
        description="Anxious overthinker. Round face, ginger tufts, big glasses, sweater vest, bow tie.",
        skin=(250, 222, 200),
        hair=(214, 112, 52),
        jacket=(92, 142, 96),
        shirt=(208, 226, 246),
        accent=(120, 66, 150),
        head_box=(196, 150, 444, 490),
        jaw_square=0.1,
        eye_y=312,
        eye_dx=62,
        eye_r=(40, 36),
        iris=(70, 120, 90),
        brow_thickness=8,
        mouth_y=418,
        mouth_w=92,
        shoulder_w=430,
        open_lid=0.08,
        glasses=True,
        hair_style="tufts",
        facing="left",
    ),
)


def generate_pack(design: Design, folder: Path) -> None:
    """Draw every layer of ``design`` and write the pack (PNGs + manifest) to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    _body(design).save(folder / "body.png")
    _head(design).save(folder / "head.png")
    _eye_whites(design).save(folder / "eyes" / "whites.png")
    _pupils(design).save(folder / "eyes" / "pupils.png")
    for state in EYE_STATES:
        _lids(design, state).save(folder / "eyes" / f"{state}.png")
    for pose in BROW_POSES:
        _brows(design, pose).save(folder / "brows" / f"{pose}.png")
    for mood in MOUTH_SETS:
        for shape in SHAPES:
            _mouth(design, mood, shape).save(folder / "mouths" / mood / f"{shape}.png")
    overlays = []
    if design.glasses:
        _glasses(design).save(folder / "glasses.png")
        overlays.append('"glasses.png"')
    lines = [
        "# Generated by `python -m talkshow.characters.art`; see docs/character-packs.md.",
        "[character]",
        f'id = "{design.id}"',
        f'name = "{design.name}"',
        f'description = "{design.description}"',
        f"canvas = [{CANVAS[0]}, {CANVAS[1]}]",
        "",
        "[rig]",
        f"gaze_range = [{int(design.eye_r[0] * 0.35)}, {int(design.eye_r[1] * 0.2)}]",
        f'facing = "{design.facing}"',
        "",
        "[layers]",
        'body = "body.png"',
        'head = "head.png"',
        'eye_whites = "eyes/whites.png"',
        'pupils = "eyes/pupils.png"',
        f"overlays = [{', '.join(overlays)}]",
        "",
        "[eyes]",
        *[f'{s} = "eyes/{s}.png"' for s in EYE_STATES],
        "",
        "[brows]",
        *[f'{p} = "brows/{p}.png"' for p in BROW_POSES],
    ]
    for mood in MOUTH_SETS:
        lines += ["", f"[mouths.{mood}]", *[f'{s} = "mouths/{mood}/{s}.png"' for s in SHAPES]]
    (folder / "manifest.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    """Regenerate the bundled packs."""
    from talkshow.characters.pack import bundled_packs_dir

    for design in DESIGNS:
        generate_pack(design, bundled_packs_dir() / design.id)
        print(f"wrote {bundled_packs_dir() / design.id}")


if __name__ == "__main__":
    main()
