"""The dial plan (``[phone]`` in a show file): who answers, what callers hear, what their keys do.

Phone calls use talk mode's engine and its ``[talk]`` settings (STT, reply writer, turn
thresholds); this adds what only a phone line needs. Every value is checked here, and a
bad one names its key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from talkshow.core.sections import Section, SectionReader
from talkshow.providers import TRANSPORTS

__all__ = [
    "CALLER_ID_MODES",
    "DTMF_ACTIONS",
    "DTMF_KEYS",
    "SECTION",
    "STOCK_GREETING",
    "PhoneSettings",
    "caller_label",
    "listen_address",
    "mask_number",
    "parse_phone_table",
    "read_phone_section",
]

CALLER_ID_MODES = ("last4", "hidden", "full")
DTMF_ACTIONS = ("handover", "hangup", "ignore")
DTMF_KEYS = "0123456789*#ABCD"
BUSY_POLICIES = ("message", "queue")
DEFAULT_AUDIOSOCKET_HOST = "127.0.0.1"  # Asterisk usually runs beside talkshow; never the world by default


def _default_dtmf() -> dict[str, str]:
    return {"0": "handover", "#": "hangup"}


STOCK_GREETING = "You're on the air! What's on your mind?"


@dataclass(frozen=True)
class PhoneSettings:
    """How phone calls are answered and put on air."""

    character: str = ""  # who answers; "" = talk mode's character (the first cast member by default)
    greeting: str = STOCK_GREETING  # left as it is, a character card's first message is said instead
    goodbye: str = "That's all the time we have. Thanks for calling!"
    caller_id: str = "last4"  # on air: "Caller …1234"; "hidden": "Caller"; "full": the whole number
    max_call_s: float = 600.0
    busy: str = "message"  # a second caller hears busy_message; "queue": they hold for the line
    busy_message: str = "Sorry, the line is busy right now. Please call back in a few minutes."
    hold_message: str = "You're next in line. Please hold, and you'll be on the air soon."
    max_queue: int = 3  # callers holding at once; one more hears the busy message
    max_wait_s: float = 180.0  # a holding caller waits at most this long, then hears the busy message
    dtmf: Mapping[str, str] = field(default_factory=_default_dtmf)  # key -> handover | hangup | ignore
    token_env: str = "TALKSHOW_PHONE_TOKEN"  # the media stream's shared secret comes from this variable
    audiosocket: str = ""  # "host:port" or "port" (loopback) to listen for Asterisk; "" = off
    mark_interval_ms: int = 100  # how often a Media Streams mark asks the platform what the caller heard
    silence_timeout_s: float = 10.0  # no audio at all for this long: the call is dropped (no 'stop' came)

    # Caller transports by provider name, each with its own options ([phone.transport.NAME] tables).
    transports: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: {"twilio": {}})

    @property
    def audiosocket_address(self) -> tuple[str, int] | None:
        """Where the AudioSocket server listens, or None when it is off."""
        return listen_address(self.audiosocket) if self.audiosocket else None

    @property
    def enabled_transports(self) -> dict[str, Mapping[str, Any]]:
        """Every transport to start, with its options (``audiosocket = ...`` is the audiosocket transport's listen)."""
        enabled = dict(self.transports)
        if self.audiosocket and "audiosocket" not in enabled:
            enabled["audiosocket"] = {"listen": self.audiosocket}
        return enabled


def listen_address(text: str) -> tuple[str, int]:
    """``host:port`` or ``port`` (loopback) as (host, port)."""
    host, _, port = text.rpartition(":")
    return (host.strip("[]") or DEFAULT_AUDIOSOCKET_HOST, int(port))


def mask_number(number: str) -> str:
    """A caller number as logs may show it: its last 4 digits only ("…1234"), never the whole."""
    digits = "".join(c for c in number if c.isdigit())
    return f"…{digits[-4:]}" if digits else "unknown"


def caller_label(number: str, mode: str = "last4") -> str:
    """How a caller is named on air: "Caller …1234", "Caller", or the full number, by ``mode``."""
    digits = "".join(c for c in number if c.isdigit())
    if mode == "hidden" or not digits:
        return "Caller"
    if mode == "full":
        return f"Caller {number.strip()[:20]}"
    return f"Caller …{digits[-4:]}"


Fail = Callable[[str, str], Exception]  # (message, key) -> the error to raise, pointing at the key


def read_phone_section(data: dict[str, Any], reader: SectionReader) -> PhoneSettings:
    """``[phone]`` from a show file: the table checked, its character in the cast, its transports registered."""
    phone = parse_phone_table(data, reader.fail)
    for name in phone.transports:
        reader.check_provider(TRANSPORTS, name, "phone transport", name)
    if phone.character and phone.character not in reader.cast_ids:
        raise reader.fail(f"phone character {phone.character!r} is not in the cast", "character")
    return phone


def parse_phone_table(data: dict[str, Any], fail: Fail) -> PhoneSettings:
    """``[phone]`` from a show file, every value checked; ``fail`` builds the error for a bad key."""
    d = PhoneSettings()
    known = (set(PhoneSettings.__dataclass_fields__) - {"transports"}) | {"transport"}
    for key in data:
        if key not in known:
            raise fail(f"unknown key {key!r} in [phone]; known: {', '.join(sorted(known))}", key)
    texts = {k: _text(data, k, getattr(d, k), fail) for k in ("greeting", "goodbye", "busy_message", "hold_message")}
    settings = PhoneSettings(
        character=str(_typed(data, "character", str, "", fail)),
        caller_id=_choice(data, "caller_id", CALLER_ID_MODES, d.caller_id, fail),
        max_call_s=_number(data, "max_call_s", 10, 86_400, d.max_call_s, fail),
        busy=_choice(data, "busy", BUSY_POLICIES, d.busy, fail),
        max_queue=int(_number(data, "max_queue", 1, 20, d.max_queue, fail)),
        max_wait_s=_number(data, "max_wait_s", 5, 3600, d.max_wait_s, fail),
        dtmf=_dtmf(data, fail),
        token_env=str(_typed(data, "token_env", str, d.token_env, fail)),
        audiosocket=_address(data, fail),
        mark_interval_ms=int(_number(data, "mark_interval_ms", 20, 1000, d.mark_interval_ms, fail)),
        silence_timeout_s=_number(data, "silence_timeout_s", 2, 120, d.silence_timeout_s, fail),
        transports=_transports(data, fail),
        **texts,
    )
    if settings.mark_interval_ms % 20:
        raise fail(f"phone mark_interval_ms must be a multiple of 20 (one frame), got {settings.mark_interval_ms}", "")
    return settings


def _typed(data: dict[str, Any], key: str, kind: type, default: Any, fail: Fail) -> Any:
    value = data.get(key, default)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise fail(f"phone {key} must be a {kind.__name__}, got {value!r}", key)
    return value


def _text(data: dict[str, Any], key: str, default: str, fail: Fail) -> str:
    value = " ".join(str(_typed(data, key, str, default, fail)).split())
    if not value or len(value) > 300:
        raise fail(f"phone {key} must be 1-300 characters, got {len(value)}", key)
    return value


def _number(data: dict[str, Any], key: str, low: float, high: float, default: float, fail: Fail) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise fail(f"phone {key} must be a number from {low:g} to {high:g}, got {value!r}", key)
    return float(value)


def _choice(data: dict[str, Any], key: str, choices: tuple[str, ...], default: str, fail: Fail) -> str:
    value = data.get(key, default)
    if value not in choices:
        raise fail(f"phone {key} must be one of {', '.join(choices)}, got {value!r}", key)
    return str(value)


def _dtmf(data: dict[str, Any], fail: Fail) -> dict[str, str]:
    table = data.get("dtmf", _default_dtmf())
    if not isinstance(table, dict):
        raise fail('phone dtmf must be a table of key = action, e.g. { "0" = "handover", "#" = "hangup" }', "dtmf")
    for key, action in table.items():
        if len(key) != 1 or key not in DTMF_KEYS:
            raise fail(f"phone dtmf key {key!r} is not a DTMF key (0-9, *, #, A-D)", "dtmf")
        if action not in DTMF_ACTIONS:
            raise fail(f"phone dtmf {key!r} = {action!r}: the action must be one of {', '.join(DTMF_ACTIONS)}", "dtmf")
    return {str(k): str(v) for k, v in table.items()}


def _address(data: dict[str, Any], fail: Fail) -> str:
    value = data.get("audiosocket", "")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise fail(f"phone audiosocket must be 'host:port' or a port, got {value!r}", "audiosocket")
    if not value:
        return ""
    host, _, port = value.rpartition(":")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise fail(f"phone audiosocket must be 'host:port' or a port (1-65535), got {value!r}", "audiosocket")
    return f"{host or DEFAULT_AUDIOSOCKET_HOST}:{port}"


def _transports(data: dict[str, Any], fail: Fail) -> dict[str, Mapping[str, Any]]:
    """``[phone.transport.NAME]`` tables: which transports run, with their options (names are checked by config)."""
    table = data.get("transport", {"twilio": {}})
    if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
        raise fail("phone transport must be tables of options, e.g. [phone.transport.twilio]", "transport")
    if "audiosocket" in table and "listen" in table["audiosocket"]:
        _address({"audiosocket": table["audiosocket"]["listen"]}, fail)
    return {str(name): dict(options) for name, options in table.items()}


SECTION = Section("phone", PhoneSettings, read_phone_section)
