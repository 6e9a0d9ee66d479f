"""Arithmetic for the ``calculate`` tool, without ``eval``.

τ²-bench evaluates the (character-filtered) expression with Python's ``eval``. To give the same
results *and the same error messages*, this module parses with Python's own parser (so syntax
errors read identically) and applies Python's own operators to the parsed tree. It differs in
one way only: it refuses integer powers whose result would exceed :data:`MAX_POWER_BITS` bits,
where ``eval`` would spend minutes and gigabytes (``9**9**9``) -- a simulation must stay bounded.
Such a result could never become a float anyway; the error says so as Python would.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

#: Largest integer power computed (bits of the result): far beyond any float, fast to compute.
MAX_POWER_BITS = 1 << 20

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}


def evaluate_expression(expression: str) -> Any:
    """The value of ``expression`` as Python would compute it (errors included).

    Like ``eval`` on a string, leading spaces are ignored.
    """
    tree = ast.parse(expression.lstrip(" \t"), "<string>", mode="eval")
    return _evaluate(tree.body)


def _evaluate(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow):
            _check_power(left, right)
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.Tuple) and not node.elts:
        return ()
    if isinstance(node, ast.Call) and not node.keywords:
        return _call(node)
    # The allowed characters admit nothing else; refuse rather than guess.
    raise SyntaxError(f"unsupported expression: {ast.dump(node)}")


def _call(node: ast.Call) -> Any:
    """``(1)(2)``: calling a number or a tuple, which fails exactly as in Python."""
    func = _evaluate(node.func)
    args: list[Any] = []
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            value = _evaluate(arg.value)
            if not isinstance(value, tuple):
                raise TypeError(
                    f"{func} argument after * must be an iterable, not {type(value).__name__}"
                )
            args.extend(value)
        else:
            args.append(_evaluate(arg))
    return func(*args)


def _check_power(base: Any, exponent: Any) -> None:
    if (
        isinstance(base, int)
        and isinstance(exponent, int)
        and exponent > 0
        and abs(base) > 1
        and (abs(base).bit_length() - 1) * exponent > MAX_POWER_BITS
    ):
        raise OverflowError("int too large to convert to float")
