"""A caller transport: raw 16 kHz 16-bit PCM over TCP, after a one-line hello ("CALL <number>").

Each way, 20 ms frames of 640 bytes; the caller hangs up by closing the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

from talkshow.phone.transport import Call, CallLines

FRAME_BYTES = 640  # 20 ms at 16 kHz, 16-bit


class RawWire:
    transport = "rawpcm"
    marks = False

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer

    async def send_audio(self, frame: bytes) -> None:
        if self.writer.is_closing():
            raise ConnectionResetError("the caller has gone")
        self.writer.write(frame)
        await self.writer.drain()

    async def send_mark(self, name: str) -> None:
        pass

    async def send_clear(self) -> None:
        pass

    async def close(self, reason: str) -> None:
        self.writer.close()


class RawPcmTransport:
    name = "rawpcm"

    def __init__(self, lines: CallLines, port: int) -> None:
        self.lines, self.port = lines, port
        self._server: asyncio.Server | None = None

    def routes(self) -> None:
        return None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        hello = (await reader.readline()).decode().split()
        call: Call = self.lines.connect(RawWire(writer), f"raw-{hello[1]}", hello[1], "linear", 16_000)
        try:
            while frame := await reader.read(FRAME_BYTES):
                if call.admit():
                    call.audio_in(frame)
        finally:
            await call.end("the caller hung up")
            with contextlib.suppress(Exception):
                writer.close()


def create(options: Mapping[str, Any], lines: CallLines) -> RawPcmTransport:
    return RawPcmTransport(lines, int(options["port"]))
