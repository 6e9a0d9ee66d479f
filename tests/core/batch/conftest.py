"""Fixtures of the batch-layer tests: plugins with the chaos test plugin and the mock domain."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


@pytest.fixture(scope="session")
def batch_plugins():
    """The built-ins, runner-mock and ``batch_chaos_plugin`` (nothing else installed)."""
    from runner.plugins import PluginOptions, load_plugins

    return load_plugins(
        PluginOptions(modules=("batch_chaos_plugin",), only=("runner-mock",), strict=True)
    )


@pytest.fixture
def chaos_state():
    """Forget the attempts the chaos agent counted in earlier tests."""
    import batch_chaos_plugin

    batch_chaos_plugin.ATTEMPTS.clear()
    yield batch_chaos_plugin
    batch_chaos_plugin.ATTEMPTS.clear()
