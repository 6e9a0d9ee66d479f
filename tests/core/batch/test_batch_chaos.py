"""Misbehaving participants end with the right termination reason; the rest of the batch goes on.

Infrastructure errors (only those) are retried with backoff, and re-run on resume.
"""

from __future__ import annotations

import json

import pytest
from runner import RunConfig
from runner.run.batch import arun_domain
from runner.run.executor import WorkUnit, derive_seed, run_unit
from runner.run.progress import NullProgress

EXPECTED = {
    "create_for_new_user": "agent_error",
    "create_with_description": "max_steps",
    "complete_report": "too_many_errors",
    "reopen_offsite": "timeout",
    "create_two_tasks": "user_error",
    "create_then_complete": "user_stop",
    "find_user_id": "infrastructure_error",
}


def chaos_config(tmp_path, **overrides):
    base = dict(
        domain="mock",
        agent="bt_chaos",
        user="bt_chaos",
        max_steps=30,
        max_errors=3,
        timeout=0.5,
        max_retries=2,
        retry_backoff=0.001,
        retry_backoff_max=0.01,
        max_concurrency=8,
        output_dir=str(tmp_path),
        run_name="chaos",
        progress=False,
    )
    base.update(overrides)
    return RunConfig(**base)


def lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_each_failure_has_its_reason_and_the_rest_scores(
    tmp_path, batch_plugins, chaos_state
):
    result = await arun_domain(
        chaos_config(tmp_path), plugins=batch_plugins, progress=NullProgress()
    )
    by_task = {r["task_id"]: r for r in lines(tmp_path / "chaos" / "results.jsonl")}
    assert len(by_task) == 15
    for task_id, run in by_task.items():
        assert run["termination_reason"] == EXPECTED.get(task_id, "user_stop"), (
            task_id,
            run["error"],
        )
    untouched = [r for t, r in by_task.items() if t not in EXPECTED]
    assert untouched and all(r["reward_info"]["reward"] == 1.0 for r in untouched)
    assert all(r["attempts"] == 1 for r in untouched)
    # Only infrastructure errors are retried: 2 failures then success; always failing: 1 + 2.
    assert by_task["create_then_complete"]["attempts"] == 3
    assert by_task["create_then_complete"]["reward_info"]["reward"] == 1.0
    assert by_task["find_user_id"]["attempts"] == 3
    assert by_task["create_for_new_user"]["attempts"] == 1
    assert "chaos agent failure" in by_task["create_for_new_user"]["error"]
    assert "chaos user failure" in by_task["create_two_tasks"]["error"]
    metrics = result.metrics
    assert metrics.infrastructure_errors == 1
    assert metrics.num_scored == 14
    assert metrics.termination_reasons["user_stop"] == 9
    assert not result.complete
    summary = json.loads((tmp_path / "chaos" / "summary.json").read_text())
    assert summary["metrics"]["infrastructure_errors"] == 1
    assert summary["complete"] is False


async def test_resume_reruns_only_infrastructure_errors(tmp_path, batch_plugins, chaos_state):
    config = chaos_config(tmp_path, max_retries=0)
    first = await arun_domain(config, plugins=batch_plugins, progress=NullProgress())
    infra = {r.task_id for r in first.records if r.termination_reason == "infrastructure_error"}
    assert infra == {"find_user_id", "create_then_complete"}  # no retries: flaky failed too
    second = await arun_domain(config, plugins=batch_plugins, progress=NullProgress())
    assert (second.ran, second.resumed) == (2, 13)
    assert second.metrics.infrastructure_errors == 2  # the flaky unit's 2nd attempt failed too
    third = await arun_domain(config, plugins=batch_plugins, progress=NullProgress())
    assert third.ran == 2
    final = {r.task_id: r.termination_reason for r in third.records}
    assert final["create_then_complete"] == "user_stop"
    assert final["find_user_id"] == "infrastructure_error"
    raw = lines(tmp_path / "chaos" / "results.jsonl")
    assert len(raw) == 15 + second.ran + third.ran  # appended, never rewritten
    assert third.metrics.num_results == 15  # the newest line of each unit counts, once


