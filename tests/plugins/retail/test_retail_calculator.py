"""``calculate`` gives τ²-bench's results and error messages without calling ``eval``.

τ²-bench computes ``str(round(float(eval(expression, {"__builtins__": None}, {})), 2))`` after
checking the characters; ``reference`` below is exactly that, used here on benign inputs only.
"""

from __future__ import annotations

import random
import warnings
from typing import Any

import pytest
from runner import ToolCall
from runner.environment.calculator import evaluate as evaluate_expression

ALLOWED = "0123456789+-*/(). "


def reference(expression: str) -> tuple[str, bool]:
    if not all(ch in ALLOWED for ch in expression):
        return "Error: Invalid characters in expression", True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return str(round(float(eval(expression, {"__builtins__": None}, {})), 2)), False
    except Exception as exc:
        return f"Error: {exc}", True


def calculate(env: Any, expression: str) -> tuple[str, bool]:
    result = env.execute(ToolCall(id="c", name="calculate", arguments={"expression": expression}))
    return result.content, result.error


CASES = [
    "2 + 2",
    "3 * (4 + 5) / 2",
    "10 - 2 - 3",
    "2 ** 3 ** 2",
    "(2 ** 3) ** 2",
    "-2 ** 2",
    "7 // -2",
    "-7 / 2",
    "0.1 + 0.2",
    "1e3",
    "12.345 * 3",
    "1 / 3 * 3",
    "((((1))))",
    ".5 + 5.",
    "1 -- 1",
    "+-+1",
    "2 * ()",
    "() * 2",
    "(1)(*())",
    "(1)(*2)",
    "()()",
    "...",
    "(2)(3)",
    "1 / 0",
    "1 // 0",
    "0 ** -1",
    "(-8) ** 0.5",
    "10 ** 400",
    "10.0 ** 400",
    "",
    "   ",
    " 1 + 1",
    "1 +",
    "1 2",
    "(1",
    "1)",
    "012",
    "0",
    "00.5",
    "1_000",
    "1,2",
    "abs(1)",
    "2 ^ 3",
    "5 % 2",
    "4 / (2 - 2.0)",
    "1" * 5000,
]


@pytest.mark.parametrize("expression", CASES)
def test_matches_python_eval(own_domain: Any, expression: str) -> None:
    assert calculate(own_domain.environment(), expression) == reference(expression)


def test_random_expressions_match_python_eval(own_domain: Any) -> None:
    env = own_domain.environment()
    rng = random.Random(1234)
    tokens = ["1", "2", "7", "0", "10", "3.5", ".25", "+", "-", "*", "/", "//", "(", ")", " ", "()"]
    checked = 0
    while checked < 400:
        expression = "".join(rng.choice(tokens) for _ in range(rng.randint(1, 9)))
        if "**" in expression:  # powers are checked deterministically above (no huge ones here)
            continue
        assert calculate(env, expression) == reference(expression), expression
        checked += 1


def test_huge_integer_powers_fail_fast_instead_of_running_for_minutes() -> None:
    with pytest.raises(OverflowError, match="int too large to convert to float"):
        evaluate_expression("9 ** 9 ** 9")
    assert evaluate_expression("2 ** 1000") == 2**1000  # big, but computed as Python would
    assert evaluate_expression("(2 ** 70000) / (2 ** 69999)") == 2.0
