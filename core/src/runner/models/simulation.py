"""Results: one :class:`SimulationRun` per simulated conversation, with its :class:`RewardInfo`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from runner.models.base import Model
from runner.models.messages import Message
from runner.models.record import usage_tokens
from runner.models.task import Action, EnvAssertion, RewardType


class TerminationReason(StrEnum):
    USER_STOP = "user_stop"
    AGENT_STOP = "agent_stop"
    MAX_STEPS = "max_steps"
    TIMEOUT = "timeout"
    TOO_MANY_ERRORS = "too_many_errors"
    AGENT_ERROR = "agent_error"
    USER_ERROR = "user_error"
    INFRASTRUCTURE_ERROR = "infrastructure_error"
    CONTEXT_WINDOW_EXCEEDED = "context_window_exceeded"
    UNEXPECTED_ERROR = "unexpected_error"


class DBCheck(Model):
    db_match: bool
    db_reward: float
    agent_db_hash: str | None = None
    expected_db_hash: str | None = None
    agent_user_db_hash: str | None = None
    expected_user_db_hash: str | None = None
    #: When the check failed: where the databases differ, by side (``agent``, ``user``) and
    #: table (``runner.evaluation.db_diff``). Not τ²-bench's; readers ignore it.
    differences: dict[str, Any] | None = None


class ActionCheck(Model):
    action: Action
    action_match: bool
    action_reward: float
    #: The trajectory's closest call to the expected action, when there was none equal to it.
    closest_call: dict[str, Any] | None = None


class EnvAssertionCheck(Model):
    env_assertion: EnvAssertion
    met: bool
    reward: float


class CommunicateCheck(Model):
    info: str
    met: bool
    justification: str | None = None


class NLAssertionCheck(Model):
    nl_assertion: str
    met: bool | None
    justification: str | None = None


class RewardInfo(Model):
    """The reward and the evidence for it, check by check."""

    reward: float
    db_check: DBCheck | None = None
    env_assertions: list[EnvAssertionCheck] | None = None
    action_checks: list[ActionCheck] | None = None
    nl_assertions: list[NLAssertionCheck] | None = None
    communicate_checks: list[CommunicateCheck] | None = None
    reward_basis: list[RewardType] | None = None
    reward_breakdown: dict[str, float] | None = None
    info: dict[str, Any] | None = None


class SimulationRun(Model):
    """One simulation: the trajectory, how it ended, what it cost and how it scored."""

    id: str
    task_id: str
    trial: int = 0
    seed: int | None = None
    start_time: str | None = None
    end_time: str | None = None
    duration: float = 0.0
    termination_reason: TerminationReason
    messages: list[Message] = Field(default_factory=list)
    ticks: list[dict[str, Any]] | None = None
    agent_cost: float | None = None
    user_cost: float | None = None
    judge_cost: float | None = None
    usage: dict[str, Any] | None = None
    reward_info: RewardInfo | None = None
    error: str | None = None
    attempts: int = 1
    info: dict[str, Any] | None = None
    #: Turn-taking figures of a full-duplex run, from its ticks (``runner.evaluation.voice``).
    voice: dict[str, Any] | None = None
    #: Voice runs: the WAV file of each side (``agent``, ``user``), relative to the run
    #: directory, aligned with the ticks.
    audio: dict[str, str] | None = None
    #: Voice runs: each side's audio track (``runner.voice.Audio``) until the run directory
    #: writes it (never in ``results.jsonl``).
    audio_tracks: dict[str, Any] = Field(default_factory=dict, exclude=True, repr=False)

    @property
    def reward(self) -> float | None:
        return None if self.reward_info is None else self.reward_info.reward

    @property
    def is_infrastructure_error(self) -> bool:
        return self.termination_reason == TerminationReason.INFRASTRUCTURE_ERROR

    @property
    def total_cost(self) -> float:
        """What the simulation's model calls cost, agent, user and judge together (0.0 when
        no side reported a cost)."""
        return sum(c or 0.0 for c in (self.agent_cost, self.user_cost, self.judge_cost))

    @property
    def total_tokens(self) -> int:
        """Prompt and completion tokens of all its model calls (``usage`` flat or by side)."""
        return sum(usage_tokens(self.usage))
