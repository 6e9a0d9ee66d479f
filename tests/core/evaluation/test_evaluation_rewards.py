"""Evaluation: every check's rule, its evidence, the reward over the basis, NL judging."""

from __future__ import annotations

from typing import Any

import pytest
from runner import AssistantMessage, SimulationRun, Task, ToolCall, UserMessage
from runner.errors import InfrastructureError
from runner.evaluation import (
    aevaluate_simulation,
    clear_cache,
    evaluate_simulation,
    judge_warning,
    tasks_needing_judge,
)
from runner.evaluation.judge import make_judge
from runner.models import NLAssertionCheck
from runner.testing import FakeDomain

UPDATE = {
    "action_id": "u",
    "name": "update_task_status",
    "arguments": {"task_id": "task_1", "status": "completed"},
}
CREATE = {
    "action_id": "c",
    "name": "create_task",
    "arguments": {"user_id": "user_4", "title": "Demo"},
}


class CountingFactory:
    """An environment factory that counts how many environments it built."""

    def __init__(self) -> None:
        self.domain = FakeDomain()
        self.calls = 0

    def __call__(self) -> Any:
        self.calls += 1
        return self.domain.environment()


@pytest.fixture
def factory() -> CountingFactory:
    clear_cache()
    return CountingFactory()


def make_task(
    actions: list[dict] | None = None, basis: list[str] | None = None, **criteria: Any
) -> Task:
    ec: dict[str, Any] = {"reward_basis": basis or ["DB"], **criteria}
    if actions is not None:
        ec["actions"] = actions
    return Task.model_validate(
        {"id": "t", "user_scenario": {"instructions": "x"}, "evaluation_criteria": ec}
    )


def trajectory(
    factory: CountingFactory,
    calls: list[ToolCall],
    texts: tuple[str, ...] = ("Done.",),
    reason: str = "user_stop",
) -> SimulationRun:
    """Run ``calls`` for real on an environment and record them as a trajectory."""
    env = factory.domain.environment()
    messages: list[Any] = [
        AssistantMessage(content="Hi! How can I help you today?"),
        UserMessage(content="hi"),
    ]
    for call in calls:
        messages.append(
            AssistantMessage(tool_calls=[call])
            if call.requestor == "assistant"
            else UserMessage(tool_calls=[call])
        )
        messages.append(env.execute(call))
    messages += [AssistantMessage(content=t) for t in texts]
    return SimulationRun(id="r", task_id="t", termination_reason=reason, messages=messages)


def call(name: str, requestor: str = "assistant", **arguments: Any) -> ToolCall:
    return ToolCall(id=name, name=name, arguments=arguments, requestor=requestor)


def test_exact_trajectory_scores_one_without_a_replay(factory: CountingFactory) -> None:
    task = make_task([UPDATE], ["DB", "ACTION"])
    run = trajectory(
        factory,
        [call("get_users"), call("update_task_status", task_id="task_1", status="completed")],
    )
    info = evaluate_simulation(run, task, factory)
    assert info.reward == 1.0
    assert info.reward_breakdown == {"DB": 1.0, "ACTION": 1.0}
    assert info.db_check.db_match and info.db_check.agent_db_hash == info.db_check.expected_db_hash
    built = factory.calls  # the expected state, plus one probe environment
    assert built == 2
    evaluate_simulation(run, task, factory)  # second trial: everything cached, nothing rebuilt
    assert factory.calls == built


def test_wrong_arguments_fail_db_and_action_with_the_closest_call_as_evidence(
    factory: CountingFactory,
) -> None:
    task = make_task([UPDATE], ["DB", "ACTION"])
    run = trajectory(factory, [call("update_task_status", task_id="task_1", status="pending")])
    info = evaluate_simulation(run, task, factory)
    assert info.reward == 0.0
    assert info.reward_breakdown == {"DB": 0.0, "ACTION": 0.0}
    assert info.db_check.agent_db_hash != info.db_check.expected_db_hash
    assert info.db_check.agent_user_db_hash == info.db_check.expected_user_db_hash
    check = info.action_checks[0]
    assert not check.action_match and check.action_reward == 0.0
    assert check.closest_call == {
        "name": "update_task_status",
        "arguments": {"task_id": "task_1", "status": "pending"},
        "requestor": "assistant",
        "differing_arguments": ["status"],
    }


