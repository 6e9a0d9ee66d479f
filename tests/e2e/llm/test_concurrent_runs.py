"""Two runs in one process at once, with different LLM settings (an experiment comparing two
configurations, a notebook): each run's participants and judge call the run's own gateway."""

from __future__ import annotations

import asyncio
from pathlib import Path

from llm_e2e_helpers import AGENT, API_KEY, JUDGE, USER, oracle
from runner import RunConfig, arun_tasks
from runner.llm import get_gateway
from runner.plugins import PluginOptions, load_plugins
from runner.testing import LLMTestServer


def _config(url: str, out: Path, name: str, transport: str) -> RunConfig:
    args = {"api_base": url, "api_key": API_KEY}
    return RunConfig(
        domain="mock",
        agent="llm_agent",
        user="user_simulator",
        agent_llm=AGENT,
        user_llm=USER,
        judge_llm=JUDGE,
        agent_llm_args=args,
        user_llm_args=args,
        judge_llm_args=args,
        max_concurrency=3,
        llm_transport=transport,  # type: ignore[arg-type]
        llm_cache_dir=str(out / f"cache-{name}"),
        llm_timeout=30 if transport == "litellm" else 40,
        output_dir=str(out),
        run_name=name,
        progress=False,
    )


def _cached_calls(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.json"))


async def test_two_concurrent_runs_keep_their_own_llm_settings(tmp_path: Path) -> None:
    plugins = load_plugins(PluginOptions(only=("runner-mock", "runner-agents", "runner-users")))
    default = get_gateway()
    async with LLMTestServer(responder=oracle()) as server:
        one = _config(server.url, tmp_path, "one", "litellm")
        two = _config(server.url, tmp_path, "two", "direct")
        every = plugins.registry("domains").get("mock").obj.tasks()
        tasks = every[:5] + [t for t in every if t.id == "compliment_after_create"]
        first, second = await asyncio.gather(
            arun_tasks(one, tasks, plugins=plugins, argv=[], log=lambda _: None),
            arun_tasks(two, tasks, plugins=plugins, argv=[], log=lambda _: None),
        )
        served = server.stats.count
    assert first.metrics.avg_reward == second.metrics.avg_reward == 1.0
    # every call of a run went through that run's transport, and into that run's cache
    assert set(first.llm_calls) == {"litellm"} and set(second.llm_calls) == {"direct"}
    assert first.llm_calls["litellm"] + second.llm_calls["direct"] == served
    assert _cached_calls(tmp_path / "cache-one") == first.llm_calls["litellm"]
    assert _cached_calls(tmp_path / "cache-two") == second.llm_calls["direct"]
    judged = [r for r in first.results() if r.reward_info and r.reward_info.nl_assertions]
    assert judged and all(r.judge_cost > 0 for r in judged)  # the judge used the run's gateway
    # and nothing process-wide changed
    assert get_gateway() is default and default.transport == "auto" and default.cache is None
