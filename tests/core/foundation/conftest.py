"""Fixtures of the foundation tests; plain helpers are in ``foundation_helpers``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from foundation_helpers import (
    EXAMPLE_PACKAGE,
    PLUGIN_ENV_VARS,
    PLUGIN_PACKAGES,
    REPO,
    TAU2_DATA,
    WheelVenv,
    make_wheel_venv,
)


@pytest.fixture
def tau2_data() -> Path:
    return TAU2_DATA


@pytest.fixture
def no_plugin_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No RUNNER_* plugin variable of the calling shell changes what a test loads."""
    for name in PLUGIN_ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def plugin_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str, str], str]]:
    """Write a module into a temporary folder on ``sys.path``; returns its import name."""
    folder = tmp_path / "plugin_modules"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    written: list[str] = []

    def make(name: str, source: str) -> str:
        (folder / f"{name}.py").write_text(source, encoding="utf-8")
        written.append(name)
        sys.modules.pop(name, None)
        return name

    yield make
    for name in written:
        sys.modules.pop(name, None)


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> WheelVenv:
    """runner-core, the two fixture plugins and the documentation's example plugin, built as
    wheels and installed into one fresh virtualenv (built once per test session)."""
    sources = [
        REPO / "core",
        PLUGIN_PACKAGES / "runner-fixture-hello",
        PLUGIN_PACKAGES / "runner-fixture-broken",
        EXAMPLE_PACKAGE,
    ]
    return make_wheel_venv(tmp_path_factory.mktemp("wheel_venv"), sources)