def test_missing_write_fails_db_and_action_without_a_closest_call(factory: CountingFactory) -> None:
    task = make_task([UPDATE], ["DB", "ACTION"])
    info = evaluate_simulation(trajectory(factory, [call("get_users")]), task, factory)
    assert info.reward_breakdown == {"DB": 0.0, "ACTION": 0.0}
    assert info.action_checks[0].closest_call is None


def test_extra_write_fails_db_only(factory: CountingFactory) -> None:
    task = make_task([UPDATE], ["DB", "ACTION"])
    run = trajectory(
        factory,
        [
            call("update_task_status", task_id="task_1", status="completed"),
            call("create_task", user_id="user_1", title="Extra"),
        ],
    )
    info = evaluate_simulation(run, task, factory)
    assert info.reward == 0.0
    assert info.reward_breakdown == {"DB": 0.0, "ACTION": 1.0}


def test_failed_write_is_replayed_and_does_not_change_the_state(factory: CountingFactory) -> None:
    task = make_task([UPDATE], ["DB"])
    run = trajectory(
        factory,
        [
            call("update_task_status", task_id="task_99", status="completed"),
            call("update_task_status", task_id="task_1", status="completed"),
        ],
    )
    assert run.messages[3].error
    info = evaluate_simulation(run, task, factory)
    assert info.reward == 1.0 and info.db_check.db_match


def test_tool_error_only_trajectory_fails_db(factory: CountingFactory) -> None:
    task = make_task([UPDATE], ["DB", "ACTION"])
    run = trajectory(factory, [call("update_task_status", task_id="task_99", status="completed")])
    info = evaluate_simulation(run, task, factory)
    assert info.reward_breakdown == {"DB": 0.0, "ACTION": 0.0}
    assert info.action_checks[0].closest_call["differing_arguments"] == ["task_id"]


def test_user_side_writes_count_in_the_user_db_hash(factory: CountingFactory) -> None:
    task = make_task([UPDATE], ["DB"])
    run = trajectory(
        factory,
        [
            call("update_task_status", task_id="task_1", status="completed"),
            call("dismiss_notification", "user", notification_id="notif_1"),
        ],
    )
    info = evaluate_simulation(run, task, factory)
    assert info.reward == 0.0
    assert info.db_check.agent_db_hash == info.db_check.expected_db_hash
    assert info.db_check.agent_user_db_hash != info.db_check.expected_user_db_hash


def test_env_assertions_run_on_the_final_state_and_errors_are_evidence(
    factory: CountingFactory,
) -> None:
    assertions = [
        {
            "env_type": "assistant",
            "func_name": "assert_task_status",
            "arguments": {"task_id": "task_1", "expected_status": "completed"},
        },
        {
            "env_type": "assistant",
            "func_name": "assert_task_status",
            "arguments": {"task_id": "task_77", "expected_status": "completed"},
        },
    ]
    task = make_task([UPDATE], ["ENV_ASSERTION"], env_assertions=assertions)
    run = trajectory(factory, [call("update_task_status", task_id="task_1", status="completed")])
    info = evaluate_simulation(run, task, factory)
    assert [c.met for c in info.env_assertions] == [True, False]
    assert "Task task_77 not found" in info.env_assertions[1].error
    assert info.reward == 0.0 and info.reward_breakdown == {"ENV_ASSERTION": 0.0}
    # replayed (not short-cut) trajectories give the same verdicts
    run2 = trajectory(
        factory,
        [
            call("get_users"),
            call("update_task_status", task_id="task_1", status="pending"),
            call("update_task_status", task_id="task_1", status="completed"),
        ],
    )
    info2 = evaluate_simulation(run2, task, factory)
    assert [c.met for c in info2.env_assertions] == [True, False]


def test_compare_args_limits_the_comparison(factory: CountingFactory) -> None:
    transfer = {
        "action_id": "x",
        "name": "transfer_to_human_agents",
        "arguments": {"summary": "long text"},
        "compare_args": [],
    }
    create = {
        **CREATE,
        "arguments": {**CREATE["arguments"], "description": "d"},
        "compare_args": ["user_id"],
    }
    task = make_task([transfer, create], ["ACTION"])
    run = trajectory(
        factory,
        [
            call("transfer_to_human_agents", summary="other words"),
            call("create_task", user_id="user_4", title="Different"),
        ],
    )
    assert evaluate_simulation(run, task, factory).reward == 1.0


