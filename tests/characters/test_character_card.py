"""Character Cards (V1, V2, V3; JSON and PNG) read as a cast member's persona, and hostile cards refused by name."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, PngImagePlugin

from talkshow.characters.character_card import MAX_FILE_BYTES, CharacterCardReader
from talkshow.core.errors import CharacterCardError, ShowFileError
from talkshow.core.kinds.writer import ReplyRequest
from talkshow.providers import PERSONA_FORMATS
from talkshow.show_file import read_show
from talkshow.writer.reply import conversation_messages

MAVIS = {
    "name": "Mavis",
    "description": "{{char}} is a retired lighthouse keeper who reviews storms like wines.",
    "personality": "Dry, patient, fond of {{user}} but never says so.",
    "scenario": "{{char}} hosts a late-night call-in show from the lighthouse.",
    "first_mes": "*adjusts the lamp* Evening, {{user}}. The sea is loud tonight. What's keeping you up?",
    "mes_example": "<START>\n{{user}}: Do you miss the ships?\n{{char}}: *sighs* Every one of them. "
    "Even the rude ones.\n<START>\n{{user}}: Favourite storm?\n{{char}}: The '87. It had manners.",
}


def _v2(**data: Any) -> dict[str, Any]:
    return {"spec": "chara_card_v2", "spec_version": "2.0", "data": {**MAVIS, "tags": ["sea"], **data}}


def _png(path: Path, chunks: dict[str, bytes]) -> Path:
    """A real 8x8 PNG carrying ``chunks`` as tEXt (keyword -> value), as SillyTavern writes them."""
    info = PngImagePlugin.PngInfo()
    for keyword, value in chunks.items():
        info.add_text(keyword, value.decode("latin-1"))
    Image.new("RGB", (8, 8), (200, 30, 60)).save(path, pnginfo=info)
    return path


def _b64(card: dict[str, Any]) -> bytes:
    return base64.b64encode(json.dumps(card).encode())


def test_a_v2_json_card_becomes_a_persona_with_its_macros_filled_and_stage_directions_dropped(tmp_path: Path) -> None:
    card = tmp_path / "mavis.json"
    card.write_text(json.dumps(_v2()))
    persona = CharacterCardReader().read(card)
    assert persona.name == "Mavis"
    assert persona.persona.startswith("Mavis is a retired lighthouse keeper who reviews storms like wines.")
    assert "fond of Caller" in persona.persona and "Scenario: Mavis hosts a late-night call-in show" in persona.persona
    assert persona.greeting == "Evening, Caller. The sea is loud tonight. What's keeping you up?"
    assert persona.examples == (
        "Mavis: Evening, Caller. The sea is loud tonight. What's keeping you up?",
        "Caller: Do you miss the ships?",
        "Mavis: Every one of them. Even the rude ones.",
        "Caller: Favourite storm?",
        "Mavis: The '87. It had manners.",
    )
    assert persona.source == "Character Card V2 (mavis.json)"


def test_a_png_card_is_read_from_its_text_chunk_and_v3_wins_over_v2(tmp_path: Path) -> None:
    v3 = {"spec": "chara_card_v3", "spec_version": "3.0", "data": {**MAVIS, "name": "Mavis III", "assets": []}}
    card = _png(tmp_path / "mavis.png", {"chara": _b64(_v2()), "ccv3": _b64(v3)})
    with Image.open(card) as image:  # still a picture: the card rides beside the pixels
        assert image.size == (8, 8)
    persona = CharacterCardReader().read(card)
    assert (persona.name, persona.source) == ("Mavis III", "Character Card V3 (mavis.png)")
    only_v2 = CharacterCardReader().read(_png(tmp_path / "v2.png", {"chara": _b64(_v2())}))
    assert only_v2.name == "Mavis" and only_v2.examples[1] == "Caller: Do you miss the ships?"


def test_a_v1_card_and_a_compressed_chunk_read_too(tmp_path: Path) -> None:
    v1 = tmp_path / "v1.json"
    v1.write_text(json.dumps({**MAVIS, "first_mes": ""}))
    persona = CharacterCardReader().read(v1)
    assert persona.source == "Character Card V1 (v1.json)" and persona.greeting == ""
    assert persona.examples[0] == "Caller: Do you miss the ships?"
    ztxt = tmp_path / "z.png"
    ztxt.write_bytes(_with_chunk(b"zTXt", b"chara\0\0" + zlib.compress(_b64(_v2()))))
    assert CharacterCardReader().read(ztxt).name == "Mavis"


def test_a_show_files_cast_takes_its_persona_from_a_card_and_its_table_wins(tmp_path: Path) -> None:
    (tmp_path / "mavis.json").write_text(json.dumps(_v2()))
    show = tmp_path / "show.toml"
    show.write_text(
        'topic = "storms"\n[[cast]]\nid = "mavis"\ncharacter = "duke"\ncard = "mavis.json"\n'
        '[[cast]]\nid = "wendell"\ncharacter = "wendell"\ncard = "mavis.json"\nname = "Wendell"\n'
    )
    config, _ = read_show(show)
    mavis, wendell = config.cast
    assert mavis.name == "Mavis" and "lighthouse keeper" in mavis.persona and len(mavis.examples) == 5
    assert wendell.name == "Wendell" and "lighthouse keeper" in wendell.persona
    request = ReplyRequest(character=mavis, topic="storms", history=(), heard="Are you lonely out there?")
    system = conversation_messages(request)[0]["content"]
    assert "You are Mavis" in system and "retired lighthouse keeper" in system
    assert "Mavis: Every one of them. Even the rude ones." in system, "the card's example dialogue shows its voice"
    assert "character-card" in PERSONA_FORMATS


def _with_chunk(kind: bytes, body: bytes, cut: int = 0) -> bytes:
    """A 1x1 PNG with one extra chunk before IEND (``cut`` bytes lopped off the end)."""

    def chunk(k: bytes, b: bytes) -> bytes:
        return struct.pack(">I", len(b)) + k + b + struct.pack(">I", zlib.crc32(k + b))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(kind, body)
    png += chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
    return png[: len(png) - cut] if cut else png


def _bomb() -> bytes:
    """50 MB of base64-ish text in 50 kB of zlib."""
    return zlib.compress(b"A" * 50_000_000)


def _json(card: Any) -> Callable[[Path], object]:
    return lambda path: path.write_text(json.dumps(card))


HOSTILE: list[tuple[str, str, Callable[[Path], object], str]] = [
    ("not-json", "json", lambda p: p.write_text("{name: Mavis"), "is not valid JSON"),
    ("latin-1", "json", lambda p: p.write_bytes(b'{"name": "M\xe4vis"}'), "not UTF-8"),
    ("array", "json", _json([MAVIS]), "must be an object, not list"),
    ("unknown-spec", "json", _json({"spec": "chara_card_v9", "data": MAVIS}), "'chara_card_v9' is not a Character"),
    ("no-data", "json", _json({"spec": "chara_card_v2", "data": "Mavis"}), "needs a 'data' object"),
    ("no-name", "json", _json(_v2(name="  ")), "it has no name"),
    ("long-name", "json", _json(_v2(name="M" * 61)), "one line of at most 60"),
    ("number", "json", _json(_v2(description=5)), "field 'description' must be text, not int"),
    ("huge-field", "json", _json(_v2(personality="x" * 40_000)), "field 'personality' is 40000 characters"),
    ("escape-codes", "json", _json(_v2(first_mes="hi \x1b[2J")), "field 'first_mes' holds control characters"),
    ("deep", "json", lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "is not valid JSON"),
    ("no-chunk", "png", lambda p: _png(p, {"Comment": b"hello"}), "holds no card"),
    ("bad-base64", "png", lambda p: _png(p, {"chara": b"@@not base64@@"}), "not valid base64"),
    ("cut-short", "png", lambda p: p.write_bytes(_with_chunk(b"tEXt", b"chara\0" + _b64(_v2()), cut=40)), "cut short"),
    ("bomb", "png", lambda p: p.write_bytes(_with_chunk(b"zTXt", b"chara\0\0" + _bomb())), "inflates past"),
    ("too-big", "png", lambda p: p.open("wb").truncate(MAX_FILE_BYTES + 1), f"a card is at most {MAX_FILE_BYTES}"),
]


@pytest.mark.parametrize(("case", "suffix", "write", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_cards_are_refused_naming_the_file_and_what_is_wrong(
    tmp_path: Path, case: str, suffix: str, write: Callable[[Path], object], reason: str
) -> None:
    card = tmp_path / f"{case}.{suffix}"
    write(card)
    with pytest.raises(CharacterCardError, match="character card .*" + case) as refused:
        CharacterCardReader().read(card)
    assert reason in str(refused.value)


def test_a_show_file_names_a_bad_or_unreadable_card_at_its_line(tmp_path: Path) -> None:
    show = tmp_path / "show.toml"
    (tmp_path / "bad.json").write_text(json.dumps(_v2(description=["not", "text"])))
    for card, reason in [("bad.json", "field 'description' must be text"), ("gone.json", "cannot be read"),
                         ("mavis.txt", "no persona format reads .txt files (.json, .png)")]:  # fmt: skip
        show.write_text(f'topic = "t"\n\n[[cast]]\ncharacter = "duke"\ncard = "{card}"\n')
        with pytest.raises(ShowFileError, match=r"show.toml:5: ") as refused:
            read_show(show)
        assert reason in str(refused.value)
