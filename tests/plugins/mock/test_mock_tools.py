"""The mock domain's tools behave like τ²-bench's ``mock`` tools, errors included."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from runner import ToolCall


def run(env: Any, name: str, requestor: str = "assistant", **arguments: Any) -> Any:
    return env.execute(ToolCall(id="1", name=name, arguments=arguments, requestor=requestor))


def test_tool_sets_and_write_flags(domain: Any) -> None:
    env = domain.environment()
    assert sorted(t.name for t in env.tools()) == [
        "create_task",
        "get_users",
        "transfer_to_human_agents",
        "update_task_status",
    ]
    assert sorted(t.name for t in env.user_tools()) == [
        "check_notifications",
        "dismiss_notification",
    ]
    writes = {t.name for t in env.tools() + env.user_tools() if t.write}
    assert writes == {"create_task", "update_task_status", "dismiss_notification"}
    schema = {t.name: t.openai_schema() for t in env.tools()}["update_task_status"]
    assert schema["function"]["parameters"]["properties"]["status"]["enum"] == [
        "pending",
        "completed",
    ]
    assert schema["function"]["parameters"]["required"] == ["task_id", "status"]


def test_create_task_numbers_by_count_and_assigns_it(domain: Any) -> None:
    env = domain.environment()
    result = run(env, "create_task", user_id="user_4", title="Demo")
    assert not result.error
    assert (
        result.content
        == '{"task_id": "task_5", "title": "Demo", "description": null, "status": "pending"}'
    )
    db = env.toolkit.db
    assert db.users["user_4"].tasks == ["task_5"] and db.tasks["task_5"].status == "pending"
    second = run(env, "create_task", user_id="user_4", title="More", description="d")
    assert json.loads(second.content)["task_id"] == "task_6"
    assert json.loads(second.content)["description"] == "d"


def test_create_task_for_unknown_user_is_an_error(domain: Any) -> None:
    env = domain.environment()
    before = env.db_hash()
    result = run(env, "create_task", user_id="user_9", title="x")
    assert result.error and result.content == "Error: User user_9 not found"
    assert env.db_hash() == before


def test_create_task_requires_a_title(domain: Any) -> None:
    result = run(domain.environment(), "create_task", user_id="user_1")
    assert result.error and "title" in result.content


def test_get_users_lists_every_user(domain: Any) -> None:
    users = json.loads(run(domain.environment(), "get_users").content)
    assert [u["user_id"] for u in users] == ["user_1", "user_2", "user_3", "user_4"]
    assert users[0] == {
        "user_id": "user_1",
        "name": "Maya Lindqvist",
        "tasks": ["task_1", "task_2"],
    }


def test_update_task_status(domain: Any) -> None:
    env = domain.environment()
    result = run(env, "update_task_status", task_id="task_1", status="completed")
    assert json.loads(result.content) == {
        "task_id": "task_1",
        "title": "Write quarterly report",
        "description": "Q3 numbers for the board",
        "status": "completed",
    }
    missing = run(env, "update_task_status", task_id="task_42", status="completed")
    assert missing.error and missing.content == "Error: Task task_42 not found"
    invalid = run(env, "update_task_status", task_id="task_1", status="archived")
    assert invalid.error and "status" in invalid.content
    assert env.toolkit.db.tasks["task_1"].status == "completed"


def test_transfer_to_human_agents(domain: Any) -> None:
    env = domain.environment()
    before = env.db_hash()
    assert (
        run(env, "transfer_to_human_agents", summary="wants deletion").content
        == "Transfer successful"
    )
    assert env.db_hash() == before


def test_assertion_functions(domain: Any) -> None:
    kit = domain.environment().toolkit
    assert kit.assert_number_of_tasks("user_1", 2) and not kit.assert_number_of_tasks("user_1", 3)
    assert kit.assert_task_status("task_2", "completed")
    for fn, args in (
        (kit.assert_number_of_tasks, ("user_9", 1)),
        (kit.assert_task_status, ("task_9", "pending")),
    ):
        try:
            fn(*args)
        except ValueError as exc:
            assert "not found" in str(exc)
        else:
            raise AssertionError("expected ValueError")


def test_user_tools(domain: Any) -> None:
    env = domain.environment()
    notes = json.loads(run(env, "check_notifications", "user").content)
    assert [n["notification_id"] for n in notes] == ["notif_1", "notif_2"]
    assert notes[0]["status"] == "unread"
    before = env.user_db_hash()
    assert (
        run(env, "dismiss_notification", "user", notification_id="notif_1").content
        == "Notification notif_1 dismissed"
    )
    assert env.user_toolkit.db.notifications["notif_1"].status == "read"
    assert env.user_db_hash() != before
    missing = run(env, "dismiss_notification", "user", notification_id="notif_9")
    assert missing.error and missing.content == "Error: Notification notif_9 not found"
    # the sides are separate: the agent has no notification tools
    assert run(env, "check_notifications").error


def test_user_side_helpers(domain: Any) -> None:
    kit = domain.environment().user_toolkit
    note = kit.add_notification("notif_3", "New task", task_id="task_1")
    assert note.status == "unread" and kit.db.notifications["notif_3"].task_id == "task_1"
    assert kit.assert_notification_status("notif_3", "unread")
    assert not kit.assert_notification_status("notif_2", "unread")


def test_environments_are_independent(domain: Any) -> None:
    a, b = domain.environment(), domain.environment()
    run(a, "update_task_status", task_id="task_1", status="completed")
    assert b.toolkit.db.tasks["task_1"].status == "pending"
    assert a.db_hash() != b.db_hash()


def tau2_hash(path: Any) -> str:
    """τ²-bench's DB hash: sha256 of json.dumps(model_dump(), sort_keys=True, default=str);
    the files list every field, so their JSON content is the model dump."""
    data = json.loads(path.read_text())
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def test_db_hashes_equal_tau2s(domain: Any, tau2_mock_dir: Any) -> None:
    env = domain.configure({"data_dir": str(tau2_mock_dir)}).environment()
    assert env.db_hash() == tau2_hash(tau2_mock_dir / "db.json")
    assert env.user_db_hash() == tau2_hash(tau2_mock_dir / "user_db.json")
    # pinned: the value τ²-bench's get_pydantic_hash gives for its mock db.json
    assert env.db_hash() == "107f83a70b7bf4f616e283b0b0b8451346fe7681173398d4498a1ec15c5fdfc6"


def test_own_db_hash_is_the_canonical_dump_hash(domain: Any) -> None:
    from runner_mock.domain import MockDomain

    env = MockDomain().environment()
    assert env.db_hash() == tau2_hash(MockDomain.default_data_dir / "db.json")
