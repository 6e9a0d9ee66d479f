"""The core's modules import each other in one direction: no import cycles, and the package
graph that docs/architecture.md draws is the code's.

The graph is read from the source (``ast``). For cycles: each module's top-level imports of
``runner.*``, except those under ``if TYPE_CHECKING:`` (imports inside functions are deliberate
deferrals). For the documented package graph: every import, deferred ones included.
"""

from __future__ import annotations

import ast
from pathlib import Path

from repo_paths import REPO

SRC = REPO / "core" / "src"


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "runner").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        nodes = node.body if isinstance(node, ast.Try) else [node]
        found += [n for n in nodes if isinstance(n, ast.Import | ast.ImportFrom)]
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the ``runner`` modules it imports at its top level."""
    modules = _modules()

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        edges: set[str | None] = set()
        for node in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges |= {known(a.name) for a in node.names if a.name.startswith("runner")}
                continue
            base = node.module or ""
            if node.level:
                kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*kept, base] if base else kept)
            if base.split(".")[0] == "runner":
                # ``from runner.x import y``: the submodule runner.x.y when there is one
                edges |= {known(f"{base}.{a.name}") or known(base) for a in node.names}
        graph[module] = {e for e in edges if e is not None and e != module}
    return graph


#: Old module paths that forward to their new homes for one release (not packages of the graph).
SHIMS = {
    "_moved",
    "batch",
    "build",
    "checkpoint",
    "executor",
    "hookspecs",
    "plugin_discovery",
    "plugin_options",
    "progress",
    "registry",
    "result_line",
    "results",
    "results_jsonl",
    "simulation",
}


def package_graph() -> dict[str, set[str]]:
    """Package (``runner.X``'s ``X``) -> the packages it imports anywhere, type-only imports
    and the facade ``runner`` itself left out."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        source = _package(module)
        if source in SHIMS or source == "runner":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = {
            id(n)
            for node in tree.body
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                while name and name not in modules:
                    name = name.rpartition(".")[0]
                target = _package(name) if name.startswith("runner.") else None
                if target and target not in (source, "runner", "_moved"):
                    graph.setdefault(source, set()).add(target)
    return graph


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "runner"


def documented_graph() -> dict[str, set[str]]:
    """The table between ``<!-- import-table -->`` markers in docs/architecture.md."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("<!-- import-table -->")[1].split("<!-- /import-table -->")[0]
    graph = {}
    for line in table.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2:
            graph[cells[0].strip("`")] = {c.strip() for c in cells[1].split(",") if c.strip()}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_core_has_no_import_cycles() -> None:
    graph = import_graph()
    assert len(graph) > 50 and "runner.llm.gateway" in graph["runner.llm"]
    assert cycles(graph) == []


def test_the_documented_package_graph_is_the_codes() -> None:
    code = package_graph()
    assert documented_graph() == code
    assert cycles(code) == []  # one direction between packages too


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
