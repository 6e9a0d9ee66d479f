"""``librarian``: a deterministic, rule-based agent (real agents call an LLM instead).

It shows the whole agent contract: it receives the user's message or the results of its own
tool calls, and answers with text for the user or with tool calls for the environment.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from runner import AssistantMessage, HalfDuplexAgent, ToolCall, ToolMessage


@dataclass
class LibrarianState:
    """What the librarian remembers between turns (the state is passed back in every call)."""

    patron: str | None = None
    wants_to_borrow: bool = False
    calls: int = 0
    history: list[Any] = field(default_factory=list)


class LibrarianAgent(HalfDuplexAgent[LibrarianState]):
    def __init__(self, greeting: str = "Happy reading!") -> None:
        self.greeting = greeting

    def get_init_state(self, message_history: list[Any] | None = None) -> LibrarianState:
        return LibrarianState(history=list(message_history or []))

    def generate_next_message(
        self, message: Any, state: LibrarianState
    ) -> tuple[AssistantMessage, LibrarianState]:
        state.history.append(message)
        if isinstance(message, ToolMessage):
            return self._after_tool(message, state), state
        text = message.content or ""
        title = re.search(r'"([^"]+)"', text)
        name = re.search(r"\bI am (\w+)", text)
        if name:
            state.patron = name.group(1).lower()
        state.wants_to_borrow = state.wants_to_borrow or "borrow" in text.lower()
        if title is None:
            return AssistantMessage(
                content='Which book? Please put its title in quotes, like "Dune".'
            ), state
        return self._call(state, "find_book", {"title": title.group(1)}), state

    def _after_tool(self, result: ToolMessage, state: LibrarianState) -> AssistantMessage:
        if result.error:
            return AssistantMessage(content=f"Sorry: {result.content.removeprefix('Error: ')}")
        book = json.loads(result.content)
        if book.get("borrowed_by") is None and state.wants_to_borrow and state.patron:
            state.wants_to_borrow = False
            return self._call(
                state, "borrow_book", {"book_id": book["book_id"], "patron": state.patron}
            )
        if book.get("borrowed_by") == state.patron and state.patron:
            return AssistantMessage(
                content=f"Done: {book['title']} is yours until {book['due']}. {self.greeting}"
            )
        if book.get("borrowed_by"):
            return AssistantMessage(content=f"{book['title']} is on loan until {book['due']}.")
        return AssistantMessage(content=f"{book['title']} by {book['author']} is available.")

    def _call(
        self, state: LibrarianState, name: str, arguments: dict[str, Any]
    ) -> AssistantMessage:
        state.calls += 1
        return AssistantMessage(
            tool_calls=[ToolCall(id=f"call_{state.calls}", name=name, arguments=arguments)]
        )
