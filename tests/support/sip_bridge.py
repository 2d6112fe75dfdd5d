"""A small SIP-to-AudioSocket bridge for the tests: what Asterisk's dial plan does with ``AudioSocket()``.

It answers one SIP call over UDP (INVITE -> 100, 200 with an SDP offering PCMU; ACK; BYE ->
200), then carries the call's RTP (G.711 μ-law, 20 ms) to talkshow's AudioSocket as 16-bit
8 kHz frames, and talkshow's frames back as RTP. The call's UUID carries the caller's
number the way the README's dial plan builds it. Test code: enough SIP for one real SIP
user agent (baresip) to place a call, nothing more.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import struct
import uuid
from typing import Any

import numpy as np

from talkshow.phone.audio import PhoneAudio
from talkshow.phone.audiosocket import AudioSocketMessage, read_message

__all__ = ["SipBridge"]


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # a datagram endpoint's transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.handle(data, addr)


class SipBridge:
    """Answers a SIP call on ``sip_port`` and bridges it to AudioSocket at ``audiosocket``."""

    def __init__(self, audiosocket: tuple[str, int], caller_digits: str) -> None:
        self.audiosocket = audiosocket
        self.call_id = uuid.UUID(f"00000000-0000-4000-8000-00{caller_digits.rjust(10, '0')[-10:]}")
        self.sip_port = 0
        self.rtp_port = 0
        self.log: list[str] = []  # the SIP requests seen, first line each
        self.rtp_in = self.rtp_out = 0
        self.ended = asyncio.Event()
        self._sip: _Udp | None = None
        self._rtp: _Udp | None = None
        self._peer_rtp: tuple[str, int] | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._decode = PhoneAudio("mulaw", show_rate=8_000)
        self._encode = PhoneAudio("mulaw", show_rate=8_000)
        self._seq, self._stamp = random.randrange(1 << 16), random.randrange(1 << 32)
        self._ssrc = random.randrange(1 << 32)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        _, self._sip = await loop.create_datagram_endpoint(lambda: _Udp(self._on_sip), local_addr=("127.0.0.1", 0))
        _, self._rtp = await loop.create_datagram_endpoint(lambda: _Udp(self._on_rtp), local_addr=("127.0.0.1", 0))
        assert self._sip.transport is not None and self._rtp.transport is not None
        self.sip_port = self._sip.transport.get_extra_info("sockname")[1]
        self.rtp_port = self._rtp.transport.get_extra_info("sockname")[1]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.write(AudioSocketMessage("hangup").encode())
            self._writer.close()
        for endpoint in (self._sip, self._rtp):
            if endpoint is not None and endpoint.transport is not None:
                endpoint.transport.close()

    # SIP
    def _on_sip(self, data: bytes, addr: tuple[str, int]) -> None:
        text = data.decode("utf-8", "replace")
        head, _, body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.log.append(lines[0])
        method = lines[0].split(" ", 1)[0]
        if method == "INVITE":
            found = re.search(r"c=IN IP4 (\S+)", body), re.search(r"m=audio (\d+)", body)
            if found[0] and found[1]:
                self._peer_rtp = (found[0].group(1), int(found[1].group(1)))
            self._reply(lines, addr, "100 Trying")
            self._reply(lines, addr, "200 OK", self._sdp())
            self._tasks.append(asyncio.ensure_future(self._bridge()))
        elif method == "BYE":
            self._reply(lines, addr, "200 OK")
            self.ended.set()
            if self._writer is not None:
                self._writer.write(AudioSocketMessage("hangup").encode())
        elif method not in ("ACK", "SIP/2.0"):
            self._reply(lines, addr, "200 OK")

    def _reply(self, request: list[str], addr: tuple[str, int], status: str, sdp: str = "") -> None:
        copied = [line for line in request[1:] if line.split(":", 1)[0].lower() in ("via", "from", "call-id", "cseq")]
        to = next(line for line in request if line.lower().startswith("to:"))
        if ";tag=" not in to:
            to += ";tag=talkshowbridge"
        headers = [f"SIP/2.0 {status}", *copied, to, f"Contact: <sip:talkshow@127.0.0.1:{self.sip_port}>"]
        if sdp:
            headers.append("Content-Type: application/sdp")
        headers.append(f"Content-Length: {len(sdp.encode())}")
        assert self._sip is not None and self._sip.transport is not None
        self._sip.transport.sendto(("\r\n".join(headers) + "\r\n\r\n" + sdp).encode(), addr)

    def _sdp(self) -> str:
        return "\r\n".join(
            [
                "v=0",
                "o=talkshow 1 1 IN IP4 127.0.0.1",
                "s=talkshow bridge",
                "c=IN IP4 127.0.0.1",
                "t=0 0",
                f"m=audio {self.rtp_port} RTP/AVP 0",
                "a=rtpmap:0 PCMU/8000",
                "a=ptime:20",
                "a=sendrecv",
                "",
            ]
        )

    # media
    async def _bridge(self) -> None:
        reader, self._writer = await asyncio.open_connection(*self.audiosocket)
        self._writer.write(AudioSocketMessage("uuid", self.call_id.bytes).encode())
        while (message := await read_message(reader)) is not None:
            if message.kind == "hangup":
                break
            if message.kind == "audio":
                samples = np.frombuffer(message.payload, "<i2").astype(np.int16)
                for frame in self._encode.encode(samples):
                    self._send_rtp(frame)
        self.ended.set()

    def _send_rtp(self, payload: bytes) -> None:
        if self._peer_rtp is None or self._rtp is None or self._rtp.transport is None:
            return
        header = struct.pack("!BBHII", 0x80, 0, self._seq & 0xFFFF, self._stamp & 0xFFFFFFFF, self._ssrc)
        self._rtp.transport.sendto(header + payload, self._peer_rtp)
        self._seq += 1
        self._stamp += len(payload)
        self.rtp_out += 1

    def _on_rtp(self, data: bytes, addr: tuple[str, int]) -> None:
        if len(data) < 12 or data[1] & 0x7F != 0 or self._writer is None:
            return  # not PCMU, or AudioSocket not connected yet
        count = data[0] & 0x0F
        start = 12 + 4 * count
        if data[0] & 0x10:  # a header extension
            start += 4 + 4 * struct.unpack("!H", data[start + 2 : start + 4])[0]
        linear = self._decode.decode(data[start:])
        self._writer.write(AudioSocketMessage("audio", linear.astype("<i2").tobytes()).encode())
        self.rtp_in += 1
