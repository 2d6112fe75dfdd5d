"""Broadcast stage: encoder and outputs (MP4 file now; HLS and RTMP come with live mode)."""

from talkshow.broadcast.mp4 import EncoderError, Mp4Writer

__all__ = ["EncoderError", "Mp4Writer"]
