"""Acting stage: a line plus its speech become a performance (poses per frame).

This package file loads nothing: import what you need from its modules.
"""
