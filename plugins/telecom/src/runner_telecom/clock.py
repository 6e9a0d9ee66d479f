"""The domain's fixed clock: simulations happen on 2025-02-25 at 12:08 EST, as in τ²-bench.

A fixed date keeps every run reproducible: suspension dates, bill periods and usage cycles do
not depend on when the benchmark is run. The policy states the same time to the agent.
"""

from __future__ import annotations

from datetime import date, datetime


def get_now() -> datetime:
    return datetime(2025, 2, 25, 12, 8, 0)


def get_today() -> date:
    return date(2025, 2, 25)
