"""``Environment``: one simulation's tools and state, on the agent's and the user's side."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from runner.environment.toolkit import ToolKit
from runner.environment.tools import Tool, to_content
from runner.models.messages import ToolCall, ToolMessage
from runner.models.task import EnvAssertion, EnvFunctionCall, InitialState


class Environment:
    """The tools of both sides and their databases.

    :meth:`execute` never raises for a tool's fault: an unknown tool, invalid arguments or an
    exception inside the tool all come back as a :class:`ToolMessage` with ``error=True``, so a
    model's mistake is something it can read and correct, not a crashed simulation.
    """

    def __init__(
        self,
        domain_name: str,
        policy: str,
        tools: ToolKit,
        user_tools: ToolKit | None = None,
    ) -> None:
        self.domain_name = domain_name
        self.policy = policy
        self.toolkit = tools
        self.user_toolkit = user_tools

    # -- tools -----------------------------------------------------------------------------
    def tools(self) -> list[Tool]:
        return self.toolkit.tools()

    def user_tools(self) -> list[Tool]:
        return self.user_toolkit.tools() if self.user_toolkit is not None else []

    def toolkit_for(self, requestor: str) -> ToolKit | None:
        return self.user_toolkit if requestor == "user" else self.toolkit

    def is_write(self, call: ToolCall) -> bool:
        kit = self.toolkit_for(call.requestor)
        return kit is not None and kit.is_write(call.name)

    def execute(self, call: ToolCall) -> ToolMessage:
        """Run one tool call and return its result (or its error) as a ToolMessage."""
        error = False
        try:
            kit = self.toolkit_for(call.requestor)
            if kit is None:
                raise ValueError(f"No {call.requestor} tools in domain {self.domain_name}.")
            result = kit.call(call.name, call.arguments)
            self.sync()
            content = to_content(result)
        except Exception as exc:  # a tool's failure is the model's information, not a crash
            content = f"Error: {exc}"
            error = True
        return ToolMessage(id=call.id, content=content, requestor=call.requestor, error=error)

    def sync(self) -> None:
        """Called after every successful tool call; override to keep two sides consistent."""

    # -- state -----------------------------------------------------------------------------
    def db_hash(self) -> str | None:
        return self.toolkit.db_hash()

    def user_db_hash(self) -> str | None:
        return self.user_toolkit.db_hash() if self.user_toolkit is not None else None

    def state_hash(self) -> str:
        """One hash over both sides' databases; stable across processes and runs."""
        parts = f"{self.db_hash() or ''}:{self.user_db_hash() or ''}"
        return hashlib.sha256(parts.encode()).hexdigest()

    def apply_initial_state(self, initial_state: InitialState | None) -> None:
        """Apply a task's initialisation data and actions (message history is the caller's)."""
        if initial_state is None:
            return
        data = initial_state.initialization_data
        if data is not None:
            if data.agent_data:
                self.update_db(self.toolkit, data.agent_data)
            if data.user_data and self.user_toolkit is not None:
                self.update_db(self.user_toolkit, data.user_data)
        for action in initial_state.initialization_actions or []:
            self.run_function(action)
        self.sync()

    def replay(self, messages: list[Any], strict: bool = True) -> None:
        """Re-run the write tool calls of a trajectory (τ²-bench's ``set_state`` replay).

        Used to rebuild a state from a task's message history, and by the evaluator to rebuild
        the final state of a finished conversation on a fresh environment. Every tool call must
        be followed by its result (a :class:`ToolMessage` with the same id, or a
        :class:`MultiToolMessage`); calls of unknown tools and read-only tools are skipped (they
        changed nothing), and with ``strict`` a replayed call whose result differs from the
        recorded one raises ``ValueError``, because the state would then differ too.
        """
        from runner.models.messages import MultiToolMessage, flatten

        pending: list[ToolCall] = []
        for message in flatten(list(messages)):
            if isinstance(message, MultiToolMessage):  # pragma: no cover - flatten expands these
                continue
            if isinstance(message, ToolMessage):
                if not pending:
                    raise ValueError(f"Tool message {message.id!r} does not follow a tool call.")
                call = pending.pop(0)
                if call.id != message.id:
                    raise ValueError(
                        f"Tool call id mismatch: call {call.id!r}, result {message.id!r}."
                    )
                self._replay_one(call, message, strict)
                continue
            if pending:
                raise ValueError(f"Tool call {pending[0].id!r} ({pending[0].name}) has no result.")
            pending = list(getattr(message, "tool_calls", None) or [])
        self.sync()

    def _replay_one(self, call: ToolCall, recorded: ToolMessage, strict: bool) -> None:
        kit = self.toolkit_for(call.requestor)
        if kit is None or not kit.has_tool(call.name) or not kit.is_write(call.name):
            return
        result = self.execute(call)
        if strict and _loose_json(result.content) != _loose_json(recorded.content):
            raise ValueError(
                f"Replaying {call.name}({call.arguments}) returned {result.content!r}, "
                f"but the trajectory recorded {recorded.content!r}."
            )

    @staticmethod
    def update_db(kit: ToolKit, patch: dict[str, Any]) -> None:
        """Deep-merge ``patch`` into the toolkit's database and re-validate it."""
        if kit.db is None:
            raise ValueError("This side has no database to initialise.")
        merged = _deep_merge(kit.db.model_dump(), patch)
        kit.db = type(kit.db).model_validate(merged)

    def run_function(self, call: EnvFunctionCall) -> Any:
        """Run a tool or any other public method of a toolkit (assertions, set-up helpers)."""
        kit = self.toolkit_for(call.env_type)
        if kit is None:
            raise ValueError(f"No {call.env_type} toolkit in domain {self.domain_name}.")
        if kit.has_tool(call.func_name):
            result = kit.call(call.func_name, call.arguments)
        else:
            fn = getattr(kit, call.func_name, None)
            if fn is None or call.func_name.startswith("_") or not callable(fn):
                raise ValueError(
                    f"Function '{call.func_name}' not found on the {call.env_type} side."
                )
            result = fn(**call.arguments)
        self.sync()
        return result

    def check(self, assertion: EnvAssertion) -> bool:
        """Whether an environment assertion holds (its function's result equals ``assert_value``)."""
        result = self.run_function(assertion)
        if not isinstance(result, bool):
            raise ValueError(
                f"Assertion function {assertion.func_name} returned "
                f"{type(result).__name__}, not bool."
            )
        return result == assertion.assert_value


def _loose_json(text: str | None) -> Any:
    try:
        return json.loads(text or "")
    except ValueError:
        return text


def _deep_merge(base: Any, patch: Any) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for k, v in patch.items():
            out[k] = _deep_merge(base.get(k), v) if k in base else v
        return out
    return patch
