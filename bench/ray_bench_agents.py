"""A plugin module for bench_ray (``-p ray_bench_agents``): ``burn_replay``, the replay agent
burning a fixed amount of CPU per turn, the stand-in for a local model or a heavy environment."""

from __future__ import annotations

import time
from typing import Any

from runner import hookimpl

BURN_SECONDS = 0.02


class _Burning:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def agenerate_next_message(self, message: Any, state: Any) -> Any:
        end = time.process_time() + BURN_SECONDS
        while time.process_time() < end:
            pass
        return await self.inner.agenerate_next_message(message, state)


def _burn_replay(ctx: Any) -> Any:
    from runner.builtins.replay import build_replay_agent

    return _Burning(build_replay_agent(ctx))


@hookimpl
def register_agents(register: Any) -> None:
    register("burn_replay", _burn_replay, "replay burning 20 ms of CPU per turn (bench)")
