"""An experiment is one YAML file: this is its schema, and the loader that points at the line.

Everything experiment-specific lives in the file (see ``docs/experiments.md``); a new
experiment is a new file, not new code. Loading validates it with pydantic and turns every
problem into one :class:`~runner.ConfigError` naming the file, the field path and its line.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from runner import ConfigError, mask_secrets


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Tasks(_Section):
    """Which tasks of the domain form the grid."""

    split: str | None = None
    ids: list[str] | None = None
    limit: int | None = Field(default=None, ge=1)


class Evaluation(_Section):
    """The grid: every task × ``trials``, each trial's seed derived from ``master_seed``."""

    trials: int = Field(default=1, ge=1)
    master_seed: int = 300
    max_concurrency: int = Field(default=10, ge=1)
    max_steps: int = Field(default=100, ge=1)


class Constraints(_Section):
    """What a candidate policy must satisfy before it is evaluated."""

    max_length: int | None = Field(default=None, ge=1)
    required_sections: list[str] = Field(default_factory=list)
    forbidden_phrases: list[str] = Field(default_factory=list)
    #: A JSON schema: the candidate must then be a JSON document valid against it.
    json_schema: dict[str, Any] | None = None


class Optimize(_Section):
    """The text the optimizer may change: the agent option that carries it (``policy`` for the
    runner-agents LLM agents) and where its first version comes from (a file; default: the
    domain's policy)."""

    option: str = "policy"
    initial_file: str | None = None
    constraints: Constraints = Field(default_factory=Constraints)
    #: Failed trajectories shown to the optimizer per round, and their characters at most.
    max_failures: int = Field(default=5, ge=0)
    max_trajectory_chars: int = Field(default=6000, ge=200)


class Optimizer(_Section):
    """The optimizer model's prompt and sampling; ``max_retries``: further attempts after a
    candidate that breaks the constraints (each is told what was wrong)."""

    system_prompt: str | None = None
    system_prompt_file: str | None = None
    temperature: float = Field(default=0.7, ge=0)
    max_retries: int = Field(default=2, ge=0)

    @model_validator(mode="after")
    def _one_prompt(self) -> Optimizer:
        if self.system_prompt and self.system_prompt_file:
            raise ValueError("give system_prompt or system_prompt_file, not both")
        return self


class Acceptance(_Section):
    """When a candidate replaces the incumbent (see ``runner_experiments.stats``)."""

    rule: Literal["ci_lower_bound", "mean_delta"] = "ci_lower_bound"
    min_improvement: float = 0.0
    confidence: float = Field(default=0.95, gt=0.5, lt=1)


class Convergence(_Section):
    """When the loop stops: ``max_iterations`` candidates; ``patience`` rounds in a row without
    an accepted candidate; or, when ``stability_threshold`` is above 0, the incumbent's score
    moving by no more than it over the last ``stability_window`` rounds."""

    max_iterations: int = Field(default=5, ge=0)
    patience: int = Field(default=3, ge=1)
    stability_window: int = Field(default=3, ge=1)
    stability_threshold: float = Field(default=0.0, ge=0)


class Budget(_Section):
    """Spending limits, checked before each round (evaluations and optimizer calls)."""

    max_usd: float | None = Field(default=None, ge=0)
    max_llm_calls: int | None = Field(default=None, ge=0)


class Output(_Section):
    """Where the run directories and the database go, and the final policy's file."""

    dir: str = "experiments"
    policy_file: str | None = None


class ExperimentConfig(_Section):
    """One experiment (the YAML file's top level)."""

    name: str = Field(min_length=1)
    domain: str
    domain_options: dict[str, Any] = Field(default_factory=dict)
    agent: str = "llm_agent"
    agent_options: dict[str, Any] = Field(default_factory=dict)
    user: str = "user_simulator"
    user_options: dict[str, Any] = Field(default_factory=dict)
    agent_llm: str | None = None
    agent_llm_args: dict[str, Any] = Field(default_factory=dict)
    user_llm: str | None = None
    user_llm_args: dict[str, Any] = Field(default_factory=dict)
    optimizer_llm: str
    optimizer_llm_args: dict[str, Any] = Field(default_factory=dict)
    judge_llm: str | None = None
    judge_llm_args: dict[str, Any] = Field(default_factory=dict)
    orchestrator: str = "half_duplex"
    tasks: Tasks = Field(default_factory=Tasks)
    evaluation: Evaluation = Field(default_factory=Evaluation)
    optimize: Optimize = Field(default_factory=Optimize)
    optimizer: Optimizer = Field(default_factory=Optimizer)
    acceptance: Acceptance = Field(default_factory=Acceptance)
    convergence: Convergence = Field(default_factory=Convergence)
    budget: Budget = Field(default_factory=Budget)
    output: Output = Field(default_factory=Output)

    #: The folder relative paths in the file are resolved against (the file's own folder).
    base_dir: str = Field(default=".", exclude=True)

    def path(self, value: str) -> Path:
        """``value`` (a path from the file) resolved against the file's folder."""
        path = Path(value).expanduser()
        return path if path.is_absolute() else Path(self.base_dir) / path

    def read_text(self, field: str, value: str) -> str:
        """The text of the file a field names (relative to the experiment file)."""
        path = self.path(value)
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"{field}: cannot read {path} ({exc.strerror or exc}). The path is relative to "
                "the experiment file's folder."
            ) from None

    def fingerprint(self) -> str:
        """A hash of what the experiment means, secrets masked (a resume checks it)."""
        data = mask_secrets(self.model_dump(mode="json"))
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_experiment(path: str | Path) -> ExperimentConfig:
    """Read and validate an experiment file; every problem is one paragraph naming the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"Cannot read the experiment file {path}: {exc.strerror or exc}. Check the path."
        ) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(
            f"{where}: not valid YAML ({problem}). Fix the syntax there; see "
            "docs/experiments.md for a complete example."
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: an experiment file must be a YAML mapping (name: ..., domain: ...), not "
            f"{type(data).__name__}. See docs/experiments.md."
        )
    lines = _lines(node)
    try:
        config = ExperimentConfig.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors()[:10]:
            loc = tuple(str(part) for part in error["loc"])
            line = _line_of(lines, loc)
            field = ".".join(loc) or "(top level)"
            problems.append(f"{path}:{line}: {field}: {error['msg']}")
        more = len(exc.errors()) - len(problems)
        raise ConfigError(
            "The experiment file is not valid: "
            + "; ".join(problems)
            + (f"; and {more} more" if more > 0 else "")
            + ". See docs/experiments.md for every field and its default."
        ) from None
    config.base_dir = str(path.parent)
    return config


def _lines(node: Any, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    """The 1-based line of every key path in a composed YAML document."""
    found: dict[tuple[str, ...], int] = {}
    if node is None:
        return found
    found[prefix] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*prefix, str(key.value))
            found.update(_lines(value, path))
            found[path] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.update(_lines(item, (*prefix, str(index))))
    return found


def _line_of(lines: dict[tuple[str, ...], int], loc: tuple[str, ...]) -> int:
    """The line of the deepest part of ``loc`` that the file has (a missing field: its parent)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1
