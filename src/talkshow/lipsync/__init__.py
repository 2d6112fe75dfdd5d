"""Lip sync stage: speech to timed Rhubarb mouth cues.

Three routes, best first: the voice's own phoneme timings; forced alignment of audio
against its text (pocketsphinx: in-process for renders, in a child process live, where
it would stall the clock); an energy/spectral fallback for audio with no text.

This package file loads nothing: import what you need from its modules.
"""
