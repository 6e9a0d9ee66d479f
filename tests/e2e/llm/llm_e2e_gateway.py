"""Loaded with ``-p llm_e2e_gateway`` by the LLM end-to-end tests: a process-wide gateway with
few, fast retries (``E2E_LLM_MAX_RETRIES``, default 1) so injected faults play out quickly."""

from __future__ import annotations

import os

from runner.llm import configure_gateway

configure_gateway(
    max_retries=int(os.environ.get("E2E_LLM_MAX_RETRIES", "1")),
    timeout=30,
    backoff_base=0.005,
    backoff_max=0.02,
)
