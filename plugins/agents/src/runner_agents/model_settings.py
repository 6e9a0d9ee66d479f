"""Sampling and request options for a model call."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

ToolChoice = Literal["auto", "required", "none"] | str | dict[str, Any] | None


@dataclass(frozen=True)
class ModelSettings:
    """Options sent with each model call; ``None`` means "leave it to the provider".

    ``tool_choice`` is ``"auto"``, ``"required"``, ``"none"``, a tool's name (force that tool)
    or an OpenAI ``tool_choice`` dict. ``extra_args`` go to the gateway unchanged (litellm
    arguments such as ``api_base``, ``api_key``, ``seed``, ``stop``); an API key passed here is
    used for the call and never stored in results.
    """

    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    tool_choice: ToolChoice = None
    parallel_tool_calls: bool | None = None
    timeout: float | None = None
    extra_args: dict[str, Any] = field(default_factory=dict)

    def resolve(self, override: ModelSettings | None) -> ModelSettings:
        """These settings with every non-``None`` field of ``override`` on top (``extra_args``
        merged key by key)."""
        if override is None:
            return self
        changes: dict[str, Any] = {
            f.name: getattr(override, f.name)
            for f in fields(self)
            if f.name != "extra_args" and getattr(override, f.name) is not None
        }
        changes["extra_args"] = {**self.extra_args, **override.extra_args}
        return replace(self, **changes)

    def to_llm_args(self) -> dict[str, Any]:
        """Sampling arguments for the gateway (tool options are added by the runner)."""
        args = {**self.extra_args}
        for name in ("temperature", "top_p", "max_tokens"):
            value = getattr(self, name)
            if value is not None:
                args[name] = value
        return args
