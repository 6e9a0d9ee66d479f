"""The user's tools of the mock domain: a notification inbox (as in τ²-bench's ``mock``)."""

from __future__ import annotations

from runner import ToolKit, tool

from runner_mock.data_model import MockUserDB, Notification


class MockUserTools(ToolKit):
    """Check and dismiss notifications about tasks."""

    db: MockUserDB

    @tool
    def check_notifications(self) -> list[Notification]:
        """Check all notifications in the user's inbox."""
        return list(self.db.notifications.values())

    @tool(write=True)
    def dismiss_notification(self, notification_id: str) -> str:
        """Dismiss (mark as read) a notification.

        Args:
            notification_id: The ID of the notification to dismiss.
        """
        if notification_id not in self.db.notifications:
            raise ValueError(f"Notification {notification_id} not found")
        self.db.notifications[notification_id].status = "read"
        return f"Notification {notification_id} dismissed"

    # -- set-up helpers and assertions (initialization_actions / env_assertions) ------------
    def add_notification(
        self, notification_id: str, message: str, task_id: str | None = None
    ) -> Notification:
        """Add a notification to the inbox."""
        notification = Notification(
            notification_id=notification_id, message=message, task_id=task_id
        )
        self.db.notifications[notification_id] = notification
        return notification

    def assert_notification_status(self, notification_id: str, expected_status: str) -> bool:
        """Whether the notification has the expected status."""
        if notification_id not in self.db.notifications:
            raise ValueError(f"Notification {notification_id} not found")
        return self.db.notifications[notification_id].status == expected_status
