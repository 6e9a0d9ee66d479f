"""The sides of a conversation and what each one stands for in messages and termination reasons.

Both orchestrators name a side by these strings (``agent``, ``user``; half duplex also routes
tool calls to ``env``) and look up through them the role a tool call's ``requestor`` carries,
the message class a side must produce, and the termination reason of its stop or its failure.
"""

from __future__ import annotations

from runner.models.messages import AssistantMessage, UserMessage
from runner.models.simulation import TerminationReason

AGENT, USER, ENV = "agent", "user", "env"
#: The ``requestor`` of a side's tool calls (it decides which tools run them).
REQUESTOR = {AGENT: "assistant", USER: "user"}
#: The message class each side must produce.
MESSAGE_KIND: dict[str, type[AssistantMessage] | type[UserMessage]] = {
    AGENT: AssistantMessage,
    USER: UserMessage,
}
#: The termination reason when a side's ``is_stop`` says the conversation is over.
STOP_REASON = {AGENT: TerminationReason.AGENT_STOP, USER: TerminationReason.USER_STOP}
#: The termination reason when a side raises or returns the wrong thing.
ERROR_REASON = {AGENT: TerminationReason.AGENT_ERROR, USER: TerminationReason.USER_ERROR}
