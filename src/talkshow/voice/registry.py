"""The TTS engines talkshow knows, by name: ``VOICES`` in ``talkshow.providers``, plus plug-ins.

An engine's module (and its extra) is imported only when a character uses it or
``talkshow voices`` asks about it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from talkshow.core.kinds.voice import VoiceEngine, VoiceInfo
from talkshow.core.registry import Registry
from talkshow.providers import VOICES

__all__ = ["ENGINES", "EngineAvailability", "EngineRegistry", "engine_availability", "installed_voices"]


class EngineRegistry(Mapping[str, Callable[[], VoiceEngine]]):
    """Engine name -> factory, importing each engine's module on first use."""

    def __init__(self, registry: Registry[Callable[[], VoiceEngine]]) -> None:
        self._registry = registry

    def __getitem__(self, name: str) -> Callable[[], VoiceEngine]:
        self._registry.check(name)  # an unknown name fails here, naming the choices

        def make() -> VoiceEngine:
            engine: VoiceEngine = self._registry.load(name)()
            return engine

        return make

    def __iter__(self) -> Iterator[str]:
        return iter(self._registry)

    def __len__(self) -> int:
        return len(self._registry)


ENGINES: Mapping[str, Callable[[], VoiceEngine]] = EngineRegistry(VOICES)


@dataclass(frozen=True)
class EngineAvailability:
    """Whether an engine can speak now, and if not, why (a missing extra, key or file)."""

    name: str
    reason: str
    version: str = ""
    voices: tuple[VoiceInfo, ...] = ()


def engine_availability(engines: Mapping[str, Callable[[], VoiceEngine]] = ENGINES) -> dict[str, EngineAvailability]:
    """Every engine's state, for `talkshow voices` and the studio's voice picker."""
    states = {}
    for name, factory in engines.items():
        try:
            engine = factory()
            status = getattr(engine, "status", None)
            reason = status() if status is not None else ""
            voices = tuple(engine.list_voices())
            version = engine.version() if not reason else ""
        except Exception as exc:  # a missing extra raises at import: that is the answer, not a crash
            states[name] = EngineAvailability(name, f"{type(exc).__name__}: {exc}")
            continue
        states[name] = EngineAvailability(name, reason, version, voices)
    return states


def installed_voices() -> dict[str, list[dict[str, str]]]:
    """The voices of every TTS engine usable now (its extra installed, its key set), by engine."""
    voices = {}
    for name, availability in engine_availability().items():
        if availability.reason:
            continue
        voices[name] = [
            {"name": v.name, "description": v.description} for v in availability.voices if not v.name.startswith("<")
        ]
    return voices