def test_call_arguments_decide_the_compared_keys_as_in_tau2(factory: CountingFactory) -> None:
    # compare_args absent: only the keys the call used are compared (τ²-bench's rule)
    task = make_task(
        [{**CREATE, "arguments": {**CREATE["arguments"], "description": "d"}}], ["ACTION"]
    )
    run = trajectory(factory, [call("create_task", user_id="user_4", title="Demo")])
    assert evaluate_simulation(run, task, factory).reward == 1.0


def test_communicate_rule_is_case_insensitive_and_ignores_commas_in_messages(
    factory: CountingFactory,
) -> None:
    task = make_task(
        [], ["COMMUNICATE"], communicate_info=["Refund of 1000 dollars", "task_5", "missing"]
    )
    run = trajectory(
        factory, [], texts=("You get a REFUND of 1,000 dollars.", "Your id is TASK_5.")
    )
    info = evaluate_simulation(run, task, factory)
    assert [c.met for c in info.communicate_checks] == [True, True, False]
    assert "1,000" in info.communicate_checks[0].justification
    assert info.reward == 0.0 and info.reward_breakdown == {"COMMUNICATE": 0.0}


def test_communicate_ignores_user_and_tool_call_messages(factory: CountingFactory) -> None:
    task = make_task([], ["COMMUNICATE"], communicate_info=["secret"])
    run = trajectory(factory, [], texts=())
    run.messages.append(UserMessage(content="secret"))
    assert evaluate_simulation(run, task, factory).reward == 0.0


def test_reward_is_the_product_over_the_basis_only(factory: CountingFactory) -> None:
    task = make_task([UPDATE], ["COMMUNICATE"], communicate_info=["ok"])
    info = evaluate_simulation(trajectory(factory, [], texts=("ok",)), task, factory)
    assert info.reward == 1.0  # DB and ACTION fail, but are not in the basis
    assert info.reward_breakdown == {"COMMUNICATE": 1.0}
    assert info.db_check.db_reward == 0.0 and not info.action_checks[0].action_match


def test_no_actions_and_no_assertions_pass_the_db_check_without_replay(
    factory: CountingFactory,
) -> None:
    task = make_task(None, ["DB"])
    info = evaluate_simulation(
        trajectory(factory, [call("create_task", user_id="user_1", title="x")]), task, factory
    )
    assert info.reward == 1.0 and factory.calls == 0


@pytest.mark.parametrize("reason", ["max_steps", "too_many_errors", "agent_error", "timeout"])
def test_premature_endings_score_zero_without_checks(factory: CountingFactory, reason: str) -> None:
    task = make_task([UPDATE], ["DB"])
    run = trajectory(
        factory, [call("update_task_status", task_id="task_1", status="completed")], reason=reason
    )
    info = evaluate_simulation(run, task, factory)
    assert info.reward == 0.0 and info.db_check is None and reason in info.info["note"]


def test_infrastructure_errors_are_not_scored(factory: CountingFactory) -> None:
    run = trajectory(factory, [], reason="infrastructure_error")
    info = evaluate_simulation(run, make_task([UPDATE]), factory)
    assert info.reward == 0.0 and info.info["not_scored"] is True


def test_task_without_criteria_scores_one(factory: CountingFactory) -> None:
    task = Task.model_validate({"id": "t", "user_scenario": {"instructions": "x"}})
    assert evaluate_simulation(trajectory(factory, []), task, factory).reward == 1.0


class FakeJudge:
    def __init__(self, verdict: bool | Exception) -> None:
        self.verdict = verdict
        self.calls: list[list[str]] = []

    async def judge(
        self, task: Task, messages: list[Any], assertions: list[str]
    ) -> list[NLAssertionCheck]:
        self.calls.append(assertions)
        if isinstance(self.verdict, Exception):
            raise self.verdict
        return [
            NLAssertionCheck(nl_assertion=a, met=self.verdict, justification="fake")
            for a in assertions
        ]


def nl_task() -> Task:
    return make_task([UPDATE], ["DB", "NL_ASSERTION"], nl_assertions=["The agent is polite"])


def test_without_a_judge_nl_is_marked_not_evaluated(factory: CountingFactory) -> None:
    run = trajectory(factory, [call("update_task_status", task_id="task_1", status="completed")])
    info = evaluate_simulation(run, nl_task(), factory)
    assert info.reward == 1.0
    assert info.info["not_evaluated"] == ["NL_ASSERTION"]
    assert [c.met for c in info.nl_assertions] == [None]
    assert "NL_ASSERTION" not in info.reward_breakdown


