"""The airline tools that touch no record: the calculator and the hand-off to a human agent.

Functions of the toolkit (``self``) for the reason given in :mod:`runner_airline.tools.lookups`;
the docstrings are τ²-bench's descriptions, word for word.
"""

from __future__ import annotations

from runner import calculate as runner_calculate
from runner import tool

from runner_airline.records import AirlineRecords


@tool
def calculate(self: AirlineRecords, expression: str) -> str:
    """Calculate the result of a mathematical expression.

    Args:
        expression: The mathematical expression to calculate, such as '2 + 2'. The expression can contain numbers, operators (+, -, *, /), parentheses, and spaces.

    Returns:
        The result of the mathematical expression.

    Raises:
        ValueError: If the expression is invalid.
    """
    return runner_calculate(expression)


@tool
def transfer_to_human_agents(self: AirlineRecords, summary: str) -> str:
    """Transfer the user to a human agent, with a summary of the user's issue.

    Only transfer if
     -  the user explicitly asks for a human agent
     -  given the policy and the available tools, you cannot solve the user's issue.

    Args:
        summary: A summary of the user's issue.

    Returns:
        A message indicating the user has been transferred to a human agent.
    """
    return "Transfer successful"
