"""What a participant factory receives."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from runner.models.task import Task


class BuildContext(BaseModel):
    """Everything a factory may need to build an agent or a user for one simulation.

    Factories read only the fields they need; new fields may be added in later versions, so a
    factory must not fail on fields it does not know.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    environment: Any = None
    #: The :class:`~runner.Tool` objects this participant may call (the agent's tools, or the
    #: user-side tools for a user); ``tool.openai_schema()`` gives a tool's OpenAI schema.
    tools: list[Any] = Field(default_factory=list)
    #: The user-side tools (for agents that drive both sides, e.g. the replay oracle).
    user_tools: list[Any] = Field(default_factory=list)
    policy: str = ""
    task: Task | None = None
    llm: str | None = None
    llm_args: dict[str, Any] = Field(default_factory=dict)
    seed: int | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    #: The run's :class:`runner.LLMGateway`: call models through it (not ``get_gateway()``), so
    #: the run's ``--llm-*`` settings apply and two runs in one process stay apart. ``None``
    #: outside a run (a participant then falls back to the process-wide gateway).
    gateway: Any = None
    #: The run's voice provider (``runner.voice.VoiceProvider``, ``--voice-provider``), or
    #: ``None`` in a text run: a voice agent speaks and listens through it.
    voice: Any = None