@pytest.mark.parametrize(("verdict", "reward"), [(True, 1.0), (False, 0.0)])
async def test_async_evaluation_awaits_the_judge(
    factory: CountingFactory, verdict: bool, reward: float
) -> None:
    judge = FakeJudge(verdict)
    run = trajectory(factory, [call("update_task_status", task_id="task_1", status="completed")])
    info = await aevaluate_simulation(run, nl_task(), factory, judge)
    assert judge.calls == [["The agent is polite"]]
    assert info.reward == reward and info.reward_breakdown == {"DB": 1.0, "NL_ASSERTION": reward}
    assert info.info is None


def test_sync_evaluation_runs_the_judge_outside_an_event_loop(factory: CountingFactory) -> None:
    run = trajectory(factory, [call("update_task_status", task_id="task_1", status="completed")])
    assert evaluate_simulation(run, nl_task(), factory, FakeJudge(False)).reward == 0.0


async def test_sync_evaluation_with_a_judge_inside_a_loop_says_what_to_use(
    factory: CountingFactory,
) -> None:
    run = trajectory(factory, [])
    with pytest.raises(RuntimeError, match="aevaluate_simulation"):
        evaluate_simulation(run, nl_task(), factory, FakeJudge(True))


def test_judge_is_not_asked_when_nl_is_not_in_the_basis(factory: CountingFactory) -> None:
    judge = FakeJudge(False)
    task = make_task([UPDATE], ["DB"], nl_assertions=["x"])
    run = trajectory(factory, [call("update_task_status", task_id="task_1", status="completed")])
    assert evaluate_simulation(run, task, factory, judge).reward == 1.0 and judge.calls == []


def test_judge_warning_counts_tasks_that_need_a_judge() -> None:
    tasks = [nl_task(), make_task([UPDATE]), nl_task()]
    assert len(tasks_needing_judge(tasks)) == 2
    warning = judge_warning(tasks)
    assert warning.startswith("2 tasks need an NL judge") and "--judge-llm" in warning
    assert judge_warning(tasks, judge=FakeJudge(True)) is None
    assert judge_warning([make_task([UPDATE])]) is None


def test_make_judge_builds_the_llm_judge_for_the_model() -> None:
    from runner.llm.judge import LLMJudge

    judge = make_judge("openai/judge-model", {"temperature": 0})
    assert isinstance(judge, LLMJudge)
    assert judge.model == "openai/judge-model"
    assert judge.llm_args == {"temperature": 0}


async def test_run_simulation_turns_a_judge_failure_into_an_infrastructure_error(
    factory: CountingFactory,
) -> None:
    from runner import run_simulation
    from runner.builtins.replay import ReplayAgent
    from runner.builtins.scripted import ScriptedUser
    from runner.orchestrator import HalfDuplexOrchestrator

    task = nl_task()
    orch = HalfDuplexOrchestrator(
        environment=factory(), agent=ReplayAgent(task), user=ScriptedUser(task), task=task
    )
    run = await run_simulation(
        orch, environment_factory=factory, judge=FakeJudge(InfrastructureError("judge down"))
    )
    assert run.termination_reason.value == "infrastructure_error"
    assert run.error == "judge: InfrastructureError: judge down"
    assert run.reward_info.info["not_scored"] is True
    ok = await run_simulation(
        HalfDuplexOrchestrator(
            environment=factory(), agent=ReplayAgent(task), user=ScriptedUser(task), task=task
        ),
        environment_factory=factory,
        judge=FakeJudge(True),
    )
    assert ok.reward_info.reward == 1.0 and ok.termination_reason.value == "user_stop"


def test_write_shortcut_is_type_strict() -> None:
    """1 and 1.0 are equal dict values but may leave different states: no shortcut for them."""
    from runner.evaluation.state import _write_call
    from runner.models import ToolCall

    a = _write_call(ToolCall(id="1", name="refuel", arguments={"gb": 1}))
    b = _write_call(ToolCall(id="2", name="refuel", arguments={"gb": 1.0}))
    c = _write_call(ToolCall(id="3", name="refuel", arguments={"gb": 1}))
    assert a != b
    assert a == c
