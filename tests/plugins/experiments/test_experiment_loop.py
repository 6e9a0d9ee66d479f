"""An experiment on the mock domain with scripted models: one invalid candidate (retried with
its error), one worse (rejected), one better (accepted); the audit trail shows all three."""

from __future__ import annotations

import json

from click.testing import CliRunner
from experiment_helpers import FIX, FORBIDDEN, THREE_PROPOSALS, ExperimentModels, write_experiment
from runner.cli.app import cli
from runner.testing import LLMTestServer
from runner_experiments import Store, run_experiment

ENV = {
    "RUNNER_LOAD_PLUGINS": "runner-mock,runner-agents,runner-users,runner-experiments",
    "RUNNER_PLUGINS": "",
    "RUNNER_DISABLE_PLUGINS": "",
}


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), env=ENV, catch_exceptions=False)


async def test_invalid_retried_worse_rejected_better_accepted(tmp_path) -> None:
    models = ExperimentModels(THREE_PROPOSALS)
    with LLMTestServer(responder=models, record_bodies=False) as server:
        path = write_experiment(tmp_path, server.url)
        outcome = await run_experiment(path, progress=False)
    assert outcome.stop_reason == "max_iterations" and outcome.incumbent == 2
    assert FIX in outcome.policy and outcome.policy_file.read_text() == outcome.policy
    db = tmp_path / "out" / "experiments.sqlite"
    store = Store(db)
    rows = {r["n"]: r for r in store.iterations(outcome.experiment_id)}
    assert [rows[n]["status"] for n in (0, 1, 2)] == ["incumbent", "rejected", "accepted"]
    assert rows[0]["score"] == 10 / 15 and rows[2]["score"] == 1.0
    assert rows[1]["score"] < rows[0]["score"]  # the worse policy
    decision = json.loads(rows[2]["decision_json"])
    assert decision["accepted"] and decision["ci_low"] > 0 and decision["n"] == 15
    calls = store.interactions(outcome.experiment_id)
    assert [(c["n"], c["attempt"]) for c in calls] == [(1, 1), (1, 2), (2, 1)]
    assert FORBIDDEN in calls[0]["validation_error"]
    # the retry carried the refusal back to the optimizer
    retry_prompt = json.loads(calls[1]["prompt_json"])
    assert "That policy was refused: forbidden phrases present" in retry_prompt[-1]["content"]
    # 3 evaluations × 15 simulations; the incumbent was never run again
    assert len(list((tmp_path / "out" / "runs" / outcome.experiment_id).iterdir())) == 3
    spent, llm_calls = store.spent(outcome.experiment_id)
    assert llm_calls >= 3 * 15 and spent == 0  # unpriced test models: exactly zero

    audit = invoke("experiment", "replay", outcome.experiment_id, "--audit", "--db", str(db))
    assert audit.exit_code == 0, audit.output
    assert audit.output.count("=== iteration") == 3
    assert "invalid: forbidden phrases present" in audit.output
    assert "decision: rejected" in audit.output and "decision: accepted" in audit.output
    assert "sk-exp-test-123" not in audit.output
    shown = invoke("experiment", "show", outcome.experiment_id, "--db", str(db))
    assert "accepted changes: 2" in shown.output and "max_iterations" in shown.output
    diff = invoke("experiment", "diff", outcome.experiment_id, "--db", str(db))
    assert f"+{FIX}" in diff.output and "--- iteration 0" in diff.output
    listed = invoke("experiment", "list", "--db", str(db), "--json")
    assert json.loads(listed.output)[0]["id"] == outcome.experiment_id
    for table in ("experiments", "llm_interactions", "events"):
        dumped = " ".join(map(str, store.db.execute(f"SELECT * FROM {table}").fetchall()))
        assert "sk-exp-test-123" not in dumped


async def test_the_budget_stops_the_loop_before_the_next_round(tmp_path) -> None:
    models = ExperimentModels(THREE_PROPOSALS)
    with LLMTestServer(responder=models, record_bodies=False) as server:
        path = write_experiment(tmp_path, server.url)
        path.write_text(path.read_text() + "budget:\n  max_llm_calls: 20\n")
        outcome = await run_experiment(path, progress=False)
    assert outcome.stop_reason == "budget_llm_calls" and outcome.incumbent == 0
    assert models.optimizer_calls == 0  # the baseline alone spent the budget
    store = Store(tmp_path / "out" / "experiments.sqlite")
    assert store.spent(outcome.experiment_id)[1] >= 20
    events = [e["kind"] for e in store.events(outcome.experiment_id)]
    assert events == ["start", "stop"]


async def test_each_stage_runs_alone(tmp_path) -> None:
    from runner_experiments import (
        evaluate_baseline,
        load_experiment,
        propose_update,
        validate_update,
    )
    from runner_experiments.loop import initial_policy

    models = ExperimentModels({(1, 1): THREE_PROPOSALS[(2, 1)]})
    with LLMTestServer(responder=models, record_bodies=False) as server:
        exp = load_experiment(write_experiment(tmp_path, server.url))
        policy = initial_policy(exp)
        baseline = await evaluate_baseline(exp, policy, progress=False)
        assert baseline.score(0.95)[0] == 10 / 15 and len(baseline.runs) == 15
        candidate = await propose_update(exp, policy, baseline)
        assert candidate is not None and candidate.endswith(FIX)
        decision, evaluation = await validate_update(exp, baseline, candidate, progress=False)
    assert decision.accepted and evaluation.score(0.95)[0] == 1.0
