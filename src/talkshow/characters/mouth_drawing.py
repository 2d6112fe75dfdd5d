"""Drawing the bundled cast's mouths: the nine Rhubarb shapes (A-H, X) in each mood."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from talkshow.characters.drawing import CANVAS, INK, SS, Design, Layer, curve, ellipse, masked, scaled, shade

__all__ = ["mouth"]


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


def mouth(d: Design, mood: str, shape_name: str) -> Layer:
    layer = Layer()
    shape = _MOUTHS[shape_name]
    cx, cy = CANVAS[0] / 2, d.mouth_y
    w = d.mouth_w * shape.width * (1.08 if mood == "smile" and not shape.round else 1.0)
    lift = _CORNER_LIFT[mood] * d.mouth_w * (0.4 if shape.round else 1.0)
    left, right = (cx - w / 2, cy - lift), (cx + w / 2, cy - lift)
    lip = (202, 92, 96) if d.jaw_square < 0.5 else (176, 82, 80)
    if shape.open == 0:
        # The control point sits below the corners for a smile, above for a frown.
        sag = lift * 1.3 + (3 if shape_name == "A" else 0)
        line = curve(left, (cx, cy + sag), right)
        layer.draw.line(line, fill=INK, width=(8 if shape_name == "A" else 6) * SS, joint="curve")
        if shape_name == "A":  # pressed lips bulge a little
            layer.draw.line(
                curve((left[0] + 10, left[1] + 8), (cx, cy + sag + 11), (right[0] - 10, right[1] + 8)),
                fill=shade(lip, 0.9),
                width=4 * SS,
            )
        for corner in (left, right):
            ellipse(layer, corner[0], corner[1], 3, 3, INK, 0)
        return layer
    h = d.mouth_w * shape.open
    mask = Image.new("L", (CANVAS[0] * SS, CANVAS[1] * SS), 0)
    mask_draw = ImageDraw.Draw(mask)
    if shape.round:
        box = scaled(cx - w / 2, cy - h / 2 - lift * 0.3, cx + w / 2, cy + h / 2 - lift * 0.3)
        mask_draw.ellipse(box, fill=255)
        outline: list[tuple[float, float]] | None = None
    else:
        upper = curve(left, (cx, cy - h * 0.45 + lift * 0.3), right)
        lower = curve(right, (cx, cy + h * 1.35 + lift * 0.6), left)
        outline = upper + lower
        mask_draw.polygon(outline, fill=255)

    def paint(temp: Layer) -> None:
        temp.draw.rectangle(scaled(cx - w, cy - h * 2, cx + w, cy + h * 2), fill=(92, 24, 36))
        if shape.tongue:
            tongue_y = cy + h * (0.9 - shape.tongue * 0.8)
            ellipse(temp, cx, tongue_y + h * 0.45, w * 0.32, h * 0.5, (222, 110, 120), 0)
        top = cy - h * 0.6 - lift * 0.2
        if shape.top_teeth:
            temp.draw.rectangle(
                scaled(cx - w, top - h, cx + w, top + h * 0.35 + h * shape.top_teeth * 0.9), fill=(250, 250, 246)
            )
        if shape.bottom_teeth:
            temp.draw.rectangle(
                scaled(cx - w, cy + h * (1.05 - shape.bottom_teeth), cx + w, cy + h * 2), fill=(238, 238, 232)
            )

    masked(layer, mask, paint)
    if outline is None:
        lip_width = 9 if shape_name == "F" else 6
        layer.draw.ellipse(
            scaled(cx - w / 2, cy - h / 2 - lift * 0.3, cx + w / 2, cy + h / 2 - lift * 0.3),
            outline=INK,
            width=lip_width * SS,
        )
        if shape_name == "F":
            layer.draw.ellipse(
                scaled(cx - w / 2 - 7, cy - h / 2 - 7, cx + w / 2 + 7, cy + h / 2 + 7),
                outline=shade(lip, 0.95),
                width=6 * SS,
            )
    else:
        layer.draw.line([*outline, outline[0]], fill=INK, width=6 * SS, joint="curve")
    if shape.lip_bite:
        layer.draw.line(
            curve((cx - w * 0.38, cy + h * 0.9), (cx, cy + h * 1.4), (cx + w * 0.38, cy + h * 0.9)),
            fill=shade(lip, 1.0),
            width=7 * SS,
        )
    return layer
