"""The mock domain's databases: tasks and users (agent side), notifications (user side).

Field names, types and defaults match τ²-bench's ``mock`` domain, so its ``db.json`` and
``user_db.json`` load unchanged and hash to the same value.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from runner import DB

TaskStatus = Literal["pending", "completed"]
NotificationStatus = Literal["unread", "read"]


class Task(BaseModel):
    """A to-do item (not a runner Task)."""

    task_id: str = Field(description="Unique identifier for the task")
    title: str = Field(description="Title of the task")
    description: str | None = Field(None, description="Description of the task")
    status: TaskStatus = Field(description="Status of the task")


class User(BaseModel):
    user_id: str = Field(description="Unique identifier for the user")
    name: str = Field(description="User's name")
    tasks: list[str] = Field(description="List of task IDs assigned to the user")


class MockDB(DB):
    """Users and their tasks."""

    tasks: dict[str, Task] = Field(description="Dictionary of all tasks indexed by task ID")
    users: dict[str, User] = Field(description="Dictionary of all users indexed by user ID")


class Notification(BaseModel):
    """A notification in the user's inbox."""

    model_config = ConfigDict(extra="forbid")

    notification_id: str = Field(description="Unique identifier for the notification")
    message: str = Field(description="The notification message")
    status: NotificationStatus = Field(
        "unread", description="Whether the notification has been read"
    )
    task_id: str | None = Field(None, description="Associated task ID, if applicable")


class MockUserDB(DB):
    """The user's notification inbox."""

    notifications: dict[str, Notification] = Field(
        default_factory=dict, description="Dictionary of notifications indexed by notification ID"
    )
