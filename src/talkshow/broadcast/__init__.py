"""Broadcast stage: one encoder, packets fanned out to outputs (MP4, HLS, RTMP, WebRTC).

This package file loads nothing: import what you need from its modules.
"""
