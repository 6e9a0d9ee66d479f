"""Fixtures of the mock domain's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

TAU2_MOCK = Path(__file__).resolve().parents[3].parent / "shared" / "tau2-data" / "mock"


@pytest.fixture(scope="session")
def tau2_mock_dir() -> Path:
    """τ²-bench's mock data folder (the tests that need it skip when it is absent)."""
    if not (TAU2_MOCK / "tasks.json").is_file():
        pytest.skip(f"τ²-bench mock data not found at {TAU2_MOCK}")
    return TAU2_MOCK


@pytest.fixture
def domain():
    from runner_mock.domain import MockDomain

    return MockDomain()
