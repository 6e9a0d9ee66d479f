"""Agent SDK overhead and concurrency, against the local test server in a separate process.

1. Overhead: client CPU milliseconds per single-turn agent run (``Runner.run``: request
   building, items, hooks, trace, result) vs the same call straight through
   ``LLMGateway.complete``; and the SDK alone, with a stub gateway that answers at once (the
   end-to-end difference is within the noise of litellm's own CPU on a busy machine).
   Target: the SDK alone costs <= 0.5 ms CPU per model call.
2. Concurrency: 300 agent runs started at once against a server answering after 1 s, vs 300
   gateway calls started at once. Target: the agent runs take <= 1.15x the gateway calls' wall
   time (the SDK adds no queueing; the absolute figure is litellm's CPU per call times n on a
   small machine).

Run: ``.venv/bin/python bench/bench_agents.py``.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import contextmanager
from typing import Any

from runner.testing import raise_open_file_limit

MODEL = "openai/gpt-4o-mini"
INSTRUCTIONS = "You are a helpful customer service agent."
QUESTION = "Where is my order #W2378156?"


@contextmanager
def server_process(latency: float):
    """The test server in a child process (its CPU does not compete with the client's loop)."""
    from runner.testing import llm_server_process

    with llm_server_process("--text", "Your order is on its way.", latency=latency) as server:
        yield server.url


async def cpu_per_call(call: Any, n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        await call()
    return (time.process_time() - start) * 1000 / n


async def overhead(url: str, calls: int, rounds: int) -> dict[str, float]:
    from runner.llm import LLMGateway
    from runner_agents import Agent, ModelSettings, RunConfig, Runner

    gateway = LLMGateway()
    args = {"api_base": url, "api_key": "sk-bench"}
    messages = [{"role": "system", "content": INSTRUCTIONS}, {"role": "user", "content": QUESTION}]
    agent = Agent(name="Support", instructions=INSTRUCTIONS, model=MODEL)
    config = RunConfig(gateway=gateway, model_settings=ModelSettings(extra_args=args))

    async def gateway_call() -> None:
        assert (await gateway.complete(MODEL, messages, **args)).content

    async def agent_run() -> None:
        assert (await Runner.run(agent, QUESTION, run_config=config)).final_output

    for call in (gateway_call, agent_run):  # warm up: imports, clients, connection
        await cpu_per_call(call, 20)
    bare, sdk = [], []
    for _ in range(rounds):
        bare.append(await cpu_per_call(gateway_call, calls))
        sdk.append(await cpu_per_call(agent_run, calls))
    b, s = min(bare), min(sdk)  # the least disturbed round of each
    return {
        "gateway_cpu_ms_per_call": round(b, 3),
        "agent_run_cpu_ms_per_call": round(s, 3),
        "sdk_overhead_cpu_ms": round(s - b, 3),
    }


async def concurrency(url: str, n: int) -> dict[str, float]:
    from runner.llm import LLMGateway
    from runner_agents import Agent, ModelSettings, RunConfig, Runner

    args = {"api_base": url, "api_key": "sk-bench"}
    gateway = LLMGateway(max_retries=0, timeout=60)
    config = RunConfig(gateway=gateway, model_settings=ModelSettings(extra_args=args))
    agent = Agent(name="Support", instructions=INSTRUCTIONS, model=MODEL)
    messages = [{"role": "system", "content": INSTRUCTIONS}, {"role": "user", "content": QUESTION}]
    await Runner.run(agent, QUESTION, run_config=config)  # warm up

    start = time.perf_counter()
    responses = await asyncio.gather(*(gateway.complete(MODEL, messages, **args) for _ in range(n)))
    gateway_wall = time.perf_counter() - start
    start = time.perf_counter()
    results = await asyncio.gather(
        *(Runner.run(agent, QUESTION, run_config=config) for _ in range(n))
    )
    agent_wall = time.perf_counter() - start
    assert all(r.content for r in responses) and all(r.final_output for r in results)
    return {
        "concurrent_runs": n,
        "concurrent_gateway_wall_s": round(gateway_wall, 3),
        "concurrent_agent_wall_s": round(agent_wall, 3),
        "concurrent_wall_ratio": round(agent_wall / gateway_wall, 3),
    }


async def sdk_only(runs: int) -> dict[str, float]:
    """CPU per run of the SDK itself: a gateway stub returns a prepared response at once."""
    from runner.llm import LLMResponse
    from runner_agents import Agent, RunConfig, Runner

    answer = LLMResponse(content="ok", message={"role": "assistant", "content": "ok"})

    class Stub:
        async def complete(self, model: str, messages: list[dict[str, Any]], **kwargs: Any) -> Any:
            return answer

    agent = Agent(name="Support", instructions=INSTRUCTIONS, model=MODEL)
    config = RunConfig(gateway=Stub())

    async def run() -> None:
        await Runner.run(agent, QUESTION, run_config=config)

    await cpu_per_call(run, 200)
    return {
        "sdk_only_cpu_ms_per_run": round(min([await cpu_per_call(run, runs) for _ in range(3)]), 4)
    }


def main(calls: int = 200, rounds: int = 5, concurrent: int = 300) -> dict[str, Any]:
    raise_open_file_limit(concurrent * 2 + 256)
    figures: dict[str, Any] = asyncio.run(sdk_only(2000))
    with server_process(latency=0.0) as url:
        figures.update(asyncio.run(overhead(url, calls, rounds)))
    with server_process(latency=1.0) as url:
        figures.update(asyncio.run(concurrency(url, concurrent)))
    figures["targets_met"] = (
        figures["sdk_only_cpu_ms_per_run"] <= 0.5 and figures["concurrent_wall_ratio"] <= 1.15
    )
    for name, value in figures.items():
        print(f"{name:28s} {value}")
    return figures


if __name__ == "__main__":
    main()
