"""runner.testing.FakeDomain: the in-memory domain for tests of participants and plugins."""

from __future__ import annotations

from runner import HalfDuplexOrchestrator, ToolCall, evaluate_simulation
from runner.builtins.replay import ReplayAgent
from runner.builtins.scripted import ScriptedUser
from runner.testing import FakeDomain


async def test_its_task_scores_one_with_the_oracle_participants() -> None:
    domain = FakeDomain()
    task = domain.tasks()[0]
    run = await HalfDuplexOrchestrator(
        environment=domain.environment(),
        agent=ReplayAgent(task),
        user=ScriptedUser(task),
        task=task,
    ).run()
    assert evaluate_simulation(run, task, domain.environment).reward == 1.0


def test_each_environment_is_fresh_and_errors_name_the_missing_record() -> None:
    domain = FakeDomain()
    first = domain.environment()
    created = first.execute(
        ToolCall(id="1", name="create_task", arguments={"user_id": "user_4", "title": "x"})
    )
    assert not created.error and '"task_5"' in created.content
    assert "task_5" not in domain.environment().toolkit.db.tasks
    missing = first.execute(
        ToolCall(id="2", name="update_task_status", arguments={"task_id": "t9", "status": "done"})
    )
    assert missing.error
    gone = first.execute(
        ToolCall(
            id="3", name="update_task_status", arguments={"task_id": "t9", "status": "pending"}
        )
    )
    assert gone.error and "Task t9 not found" in gone.content
