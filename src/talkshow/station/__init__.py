"""The station: the one place that builds parts from a config and wires them together.

``station.engine`` builds a live engine, ``station.render`` an offline render, ``station.preview``
a cast editor's preview clip, and ``station.station`` the whole studio around the engine. No
other package builds another package's parts; they take them, built, through their constructors.
"""
