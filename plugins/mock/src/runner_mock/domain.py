"""The mock domain: a small task tracker, compatible with τ²-bench's ``mock`` data folder."""

from __future__ import annotations

from pathlib import Path

from runner import DataDomain


class MockDomain(DataDomain):
    """Users with to-do tasks, and a user-side notification inbox.

    Data: this package's ``data/`` folder, or ``--domain-option data_dir=PATH`` /
    ``RUNNER_MOCK_DATA_DIR`` (e.g. τ²-bench's ``data/tau2/domains/mock``).
    """

    name = "mock"
    description = (
        "Small task tracker (create tasks, update their status); τ²-bench 'mock' compatible"
    )
    db_class = "runner_mock.data_model:MockDB"
    toolkit_class = "runner_mock.tools:MockTools"
    user_db_class = "runner_mock.data_model:MockUserDB"
    user_toolkit_class = "runner_mock.user_tools:MockUserTools"
    default_data_dir = Path(__file__).parent / "data"
    data_dir_env = "RUNNER_MOCK_DATA_DIR"
