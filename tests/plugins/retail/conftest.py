"""Fixtures of the retail domain's tests.

``fixtures/tau2_retail_tool_reference.json`` and ``fixtures/tau2_retail_task_hashes.json`` were
produced by running τ²-bench's own retail tools (``src/tau2/domains/retail``, commit a2c02472)
outside this repository: the first on call sequences over *this plugin's* database (every
result, error message and database hash after each call, plus τ²-bench's tool schemas), the
second on every task's expected actions (the final database hash of each task, for τ²-bench's
data and ours). The tests compare this plugin against those recorded values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from repo_paths import TAU2_DATA

TAU2_RETAIL = TAU2_DATA / "retail"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def tau2_retail_dir() -> Path:
    """τ²-bench's retail data folder (``tests/fixtures/tau2-data/retail``)."""
    return TAU2_RETAIL


@pytest.fixture(scope="session")
def tau2_domain(tau2_retail_dir: Path) -> Any:
    """One retail domain on τ²-bench's data for the session (its database is parsed once)."""
    from runner_retail.domain import RetailDomain

    return RetailDomain().configure({"data_dir": str(tau2_retail_dir)})


@pytest.fixture(scope="session")
def own_domain() -> Any:
    from runner_retail.domain import RetailDomain

    return RetailDomain()


@pytest.fixture(scope="session")
def tool_reference() -> dict[str, Any]:
    return json.loads((FIXTURES / "tau2_retail_tool_reference.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def task_hashes() -> dict[str, Any]:
    return json.loads((FIXTURES / "tau2_retail_task_hashes.json").read_text(encoding="utf-8"))
