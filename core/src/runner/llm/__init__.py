"""LLM access for runner: one gateway over litellm (see docs/llm.md).

``get_gateway().complete(model, messages, ...)`` returns an :class:`LLMResponse`;
``stream(...)`` yields :class:`StreamEvent` deltas. litellm itself is imported on the first
call, never when this package is imported.
"""

from runner.llm.chat import participant_message, to_chat, tool_results
from runner.llm.errors import LLMError, LLMRequestError, scrub
from runner.llm.gateway import GatewayStats, LLMGateway, configure_gateway, get_gateway
from runner.llm.response import LLMResponse, LLMToolCall, StreamEvent, Usage

__all__ = [
    "GatewayStats",
    "LLMError",
    "LLMGateway",
    "LLMRequestError",
    "LLMResponse",
    "LLMToolCall",
    "StreamEvent",
    "Usage",
    "configure_gateway",
    "get_gateway",
    "participant_message",
    "scrub",
    "to_chat",
    "tool_results",
]
