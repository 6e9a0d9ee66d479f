"""The retail tools that touch no record: the calculator and the hand-off to a human agent.

Functions of the toolkit (``self``) for the reason given in :mod:`runner_retail.tools.lookups`;
the docstrings are τ²-bench's descriptions, word for word.
"""

from __future__ import annotations

from runner import calculate as runner_calculate
from runner import tool

from runner_retail.records import RetailRecords


@tool
def calculate(self: RetailRecords, expression: str) -> str:
    """Calculate the result of a mathematical expression.

    Args:
        expression: The mathematical expression to calculate, such as '2 + 2'. The expression can contain numbers, operators (+, -, *, /), parentheses, and spaces.
    """
    return runner_calculate(expression)


@tool
def transfer_to_human_agents(self: RetailRecords, summary: str) -> str:
    """Transfer the user to a human agent, with a summary of the user's issue.

    Only transfer if
     -  the user explicitly asks for a human agent
     -  given the policy and the available tools, you cannot solve the user's issue.

    Args:
        summary: A summary of the user's issue.
    """
    return "Transfer successful"
