"""The Ray executor: CPU-bound throughput on 2 CPUs, LLM conversations in flight, driver memory.

- ``cpu_speedup``: the mock domain (15 tasks × 16 trials) with ``burn_replay`` (the replay agent
  burning 20 ms of CPU per turn): wall time with the local executor over wall time with Ray on
  2 CPUs (Ray started before the clock). Target >= 1.7.
- ``llm_wall_ratio``: 1,000 LLM simulations (llm_agent + user_simulator on mock, the local test
  server answering in 0.5 s), all in flight: Ray's wall time over the local executor's.
  Target <= 1.3.
- ``driver_rss_mb_10k``: the driver's peak resident memory after 10,000 replay simulations
  through Ray.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _run(plugins: Any, out: str, name: str, **fields: Any) -> tuple[float, Any]:
    from runner import RunConfig, run_domain

    config = RunConfig(domain="mock", output_dir=out, run_name=name, progress=False, **fields)
    started = time.perf_counter()
    result = run_domain(config, plugins=plugins)
    return time.perf_counter() - started, result


def main() -> dict[str, Any]:
    import ray
    from runner import PluginOptions, load_plugins
    from runner.testing import LLMTestServer, OracleResponder

    sys.path.insert(0, str(HERE))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(HERE), os.environ.get("PYTHONPATH")])
    )
    plugins = load_plugins(
        PluginOptions(
            modules=("ray_bench_agents",),
            only=("runner-mock", "runner-agents", "runner-users", "runner-ray"),
        )
    )
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as out:
        burn = {"agent": "burn_replay", "num_trials": 16, "max_concurrency": 16}
        local, _ = _run(plugins, out, "cpu-local", **burn)
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
        try:
            on_ray, result = _run(plugins, out, "cpu-ray", executor="ray", **burn)
            assert result.metrics.avg_reward == 1.0
            figures["cpu_local_seconds"] = round(local, 2)
            figures["cpu_ray_seconds"] = round(on_ray, 2)
            figures["cpu_speedup"] = round(local / on_ray, 2)

            tasks = plugins.registry("domains").get("mock").obj.tasks()
            roles = {"agent": "agent", "user": "user"}
            with LLMTestServer(
                responder=OracleResponder(tasks, roles=roles), latency=0.5, record_bodies=False
            ) as server:
                args = {"api_base": server.url, "api_key": "sk-bench"}
                llm = {
                    "agent": "llm_agent",
                    "agent_llm": "openai/agent",
                    "agent_llm_args": args,
                    "user": "user_simulator",
                    "user_llm": "openai/user",
                    "user_llm_args": args,
                    "num_trials": 67,
                    "num_tasks": 15,
                    "max_concurrency": 1000,
                }
                llm_local, a = _run(plugins, out, "llm-local", **llm)
                llm_ray, b = _run(plugins, out, "llm-ray", executor="ray", **llm)
            figures["llm_simulations"] = b.ran
            figures["llm_local_seconds"] = round(llm_local, 2)
            figures["llm_ray_seconds"] = round(llm_ray, 2)
            figures["llm_wall_ratio"] = round(llm_ray / llm_local, 3)
            figures["llm_rewards"] = [a.metrics.avg_reward, b.metrics.avg_reward]

            seconds, big = _run(
                plugins, out, "ten-thousand", executor="ray", num_trials=667, max_concurrency=200
            )
            figures["driver_simulations"] = big.ran
            figures["driver_seconds"] = round(seconds, 1)
            figures["driver_rss_mb_10k"] = round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
            )
        finally:
            ray.shutdown()
    figures["targets_met"] = figures["cpu_speedup"] >= 1.7 and figures["llm_wall_ratio"] <= 1.3
    for name, value in figures.items():
        print(f"{name:24s} {value}")
    return figures


if __name__ == "__main__":
    main()
