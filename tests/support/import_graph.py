"""talkshow's import graph from its source: every import, module level or inside a function, and, when asked,
those under ``if TYPE_CHECKING:`` too (they never run, but a cycle through them is a tangle all the same).
Used by the layering test."""

from __future__ import annotations

import ast
from pathlib import Path

from support.paths import SRC as REPO_SRC

SRC = REPO_SRC


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def imports_of(path: Path, modules: set[str], type_only: bool = False) -> set[str]:
    """The talkshow modules ``path`` imports when it runs (and, with ``type_only``, for its types)."""
    found: set[str] = set()
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node) and not type_only:
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in modules else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name in modules}


def graph(type_only: bool = False) -> dict[str, set[str]]:
    """Module -> the talkshow modules it imports (a package's __init__ counts as the package); with ``type_only``,
    the imports under ``if TYPE_CHECKING:`` count too."""
    paths = {_module_name(p): p for p in (SRC / "talkshow").rglob("*.py")}
    modules = set(paths)
    edges = {name: imports_of(path, modules, type_only) for name, path in paths.items()}
    for name in edges:  # importing a.b.c runs a and a.b first
        edges[name] = {m for m in edges[name] if m != name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = [0]

    def strongconnect(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                strongconnect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            strongconnect(node)
    return groups
