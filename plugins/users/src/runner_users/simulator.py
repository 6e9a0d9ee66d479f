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

from runner import (
    OUT_OF_SCOPE_TOKEN,
    STOP_TOKEN,
    TRANSFER_TOKEN,
    ChatParticipant,
    ConfigError,
    HalfDuplexUser,
    UserMessage,
)

from runner_users import template

STOP_TOKENS = (STOP_TOKEN, TRANSFER_TOKEN, OUT_OF_SCOPE_TOKEN)
NO_PERSONA = "(no particular persona: a regular customer)"
OPTIONS = {"prompt": "path of a prompt template replacing prompts/user_simulator.md"}


@dataclass
class UserState:
    """The customer model's history as chat messages (without the system prompt)."""

    history: list[dict[str, Any]] = field(default_factory=list)


class UserSimulator(ChatParticipant, HalfDuplexUser[UserState]):
    """An LLM user. ``tools``: the user-side tools (OpenAI schemas or ``Tool`` objects);
    ``gateway``: the :class:`runner.LLMGateway` to call (default: the process-wide one)."""

    side = "user"
    stop_tokens = STOP_TOKENS

    def is_stop(self, message: Any) -> bool:
        if getattr(message, "tool_calls", None):
            return False
        content = getattr(message, "content", None) or ""
        return any(token in content for token in STOP_TOKENS)

    def get_init_state(self, message_history: list[Any] | None = None) -> UserState:
        return UserState(history=self.chat_history(message_history))

    async def agenerate_next_message(
        self, message: Any, state: UserState
    ) -> tuple[UserMessage, UserState]:
        reply = await self.reply(message, state.history)
        assert isinstance(reply, UserMessage)
        return reply, state


#: OpenAI schemas of the user's tools (one shared, read-only list per set of environment tools).
tool_schemas = ChatParticipant.tool_schemas


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


def check_options(ctx: Any, name: str, options: dict[str, str]) -> None:
    """An option the user does not know is one ConfigError listing the ones it knows."""
    unknown = sorted(set(ctx.options) - set(options))
    if unknown:
        known = "; ".join(f"{k} ({v})" for k, v in options.items())
        raise ConfigError(
            f"The {name} has no option {', '.join(map(repr, unknown))} (--user-option). "
            f"Its options: {known}. Model arguments go in --user-llm-args."
        )


def build_user_simulator(ctx: Any) -> UserSimulator:
    """Factory of ``user_simulator`` (takes a :class:`runner.BuildContext`)."""
    check_options(ctx, "user_simulator", OPTIONS)
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
