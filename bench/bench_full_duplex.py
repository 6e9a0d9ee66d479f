"""Full-duplex speed: ticks per second, and how closely ``realtime`` keeps to the wall clock.

Figures:

- ``ticks_per_second``: the wrapped ``replay`` agent and the ``scripted`` user under
  ``full_duplex`` with no pacing, over every mock and retail task (own data), CPU time of the
  conversations on one core (building the environment and evaluating are not timed).
  Target: >= 2,000 ticks/s.
- ``realtime_drift_percent``: a ``realtime`` conversation of exactly 300 ticks of 50 ms
  (``max_ticks=300``; nobody speaks or stops), the time from the start of the first tick to
  the start of the last against the 299 × 50 ms it should take. Target: < 2%. Also the
  largest distance of one tick's start from when it was due (``realtime_worst_tick_ms``).
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any


def _build(domain: Any, task: Any, **options: Any) -> Any:
    from runner.builtins.replay import ReplayAgent
    from runner.builtins.scripted import ScriptedUser
    from runner.orchestrator import FullDuplexOrchestrator

    return FullDuplexOrchestrator(
        environment=domain.environment(),
        agent=ReplayAgent(task),
        user=ScriptedUser(task),
        task=task,
        seed=1,
        **options,
    )


async def _ticks(domains: list[Any], seconds: float) -> tuple[int, int, float]:
    ticks = sims = 0
    busy = 0.0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for domain in domains:
            for task in domain.tasks():
                orch = _build(domain, task)
                start = time.process_time()
                await orch.run()
                busy += time.process_time() - start
                ticks += orch.step_count
                sims += 1
    return ticks, sims, busy


class _Silent:
    """A streaming participant that never speaks: the conversation lasts max_ticks."""

    def get_init_state(self, message_history: Any = None) -> None:
        return None

    def is_stop(self, message: Any) -> bool:
        return False

    def set_seed(self, seed: int | None) -> None:
        pass

    async def aget_next_chunk(self, state: None, incoming: Any) -> tuple[None, None]:
        return None, state


async def _drift(domain: Any, ticks: int, tick_seconds: float) -> tuple[float, float]:
    from runner.orchestrator import FullDuplexOrchestrator

    task = domain.tasks()[0]
    orch = FullDuplexOrchestrator(
        environment=domain.environment(),
        agent=_Silent(),
        user=_Silent(),
        task=task,
        max_ticks=ticks,
        realtime=True,
        tick_duration_seconds=tick_seconds,
    )
    run = await orch.run()
    assert len(run.ticks) == ticks, run.termination_reason
    # when each tick started, from its timestamp, against when it was due (k tick durations
    # after tick 0)
    starts = [datetime.fromisoformat(t["timestamp"]) for t in run.ticks]
    offsets = [(s - starts[0]).total_seconds() for s in starts]
    span = (ticks - 1) * tick_seconds
    drift = abs(offsets[-1] - span) / span
    lateness = max(abs(offset - k * tick_seconds) for k, offset in enumerate(offsets))
    return 100 * drift, lateness


def main(seconds: float = 2.0) -> dict[str, Any]:
    from runner.plugins import load_plugins

    registry = load_plugins().registry("domains")
    domains = [registry.get("mock").obj, registry.get("retail").obj]
    ticks, sims, busy = asyncio.run(_ticks(domains, seconds))
    drift, lateness = asyncio.run(_drift(domains[0], 300, 0.05))
    figures: dict[str, Any] = {
        "ticks_per_second": round(ticks / busy),
        "ticks_per_simulation": round(ticks / sims, 1),
        "simulations": sims,
        "realtime_drift_percent": round(drift, 3),
        "realtime_worst_tick_ms": round(1000 * lateness, 3),
    }
    figures["targets_met"] = figures["ticks_per_second"] >= 2000 and drift < 2.0
    for name, value in figures.items():
        print(f"{name:28s} {value}")
    return figures


if __name__ == "__main__":
    main()
