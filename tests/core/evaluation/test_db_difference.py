"""A failed DB check says where the databases differ: records missing or unexpected, and the
fields that differ with each side's value."""

from __future__ import annotations

from runner import AssistantMessage, SimulationRun, ToolCall, ToolMessage, evaluate_simulation
from runner.evaluation.db_diff import db_difference
from runner.plugins import load_plugins


def test_a_wrong_write_is_shown_field_by_field() -> None:
    domain = load_plugins().registry("domains").get("mock").obj
    task = next(t for t in domain.tasks() if t.id == "create_for_new_user")
    expected = task.expected_actions()[0]
    wrong = {**expected.arguments, "title": "Prepare demo SLIDES"}
    call = ToolCall(id="c", name=expected.name, arguments=wrong)
    env = domain.environment()
    result = env.execute(call)
    run = SimulationRun(
        id="r",
        task_id=task.id,
        termination_reason="user_stop",
        messages=[AssistantMessage(tool_calls=[call]), ToolMessage(id="c", content=result.content)],
    )
    info = evaluate_simulation(run, task, domain.environment)
    assert info.db_check.db_match is False
    changed = info.db_check.differences["agent"]["tasks"]["changed"]
    (record,) = changed.values()
    assert record == {"title": ["Prepare demo SLIDES", "Prepare demo slides"]}
    right = ToolCall(id="c", name=expected.name, arguments=dict(expected.arguments))
    good_env = domain.environment()
    ok = good_env.execute(right)
    good = SimulationRun(
        id="g",
        task_id=task.id,
        termination_reason="user_stop",
        messages=[AssistantMessage(tool_calls=[right]), ToolMessage(id="c", content=ok.content)],
    )
    checked = evaluate_simulation(good, task, domain.environment).db_check
    assert checked.db_match and checked.differences is None


def test_missing_and_unexpected_records_are_listed_and_bounded() -> None:
    agent = {"users": {"u1": {"name": "a"}, "u3": {"name": "c"}}, "version": 1}
    gold = {"users": {"u1": {"name": "a"}, "u2": {"name": "b"}}, "version": 2}
    assert db_difference(agent, gold) == {
        "users": {"missing": ["u2"], "unexpected": ["u3"]},
        "version": {"agent": 1, "expected": 2},
    }
    many = {"t": {str(i): {"v": i} for i in range(100)}}
    assert len(db_difference({"t": {}}, many)["t"]["missing"]) == 20
