"""Running a show: turn preparation (``prepare``), the director on the show clock, and rendering (``render``).

This package file loads nothing: ``talkshow.show.turn_builder`` must not bring PyAV with it.
"""
