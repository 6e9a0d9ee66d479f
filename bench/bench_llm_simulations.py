"""LLM simulations at scale: ``llm_agent`` + ``user_simulator`` on the mock domain against the
local test server (a scripted oracle, :class:`runner.testing.oracle.OracleResponder`).

The server runs in a separate process so its CPU does not compete with the client's event loop;
the simulations run in this process through the batch layer (``arun_tasks``: local executor,
results written to a run directory), the gateway and litellm, exactly as ``runner run`` does.

1. 300 simulations, 30 in flight, 0.2 s latency per call. Target: wall <= 1.15 x ideal, where
   ideal = calls counted by the server x latency / 30.
2. 1,000 simulations in flight, 2 s latency. Targets: peak concurrent requests at the server
   >= 950, wall <= 1.2 x ideal (calls x latency / 1,000). (``simulate(..., prime=True)`` fills
   the connection pool first; on the development machine that made no difference beyond noise.)
3. Client CPU seconds per simulation (both scenarios).
4. τ²-bench's retail tasks (114, from ``tests/fixtures/tau2-data``) x 2 trials = 228
   simulations, 32 in flight, 0.2 s per call, on ``hosted_vllm/`` model names with *default*
   settings (no transport named: ``auto`` chooses). Target: wall <= 1.3 x ideal.

Scenarios 1 and 2 use the mock tasks whose conversation takes exactly 4 model calls: the ideal
treats calls as interchangeable, which only conversations of one length allow (with every
simulation in flight the wall time is at least the longest conversation). ``s300_all_tasks``
shows all 15 mock tasks (3 to 12 calls) for information. Scenarios 1 and 2 name the gateway's
``direct`` transport (``--transport litellm`` for the litellm path, ``auto`` for the default).

Run: ``.venv/bin/python bench/bench_llm_simulations.py`` (``--quick`` for a smaller version).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from runner.testing import raise_open_file_limit, server_stats

API_KEY = "sk-bench"
TAU2_RETAIL = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "tau2-data" / "retail"


# --------------------------------------------------------------------------- the server process
def domain_tasks(domain: str) -> list[Any]:
    """The tasks of ``domain``: the mock plugin's own, or τ²-bench's retail tasks."""
    from runner.plugins import PluginOptions, load_plugins

    plugins = load_plugins(PluginOptions(only=(f"runner-{domain}",)))
    found = plugins.registry("domains").get(domain).obj
    if domain == "retail":
        found = found.configure({"data_dir": str(TAU2_RETAIL)})
    return found.tasks()


def serve(latency: float, domain: str) -> None:
    """Child process: the oracle server; prints its URL, serves until stdin closes."""
    from runner.testing import LLMTestServer
    from runner.testing import reply as replies
    from runner.testing.oracle import OracleResponder

    tasks = domain_tasks(domain)
    server = LLMTestServer(
        responder=OracleResponder(tasks),
        default=replies.text("ok"),  # for the requests that fill the connection pool
        latency=latency,
        record_bodies=False,
    )

    async def main() -> None:
        await server.start_async()
        print(server.url, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await server.stop_async()

    asyncio.run(main())


_servers: dict[str, Any] = {}


@contextmanager
def server_process(latency: float, domain: str = "mock"):
    """This script's scripted server (``--serve``) in a child process; yields its URL."""
    from runner.testing import llm_server_process

    command = [sys.executable, __file__, "--serve", "--latency", str(latency), "--domain", domain]
    with llm_server_process(command=command) as server:
        _servers[server.url] = server
        yield server.url


def server_cpu(url: str) -> float | None:
    """CPU seconds the server process used so far (None where /proc is missing)."""
    return _servers[url].cpu_seconds()


# --------------------------------------------------------------------------- the client
def _quiet(message: str) -> None:
    """The batch layer's warnings (a task needing a judge) are not news here."""


async def simulate(
    url: str,
    trials: int,
    concurrency: int,
    warm: bool,
    transport: str | None = "direct",
    task_ids: list[str] | None = None,
    prime: bool = False,
    domain: str = "mock",
    provider: str = "openai",
) -> dict[str, Any]:
    """``transport=None`` names none: the run's default (``auto``) decides."""
    from runner import RunConfig, arun_tasks
    from runner.llm import get_gateway
    from runner.plugins import PluginOptions, load_plugins

    plugins = load_plugins(
        PluginOptions(only=(f"runner-{domain}", "runner-agents", "runner-users"))
    )
    tasks = domain_tasks(domain)
    if task_ids is not None:
        tasks = [t for t in tasks if t.id in task_ids]
    args = {"api_base": url, "api_key": API_KEY}
    if transport is not None:
        args["transport"] = transport
    config = RunConfig(
        domain=domain,
        domain_options={"data_dir": str(TAU2_RETAIL)} if domain == "retail" else {},
        agent="llm_agent",
        user="user_simulator",
        agent_llm=f"{provider}/agent",
        user_llm=f"{provider}/user",
        agent_llm_args=args,
        user_llm_args=args,
        num_trials=trials,
        max_concurrency=concurrency,
        max_retries=0,
        output_dir=tempfile.mkdtemp(prefix="bench-llm-"),
        run_name="bench",
        progress=False,
    )
    if warm:  # imports (litellm), connection pool, caches: not part of the measurement
        warm_config = config.model_copy(update={"num_trials": 1, "run_name": "warm"})
        await arun_tasks(warm_config, tasks[:2], plugins=plugins, argv=[], log=_quiet)
    if prime:  # open `concurrency` connections first, as a long run has after its first round
        hello = [{"role": "user", "content": "hello"}]
        calls = (
            get_gateway().complete(f"{provider}/prime", hello, **args) for _ in range(concurrency)
        )
        await asyncio.gather(*calls)
    server_stats(url, reset=True)
    cpu = time.process_time()
    serving = server_cpu(url)
    began = time.perf_counter()
    result = await arun_tasks(config, tasks, plugins=plugins, argv=[], log=_quiet)
    wall = time.perf_counter() - began
    cpu = time.process_time() - cpu
    stats = server_stats(url)
    served = server_cpu(url)
    metrics = result.metrics
    return {
        "llm_calls": result.llm_calls,
        "simulations": metrics.num_results,
        "avg_reward": metrics.avg_reward,
        "termination_reasons": metrics.termination_reasons,
        "calls": stats["count"],
        "peak_in_flight": stats["peak_in_flight"],
        "wall_s": wall,
        "cpu_s": cpu,
        "server_cpu_s": None if serving is None or served is None else served - serving,
    }


