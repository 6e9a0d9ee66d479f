"""``FakeDomain``: a tiny to-do tracker to test participants, orchestrators and evaluation with.

It needs no plugin and no data folder (its data are defined here), so a plugin author's tests
(and the core's) can run a simulation or score one without installing any domain::

    from runner.testing import FakeDomain

    domain = FakeDomain()
    environment = domain.environment()          # fresh and independent on every call
    environment.toolkit.db.tasks["task_1"].status       # "pending"

The agent's tools: ``get_users``, ``create_task(user_id, title, description=None)``,
``update_task_status(task_id, status)`` (``"pending"`` or ``"completed"``) and
``transfer_to_human_agents(summary)``; assertions for ``env_assertions``:
``assert_task_status`` and ``assert_number_of_tasks``. The user's tools, a notification inbox:
``check_notifications`` and ``dismiss_notification(notification_id)``, with
``assert_notification_status``. A missing user, task or notification is a tool error
(``"Task task_9 not found"``). The data: ``task_1`` to ``task_4`` (``task_2`` completed, the
others pending), ``user_1`` to ``user_4`` (``user_4`` has no task), notifications ``notif_1``
(unread) and ``notif_2`` (read). :meth:`FakeDomain.tasks` has one task: complete ``task_1``.
The tools' names and behaviour are those of the first-party ``mock`` domain, so tests written
against one run against the other.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from runner.environment.db import DB
from runner.environment.domain import Domain
from runner.environment.environment import Environment
from runner.environment.toolkit import ToolKit
from runner.environment.tools import tool
from runner.models.task import Task

__all__ = ["FakeDomain", "FakeTodoDB", "FakeInboxDB"]

Status = Literal["pending", "completed"]


class Todo(BaseModel):
    task_id: str
    title: str
    description: str | None = None
    status: Status


class Person(BaseModel):
    user_id: str
    name: str
    tasks: list[str]


class Notice(BaseModel):
    notification_id: str
    message: str
    status: Literal["unread", "read"] = "unread"
    task_id: str | None = None


class FakeTodoDB(DB):
    """The agent's database: to-do items and the users they belong to."""

    tasks: dict[str, Todo]
    users: dict[str, Person]


class FakeInboxDB(DB):
    """The user's database: a notification inbox."""

    notifications: dict[str, Notice]


def _found(table: dict[str, Any], key: str, what: str) -> Any:
    if key not in table:
        raise ValueError(f"{what} {key} not found")
    return table[key]


class FakeTools(ToolKit):
    """List users, create to-do items, change their status, hand over to a human."""

    db: FakeTodoDB

    @tool
    def get_users(self) -> list[Person]:
        """Get all users in the database."""
        return list(self.db.users.values())

    @tool(write=True)
    def create_task(self, user_id: str, title: str, description: str | None = None) -> Todo:
        """Create a new task for a user.

        Args:
            user_id: The ID of the user the task is for
            title: The title of the task
            description: Optional description of the task
        """
        owner = _found(self.db.users, user_id, "User")
        task_id = f"task_{len(self.db.tasks) + 1}"
        todo = Todo(task_id=task_id, title=title, description=description, status="pending")
        self.db.tasks[todo.task_id] = todo
        owner.tasks.append(todo.task_id)
        return todo

    @tool(write=True)
    def update_task_status(self, task_id: str, status: Status) -> Todo:
        """Update the status of a task.

        Args:
            task_id: The ID of the task
            status: Its new status
        """
        todo: Todo = _found(self.db.tasks, task_id, "Task")
        todo.status = status
        return todo

    @tool
    def transfer_to_human_agents(self, summary: str) -> str:
        """Transfer the user to a human agent.

        Args:
            summary: A summary of the user's issue.
        """
        return "Transfer successful"

    def assert_task_status(self, task_id: str, expected_status: Status) -> bool:
        """Whether the task has the expected status."""
        return bool(_found(self.db.tasks, task_id, "Task").status == expected_status)

    def assert_number_of_tasks(self, user_id: str, expected_number: int) -> bool:
        """Whether the user has exactly ``expected_number`` tasks."""
        return len(_found(self.db.users, user_id, "User").tasks) == expected_number


class FakeUserTools(ToolKit):
    """The user's notification inbox."""

    db: FakeInboxDB

    @tool
    def check_notifications(self) -> list[Notice]:
        """Check all notifications in the user's inbox."""
        return list(self.db.notifications.values())

    @tool(write=True)
    def dismiss_notification(self, notification_id: str) -> str:
        """Mark a notification as read.

        Args:
            notification_id: The ID of the notification.
        """
        _found(self.db.notifications, notification_id, "Notification").status = "read"
        return f"Notification {notification_id} dismissed"

    def assert_notification_status(self, notification_id: str, expected_status: str) -> bool:
        """Whether the notification has the expected status."""
        notice = _found(self.db.notifications, notification_id, "Notification")
        return bool(notice.status == expected_status)


_TODOS = {
    "tasks": {
        "task_1": {"task_id": "task_1", "title": "Write the report", "status": "pending"},
        "task_2": {"task_id": "task_2", "title": "Book a room", "status": "completed"},
        "task_3": {"task_id": "task_3", "title": "Review a change", "status": "pending"},
        "task_4": {"task_id": "task_4", "title": "Renew a licence", "status": "pending"},
    },
    "users": {
        "user_1": {"user_id": "user_1", "name": "Ada", "tasks": ["task_1", "task_2"]},
        "user_2": {"user_id": "user_2", "name": "Ben", "tasks": ["task_3"]},
        "user_3": {"user_id": "user_3", "name": "Cleo", "tasks": ["task_4"]},
        "user_4": {"user_id": "user_4", "name": "Dev", "tasks": []},
    },
}
_INBOX = {
    "notifications": {
        "notif_1": {"notification_id": "notif_1", "message": "task_3 is due.", "task_id": "task_3"},
        "notif_2": {"notification_id": "notif_2", "message": "Welcome.", "status": "read"},
    }
}
_TASK = {
    "id": "complete_task_1",
    "user_scenario": {"instructions": "You are user_1. Ask the agent to complete task_1."},
    "ticket": "Please mark task_1 as completed.",
    "evaluation_criteria": {
        "actions": [
            {
                "action_id": "complete",
                "name": "update_task_status",
                "arguments": {"task_id": "task_1", "status": "completed"},
            }
        ],
        "reward_basis": ["DB", "ACTION"],
    },
}


class FakeDomain(Domain):
    """A to-do tracker held in memory (see the module docstring): a domain for tests."""

    name = "fake"
    description = "In-memory to-do tracker for tests (runner.testing.FakeDomain)"
    policy_text = "You help users with their to-do tasks. Only change what the user asks for."

    def environment(self) -> Environment:
        return Environment(
            domain_name=self.name,
            policy=self.policy_text,
            tools=FakeTools(FakeTodoDB.model_validate(_TODOS)),
            user_tools=FakeUserTools(FakeInboxDB.model_validate(_INBOX)),
        )

    def tasks(self, split: str | None = None) -> list[Task]:
        return [Task.model_validate(_TASK)]
