"""Live chat steers the show: chat source -> desk -> moderation -> the cast's answers, on air.

Sources are providers of kind ``chat`` (``twitch`` over EventSub, ``twitch-irc``
anonymous, ``youtube`` polling within its quota, ``webhook`` for any bot); each hands the
``ChatDesk`` normalized ``ChatMessage``s and ``ChatRemoval``s. The ``ChatHost`` airs the
best question at the pace ``ChatSettings`` allows; the ``ChatBooth`` builds them all.

This package file loads nothing: import what you need from its modules.
"""
