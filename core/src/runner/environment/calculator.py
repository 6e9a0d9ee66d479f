"""``calculate``: the arithmetic of τ²-bench's ``calculate`` tool, with a bounded cost.

τ²-bench's retail and airline domains (and any domain that copies them) compute
``str(round(float(eval(expression, {"__builtins__": None}, {})), 2))`` once the expression's
characters are limited to digits, ``+ - * / ( ) .`` and spaces. The two domains do not differ,
so there is one implementation, with one bound. Agents have learnt its results and its error
messages (``division by zero``, ``invalid syntax (<string>, line 1)``, ...), so this keeps
Python's evaluation exactly (the expression is compiled and evaluated with no names and no
builtins), with one change: every power (``**``) goes through :func:`bounded_power`, which
refuses integer results of more than ``max_power_bits`` bits. ``eval`` would spend minutes and
gigabytes on ``9**9**9``; such a result could never become a float anyway, and the error says so
as Python would (``int too large to convert to float``).
"""

from __future__ import annotations

import ast
import math
import warnings
from typing import Any

#: The characters τ²-bench's ``calculate`` accepts.
ALLOWED_CHARACTERS = frozenset("0123456789+-*/(). ")

#: Integer powers whose result would need more bits than this are refused: far beyond any float
#: (at most 1024 bits of magnitude), yet fast to compute.
MAX_POWER_BITS = 1 << 20

_POWER_NAME = "bounded_power"


def bounded_power(base: Any, exponent: Any, max_bits: int = MAX_POWER_BITS) -> Any:
    """``base ** exponent``, refusing integer results of more than ``max_bits`` bits."""
    if (
        isinstance(base, int)
        and isinstance(exponent, int)
        and exponent > 0
        and abs(base) > 1
        and exponent * math.log2(abs(base)) > max_bits
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


def evaluate(expression: str, max_power_bits: int = MAX_POWER_BITS) -> Any:
    """The value of ``expression`` as Python computes it (no names, no builtins; errors
    included), with powers bounded as :func:`bounded_power` says."""
    # eval() of a string ignores leading blanks; ast.parse would call them an indent
    tree = ast.parse(expression.lstrip(" \t"), filename="<string>", mode="eval")
    tree = ast.fix_missing_locations(_PowerToCall().visit(tree))

    def power(base: Any, exponent: Any) -> Any:
        return bounded_power(base, exponent, max_power_bits)

    with warnings.catch_warnings():  # e.g. "'int' object is not callable" for "(1)(2)"
        warnings.simplefilter("ignore")
        code = compile(tree, "<string>", "eval")
        return eval(code, {"__builtins__": None, _POWER_NAME: power}, {})


def calculate(expression: str, max_power_bits: int = MAX_POWER_BITS) -> str:
    """The result of an arithmetic expression rounded to 2 places, as τ²-bench's ``calculate``
    tool reports it; raises what Python raises (``ValueError("Invalid characters in
    expression")`` for anything but digits, ``+ - * / ( ) .`` and spaces)."""
    if not all(char in ALLOWED_CHARACTERS for char in expression):
        raise ValueError("Invalid characters in expression")
    return str(round(float(evaluate(expression, max_power_bits)), 2))
