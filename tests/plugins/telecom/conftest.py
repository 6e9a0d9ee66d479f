"""Fixtures of the telecom domain's tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from repo_paths import TAU2_DATA

TAU2_TELECOM = TAU2_DATA / "telecom"


@pytest.fixture(scope="session")
def tau2_telecom_dir() -> Path:
    """τ²-bench's telecom data folder (``tests/fixtures/tau2-data/telecom``)."""
    return TAU2_TELECOM


@pytest.fixture(scope="session")
def domain() -> Any:
    """The domain on the plugin's own data (loaded once; environments are fresh copies)."""
    from runner_telecom.domain import TelecomDomain

    return TelecomDomain()


@pytest.fixture(scope="session")
def tau2_domain(tau2_telecom_dir: Path) -> Any:
    from runner_telecom.domain import TelecomDomain

    return TelecomDomain().configure({"data_dir": str(tau2_telecom_dir)})
