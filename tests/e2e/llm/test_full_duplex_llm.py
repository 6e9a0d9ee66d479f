"""An LLM run under ``--orchestrator full_duplex``: ``llm_agent`` (wrapped) and the streaming
user simulator talk to the local test server through the real gateway, with injected faults."""

from __future__ import annotations

import pytest
from llm_e2e_helpers import API_KEY, llm_command, oracle, run_cli
from runner.testing import FaultPlan, LLMTestServer

pytestmark = pytest.mark.slow
NUM_MOCK_TASKS = 15


def full_duplex(cmd: list[str], *options: str) -> list[str]:
    cmd = [arg if arg != "user_simulator" else "streaming_user_simulator" for arg in cmd]
    cmd += ["--orchestrator", "full_duplex"]
    for option in options:
        cmd += ["--user-option", option]
    return cmd


def test_streaming_user_and_llm_agent_complete_under_faults(tmp_path, runner_exe, run_env):
    faults = FaultPlan(rate=0.2, seed=11, retry_after=0.01)
    with LLMTestServer(responder=oracle(), faults=faults, record_bodies=False) as server:
        extra = ["--max-concurrency", "8", "--llm-max-retries", "6", "--retry-backoff", "0.01"]
        cmd = full_duplex(
            llm_command(runner_exe, server.url, tmp_path, "fd", *extra, "--json"),
            "interrupt_probability=0",
            "backchannel_probability=0.2",
        )
        run = run_cli(cmd, run_env, tmp_path, "fd")
        assert server.stats.faults > 0
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    results = run.results()
    assert len(results) == NUM_MOCK_TASKS
    assert {r["termination_reason"] for r in results} == {"user_stop"}
    # the oracle models solve every task through the streamed conversation
    assert [r["reward_info"]["reward"] for r in results] == [1.0] * NUM_MOCK_TASKS
    for r in results:
        assert r["ticks"] and r["voice"]["ticks"] == len(r["ticks"]), r["task_id"]
        assert r["agent_cost"] > 0 and r["usage"]["agent"]["total_tokens"] > 0
        # a task whose history already holds the customer's request has no customer speech
        assert r["voice"]["latency_ticks"] or r["task_id"].startswith("history_"), r["task_id"]
    voice = run.summary()["metrics"]["voice"]
    assert voice["simulations"] == NUM_MOCK_TASKS
    latency = voice["response_latency"]
    assert latency["count"] >= NUM_MOCK_TASKS
    assert latency["seconds"]["p50"] == pytest.approx(latency["ticks"]["p50"] * 0.2)
    assert 0 < latency["ticks"]["p50"] <= latency["ticks"]["p95"]
    assert voice["backchannels"]["user"] > 0 and voice["backchannels"]["agent"] == 0
    assert voice["interruptions"] == {"agent": 0, "user": 0}
    share = voice["talk_share"]
    assert share["agent"] + share["user"] == pytest.approx(1.0) and share["agent"] > 0
    assert voice["overlap_ratio"] == 0  # back-channels are not speech, nobody cut in
    assert API_KEY not in run.files_text() + run.stderr + run.stdout


def test_interruptions_by_the_streaming_user_cut_the_agent_off(tmp_path, runner_exe, run_env):
    with LLMTestServer(responder=oracle(), record_bodies=False) as server:
        cmd = full_duplex(
            llm_command(runner_exe, server.url, tmp_path, "cut", "--num-tasks", "6"),
            "interrupt_probability=1",
            "interrupt_after_words=3",
            "backchannel_probability=0",
        )
        run = run_cli(cmd, run_env, tmp_path, "cut")
    assert run.returncode == 0, run.stderr
    results = run.results()
    voice = run.summary()["metrics"]["voice"]
    assert voice["interruptions"]["user"] > 0 and voice["interruptions"]["agent"] == 0
    assert voice["overlap_ratio"] is not None
    for r in results:  # the customer cut in after 3 words of the agent's answer
        ticks = r["ticks"]
        starts = [
            t["tick_id"]
            for prev, t in zip(ticks, ticks[1:], strict=False)
            if (t["user_chunk"] or {}).get("content")
            and not (prev["user_chunk"] or {}).get("content")
            and (prev["agent_chunk"] or {}).get("content")
            and (prev["agent_chunk"] or {}).get("is_final_chunk") is False
        ]
        assert len(starts) == r["voice"]["interruptions"]["user"], r["task_id"]


@pytest.mark.parametrize(
    ("agent", "extra"),
    [
        ("llm_gt_agent", []),
        ("llm_solo_agent", []),
        ("llm_agent", ["--realtime", "--orchestrator-option", "tick_duration_seconds=0.01"]),
    ],
)
def test_every_llm_participant_runs_wrapped_under_full_duplex(
    tmp_path, runner_exe, run_env, llm_server, agent, extra
):
    """The turn-based LLM agents and ``user_simulator``, unchanged, through the
    StreamingAdapter: the same endings and rewards as under half duplex."""
    base = llm_command(runner_exe, llm_server.url, tmp_path, "half", "--num-tasks", "5")
    base = [agent if arg == "llm_agent" else arg for arg in base]
    half = run_cli(base, run_env, tmp_path, "half")
    full_cmd = [arg if arg != "half" else "full" for arg in base]
    full = run_cli([*full_cmd, "--orchestrator", "full_duplex", *extra], run_env, tmp_path, "full")
    assert half.returncode == 0 and full.returncode == 0, full.stderr
    solo = agent == "llm_solo_agent"
    ending = {
        r["task_id"]: (r["termination_reason"], r["reward_info"]["reward"]) for r in full.results()
    }
    assert ending == {
        r["task_id"]: (r["termination_reason"], r["reward_info"]["reward"]) for r in half.results()
    }
    assert {reason for reason, _ in ending.values()} == {"agent_stop" if solo else "user_stop"}
    assert sum(reward for _, reward in ending.values()) >= 4  # the oracle solves (nearly) all
    for r in full.results():
        assert r["info"]["solo"] is solo and r["ticks"]
        if solo:  # nobody to talk to: no user chunk, no greeting
            assert all(t["user_chunk"] is None for t in r["ticks"])
        else:
            assert r["ticks"][0]["agent_chunk"]["content"] == "Hi! How can I help you today?"
