"""Helpers of the foundation tests, importable as ``foundation_helpers`` (fixtures live in
``conftest.py``)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
TAU2_DATA = REPO.parent / "shared" / "tau2-data"
PLUGIN_ENV_VARS = (
    "RUNNER_PLUGINS",
    "RUNNER_DISABLE_PLUGINS",
    "RUNNER_LOAD_PLUGINS",
    "RUNNER_STRICT_PLUGINS",
)


def tau2_task_files() -> list[Path]:
    """Every τ²-bench task file of the reference data (``tasks_voice.json`` is not one)."""
    if not TAU2_DATA.is_dir():
        return []
    return sorted(
        p for p in TAU2_DATA.glob("*/tasks*.json") if p.name in ("tasks.json", "tasks_small.json")
    )


def clean_env(**extra: str) -> dict[str, str]:
    """A subprocess environment without RUNNER_* plugin settings or PYTHONPATH from the shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNNER_") and k != "PYTHONPATH"}
    env.update(extra)
    return env


@dataclass
class FakeDist:
    name: str
    version: str


@dataclass
class FakeEntryPoint:
    """Stands in for an installed ``runner`` entry point (the attributes the loader reads)."""

    name: str
    value: str
    dist: FakeDist | None
    loader: Callable[[], Any]

    def load(self) -> Any:
        return self.loader()


def entry_point(
    name: str, module: str, dist: str | None = None, version: str = "1.0"
) -> FakeEntryPoint:
    return FakeEntryPoint(
        name=name,
        value=module,
        dist=FakeDist(dist, version) if dist else None,
        loader=lambda: importlib.import_module(module),
    )
