"""Fixtures of the telecom domain's tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

TAU2_TELECOM = Path(__file__).resolve().parents[3].parent / "shared" / "tau2-data" / "telecom"


@pytest.fixture(scope="session")
def tau2_telecom_dir() -> Path:
    """τ²-bench's telecom data folder (the tests that need it skip when it is absent)."""
    if not (TAU2_TELECOM / "tasks_small.json").is_file():
        pytest.skip(f"τ²-bench telecom data not found at {TAU2_TELECOM}")
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
