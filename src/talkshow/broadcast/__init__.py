"""Broadcast stage: one encoder, packets fanned out to outputs (MP4, HLS, RTMP)."""

from talkshow.broadcast.encoder import EncodedStreams, Encoder, EncoderError, Output
from talkshow.broadcast.mp4 import Mp4Output

__all__ = ["EncodedStreams", "Encoder", "EncoderError", "Mp4Output", "Output"]
