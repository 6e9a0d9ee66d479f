"""``patron``: a deterministic simulated user (the real one is an LLM playing the task's persona)."""

from __future__ import annotations

from typing import Any

from runner import STOP_TOKEN, HalfDuplexUser, Task, UserMessage


class PatronUser(HalfDuplexUser[int]):
    """Opens with the task's ticket, thanks the librarian for the first answer, then stops."""

    def __init__(self, task: Task) -> None:
        self.task = task

    def get_init_state(self, message_history: list[Any] | None = None) -> int:
        return 0  # how many messages this user has sent

    def generate_next_message(self, message: Any, state: int) -> tuple[UserMessage, int]:
        if state == 0:
            opening = self.task.ticket or self.task.user_scenario.instructions_text()
            return UserMessage(content=opening), 1
        return UserMessage(content=f"Thank you! {STOP_TOKEN}"), state + 1
