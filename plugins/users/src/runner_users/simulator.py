"""``user_simulator``: a model playing the customer of a task.

Its system prompt is a readable template (``prompts/user_simulator.md``, replaceable with
``--user-option prompt=PATH``) filled with the task's persona and instructions. Each call of
:meth:`UserSimulator.agenerate_next_message` is one model call through the core's LLM gateway;
the model sees the conversation from the customer's side (its own messages as ``assistant``,
the agent's as ``user``). Where the domain gives the user tools (telecom's phone), the model
may call them: the call goes back to the orchestrator as a :class:`~runner.UserMessage` with
``tool_calls`` and the results come back as tool messages.

The conversation ends (``user_stop``) when a message contains ``###STOP###`` (goal reached),
``###TRANSFER###`` (handed to a human) or ``###OUT-OF-SCOPE###`` (the scenario does not cover
what happens); the token stays in the trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runner.constants import OUT_OF_SCOPE_TOKEN, STOP_TOKEN, TRANSFER_TOKEN
from runner.errors import ConfigError
from runner.llm.chat import participant_message, to_chat, tool_results
from runner.models.messages import MultiToolMessage, ToolMessage, UserMessage
from runner.participants import HalfDuplexUser

from runner_users import template

STOP_TOKENS = (STOP_TOKEN, TRANSFER_TOKEN, OUT_OF_SCOPE_TOKEN)
NO_PERSONA = "(no particular persona: a regular customer)"
_SCHEMAS: dict[tuple[int, ...], tuple[tuple[Any, ...], list[dict[str, Any]]]] = {}
OPTIONS = {"prompt": "path of a prompt template replacing prompts/user_simulator.md"}


@dataclass
class UserState:
    """The customer model's history as chat messages (without the system prompt)."""

    history: list[dict[str, Any]] = field(default_factory=list)


class UserSimulator(HalfDuplexUser[UserState]):
    """An LLM user. ``tools``: the user-side tools (OpenAI schemas or ``Tool`` objects)."""

    stop_tokens = STOP_TOKENS

    def __init__(
        self,
        *,
        model: str,
        system_prompt: str,
        tools: list[Any] | None = None,
        llm_args: dict[str, Any] | None = None,
        gateway: Any = None,
    ) -> None:
        self.model = model
        self.system_prompt = system_prompt
        self.tools = tool_schemas(tools or [])
        self.llm_args = dict(llm_args or {})
        self.gateway = gateway
        self.seed: int | None = None
        self._args = dict(self.llm_args)

    def set_seed(self, seed: int | None) -> None:
        """Send the simulation's seed with each call, unless ``--user-llm-args`` sets one."""
        self.seed = seed
        if seed is not None and "seed" not in self.llm_args:
            self._args["seed"] = seed

    def is_stop(self, message: Any) -> bool:
        if getattr(message, "tool_calls", None):
            return False
        content = getattr(message, "content", None) or ""
        return any(token in content for token in STOP_TOKENS)

    def get_init_state(self, message_history: list[Any] | None = None) -> UserState:
        return UserState(history=to_chat(list(message_history or []), "user"))

    async def agenerate_next_message(
        self, message: Any, state: UserState
    ) -> tuple[UserMessage, UserState]:
        from runner.llm import get_gateway

        if isinstance(message, (ToolMessage, MultiToolMessage)):
            state.history.extend(tool_results(message))
        elif message is not None:
            state.history.append({"role": "user", "content": message.content or ""})
        messages = [{"role": "system", "content": self.system_prompt}, *state.history]
        gateway = self.gateway or get_gateway()
        if self.tools:
            response = await gateway.complete(self.model, messages, tools=self.tools, **self._args)
        else:
            response = await gateway.complete(self.model, messages, **self._args)
        state.history.append(response.message)
        reply = participant_message(response, "user")
        assert isinstance(reply, UserMessage)
        return reply, state


def tool_schemas(tools: list[Any]) -> list[dict[str, Any]]:
    """OpenAI schemas of the user's tools; one shared (read-only) list per set of environment
    tools, so that an encoding of it can be reused from call to call."""
    infos = tuple(getattr(t, "schema_info", None) for t in tools)
    key = tuple(map(id, infos)) if all(i is not None for i in infos) else None
    if key is not None:
        hit = _SCHEMAS.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], infos, strict=True)):
            return hit[1]
    schemas = [t.openai_schema() if hasattr(t, "openai_schema") else dict(t) for t in tools]
    if key is not None:
        _SCHEMAS[key] = (infos, schemas)
    return schemas


def render_prompt(tmpl: template.Template, task: Any, domain: str, has_tools: bool) -> str:
    """The system prompt for ``task`` from a template."""
    scenario = task.user_scenario
    tool_guidelines = template.builtin("user_tools.md").render({}) if has_tools else ""
    values = {
        "instructions": scenario.instructions_text(),
        "persona": scenario.persona or NO_PERSONA,
        "ticket": task.ticket or "",
        "domain": domain,
        "tool_guidelines": tool_guidelines,
        "stop_token": STOP_TOKEN,
        "transfer_token": TRANSFER_TOKEN,
        "out_of_scope_token": OUT_OF_SCOPE_TOKEN,
    }
    return tmpl.render(values)


def build_user_simulator(ctx: Any) -> UserSimulator:
    """Factory of ``user_simulator`` (takes a :class:`runner.BuildContext`)."""
    unknown = sorted(set(ctx.options) - set(OPTIONS))
    if unknown:
        known = "; ".join(f"{k} ({v})" for k, v in OPTIONS.items())
        raise ConfigError(
            f"The user_simulator has no option {', '.join(map(repr, unknown))} (--user-option). "
            f"Its options: {known}. Model arguments go in --user-llm-args."
        )
    if not ctx.llm:
        raise ConfigError(
            "The user_simulator needs a model: pass --user-llm MODEL (a litellm model string "
            "such as openai/gpt-4.1-mini), and its options with --user-llm-args "
            """'{"temperature": 0}'."""
        )
    if ctx.task is None:
        raise ConfigError("The user_simulator needs a task (it plays the task's customer).")
    prompt_path = ctx.options.get("prompt")
    tmpl = template.load(prompt_path) if prompt_path else template.builtin("user_simulator.md")
    domain = getattr(ctx.environment, "domain_name", "") or ""
    return UserSimulator(
        model=str(ctx.llm),
        system_prompt=render_prompt(tmpl, ctx.task, domain, bool(ctx.tools)),
        tools=ctx.tools,
        llm_args=ctx.llm_args,
        gateway=ctx.gateway,
    )
