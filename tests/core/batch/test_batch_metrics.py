"""Metrics on hand-computed examples: pass^k, confidence interval, exclusions, costs."""

from __future__ import annotations

import math

import pytest
from runner.evaluation.metrics import compute_metrics, mean_ci95, pass_hat_k, pass_hat_ks
from runner.models.record import ResultRecord, usage_tokens


def rec(task, trial, reward, reason="user_stop", **kw):
    return ResultRecord(
        task_id=task, trial=trial, seed=trial, termination_reason=reason, reward=reward, **kw
    )


def test_pass_hat_k_single_task():
    # 4 trials, 3 successes: C(3,k)/C(4,k)
    assert pass_hat_k(4, 3, 1) == pytest.approx(3 / 4)
    assert pass_hat_k(4, 3, 2) == pytest.approx(3 / 6)
    assert pass_hat_k(4, 3, 3) == pytest.approx(1 / 4)
    assert pass_hat_k(4, 3, 4) == 0.0
    with pytest.raises(ValueError):
        pass_hat_k(4, 3, 5)


def test_pass_hat_ks_averages_over_tasks():
    outcomes = {"a": [True, True, True, False], "b": [True] * 4, "c": [False, False, True, False]}
    got = pass_hat_ks(outcomes)
    # a: 3/4, 1/2, 1/4, 0   b: 1, 1, 1, 1   c: 1/4, 0, 0, 0
    assert got == pytest.approx({1: (0.75 + 1 + 0.25) / 3, 2: 1.5 / 3, 3: 1.25 / 3, 4: 1 / 3})


def test_pass_hat_k_capped_by_fewest_trials_and_num_trials():
    outcomes = {"a": [True, True, True], "b": [True, False]}
    assert set(pass_hat_ks(outcomes)) == {1, 2}
    assert set(pass_hat_ks({"a": [True] * 3}, max_k=2)) == {1, 2}


def test_mean_ci95_uses_student_t():
    mean, low, high = mean_ci95([0.0, 1.0, 1.0, 1.0])
    half = 3.182 * 0.5 / 2  # t(3) * sd / sqrt(n)
    assert mean == 0.75
    assert low == pytest.approx(0.75 - half)
    assert high == pytest.approx(0.75 + half)
    assert mean_ci95([1.0]) == (1.0, None, None)
    assert mean_ci95([]) == (None, None, None)


def test_infrastructure_errors_are_excluded_and_counted():
    records = [
        rec("a", 0, 1.0),
        rec("a", 1, 0.0),
        rec("a", 2, None, "infrastructure_error"),
        rec("b", 0, 1.0),
        rec("b", 1, 1.0),
        rec("b", 2, 1.0),
        rec("c", 0, None, "agent_error"),
        rec("c", 1, 1.0),
        rec("c", 2, 1.0),
    ]
    m = compute_metrics(records, num_trials=3, expected=10)
    assert m.num_results == 9
    assert m.infrastructure_errors == 1
    assert m.num_scored == 8
    assert m.missing == 1
    # the agent_error without reward counts as 0
    assert m.avg_reward == pytest.approx(6 / 8)
    assert m.success_rate == pytest.approx(6 / 8)
    # task a has only 2 scored trials: k stops at 2
    assert m.pass_hat_k == pytest.approx({1: (0.5 + 1 + 2 / 3) / 3, 2: (0 + 1 + 1 / 3) / 3})
    assert m.termination_reasons == {"user_stop": 7, "infrastructure_error": 1, "agent_error": 1}


def test_cost_tokens_and_duration():
    records = [
        rec(
            "a",
            0,
            1.0,
            agent_cost=0.5,
            user_cost=0.25,
            duration=2.0,
            prompt_tokens=10,
            completion_tokens=5,
        ),
        rec("a", 1, 1.0, agent_cost=1.5, user_cost=None, duration=4.0, prompt_tokens=20),
    ]
    m = compute_metrics(records)
    assert m.cost == {"agent": 2.0, "user": 0.25, "judge": None, "total": 2.25}
    assert m.avg_cost_per_simulation == pytest.approx(1.125)
    assert m.tokens == {"prompt": 30, "completion": 5, "total": 35}
    assert m.duration["mean"] == 3.0 and m.duration["max"] == 4.0 and m.duration["total"] == 6.0


def test_usage_tokens_flat_and_per_participant():
    assert usage_tokens({"prompt_tokens": 3, "completion_tokens": 4}) == (3, 4)
    assert usage_tokens(
        {"agent": {"prompt_tokens": 3, "completion_tokens": 4}, "user": {"prompt_tokens": 1}}
    ) == (4, 4)
    assert usage_tokens(None) == (0, 0)


def test_empty_and_json_round_trip():
    from runner.evaluation.metrics import Metrics

    empty = compute_metrics([])
    assert empty.avg_reward is None and empty.pass_hat_k == {}
    m = compute_metrics([rec("a", 0, 1.0), rec("a", 1, 0.0)], num_trials=2)
    back = Metrics.from_json(m.to_json())
    assert back.pass_hat_k == m.pass_hat_k
    assert back.avg_reward_ci95 == pytest.approx(m.avg_reward_ci95)
    assert not math.isnan(back.avg_reward)


def test_success_tolerance():
    m = compute_metrics([rec("a", 0, 1 - 1e-9), rec("b", 0, 0.999)])
    assert m.pass_hat_k[1] == 0.5


def test_simulation_runs_give_the_same_metrics_as_their_records():
    """``compute_metrics`` takes what ``runner.read_results`` returns (the viewer's input)."""
    from runner import RewardInfo, SimulationRun

    def run(task, trial, reward, reason="user_stop", usage=None, cost=None):
        return SimulationRun(
            id=f"{task}{trial}",
            task_id=task,
            trial=trial,
            seed=trial,
            termination_reason=reason,
            start_time="",
            end_time="",
            duration=0.5,
            reward_info=None if reward is None else RewardInfo(reward=reward),
            agent_cost=cost,
            user_cost=cost,
            usage=usage,
        )

    split = {"agent": {"prompt_tokens": 10, "completion_tokens": 2}, "user": {"prompt_tokens": 5}}
    runs = [
        run("a", 0, 1.0, usage=split, cost=0.25),
        run("a", 1, 0.0, usage={"prompt_tokens": 3, "completion_tokens": 4}),
        run("b", 0, None, "infrastructure_error"),
    ]
    assert (runs[0].total_tokens, runs[0].total_cost) == (17, 0.5)
    assert (runs[1].total_tokens, runs[1].total_cost) == (7, 0.0)
    from_runs = compute_metrics(runs).to_json()
    assert from_runs == compute_metrics(map(ResultRecord.from_run, runs)).to_json()
    assert from_runs["avg_reward"] == 0.5 and from_runs["infrastructure_errors"] == 1
    assert from_runs["tokens"]["total"] == 24
