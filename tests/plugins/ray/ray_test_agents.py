"""A test plugin for the Ray executor (loaded with ``-p ray_test_agents`` on driver and workers).

``dying_replay``: the replay agent, except that the first time any worker runs task
``reopen_offsite`` its process exits at once (a worker dying mid-simulation); a marker file
named by ``RUNNER_TEST_DEATH_MARKER`` makes it die only once over the whole cluster.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from runner import hookimpl


class _Dying:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def agenerate_next_message(self, message: Any, state: Any) -> Any:
        marker = Path(os.environ["RUNNER_TEST_DEATH_MARKER"])
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            os._exit(1)
        return await self.inner.agenerate_next_message(message, state)


def _dying_replay(ctx: Any) -> Any:
    from runner.builtins.replay import build_replay_agent

    agent = build_replay_agent(ctx)
    return _Dying(agent) if ctx.task.id == "reopen_offsite" else agent


@hookimpl
def register_agents(register: Any) -> None:
    register("dying_replay", _dying_replay, "replay, whose worker dies once on reopen_offsite")
