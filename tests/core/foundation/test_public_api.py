"""The public API: the core names docs/api.md lists (domains, tasks, messages, participants,
results) importable from ``runner``, lazily."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest
import runner
from foundation_helpers import clean_env

DOCUMENTED_NAMES = [  # a sample of docs/api.md's `runner` table
    "hookimpl",
    "Domain",
    "Environment",
    "ToolKit",
    "tool",
    "DB",
    "Task",
    "load_tasks",
    "ToolCall",
    "UserMessage",
    "AssistantMessage",
    "ToolMessage",
    "MultiToolMessage",
    "Tool",
    "HalfDuplexAgent",
    "HalfDuplexUser",
    "FullDuplexAgent",
    "FullDuplexUser",
    "BuildContext",
    "SimulationRun",
    "RewardInfo",
]


@pytest.mark.parametrize("name", DOCUMENTED_NAMES)
def test_documented_names_are_exported(name: str) -> None:
    assert name in runner.__all__
    assert getattr(runner, name) is not None


def test_every_export_resolves_to_its_module_attribute() -> None:
    for name, module in runner._EXPORTS.items():
        assert getattr(runner, name) is getattr(importlib.import_module(module), name), name


@pytest.mark.parametrize("package", ["runner", "runner.environment", "runner.models"])
def test_no_export_is_shadowed_by_a_submodule(package: str) -> None:
    """``from runner.environment import tool`` once returned the *module* tool.py: importing a
    submodule sets an attribute of that name on its package, hiding a lazy export."""
    pkg = importlib.import_module(package)
    submodules = {m.name for m in pkgutil.iter_modules(pkg.__path__)}
    exports = set(getattr(pkg, "_EXPORTS", {})) | set(getattr(pkg, "__all__", []))
    assert not (exports & submodules)


def test_import_is_lazy_and_the_tool_decorator_survives_submodule_imports() -> None:
    code = (
        "import sys, runner\n"
        "assert 'pydantic' not in sys.modules, 'import runner must not import pydantic'\n"
        "from runner import hookimpl\n"
        "from runner.environment.domain import DataDomain\n"
        "assert 'pydantic' not in sys.modules, 'hookimpl and DataDomain must stay cheap'\n"
        "import runner.environment.toolkit\n"
        "from runner.environment import tool\n"
        "from runner import tool as tool2\n"
        "assert callable(tool) and tool is tool2 and not isinstance(tool, type(sys)), tool\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(), timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        runner.Nope  # noqa: B018
    assert "Task" in dir(runner)
