"""Stage: performances to raw I420 frames.

The set is drawn and lit once; character states are prepared at load; each frame
redraws only the regions whose draw items changed.

This package file loads nothing: import what you need from its modules.
"""
