"""``llm_agent``, ``llm_gt_agent`` and ``llm_solo_agent``: a model playing the support agent.

One call of :meth:`LLMAgent.agenerate_next_message` is one model call through the core's LLM
gateway: the model answers with text for the user or with tool calls, and the agent returns
that as an :class:`~runner.AssistantMessage`. The orchestrator executes the calls on the
environment and hands the results back, so an agent *turn* (model and tool calls until a plain
answer) is driven by the orchestrator and every call and result lands in the trajectory.

The model's own history (chat messages, including the reasoning content thinking models must
get back) lives in the participant state, so concurrent simulations share nothing. Request
options come from ``--agent-llm-args`` through the SDK's :class:`~runner_agents.ModelSettings`;
errors of the gateway propagate unchanged and the orchestrator maps them to termination
reasons (see ``docs/llm-participants.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runner import STOP_TOKEN, AssistantMessage, ChatParticipant, HalfDuplexAgent

from runner_agents.exceptions import UserError
from runner_agents.model_settings import ModelSettings
from runner_agents.simulation import prompts

#: ``--agent-llm-args`` keys that are model settings; every other key goes to litellm as is.
SETTING_KEYS = (
    "temperature",
    "top_p",
    "max_tokens",
    "tool_choice",
    "parallel_tool_calls",
    "timeout",
)
DONE_TOOL = "done"
#: OpenAI function schemas of environment tools, SDK tools or plain dicts (shared lists).
tool_schemas = ChatParticipant.tool_schemas


@dataclass
class ChatState:
    """What the model has seen so far, as chat messages (without the system prompt).

    ``stop_next``: the solo agent's model called ``done`` together with other tools; it stops
    as soon as their results are back.
    """

    history: list[dict[str, Any]] = field(default_factory=list)
    stop_next: bool = False


def model_settings(llm_args: dict[str, Any], base: ModelSettings | None = None) -> ModelSettings:
    """``--agent-llm-args`` as SDK model settings laid over ``base`` (the agent's defaults)."""
    known = {k: llm_args[k] for k in SETTING_KEYS if k in llm_args}
    extra = {k: v for k, v in llm_args.items() if k not in SETTING_KEYS}
    return (base or ModelSettings()).resolve(ModelSettings(**known, extra_args=extra))


def request_arguments(settings: ModelSettings, with_tools: bool) -> dict[str, Any]:
    """The gateway keyword arguments for ``settings`` (tool options only when there are tools)."""
    args = settings.to_llm_args()
    if with_tools:
        choice = settings.tool_choice
        if isinstance(choice, str) and choice not in ("auto", "none", "required"):
            choice = {"type": "function", "function": {"name": choice}}
        if choice is not None:
            args["tool_choice"] = choice
        if settings.parallel_tool_calls is not None:
            args["parallel_tool_calls"] = settings.parallel_tool_calls
    if settings.timeout is not None:
        args["timeout"] = settings.timeout
    return args


class LLMAgent(ChatParticipant, HalfDuplexAgent[ChatState]):
    """A model with the domain policy as instructions and the environment tools as tools.

    ``gateway``: the :class:`runner.LLMGateway` to call (default: the process-wide one,
    looked up at each call so ``configure_gateway`` applies).
    """

    side = "agent"

    def __init__(
        self,
        *,
        model: str,
        tools: list[Any],
        policy: str,
        llm_args: dict[str, Any] | None = None,
        system_prompt: str | None = None,
        settings: ModelSettings | None = None,
        gateway: Any = None,
    ) -> None:
        super().__init__(
            model=model,
            system_prompt=system_prompt
            or prompts.system_prompt(prompts.AGENT_INSTRUCTIONS, policy),
            tools=tools,
            llm_args=llm_args,
            gateway=gateway,
        )
        self.settings = model_settings(self.llm_args, settings)
        self._args = request_arguments(self.settings, bool(self.tools))

    def get_init_state(self, message_history: list[Any] | None = None) -> ChatState:
        return ChatState(history=self.chat_history(message_history))

    async def agenerate_next_message(
        self, message: Any, state: ChatState
    ) -> tuple[AssistantMessage, ChatState]:
        reply = await self.reply(message, state.history)
        assert isinstance(reply, AssistantMessage)
        return reply, state


class LLMGTAgent(LLMAgent):
    """``llm_agent`` that also gets the task's expected actions as numbered resolution steps
    (for testing user simulators: a near-perfect agent isolates the user's mistakes)."""

    def __init__(
        self, *, task: Any, policy: str, with_arguments: bool = True, **kwargs: Any
    ) -> None:
        prompt = prompts.gt_system_prompt(policy, task.expected_actions(), with_arguments)
        super().__init__(policy=policy, system_prompt=prompt, **kwargs)
        self.task = task


class LLMSoloAgent(LLMAgent):
    """Works a ticket with no user: it gets both sides' tools and ends with the ``done`` tool.

    ``solo = True`` tells the orchestrator to run without a user (no greeting; the agent is
    called first with ``None``; a plain-text message ends the run as ``agent_error``). Calls of
    user-side tools carry ``requestor="user"`` so the environment runs them on the user's side.
    ``tool_choice`` defaults to ``"required"``.
    """

    solo = True

    def __init__(
        self,
        *,
        tools: list[Any],
        user_tools: list[Any],
        policy: str,
        ticket: str,
        llm_args: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        agent_schemas = tool_schemas(tools)
        names = {s["function"]["name"] for s in agent_schemas}
        user_schemas = [s for s in tool_schemas(user_tools) if s["function"]["name"] not in names]
        self.user_tool_names = frozenset(s["function"]["name"] for s in user_schemas)
        instructions = prompts.SOLO_AGENT_INSTRUCTIONS.format(done=DONE_TOOL)
        super().__init__(
            tools=[*agent_schemas, *user_schemas, done_tool_schema()],
            policy=policy,
            llm_args=llm_args,
            system_prompt=prompts.system_prompt(instructions, policy),
            settings=ModelSettings(tool_choice="required"),
            **kwargs,
        )
        self.ticket = ticket

    def get_init_state(self, message_history: list[Any] | None = None) -> ChatState:
        ticket = {"role": "user", "content": prompts.TICKET_MESSAGE.format(ticket=self.ticket)}
        return ChatState(history=[ticket, *self.chat_history(message_history)])

    async def agenerate_next_message(
        self, message: Any, state: ChatState
    ) -> tuple[AssistantMessage, ChatState]:
        if state.stop_next:  # the results of the calls sent together with `done`
            state.history.extend(self.incoming(message))
            return AssistantMessage(content=STOP_TOKEN, cost=0.0), state
        reply, state = await super().agenerate_next_message(message, state)
        return self._route(reply, state), state

    def _route(self, reply: AssistantMessage, state: ChatState) -> AssistantMessage:
        calls = reply.tool_calls or []
        done = [c for c in calls if c.name == DONE_TOOL]
        calls = [
            c.model_copy(update={"requestor": "user"}) if c.name in self.user_tool_names else c
            for c in calls
            if c.name != DONE_TOOL
        ]
        if not done:
            return reply.model_copy(update={"tool_calls": calls or None})
        raw = dict(reply.raw_data or {})
        raw["done_call"] = done[0].model_dump(mode="json")
        if calls:  # run the other calls first, then stop without another model call
            state.stop_next = True
            return reply.model_copy(update={"tool_calls": calls, "raw_data": raw})
        if reply.content:
            raw["text"] = reply.content
        return reply.model_copy(update={"content": STOP_TOKEN, "tool_calls": None, "raw_data": raw})


def done_tool_schema() -> dict[str, Any]:
    """The ``done`` tool (built with the SDK's ``function_tool``)."""
    from runner_agents.tools import function_tool

    def done() -> str:
        """Call this when the ticket is resolved, alone in its turn: it ends the work."""
        return STOP_TOKEN

    return function_tool(done).openai_schema()


# -- factories (registered by runner_agents.plugin) -----------------------------------------------
def _model(ctx: Any, name: str) -> str:
    if not ctx.llm:
        raise UserError(
            f"The {name} agent needs a model: pass --agent-llm MODEL (a litellm model string "
            "such as openai/gpt-4.1-mini), and its options with --agent-llm-args "
            """'{"temperature": 0}'."""
        )
    return str(ctx.llm)


def _options(ctx: Any, name: str, known: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(ctx.options) - set(known))
    if unknown:
        accepted = ", ".join(sorted(known)) or "none"
        raise UserError(
            f"The {name} agent has no option {', '.join(map(repr, unknown))} "
            f"(--agent-option); its options: {accepted}. Model arguments go in --agent-llm-args."
        )
    return {**known, **ctx.options}


#: The option every LLM agent takes: a policy text replacing the domain's (experiments and
#: ``runner improve`` evaluate rewritten policies through it).
POLICY_OPTION = {"policy": None}


def _policy(ctx: Any, options: dict[str, Any]) -> str:
    policy = options.get("policy")
    if policy is None:
        return str(ctx.policy or "")
    if not isinstance(policy, str) or not policy.strip():
        raise UserError("--agent-option policy: give the policy text (a non-empty string).")
    return policy


def _task(ctx: Any, name: str) -> Any:
    if ctx.task is None:
        raise UserError(f"The {name} agent needs a task.")
    return ctx.task


def build_llm_agent(ctx: Any) -> LLMAgent:
    """Factory of ``llm_agent`` (takes a :class:`runner.BuildContext`)."""
    options = _options(ctx, "llm_agent", {**POLICY_OPTION, "system_prompt": None})
    system_prompt = options.get("system_prompt")
    if system_prompt is not None and not (isinstance(system_prompt, str) and system_prompt.strip()):
        raise UserError("--agent-option system_prompt: give the whole system prompt's text.")
    return LLMAgent(
        model=_model(ctx, "llm_agent"),
        tools=ctx.tools,
        system_prompt=system_prompt,
        policy=_policy(ctx, options),
        llm_args=ctx.llm_args,
        gateway=ctx.gateway,
    )


def build_llm_gt_agent(ctx: Any) -> LLMGTAgent:
    """Factory of ``llm_gt_agent``; ``--agent-option with_arguments=false`` names the expected
    tools without their arguments."""
    options = _options(ctx, "llm_gt_agent", {"with_arguments": True, **POLICY_OPTION})
    return LLMGTAgent(
        model=_model(ctx, "llm_gt_agent"),
        task=_task(ctx, "llm_gt_agent"),
        tools=ctx.tools,
        policy=_policy(ctx, options),
        llm_args=ctx.llm_args,
        with_arguments=_flag(options["with_arguments"], "with_arguments"),
        gateway=ctx.gateway,
    )


def build_llm_solo_agent(ctx: Any) -> LLMSoloAgent:
    """Factory of ``llm_solo_agent``: the ticket (or, without one, the user's instructions) is
    its first message."""
    options = _options(ctx, "llm_solo_agent", POLICY_OPTION)
    task = _task(ctx, "llm_solo_agent")
    ticket = task.ticket or task.user_scenario.instructions_text()
    return LLMSoloAgent(
        model=_model(ctx, "llm_solo_agent"),
        tools=ctx.tools,
        user_tools=ctx.user_tools,
        policy=_policy(ctx, options),
        ticket=ticket,
        llm_args=ctx.llm_args,
        gateway=ctx.gateway,
    )


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise UserError(f"--agent-option {name}={value!r}: use true or false.")
