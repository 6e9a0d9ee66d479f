"""Tasks: what the user wants and how the simulation is judged (τ²-bench ``tasks.json``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from runner.models.base import Model
from runner.models.messages import Message, Requestor


class StructuredUserInstructions(Model):
    domain: str
    reason_for_call: str
    known_info: str | None = None
    unknown_info: str | None = None
    task_instructions: str


class UserScenario(Model):
    persona: str | None = None
    instructions: str | StructuredUserInstructions

    def instructions_text(self) -> str:
        """The instructions as one readable text, whatever their form."""
        ins = self.instructions
        if isinstance(ins, str):
            return ins
        parts = [
            f"Domain: {ins.domain}",
            f"Reason for call:\n{ins.reason_for_call}",
        ]
        if ins.known_info:
            parts.append(f"Known info:\n{ins.known_info}")
        if ins.unknown_info:
            parts.append(f"Unknown info:\n{ins.unknown_info}")
        parts.append(f"Task instructions:\n{ins.task_instructions}")
        return "\n\n".join(parts)


class Description(Model):
    purpose: str | None = None
    relevant_policies: str | None = None
    notes: str | None = None


class Action(Model):
    """An expected tool call; ``compare_args`` limits the argument comparison to those keys."""

    action_id: str
    requestor: Requestor = "assistant"
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    info: str | None = None
    compare_args: list[str] | None = None


class EnvFunctionCall(Model):
    """A call of an environment function (a tool or an assertion) on one side."""

    env_type: Literal["user", "assistant"]
    func_name: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class EnvAssertion(EnvFunctionCall):
    assert_value: bool = True
    message: str | None = None


class RewardType(StrEnum):
    DB = "DB"
    ENV_ASSERTION = "ENV_ASSERTION"
    NL_ASSERTION = "NL_ASSERTION"
    ACTION = "ACTION"
    COMMUNICATE = "COMMUNICATE"


class EvaluationCriteria(Model):
    actions: list[Action] | None = None
    env_assertions: list[EnvAssertion] | None = None
    communicate_info: list[str] | None = None
    nl_assertions: list[str] | None = None
    reward_basis: list[RewardType] = Field(
        default_factory=lambda: [RewardType.DB, RewardType.COMMUNICATE]
    )


class InitializationData(Model):
    agent_data: dict[str, Any] | None = None
    user_data: dict[str, Any] | None = None


class InitialState(Model):
    initialization_data: InitializationData | None = None
    initialization_actions: list[EnvFunctionCall] | None = None
    message_history: list[Message] | None = None


class Task(Model):
    """One task. Unknown fields are kept; :meth:`to_json` gives back the loaded JSON."""

    id: str
    description: Description | None = None
    user_scenario: UserScenario
    ticket: str | None = None
    initial_state: InitialState | None = None
    evaluation_criteria: EvaluationCriteria | None = None

    def expected_actions(self, requestor: Requestor | None = None) -> list[Action]:
        actions = (self.evaluation_criteria.actions if self.evaluation_criteria else None) or []
        return [a for a in actions if requestor is None or a.requestor == requestor]
