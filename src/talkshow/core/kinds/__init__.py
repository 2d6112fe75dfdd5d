"""The Protocol of every kind of provider, with the value types it hands on. Each registry in
``talkshow.providers`` is typed by one of them; a plug-in implements one and registers it.

- ``voice``: ``VoiceEngine`` and ``Voice`` (text to speech with word and phoneme timings);
- ``hearing``: ``SpeechToText`` (and its streaming form);
- ``writer``: ``Writer`` (a show's lines) and ``ReplyWriter`` (a character's answer);
- ``output``: ``Output`` and ``PcmTap`` (the encoder's packets and audio);
- ``transport``: ``CallerTransport`` (a way to call the show);
- ``chat``: ``ChatSource`` (a platform's chat) and the ``ChatInbox`` it delivers to;
- ``moderation``: ``Moderator`` (one check) and the ``Verdict`` it gives;
- ``character_format``: ``CharacterFormat`` (a reader of an avatar file);
- ``persona_format``: ``PersonaFormat`` (a reader of a persona file, such as a Character Card).

This file loads nothing: import the module you need.
"""
