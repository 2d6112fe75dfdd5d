"""The gate a show's settings ask for: stage 1 built here, stage 2 by name from the ``moderator`` registry."""

from __future__ import annotations

from talkshow.core.kinds.moderation import Moderator
from talkshow.moderation.classifier import ProfanityClassifier
from talkshow.moderation.gate import ModerationGate
from talkshow.moderation.settings import ModerationSettings
from talkshow.telemetry.events import Telemetry

__all__ = ["build_gate"]


def build_gate(settings: ModerationSettings, telemetry: Telemetry) -> ModerationGate:
    """A gate for ``settings`` (the classifier loads in about 80 ms; a stage-2 provider opens its client)."""
    from talkshow.providers import MODERATORS

    classifier = ProfanityClassifier(settings.threshold) if settings.classifier else None
    semantic: Moderator | None = None
    if settings.semantic:
        semantic = MODERATORS.load(settings.semantic)(dict(settings.semantic_options))
    return ModerationGate(settings, telemetry, classifier, semantic)
