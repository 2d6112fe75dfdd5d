"""The gate a show's settings ask for: stage 1 built here, meaning and stage 2 from the ``moderator`` registry."""

from __future__ import annotations

from talkshow.core.kinds.moderation import Moderator
from talkshow.moderation.classifier import ProfanityClassifier
from talkshow.moderation.gate import ModerationGate
from talkshow.moderation.settings import ModerationSettings
from talkshow.telemetry.events import Telemetry

__all__ = ["build_gate"]


def build_gate(settings: ModerationSettings, telemetry: Telemetry) -> ModerationGate:
    """A gate for ``settings`` (the classifier and the check by meaning load in well under a second)."""
    from talkshow.providers import MODERATORS

    classifier = ProfanityClassifier(settings.threshold) if settings.classifier else None
    semantic: Moderator | None = None
    if settings.semantic:
        semantic = MODERATORS.load(settings.semantic)(dict(settings.semantic_options))
    meaning: Moderator | None = None
    if settings.meaning and settings.semantic != "meaning":  # a show's own examples replace talkshow's
        meaning = MODERATORS.load("meaning")(dict(settings.meaning_options))
    return ModerationGate(settings, telemetry, classifier, semantic, meaning)
