"""Broadcast stage: one encoder, packets fanned out to outputs (MP4, HLS, RTMP, WebRTC)."""

from talkshow.broadcast.encoder import Encoder, EncoderError
from talkshow.broadcast.mp4 import Mp4Output
from talkshow.broadcast.types import EncodedStreams, Output, OutputContext

__all__ = ["EncodedStreams", "Encoder", "EncoderError", "Mp4Output", "Output", "OutputContext"]