def scenario(
    name: str,
    latency: float,
    trials: int,
    concurrency: int,
    transport: str | None = "direct",
    task_ids: list[str] | None = None,
    prime: bool = False,
    domain: str = "mock",
    provider: str = "openai",
) -> dict[str, Any]:
    with server_process(latency, domain) as url:
        out = asyncio.run(
            simulate(url, trials, concurrency, True, transport, task_ids, prime, domain, provider)
        )
    ideal = out["calls"] * latency / concurrency
    return {
        f"{name}_llm_calls_by_transport": out["llm_calls"],
        f"{name}_simulations": out["simulations"],
        f"{name}_avg_reward": out["avg_reward"],
        f"{name}_calls": out["calls"],
        f"{name}_calls_per_simulation": round(out["calls"] / max(1, out["simulations"]), 2),
        f"{name}_peak_in_flight": out["peak_in_flight"],
        f"{name}_wall_s": round(out["wall_s"], 2),
        f"{name}_ideal_s": round(ideal, 2),
        f"{name}_wall_over_ideal": round(out["wall_s"] / ideal, 3),
        f"{name}_cpu_ms_per_simulation": round(out["cpu_s"] * 1000 / out["simulations"], 2),
        f"{name}_cpu_ms_per_call": round(out["cpu_s"] * 1000 / max(1, out["calls"]), 3),
        f"{name}_server_cpu_ms_per_call": None
        if out["server_cpu_s"] is None
        else round(out["server_cpu_s"] * 1000 / max(1, out["calls"]), 3),
    }


#: Mock tasks whose conversation takes exactly 4 model calls (the user's request, the agent's
#: tool call, its answer, the user's stop). With every simulation in flight at once the wall
#: time can be no shorter than the longest conversation, so scenario 2 uses conversations of
#: one length, for which the ideal is reachable.
FOUR_CALL_TASKS = [
    "create_for_new_user",
    "create_with_description",
    "complete_report",
    "reopen_offsite",
    "find_user_id",
    "unknown_user",
    "delete_request_transfer",
    "complete_seeded_task",
    "complete_initialized_task",
    "continue_after_history",
]


def main(quick: bool = False, transport: str = "direct") -> dict[str, Any]:
    raise_open_file_limit(8192)
    figures: dict[str, Any] = {"transport": transport}
    tasks = len(FOUR_CALL_TASKS)
    # 1. 300 simulations (10 four-call tasks x 30 trials), 30 in flight, 0.2 s per call
    figures.update(scenario("s300", 0.2, 6 if quick else 30, 30, transport, FOUR_CALL_TASKS))
    # 1b. for information: all 15 mock tasks (conversations of 3 to 12 calls) x 20 trials
    figures.update(scenario("s300_all_tasks", 0.2, 4 if quick else 20, 30, transport))
    # 2. 1,000 simulations all in flight (10 four-call tasks x 100 trials), 2 s per call
    trials = 20 if quick else 100
    figures.update(scenario("s1000", 2.0, trials, trials * tasks, transport, FOUR_CALL_TASKS))
    # 4. τ²-bench retail, 114 tasks x 2 trials, 32 in flight, 0.2 s per call, default settings
    figures.update(
        scenario(
            "retail228", 0.2, 1 if quick else 2, 32, None, domain="retail", provider="hosted_vllm"
        )
    )
    figures["target_s300_wall_met"] = figures["s300_wall_over_ideal"] <= 1.15
    figures["target_retail228_wall_met"] = figures["retail228_wall_over_ideal"] <= 1.3
    figures["target_s1000_peak_met"] = figures["s1000_peak_in_flight"] >= 0.95 * trials * tasks
    figures["target_s1000_wall_met"] = figures["s1000_wall_over_ideal"] <= 1.2
    figures["targets_met"] = all(v for k, v in figures.items() if k.startswith("target_"))
    for name, value in figures.items():
        print(f"{name:36s} {value}")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--latency", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--domain", default="mock", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="smaller runs (CI smoke)")
    parser.add_argument(
        "--transport",
        default="direct",
        choices=("direct", "litellm", "auto"),
        help="LLM transport of scenarios 1-2",
    )
    options = parser.parse_args()
    if options.serve:
        serve(options.latency, options.domain)
    else:
        main(options.quick, options.transport)
