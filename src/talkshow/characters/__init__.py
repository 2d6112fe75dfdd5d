"""Characters: loadable packs of layered art, and the bundled cast's generator.

This package file loads nothing: import what you need from its modules.
"""
