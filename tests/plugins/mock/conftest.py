"""Fixtures of the mock domain's tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_paths import TAU2_DATA

TAU2_MOCK = TAU2_DATA / "mock"


@pytest.fixture(scope="session")
def tau2_mock_dir() -> Path:
    """τ²-bench's mock data folder (``tests/fixtures/tau2-data/mock``)."""
    return TAU2_MOCK


@pytest.fixture
def domain():
    from runner_mock.domain import MockDomain

    return MockDomain()
