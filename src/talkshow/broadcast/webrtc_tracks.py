"""aiortc tracks that play the show's encoded packets: no encode per peer, only packetising.

Each track owns its timestamps: they are the show clock's (a video packet's pts in
frames, an Opus packet's in 48 kHz samples), so a peer's audio and video stay in sync
exactly as the broadcast does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiortc import MediaStreamTrack

from talkshow.broadcast.webrtc_feed import FeedPacket, FeedSubscriber

__all__ = ["FeedAudioTrack", "FeedVideoTrack"]

PacketWatch = Callable[[FeedPacket], None]


class FeedVideoTrack(MediaStreamTrack):
    """The show's H.264 packets for one peer, from the next keyframe on."""

    kind = "video"

    def __init__(self, subscriber: FeedSubscriber) -> None:
        super().__init__()
        self.subscriber = subscriber

    async def recv(self) -> Any:
        """The next packet (aiortc packs it into RTP as it is)."""
        packet = await self.subscriber.next_video()
        return packet.to_av()


class FeedAudioTrack(MediaStreamTrack):
    """The show's shared Opus packets for one peer; ``watch`` sees each one as it is sent."""

    kind = "audio"

    def __init__(self, subscriber: FeedSubscriber, watch: PacketWatch | None = None) -> None:
        super().__init__()
        self.subscriber = subscriber
        self.watch = watch

    async def recv(self) -> Any:
        """The next Opus packet."""
        packet = await self.subscriber.next_audio()
        if self.watch is not None:
            self.watch(packet)
        return packet.to_av()
