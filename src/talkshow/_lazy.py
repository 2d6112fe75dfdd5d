"""Package exports imported on first use, so a light module inside a package (its settings) stays light.

A package's ``__init__`` names what it exports and where each lives; importing
``talkshow.phone.settings`` then runs no codec, model or network module. Type checkers see
the same names through the package's ``if TYPE_CHECKING:`` imports.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, where: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module ``__getattr__`` and ``__dir__`` for ``package``: name -> the module (relative to it) defining it."""

    def get_attribute(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    def names() -> list[str]:
        return sorted(where)

    return get_attribute, names
