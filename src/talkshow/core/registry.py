"""Providers by name, for every kind of part: the built-in ones and those other packages add.

A kind (voice, stt, writer, ...) maps names to ``"module:attribute"`` import paths. The
built-in table is ``talkshow.providers``; a third-party package adds providers through the
entry-point group ``talkshow.<kind>``, as pytest and ``llm`` plugins do::

    [project.entry-points."talkshow.stt"]
    my-stt = "my_package.stt:create"

Nothing is imported until a provider is used, so listing or checking a name loads no vendor
SDK, model or PyAV. A name that is not registered is an ``UnknownProviderError`` naming the kind
and every choice.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator, Mapping
from functools import cached_property
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar, cast

from talkshow.core.errors import InputError

__all__ = ["ENTRY_POINT_PREFIX", "Registry", "UnknownProviderError"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

ENTRY_POINT_PREFIX = "talkshow."


class UnknownProviderError(InputError, KeyError):
    """No provider of that kind has that name (the message lists the names there are)."""

    def __init__(self, kind: str, name: str, choices: list[str]) -> None:
        super().__init__(f"unknown {kind} {name!r}; choose from {', '.join(choices) or 'nothing (none registered)'}")
        self.kind, self.name, self.choices = kind, name, choices

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class Registry(Mapping[str, str], Generic[T]):
    """One kind of provider: name -> import path, built-ins first, then entry points (a read-only mapping).

    ``load(name)`` imports the provider's module and returns the object its path names: a ``T``, the
    kind's entry (a class or a factory function that builds the kind's Protocol, in ``talkshow.core.kinds``;
    what it is called with is in ``talkshow.providers``). A plug-in cannot replace a built-in: a clash
    is logged and the built-in kept.
    """

    def __init__(self, kind: str, builtins: Mapping[str, str]) -> None:
        self.kind = kind
        self._builtins = dict(builtins)

    @cached_property
    def _paths(self) -> dict[str, str]:
        paths = dict(self._builtins)
        for point in entry_points(group=ENTRY_POINT_PREFIX + self.kind):
            if point.name in self._builtins:
                logger.warning("a plug-in's %s %r is ignored: talkshow has its own", self.kind, point.name)
                continue
            paths[point.name] = point.value
        return paths

    def __getitem__(self, name: str) -> str:
        try:
            return self._paths[name]
        except KeyError:
            raise UnknownProviderError(self.kind, name, list(self._paths)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def check(self, name: str) -> None:
        """UnknownProviderError unless ``name`` is registered (imports nothing)."""
        self[name]

    def load(self, name: str) -> T:
        """The object registered as ``name``, importing its module now (an ImportError names a missing extra)."""
        module_name, _, attribute = self[name].partition(":")
        module = importlib.import_module(module_name)
        target: Any = module
        for part in attribute.split(".") if attribute else ():
            target = getattr(target, part)
        return cast(T, target)  # the registry's contract: what a plug-in registers is not checked until used

    def builtin(self, name: str) -> bool:
        """True if talkshow itself provides ``name`` (not a plug-in)."""
        return name in self._builtins
