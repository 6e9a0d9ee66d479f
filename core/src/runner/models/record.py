"""The record of one result: the few fields of a ``SimulationRun`` that resume and metrics need.

It lives with the data model, not with the metrics or the store, because both use it: the store
reads it from ``results.jsonl`` without validating whole trajectories, and the evaluation
computes metrics over it. Neither has to import the other for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

INFRASTRUCTURE_ERROR = "infrastructure_error"


@dataclass(slots=True)
class ResultRecord:
    """What metrics and resume need from one result line."""

    task_id: str
    trial: int
    seed: int | None
    termination_reason: str
    reward: float | None = None
    duration: float = 0.0
    agent_cost: float | None = None
    user_cost: float | None = None
    judge_cost: float | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    id: str = ""
    #: Total tokens per participant (``agent``, ``user``, ``judge``) when ``usage`` is split.
    side_tokens: dict[str, int] | None = None
    #: Turn-taking figures of a full-duplex simulation (its ``voice``).
    voice: dict[str, Any] | None = None

    @property
    def key(self) -> tuple[str, int, int | None]:
        """The unit this result belongs to: ``(task_id, trial, seed)``."""
        return (self.task_id, self.trial, self.seed)

    @property
    def is_infrastructure_error(self) -> bool:
        return self.termination_reason == INFRASTRUCTURE_ERROR

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResultRecord:
        """From a result's JSON object; raises ``ValueError`` when a required field is missing."""
        try:
            task_id = data["task_id"]
            reason = data["termination_reason"]
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a simulation result (missing {exc})") from None
        reward_info = data.get("reward_info")
        reward = reward_info.get("reward") if isinstance(reward_info, dict) else None
        prompt, completion = usage_tokens(data.get("usage"))
        return cls(
            task_id=str(task_id),
            trial=int(data.get("trial") or 0),
            seed=data.get("seed"),
            termination_reason=str(reason),
            reward=None if reward is None else float(reward),
            duration=float(data.get("duration") or 0.0),
            agent_cost=data.get("agent_cost"),
            user_cost=data.get("user_cost"),
            judge_cost=data.get("judge_cost"),
            prompt_tokens=prompt,
            completion_tokens=completion,
            id=str(data.get("id") or ""),
            side_tokens=tokens_by_side(data.get("usage")),
            voice=_voice(data.get("voice")),
        )

    @classmethod
    def from_run(cls, run: Any) -> ResultRecord:
        """From a :class:`~runner.SimulationRun` (no serialisation round trip)."""
        prompt, completion = usage_tokens(run.usage)
        reason = run.termination_reason
        return cls(
            task_id=run.task_id,
            trial=run.trial,
            seed=run.seed,
            termination_reason=getattr(reason, "value", str(reason)),
            reward=None if run.reward_info is None else run.reward_info.reward,
            duration=run.duration or 0.0,
            agent_cost=run.agent_cost,
            user_cost=run.user_cost,
            judge_cost=run.judge_cost,
            prompt_tokens=prompt,
            completion_tokens=completion,
            id=run.id,
            side_tokens=tokens_by_side(run.usage),
            voice=run.voice,
        )


def _voice(voice: Any) -> dict[str, Any] | None:
    return voice if isinstance(voice, dict) else None


def usage_tokens(usage: Any) -> tuple[int, int]:
    """``(prompt_tokens, completion_tokens)`` of a result's ``usage``.

    ``usage`` is either flat (``{"prompt_tokens": .., "completion_tokens": ..}``) or split by
    participant (``{"agent": {...}, "user": {...}, "judge": {...}}``); both are summed.
    """
    if not isinstance(usage, dict):
        return 0, 0
    if "prompt_tokens" in usage or "completion_tokens" in usage:
        return int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
    prompt = completion = 0
    for part in usage.values():
        if isinstance(part, dict):
            prompt += int(part.get("prompt_tokens") or 0)
            completion += int(part.get("completion_tokens") or 0)
    return prompt, completion


def tokens_by_side(usage: Any) -> dict[str, int] | None:
    """Total tokens of each participant of a usage split by side (None for a flat one)."""
    if not isinstance(usage, dict) or "prompt_tokens" in usage or "completion_tokens" in usage:
        return None
    sides = {}
    for side, part in usage.items():
        if isinstance(part, dict):
            total = part.get("total_tokens")
            if not isinstance(total, (int, float)) or isinstance(total, bool):
                total = (part.get("prompt_tokens") or 0) + (part.get("completion_tokens") or 0)
            sides[side] = int(total)
    return sides or None
