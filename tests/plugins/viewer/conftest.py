"""Fixtures of the viewer's tests (the helpers they use live in viewer_helpers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from viewer_helpers import edit_run, make_run


@pytest.fixture(scope="session")
def base_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_run(tmp_path_factory.mktemp("runs"))


@pytest.fixture
def hostile_run(base_run: Path, tmp_path: Path) -> Path:
    return edit_run(base_run, tmp_path / "hostile", {0: 0.0, 2: 0.0}, payload=True)
