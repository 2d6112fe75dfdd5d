"""IRC lines with IRCv3 message tags, as Twitch chat sends them (RFC 1459 framing, tags per ircv3.net)."""

from __future__ import annotations

from dataclasses import dataclass, field

from talkshow.core.errors import InputError

__all__ = ["MAX_LINE_BYTES", "IrcLine", "IrcParseError", "parse_irc"]

MAX_LINE_BYTES = 8191 + 512  # IRCv3: 8191 bytes of tags plus a 512-byte message
_ESCAPES = {":": ";", "s": " ", "\\": "\\", "r": "\r", "n": "\n"}


class IrcParseError(InputError, ValueError):
    """A line that is not IRC."""


@dataclass(frozen=True)
class IrcLine:
    """One parsed line: ``tags`` unescaped; ``nick`` from the prefix; ``params`` with the trailing one last."""

    command: str
    params: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    prefix: str = ""

    @property
    def nick(self) -> str:
        """The sender's nick (``nick!user@host``), or the server name."""
        return self.prefix.split("!", 1)[0]

    @property
    def trailing(self) -> str:
        """The last parameter (the message text), or ""."""
        return self.params[-1] if self.params else ""


def _unescape(value: str) -> str:
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append(_ESCAPES.get(following, following))
        else:
            out.append(char)
    return "".join(out)


def parse_irc(line: str) -> IrcLine:
    """Parse one line (without CR LF); IrcParseError if it is empty, too long or has no command."""
    if len(line.encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES:
        raise IrcParseError(f"an IRC line of {len(line)} characters is over the limit")
    rest = line.rstrip("\r\n")
    tags: dict[str, str] = {}
    if rest.startswith("@"):
        raw, _, rest = rest[1:].partition(" ")
        for item in raw.split(";"):
            key, _, value = item.partition("=")
            if key:
                tags[key] = _unescape(value)
    prefix = ""
    rest = rest.lstrip(" ")
    if rest.startswith(":"):
        prefix, _, rest = rest[1:].partition(" ")
    head, colon, trailing = rest.partition(" :")
    words = head.split()
    if not words:
        raise IrcParseError(f"no command in IRC line {line[:80]!r}")
    params = tuple(words[1:]) + ((trailing,) if colon else ())
    return IrcLine(words[0].upper(), params, tags, prefix)
