"""A show file's per-package tables (``[talk]``, ``[phone]``, ``[chat]`` ...).

Each package declares its own ``Section``: the table's name, its settings type and the parser
that checks the table. The providers registry lists them (``talkshow.providers.SECTIONS``, or a
plug-in's ``talkshow.section`` entry point); the show file parses every table it finds through
them; and the config holds the results in ``Sections``, keyed by type, without importing a package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, cast

from talkshow.core.registry import Registry

__all__ = ["Section", "SectionReader", "Sections"]

S = TypeVar("S")


class SectionReader(Protocol):
    """What a section's parser is handed besides its table: the cast, typed reads and errors that point at a key."""

    @property
    def cast_ids(self) -> frozenset[str]:
        """The show's cast ids (a section that names a character checks it against them)."""
        ...

    def fail(self, message: str, key: str = "") -> Exception:
        """The error to raise for ``key`` in this table: it names the file and the key's line."""
        ...

    def value(self, table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        """``table[key]`` if it is of ``kind`` (a bool is not a number), ``default`` if absent; else ``fail``."""
        ...

    def check_provider(self, registry: Registry[Any], name: str, what: str, key: str) -> None:
        """Fail at ``key`` unless ``registry`` has a provider called ``name`` (it is not loaded)."""
        ...


@dataclass(frozen=True)
class Section(Generic[S]):
    """A package's table in a show file: its name, its settings type and its parser.

    A show without the table gets ``kind()``: every settings type has defaults for every field.
    """

    name: str
    kind: type[S]
    parse: Callable[[dict[str, Any], SectionReader], S]


@dataclass(frozen=True)
class Sections:
    """One show's settings sections, keyed by type: ``get(TalkSettings)`` (its defaults when the show set none)."""

    by_kind: Mapping[type, object] = field(default_factory=dict)

    @classmethod
    def of(cls, values: Iterable[object]) -> Sections:
        """The sections holding ``values`` (one per settings type)."""
        return cls({type(value): value for value in values})

    def get(self, kind: type[S]) -> S:
        """The section of type ``kind``, or ``kind()`` when the show set none."""
        value = self.by_kind.get(kind)
        return cast(S, value) if value is not None else kind()

    def replaced(self, *values: object) -> Sections:
        """A copy with ``values`` in place of the sections of their types."""
        return Sections({**self.by_kind, **{type(value): value for value in values}})
