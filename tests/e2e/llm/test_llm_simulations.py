"""`runner run` with LLM participants end to end: llm_agent and user_simulator (and the NL judge)
talk to the local test server through the real gateway and litellm, in a subprocess."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from llm_e2e_helpers import AGENT, API_KEY, JUDGE, USER, llm_command, oracle, run_cli
from runner.testing import FaultPlan, LLMTestServer

pytestmark = pytest.mark.slow
NUM_MOCK_TASKS = 15


def test_scripted_models_solve_every_mock_task(tmp_path, runner_exe, run_env, llm_server):
    """Through litellm (``auto`` would send these local calls direct: the next tests)."""
    cmd = llm_command(
        runner_exe,
        llm_server.url,
        tmp_path,
        "solve",
        "--max-concurrency",
        "8",
        "--llm-transport",
        "litellm",
    )
    run = run_cli(cmd, run_env, tmp_path, "solve")
    assert run.returncode == 0, run.stderr
    results = run.results()
    assert len(results) == NUM_MOCK_TASKS
    assert {r["termination_reason"] for r in results} == {"user_stop"}
    assert [r["reward_info"]["reward"] for r in results] == [1.0] * NUM_MOCK_TASKS
    for r in results:  # every side's cost and tokens, per simulation
        assert r["agent_cost"] > 0 and r["user_cost"] > 0, r["task_id"]
        assert r["usage"]["agent"]["total_tokens"] > 0 and r["usage"]["user"]["total_tokens"] > 0
    nl = next(r for r in results if r["task_id"] == "compliment_after_create")
    assert nl["judge_cost"] > 0 and nl["usage"]["judge"]["prompt_tokens"] > 0
    assert nl["reward_info"]["nl_assertions"][0]["met"] is True
    assert nl["reward_info"]["nl_assertions"][0]["justification"]
    metrics = run.summary()["metrics"]
    assert metrics["avg_reward"] == 1.0
    assert all(metrics["cost"][side] > 0 for side in ("agent", "user", "judge", "total"))
    assert list(metrics["tokens_by_side"]) == ["agent", "user", "judge"]
    table = " ".join(re.sub(r"[│┌┐└┘├┤─┬┴┼]", " ", run.stdout).split())  # the printed table
    assert "judge $0.0000)" in table and "; agent " in table and "; judge " in table
    for text in (run.files_text(), run.stdout, run.stderr):
        assert API_KEY not in text


def test_a_run_on_the_direct_transport_never_imports_litellm(
    tmp_path, runner_exe, run_env, llm_server
):
    cmd = llm_command(runner_exe, llm_server.url, tmp_path, "direct", "--llm-transport", "direct")
    cmd[1:1] = ["-p", "llm_e2e_probe"]
    cmd += ["--num-tasks", "5", "--max-concurrency", "5"]
    run = run_cli(cmd, run_env, tmp_path, "direct")
    assert run.returncode == 0, run.stderr
    assert "litellm imported: False" in run.stderr
    results = run.results()
    assert [r["reward_info"]["reward"] for r in results] == [1.0] * 5
    assert all(r["agent_cost"] > 0 and r["user_cost"] > 0 for r in results)  # priced all the same
    assert API_KEY not in run.files_text() + run.stdout + run.stderr


def test_by_default_a_local_endpoint_is_called_direct_and_the_choice_is_recorded(
    tmp_path, runner_exe, run_env, llm_server
):
    """No transport option: ``auto`` sends ``openai/`` calls with a local ``api_base`` direct
    (litellm is never imported), ``run.json`` records the choice per role and ``runner show``
    prints it."""
    cmd = llm_command(runner_exe, llm_server.url, tmp_path, "auto")
    cmd[1:1] = ["-p", "llm_e2e_probe"]
    cmd += ["--num-tasks", "3", "--max-concurrency", "3"]
    run = run_cli(cmd, run_env, tmp_path, "auto")
    assert run.returncode == 0, run.stderr
    assert "litellm imported: False" in run.stderr
    assert [r["reward_info"]["reward"] for r in run.results()] == [1.0] * 3
    stored = json.loads((run.run_dir / "run.json").read_text())
    assert stored["llm_transports"] == {
        "agent": {"model": AGENT, "transport": "direct"},
        "user": {"model": USER, "transport": "direct"},
        "judge": {"model": JUDGE, "transport": "direct"},
    }
    assert run.summary()["client"]["llm_calls"]["direct"] > 0
    show = subprocess.run(
        [runner_exe, "show", str(run.run_dir)], env=run_env, capture_output=True, text=True
    )
    assert f"agent {AGENT} via direct · user {USER} via direct" in show.stdout, show.stdout
    forced = run_cli(
        [*cmd[:-2], "--max-concurrency", "3", "--run-name", "forced", "--llm-transport", "litellm"],
        run_env,
        tmp_path,
        "forced",
    )
    assert forced.returncode == 0, forced.stderr
    assert "litellm imported: True" in forced.stderr
    routes = json.loads((forced.run_dir / "run.json").read_text())["llm_transports"]
    assert {r["transport"] for r in routes.values()} == {"litellm"}


def test_a_failing_agent_scores_zero_with_evidence(tmp_path, runner_exe, run_env, llm_server):
    llm_server.responder = oracle(failing=("create_with_description", "find_user_id"))
    ids = "create_with_description,find_user_id,complete_report"
    cmd = llm_command(runner_exe, llm_server.url, tmp_path, "fail", "--task-ids", ids)
    run = run_cli(cmd, run_env, tmp_path, "fail")
    assert run.returncode == 0, run.stderr
    by_task = {r["task_id"]: r for r in run.results()}
    assert by_task["complete_report"]["reward_info"]["reward"] == 1.0

    wrong = by_task["create_with_description"]["reward_info"]
    assert wrong["reward"] == 0.0
    assert wrong["db_check"]["db_match"] is False
    assert wrong["db_check"]["agent_db_hash"] != wrong["db_check"]["expected_db_hash"]
    action = wrong["action_checks"][0]
    assert action["action_match"] is False
    assert action["closest_call"]["differing_arguments"] == ["user_id"]
    assert action["closest_call"]["arguments"]["user_id"] == "user_2 (wrong)"

    silent = by_task["find_user_id"]["reward_info"]
    assert silent["reward"] == 0.0 and silent["reward_breakdown"]["COMMUNICATE"] == 0.0
    assert silent["communicate_checks"] == [
        {"info": "user_3", "met": False, "justification": "No assistant message contains 'user_3'."}
    ]
    assert run.summary()["metrics"]["avg_reward"] == pytest.approx(1 / 3)


def test_faults_end_as_scores_or_infrastructure_errors_and_resume_reruns_them(
    tmp_path, runner_exe, run_env
):
    # 20% of requests fail at random; the first unit's first call fails on every attempt
    # (sequential run: requests 0-3 are its first call, the gateway retry, the batch retry and
    # that one's gateway retry), so at least one unit runs out of retries whatever the draw.
    always = {i: "server_error" for i in range(4)}
    faults = FaultPlan(rate=0.2, seed=5, retry_after=0.01, schedule=always)
    with LLMTestServer(responder=oracle(), faults=faults, record_bodies=False) as server:
        extra = ["--num-trials", "2", "--max-concurrency", "1", "--max-retries", "1"]
        extra += ["--retry-backoff", "0.01", "--retry-backoff-max", "0.02", "--json"]
        cmd = llm_command(runner_exe, server.url, tmp_path, "faults", *extra)
        first = run_cli(cmd, run_env, tmp_path, "faults")
        assert server.stats.faults > 0
        assert "Traceback" not in first.stderr
        results = first.results()
        assert len(results) == 2 * NUM_MOCK_TASKS
        infra = {
            (r["task_id"], r["trial"])
            for r in results
            if r["termination_reason"] == "infrastructure_error"
        }
        scored = [r for r in results if r["termination_reason"] != "infrastructure_error"]
        assert infra, "no simulation ran out of retries: the test checks nothing"
        assert first.returncode == 3  # finished, some units still infrastructure errors
        assert {r["termination_reason"] for r in scored} == {"user_stop"}
        assert all(r["reward_info"]["reward"] == 1.0 for r in scored)  # faults only delay
        for r in results:
            if r["termination_reason"] == "infrastructure_error":
                assert "LLMError" in r["error"] and r["attempts"] == 2
                assert r["reward_info"]["info"]["not_scored"] is True
        summary = json.loads(first.stdout)
        assert summary["metrics"]["infrastructure_errors"] == len(infra)
        assert summary["metrics"]["num_scored"] == len(scored)

        server.faults = FaultPlan()  # the provider recovered: resume
        second = run_cli(cmd, run_env, tmp_path, "faults")
        assert second.returncode == 0, second.stderr
        summary = json.loads(second.stdout)
        assert summary["ran"] == len(infra) and summary["resumed"] == len(scored)
        appended = second.results()[len(results) :]
        assert {(r["task_id"], r["trial"]) for r in appended} == infra
        assert all(r["reward_info"]["reward"] == 1.0 for r in appended)
        assert summary["metrics"]["infrastructure_errors"] == 0
        assert summary["metrics"]["avg_reward"] == 1.0
        assert API_KEY not in first.files_text() + second.stderr + first.stderr


def test_a_refused_api_key_stops_the_run_with_one_paragraph(tmp_path, runner_exe, run_env):
    from runner.testing import reply

    with LLMTestServer(default=reply.auth_error()) as server:
        cmd = llm_command(runner_exe, server.url, tmp_path, "key", "--num-tasks", "3", judge=False)
        run = run_cli(cmd, run_env, tmp_path, "key")
    assert run.returncode == 1
    assert run.stderr.startswith("Error: The ") and "LLM refused the request" in run.stderr
    assert "Traceback" not in run.stderr and API_KEY not in run.stderr
    assert API_KEY not in run.files_text()
