"""The agent's tools of the mock domain (behaviour identical to τ²-bench's ``mock``)."""

from __future__ import annotations

from runner import ToolKit, tool

from runner_mock.data_model import MockDB, Task, TaskStatus, User


class MockTools(ToolKit):
    """Create tasks, list users, update task status, transfer to a human."""

    db: MockDB

    @tool(write=True)
    def create_task(self, user_id: str, title: str, description: str | None = None) -> Task:
        """Create a new task for a user.

        Args:
            user_id: The ID of the user creating the task
            title: The title of the task
            description: Optional description of the task
        """
        if user_id not in self.db.users:
            raise ValueError(f"User {user_id} not found")
        task_id = f"task_{len(self.db.tasks) + 1}"
        task = Task(task_id=task_id, title=title, description=description, status="pending")
        self.db.tasks[task_id] = task
        self.db.users[user_id].tasks.append(task_id)
        return task

    @tool
    def get_users(self) -> list[User]:
        """Get all users in the database."""
        return list(self.db.users.values())

    @tool(write=True)
    def update_task_status(self, task_id: str, status: TaskStatus) -> Task:
        """Update the status of a task.

        Args:
            task_id: The ID of the task to update
            status: The new status of the task
        """
        if task_id not in self.db.tasks:
            raise ValueError(f"Task {task_id} not found")
        task = self.db.tasks[task_id]
        task.status = status
        return task

    @tool
    def transfer_to_human_agents(self, summary: str) -> str:
        """Transfer the user to a human agent, with a summary of the user's issue.
        Only transfer if
         -  the user explicitly asks for a human agent
         -  given the policy and the available tools, you cannot solve the user's issue.

        Args:
            summary: A summary of the user's issue.
        """
        return "Transfer successful"

    # -- assertions (env_assertions of tasks; not tools) -----------------------------------
    def assert_number_of_tasks(self, user_id: str, expected_number: int) -> bool:
        """Whether the user has exactly ``expected_number`` tasks."""
        if user_id not in self.db.users:
            raise ValueError(f"User {user_id} not found")
        return len(self.db.users[user_id].tasks) == expected_number

    def assert_task_status(self, task_id: str, expected_status: TaskStatus) -> bool:
        """Whether the task has the expected status."""
        if task_id not in self.db.tasks:
            raise ValueError(f"Task {task_id} not found")
        return self.db.tasks[task_id].status == expected_status
