"""The public API's boundary: what ``runner`` exports is listed once, and plugins use only it.

Public: the names ``runner`` exports, and those of the public subpackages that docs/api.md
names (each package's ``__all__``). Everything else is internal, whatever its spelling, so the
core can move it. The first-party plugins and the documentation's example plugin are held to
that rule here, as a third-party plugin would be.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
import runner
from repo_paths import REPO

#: The public subpackages (docs/api.md); their public names are their ``__all__``.
PUBLIC_PACKAGES = (
    "runner",
    "runner.llm",
    "runner.testing",
    "runner.conformance",
    "runner.plugins",
    "runner.rescore",
    "runner.voice",
)
PLUGIN_SOURCES = sorted(
    [*REPO.glob("plugins/*/src/**/*.py"), *REPO.glob("docs/examples/*/src/**/*.py")]
)


def _runner_imports(path: Path) -> list[tuple[int, str, str | None]]:
    """``(line, module, name)`` of every import of ``runner`` (``name`` None for ``import``)."""
    found: list[tuple[int, str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, None) for a in node.names if _is_runner(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _is_runner(node.module):
            found += [(node.lineno, str(node.module), a.name) for a in node.names]
    return found


def _is_runner(module: str | None) -> bool:
    return module is not None and (module == "runner" or module.startswith("runner."))


def _public(module: str, name: str | None) -> bool:
    if module not in PUBLIC_PACKAGES:
        return False
    return name is None or name in importlib.import_module(module).__all__


def test_every_plugin_imports_only_public_names() -> None:
    assert len(PLUGIN_SOURCES) > 50
    private = [
        f"{path.relative_to(REPO)}:{line}: {module}{'.' + name if name else ''}"
        for path in PLUGIN_SOURCES
        for line, module, name in _runner_imports(path)
        if not _public(module, name)
    ]
    assert private == [], "non-public imports:\n" + "\n".join(private)


def test_the_boundary_check_sees_a_private_import(tmp_path: Path) -> None:
    source = tmp_path / "plugin.py"
    source.write_text("from runner.run.batch import run_tasks\nfrom runner import tool\n")
    found = [(m, n) for _, m, n in _runner_imports(source) if not _public(m, n)]
    assert found == [("runner.run.batch", "run_tasks")]


def _typed_names() -> dict[str, str]:
    """Name -> module of the ``if TYPE_CHECKING:`` imports of ``runner/__init__.py``."""
    tree = ast.parse(Path(runner.__file__).read_text(encoding="utf-8"))
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    )
    return {
        alias.name: str(node.module)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_the_lazy_table_and_the_typed_names_agree() -> None:
    """Type checkers read the ``TYPE_CHECKING`` block, ``runner.X`` reads ``_EXPORTS``: one list,
    written twice, must name the same objects."""
    typed = _typed_names()
    assert sorted(typed) == sorted(runner._EXPORTS) == runner.__all__
    for name, module in typed.items():
        assert getattr(importlib.import_module(module), name) is getattr(runner, name), name


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_every_public_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert module.__all__ and missing == []
