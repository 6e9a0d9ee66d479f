"""The system prompts of the simulation agents (τ²-bench's structure, our own wording).

Every prompt is ``<instructions>`` (how to behave in this simulation) followed by the domain's
``<policy>``; the ground-truth agent adds ``<resolution_steps>`` and the solo agent reads its
``<ticket>`` from the first message.
"""

from __future__ import annotations

import json

from runner import Action

AGENT_INSTRUCTIONS = """\
You are a customer service agent. Help the user while following the <policy> below exactly.
Each of your turns is one of:
- a message to the user, or
- one or more tool calls.
Never do both in the same turn. Base everything you tell the user on the policy and on what
the tools returned; do not invent facts."""

GT_AGENT_INSTRUCTIONS = """\
You are a customer service agent in a test of a user simulator: the user has an issue for you
to resolve. Follow the <policy> below. To make that easier you also get the <resolution_steps>
you are expected to take: each is either an action you perform with a tool, or an action you
ask the user to perform on their side.
Each of your turns is one of:
- a message to the user, or
- one or more tool calls.
Never do both in the same turn."""

SOLO_AGENT_INSTRUCTIONS = """\
You are a customer service agent working on a ticket on your own: there is no user to talk to.
The first message holds the ticket. Plan the work, then carry it out with tool calls only,
following the <policy> below. You have the tools of both the agent and the customer.
When the ticket is resolved, call the `{done}` tool, alone in its turn. Do not write messages:
text without a tool call ends the work as a failure."""

SYSTEM_PROMPT = """\
<instructions>
{instructions}
</instructions>
<policy>
{policy}
</policy>"""

GT_SYSTEM_PROMPT = (
    SYSTEM_PROMPT
    + """
<resolution_steps>
{steps}
</resolution_steps>"""
)

TICKET_MESSAGE = """\
<ticket>
{ticket}
</ticket>"""

NO_STEPS = "(none: this task expects no tool actions; answer the user according to the policy)"


def system_prompt(instructions: str, policy: str) -> str:
    return SYSTEM_PROMPT.format(instructions=instructions, policy=policy)


def gt_system_prompt(policy: str, actions: list[Action], with_arguments: bool = True) -> str:
    steps = resolution_steps(actions, with_arguments) or NO_STEPS
    return GT_SYSTEM_PROMPT.format(instructions=GT_AGENT_INSTRUCTIONS, policy=policy, steps=steps)


def resolution_steps(actions: list[Action], with_arguments: bool = True) -> str:
    """One numbered line per expected action: who does what (and with which arguments)."""
    lines = []
    for number, action in enumerate(actions, start=1):
        call = action.name
        if with_arguments:
            call += f"({json.dumps(action.arguments, sort_keys=True, default=str)})"
        if action.requestor == "user":
            lines.append(f"[Step {number}] Ask the user to perform this action: {call}.")
        else:
            lines.append(f"[Step {number}] Perform this action: {call}.")
    return "\n".join(lines)
