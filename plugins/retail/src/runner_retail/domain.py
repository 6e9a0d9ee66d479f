"""The retail domain: an online store's customer service, τ²-bench ``retail`` compatible."""

from __future__ import annotations

from pathlib import Path

from runner import DataDomain


class RetailDomain(DataDomain):
    """Users with orders of products; the agent cancels, modifies, returns and exchanges them.

    Data: this package's ``data/`` folder (an original, small store), or
    ``--domain-option data_dir=PATH`` / ``RUNNER_RETAIL_DATA_DIR`` pointing at τ²-bench's
    ``data/tau2/domains/retail`` (db.json, tasks.json, split_tasks.json, policy.md), whose tasks
    then run unchanged and score as in τ²-bench.
    """

    name = "retail"
    description = (
        "Online store customer service (orders, returns, exchanges); τ²-bench 'retail' compatible"
    )
    db_class = "runner_retail.models:RetailDB"
    toolkit_class = "runner_retail.tools:RetailTools"
    default_data_dir = Path(__file__).parent / "data"
    data_dir_env = "RUNNER_RETAIL_DATA_DIR"
