"""The overlay: the cast on a transparent page for a streamer's own scene (OBS's browser source).

``OverlayFeed`` taps the frames as they air; ``OverlayCast`` draws nothing, it tells a page which
of the characters' own sprites go where; ``OverlayStream`` sends that and the voices to each page.
"""