async def test_backoff_is_exponential_with_jitter_and_bounded(batch_plugins, chaos_state):
    config = RunConfig(
        domain="mock",
        agent="bt_chaos",
        user="bt_chaos",
        max_retries=4,
        retry_backoff=0.5,
        retry_backoff_max=3.0,
        progress=False,
    )
    task = next(
        t
        for t in batch_plugins.registry("domains").get("mock").obj.tasks()
        if t.id == "find_user_id"
    )
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    unit = WorkUnit(config, task, 0, derive_seed(config.seed, task.id, 0))
    run = await run_unit(unit, batch_plugins, sleep=record)
    assert run.termination_reason == "infrastructure_error"
    assert run.attempts == 5
    assert len(waits) == 4
    # initial * 2**n plus jitter in [0, initial], capped at max
    for n, wait in enumerate(waits):
        low = min(0.5 * 2**n, 3.0)
        assert low <= wait <= min(low + 0.5, 3.0), (n, waits)
    assert waits[-1] == 3.0


async def test_non_infrastructure_errors_are_not_retried(batch_plugins, chaos_state):
    config = RunConfig(
        domain="mock",
        agent="bt_chaos",
        user="bt_chaos",
        max_retries=3,
        retry_backoff=0.0,
        progress=False,
    )
    tasks = {t.id: t for t in batch_plugins.registry("domains").get("mock").obj.tasks()}
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    for task_id in ("create_for_new_user", "create_two_tasks"):
        unit = WorkUnit(config, tasks[task_id], 0, 1)
        run = await run_unit(unit, batch_plugins, sleep=record)
        assert run.attempts == 1
        assert run.termination_reason in ("agent_error", "user_error")
    assert waits == []


def test_seed_derivation_is_stable():
    # Documented in docs/running.md: sha256("{seed}:{task}:{trial}")[:4] & 0x7fffffff
    import hashlib

    digest = hashlib.sha256(b"300:t1:2").digest()
    assert derive_seed(300, "t1", 2) == int.from_bytes(digest[:4], "big") & 0x7FFFFFFF
    assert derive_seed(300, "t1", 2) != derive_seed(300, "t1", 1)
    assert derive_seed(300, "t1", 2) != derive_seed(301, "t1", 2)


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_local_executor_respects_max_concurrency(concurrency):
    import asyncio

    from runner.builtins.local_executor import LocalExecutor

    config = RunConfig(domain="x", max_concurrency=concurrency)
    running = 0
    peak = 0

    async def fake(unit, plugins):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0)
        running -= 1
        return unit

    got = []
    units = [WorkUnit(config, None, i, i) for i in range(10)]  # type: ignore[arg-type]
    await LocalExecutor(config, unit_runner=fake).run(units, None, got.append)  # type: ignore[arg-type]
    assert peak == concurrency
    assert sorted(u.trial for u in got) == list(range(10))


async def test_local_executor_cancel_keeps_finished_and_cancels_in_flight():
    import asyncio

    from runner.builtins.local_executor import LocalExecutor

    config = RunConfig(domain="x", max_concurrency=2)
    release = asyncio.Event()
    cancelled = []

    async def fake(unit, plugins):
        if unit.trial == 0:
            return unit
        try:
            await release.wait()
        except asyncio.CancelledError:
            cancelled.append(unit.trial)
            raise
        return unit

    got = []
    units = [WorkUnit(config, None, i, i) for i in range(5)]  # type: ignore[arg-type]
    task = asyncio.ensure_future(
        LocalExecutor(config, unit_runner=fake).run(units, None, got.append)
    )
    for _ in range(5):  # let unit 0 finish and units 1 and 2 start waiting
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [u.trial for u in got] == [0]
    assert sorted(cancelled) == [1, 2]  # the two in flight; units 3 and 4 never started


@pytest.mark.parametrize("side, reason", [("agent", "agent_error"), ("user", "user_error")])
async def test_a_factory_that_raises_ends_its_unit_not_the_run(
    tmp_path, batch_plugins, chaos_state, side, reason
):
    parts = {"agent": "replay", "user": "scripted", side: "bt_broken"}
    config = chaos_config(tmp_path, num_tasks=3, **parts)
    result = await arun_domain(config, plugins=batch_plugins, progress=NullProgress())
    runs = lines(tmp_path / "chaos" / "results.jsonl")
    assert len(runs) == 3 and result.ran == 3
    for run in runs:
        assert run["termination_reason"] == reason
        assert run["reward_info"]["reward"] == 0.0
        assert f"{side} failed" in run["error"] and "factory exploded" in run["error"]
    assert result.metrics.avg_reward == 0.0
