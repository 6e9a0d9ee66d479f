"""Arithmetic for the ``calculate`` tool, with Python's semantics and a bounded cost.

τ²-bench evaluates the expression as Python once its characters are limited to digits,
``+ - * / ( ) .`` and spaces. Its results and error messages (``division by zero``, ``invalid
syntax``, ...) are what agents have learnt to expect, so this module keeps Python's evaluation
exactly, with one change: every power (``**``) goes through :func:`bounded_power`, so that an
expression such as ``9**9**9`` fails at once instead of occupying a worker for minutes.
"""

from __future__ import annotations

import ast
import math
import warnings
from typing import Any

ALLOWED_CHARACTERS = frozenset("0123456789+-*/(). ")

#: Integer powers whose result would need more bits than this are refused (a float holds at
#: most 1024 bits of magnitude, so such a result could only end in an overflow anyway).
MAX_POWER_BITS = 100_000

_POWER_NAME = "bounded_power"


def bounded_power(base: Any, exponent: Any) -> Any:
    """``base ** exponent``, refusing integer results too large to be worth computing."""
    if (
        isinstance(base, int)
        and isinstance(exponent, int)
        and exponent > 0
        and abs(base) > 1
        and exponent * math.log2(abs(base)) > MAX_POWER_BITS
    ):
        raise OverflowError("int too large to convert to float")
    return base**exponent


class _PowerToCall(ast.NodeTransformer):
    """Rewrite ``a ** b`` as ``bounded_power(a, b)``: same operands, same evaluation order."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow):
            call = ast.Call(ast.Name(_POWER_NAME, ast.Load()), [node.left, node.right], [])
            return ast.copy_location(call, node)
        return node


def evaluate(expression: str) -> Any:
    """The value of ``expression`` as Python computes it (no names, no builtins)."""
    # eval() of a string ignores leading blanks; ast.parse would call them an indent
    tree = ast.parse(expression.lstrip(" \t"), filename="<string>", mode="eval")
    tree = ast.fix_missing_locations(_PowerToCall().visit(tree))
    with warnings.catch_warnings():  # e.g. "'int' object is not callable" for "(1)(2)"
        warnings.simplefilter("ignore")
        code = compile(tree, "<string>", "eval")
        return eval(code, {"__builtins__": None, _POWER_NAME: bounded_power}, {})


def calculate(expression: str) -> str:
    """The rounded result of an arithmetic expression, as the ``calculate`` tool reports it."""
    if not all(char in ALLOWED_CHARACTERS for char in expression):
        raise ValueError("Invalid characters in expression")
    return str(round(float(evaluate(expression)), 2))
