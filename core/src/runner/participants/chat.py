"""``ChatParticipant``: what every participant played by a chat model shares.

A model-backed agent or user simulator keeps the model's history as OpenAI-format chat messages
(in its participant state), sends it with a system prompt and its tools through the LLM
gateway, and turns the answer into a trajectory message. This base holds that sequence once:

* :meth:`ChatParticipant.tool_schemas` turns environment tools (``Tool``), SDK tools or plain
  dicts into OpenAI function schemas, one shared read-only list per set of environment tools
  (the direct transport then encodes it once, not once per call);
* :meth:`ChatParticipant.reply` appends what the participant receives to the history, makes one
  model call and returns the reply as an :class:`~runner.AssistantMessage` (``side = "agent"``)
  or :class:`~runner.UserMessage` (``side = "user"``).

Combine it with :class:`~runner.HalfDuplexAgent` or :class:`~runner.HalfDuplexUser`, base
first: ``class MyAgent(ChatParticipant, HalfDuplexAgent[MyState])``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from runner.llm.chat import Side, participant_message, to_chat, tool_results
from runner.models.messages import AssistantMessage, MultiToolMessage, ToolMessage, UserMessage

#: Shared tool-schema lists, by the identity of the tools' (cached) schemas.
_SCHEMAS: dict[tuple[int, ...], tuple[tuple[Any, ...], list[dict[str, Any]]]] = {}


class ChatParticipant:
    """A participant whose every turn is one model call through the LLM gateway.

    ``model``: the litellm model string; ``system_prompt``: sent before the history on each call;
    ``tools``: environment tools, SDK tools or OpenAI schemas; ``llm_args``: the user's request
    options (``--agent-llm-args`` / ``--user-llm-args``); ``request_args``: the keyword arguments
    actually sent (default: ``llm_args``); ``gateway``: the :class:`runner.LLMGateway` to call --
    factories pass the run's (``BuildContext.gateway``); ``None`` means the process-wide one
    (:func:`runner.get_gateway`), looked up at each call.
    """

    #: Which side the model plays: ``"agent"`` or ``"user"``.
    side: ClassVar[Side] = "agent"

    def __init__(
        self,
        *,
        model: str,
        system_prompt: str,
        tools: list[Any] | None = None,
        llm_args: dict[str, Any] | None = None,
        request_args: dict[str, Any] | None = None,
        gateway: Any = None,
    ) -> None:
        self.model = model
        self.system_prompt = system_prompt
        self.tools = self.tool_schemas(tools or [])
        self.llm_args = dict(llm_args or {})
        self.gateway = gateway
        self.seed: int | None = None
        self._args = dict(self.llm_args if request_args is None else request_args)

    @staticmethod
    def tool_schemas(tools: list[Any]) -> list[dict[str, Any]]:
        """OpenAI function schemas of environment tools (``Tool``), SDK tools or plain dicts;
        the list for a given set of environment tools is built once and shared (read-only)."""
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

    def set_seed(self, seed: int | None) -> None:
        """Send the simulation's seed with each call, unless ``llm_args`` sets one."""
        self.seed = seed
        if seed is not None and "seed" not in self.llm_args:
            self._args["seed"] = seed

    def chat_history(self, message_history: list[Any] | None) -> list[dict[str, Any]]:
        """The task's earlier trajectory messages as this side's chat history."""
        return to_chat(list(message_history or []), self.side)

    @staticmethod
    def incoming(message: Any) -> list[dict[str, Any]]:
        """What the model reads for the message it receives (nothing for ``None``)."""
        if message is None:
            return []
        if isinstance(message, (ToolMessage, MultiToolMessage)):
            return tool_results(message)
        return [{"role": "user", "content": message.content or ""}]

    async def call_model(self, history: list[dict[str, Any]]) -> Any:
        """One model call on ``history``; returns the gateway's :class:`runner.LLMResponse`."""
        gateway = self.gateway
        if gateway is None:
            from runner.llm import get_gateway

            gateway = get_gateway()
        messages = [{"role": "system", "content": self.system_prompt}, *history]
        if self.tools:
            return await gateway.complete(self.model, messages, tools=self.tools, **self._args)
        return await gateway.complete(self.model, messages, **self._args)

    async def reply(
        self, message: Any, history: list[dict[str, Any]]
    ) -> AssistantMessage | UserMessage:
        """Append ``message`` to ``history``, call the model, append its answer and return it
        as this side's trajectory message."""
        history.extend(self.incoming(message))
        response = await self.call_model(history)
        history.append(response.message)
        return participant_message(response, self.side)
