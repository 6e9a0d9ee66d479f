"""Run configuration: everything that decides what a run computes.

The same object comes from the CLI (``runner run ...``) or from Python. Its JSON form is stored
in ``run.json``; resuming compares the stored and the new one field by field, except for the
fields in :data:`RESUME_IGNORED` that change how a run executes, not what it computes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: Fields that may differ between a run and its resumption.
RESUME_IGNORED = frozenset(
    {
        "max_concurrency",
        "max_retries",
        "retry_backoff",
        "retry_backoff_max",
        "llm_cache_dir",
        "llm_max_retries",
        "llm_timeout",
        "llm_transport",
        "output_dir",
        "run_name",
        "executor",
        "executor_options",
        "progress",
        "resume",
        "force_resume",
        "strict_tasks",
    }
)


class RunConfig(BaseModel):
    """What to run: a domain's tasks × trials with one agent, one user and one orchestrator."""

    model_config = ConfigDict(extra="forbid")

    domain: str
    agent: str = "replay"
    user: str = "scripted"
    orchestrator: str = "half_duplex"
    executor: str = "local"
    agent_llm: str | None = None
    user_llm: str | None = None
    judge_llm: str | None = None
    agent_llm_args: dict[str, Any] = Field(default_factory=dict)
    user_llm_args: dict[str, Any] = Field(default_factory=dict)
    judge_llm_args: dict[str, Any] = Field(default_factory=dict)
    agent_options: dict[str, Any] = Field(default_factory=dict)
    user_options: dict[str, Any] = Field(default_factory=dict)
    domain_options: dict[str, Any] = Field(default_factory=dict)
    orchestrator_options: dict[str, Any] = Field(default_factory=dict)
    #: A voice run (full duplex): the registered voice provider participants speak through.
    voice_provider: str | None = None
    voice_options: dict[str, Any] = Field(default_factory=dict)
    executor_options: dict[str, Any] = Field(default_factory=dict)
    task_split: str | None = None
    task_ids: list[str] | None = None
    num_tasks: int | None = Field(default=None, ge=1)
    num_trials: int = Field(default=1, ge=1)
    max_steps: int = Field(default=100, ge=1)
    max_errors: int = Field(default=10, ge=1)
    timeout: float | None = Field(default=None, gt=0)
    seed: int = 300
    max_concurrency: int = Field(default=10, ge=1)
    max_retries: int = Field(default=3, ge=0)
    #: First wait (seconds) before retrying an infrastructure error; doubles per attempt, jittered.
    retry_backoff: float = Field(default=1.0, ge=0)
    #: Longest wait between two attempts of one unit.
    retry_backoff_max: float = Field(default=60.0, ge=0)
    #: The LLM gateway's on-disk response cache: record a run once, replay it for free.
    llm_cache_dir: str | None = None
    #: Retries of one LLM call (rate limits, 5xx, timeouts) inside the gateway; None: the
    #: gateway's default.
    llm_max_retries: int | None = Field(default=None, ge=0)
    #: Timeout of one LLM call in seconds; None: the gateway's default.
    llm_timeout: float | None = Field(default=None, gt=0)
    #: How LLM calls that name no ``transport`` are sent: ``auto`` (direct for an
    #: OpenAI-compatible endpoint the user runs, litellm for providers), ``litellm`` or
    #: ``direct``; None: the gateway's default.
    llm_transport: Literal["auto", "litellm", "direct"] | None = None
    output_dir: str = "runs"
    run_name: str | None = None
    progress: bool = True
    #: Continue an existing run directory (skip finished units); ``False`` refuses to touch one.
    resume: bool = True
    #: Resume even when the stored configuration differs from this one.
    force_resume: bool = False
    #: A task whose expected actions fail (or a tool that writes without ``write=True``) is an
    #: error before anything runs, instead of a warning.
    strict_tasks: bool = False

    def comparable(self) -> dict[str, Any]:
        """The fields that must match for a resume to be allowed."""
        return {k: v for k, v in self.model_dump(mode="json").items() if k not in RESUME_IGNORED}
