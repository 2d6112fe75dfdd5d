"""Character Cards (V1, V2 and V3, as SillyTavern and Chub write them) read as a cast member's persona.

A card is JSON, either a ``.json`` file or base64 in a PNG's text chunk (``chara`` for V1/V2,
``ccv3`` for V3, which wins when both are there). What talkshow takes from it: the name, the
description, personality and scenario (one persona paragraph), the first message (a greeting)
and the example dialogue (lines in the character's voice). Lorebooks, assets and extensions
are left alone. ``{{char}}`` and ``{{user}}`` (and the old ``<BOT>``/``<USER>``) are filled in;
``*stage directions*`` are dropped from what may be spoken.

A card is untrusted: the file's size, the PNG's chunks, the base64, the JSON and every field's
type and length are checked, and a card that fails is refused with a CharacterCardError that
names the file and what is wrong. The image itself is never decoded.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

from talkshow.core.cast import Persona
from talkshow.core.errors import CharacterCardError

__all__ = ["CALLER", "CharacterCardReader", "card_persona", "read_card_json"]

MAX_FILE_BYTES = 32 * 1024 * 1024  # a PNG card carries its art; larger is not a card
MAX_JSON_BYTES = 2 * 1024 * 1024  # lorebooks make cards long; the fields talkshow reads are far shorter
MAX_FIELD_CHARS = 32_000  # one field (a description with a world in it is long, but not longer)
MAX_NAME_CHARS = 60
MAX_PERSONA_CHARS = 1200  # what a writer's prompt gets; a small model loses the thread past this
MAX_GREETING_CHARS = 300
MAX_EXAMPLES = 12
CALLER = "Caller"  # who {{user}} is on a talk show
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SPECS = {"chara_card_v2": "V2", "chara_card_v3": "V3"}
_TEXT_FIELDS = ("name", "description", "personality", "scenario", "first_mes", "mes_example")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ACTION = re.compile(r"\*[^*]{0,400}\*")  # roleplay stage directions: *waves*
_START = re.compile(r"<start>", re.IGNORECASE)


class CharacterCardReader:
    """The ``character-card`` persona format: ``.json`` and ``.png`` Character Cards V1-V3."""

    name = "Character Card"
    suffixes = (".json", ".png")

    def read(self, path: Path) -> Persona:
        """The persona ``path`` holds; CharacterCardError naming what is wrong otherwise."""
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CharacterCardError(path, f"cannot be read: {exc.strerror or exc}") from None
        if size > MAX_FILE_BYTES:
            raise CharacterCardError(path, f"is {size} bytes; a card is at most {MAX_FILE_BYTES}")
        raw = path.read_bytes()
        text = _png_card_text(path, raw) if raw.startswith(_PNG_SIGNATURE) else raw
        return card_persona(read_card_json(path, text), path)


def read_card_json(path: Path, raw: bytes) -> dict[str, Any]:
    """The card's JSON object, checked for size, encoding and shape."""
    if len(raw) > MAX_JSON_BYTES:
        raise CharacterCardError(path, f"its JSON is {len(raw)} bytes; at most {MAX_JSON_BYTES}")
    try:
        card = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CharacterCardError(path, "its JSON is not UTF-8 text") from None
    except (ValueError, RecursionError) as exc:
        raise CharacterCardError(path, f"is not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(card, dict):
        raise CharacterCardError(path, f"its JSON must be an object, not {type(card).__name__}")
    return card


def card_persona(card: dict[str, Any], path: Path) -> Persona:
    """The persona a card's JSON (V1, V2 or V3) describes."""
    spec = card.get("spec")
    data: Any = card
    if spec is None:
        version = "V1"
    elif spec in _SPECS:
        version, data = _SPECS[str(spec)], card.get("data")
        if not isinstance(data, dict):
            raise CharacterCardError(path, f"a {spec} card needs a 'data' object")
    else:
        known = ", ".join(_SPECS)
        raise CharacterCardError(path, f"spec {str(spec)[:40]!r} is not a Character Card this reads ({known} or V1)")
    fields = {key: _text_field(path, data, key) for key in _TEXT_FIELDS}
    name = fields["name"].strip()
    if not name:
        raise CharacterCardError(path, "it has no name")
    if len(name) > MAX_NAME_CHARS or "\n" in name:
        raise CharacterCardError(path, f"its name must be one line of at most {MAX_NAME_CHARS} characters")

    def filled(text: str) -> str:
        return _fill_macros(text, name)

    parts = [filled(fields["description"]), filled(fields["personality"])]
    if fields["scenario"].strip():
        parts.append("Scenario: " + filled(fields["scenario"]))
    persona = _clip(" ".join(" ".join(part.split()) for part in parts if part.strip()), MAX_PERSONA_CHARS)
    greeting = _clip(_spoken(filled(fields["first_mes"])), MAX_GREETING_CHARS)
    examples = _examples(filled(fields["mes_example"]), name)
    return Persona(
        name=name,
        persona=persona,
        greeting=greeting,
        examples=((f"{name}: {greeting}",) if greeting else ()) + examples[: MAX_EXAMPLES - 1],
        source=f"Character Card {version} ({path.name})",
    )


def _text_field(path: Path, data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CharacterCardError(path, f"field {key!r} must be text, not {type(value).__name__}")
    if len(value) > MAX_FIELD_CHARS:
        raise CharacterCardError(path, f"field {key!r} is {len(value)} characters; at most {MAX_FIELD_CHARS}")
    if _CONTROL.search(value):
        raise CharacterCardError(path, f"field {key!r} holds control characters")
    return value.replace("\r\n", "\n")


def _fill_macros(text: str, name: str) -> str:
    for macro, value in (("{{char}}", name), ("<bot>", name), ("{{user}}", CALLER), ("<user>", CALLER)):
        text = re.compile(re.escape(macro), re.IGNORECASE).sub(value.replace("\\", "\\\\"), text)
    return text


def _spoken(text: str) -> str:
    """What of ``text`` can be said aloud: no stage directions, one paragraph."""
    return " ".join(_ACTION.sub(" ", text).replace("*", "").split())


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at the last sentence end before it (or a word end)."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    return head[: end + 1] if end > limit // 3 else head.rsplit(" ", 1)[0]


def _examples(text: str, name: str) -> tuple[str, ...]:
    """The example dialogue's lines, ``Name: text``, in order; the ``<START>`` markers dropped."""
    lines: list[str] = []
    for block in _START.split(text):
        for raw in block.splitlines():
            speaker, colon, said = raw.partition(":")
            spoken = _spoken(said)
            if colon and speaker.strip() in (name, CALLER) and spoken:
                lines.append(f"{speaker.strip()}: {_clip(spoken, MAX_GREETING_CHARS)}")
    return tuple(lines[:MAX_EXAMPLES])


def _png_card_text(path: Path, raw: bytes) -> bytes:
    """The card JSON in a PNG's ``ccv3`` or ``chara`` text chunk (base64), read chunk by chunk."""
    found: dict[str, bytes] = {}
    offset = len(_PNG_SIGNATURE)
    while offset + 8 <= len(raw):
        length, kind = struct.unpack(">I4s", raw[offset : offset + 8])
        body = raw[offset + 8 : offset + 8 + length]
        if len(body) != length or offset + 12 + length > len(raw):
            raise CharacterCardError(path, f"its PNG is cut short in a {kind.decode('latin-1')!r} chunk")
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            keyword, _, value = body.partition(b"\0")
            if keyword in (b"chara", b"ccv3"):
                found[keyword.decode()] = _chunk_text(path, kind, value)
        elif kind == b"IEND":
            break
        offset += 12 + length
    payload = found.get("ccv3") or found.get("chara")
    if payload is None:
        raise CharacterCardError(path, "this PNG holds no card (no 'chara' or 'ccv3' text chunk)")
    try:
        return base64.b64decode(payload.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise CharacterCardError(path, "its card chunk is not valid base64") from None


def _chunk_text(path: Path, kind: bytes, value: bytes) -> bytes:
    """A text chunk's value after its keyword, inflated (boundedly) when compressed."""
    if kind == b"tEXt":
        return value
    if kind == b"iTXt":  # flag, method, language\0, translated keyword\0, text
        if len(value) < 2:
            raise CharacterCardError(path, "its card chunk (iTXt) is cut short")
        compressed, rest = value[0], value[2:]
        parts = rest.split(b"\0", 2)
        if len(parts) != 3:
            raise CharacterCardError(path, "its card chunk (iTXt) is malformed")
        return _inflate(path, parts[2]) if compressed else parts[2]
    return _inflate(path, value[1:])  # zTXt: method byte, then zlib data


def _inflate(path: Path, data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_JSON_BYTES * 2)  # base64 is 4/3 of the JSON it holds
    except zlib.error:
        raise CharacterCardError(path, "its compressed card chunk does not inflate") from None
    if inflater.unconsumed_tail:
        raise CharacterCardError(path, f"its compressed card chunk inflates past {MAX_JSON_BYTES * 2} bytes")
    return out
