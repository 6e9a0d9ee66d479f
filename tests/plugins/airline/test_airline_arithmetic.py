"""The ``calculate`` tool computes as τ²-bench does (Python's arithmetic, rounded to 2 places,
Python's own error messages) but never spends minutes on a huge power."""

from __future__ import annotations

import time

import pytest
from runner import calculate
from runner.environment.calculator import MAX_POWER_BITS, bounded_power


@pytest.mark.parametrize(
    ("expression", "result"),
    [
        ("2 + 2", "4.0"),
        ("2 * ((350 - 122) + (499 - 127))", "1200.0"),
        ("10 / 3", "3.33"),
        ("7 // 2", "3.0"),
        ("- 2 ** 2", "-4.0"),
        ("2 ** -1", "0.5"),
        ("0.1 + 0.2", "0.3"),
        ("  (1 + 1)", "2.0"),  # leading blanks are fine, as for eval()
        ("100000000000000000000000.0 * 10", "1e+24"),
    ],
)
def test_results(expression: str, result: str) -> None:
    assert calculate(expression) == result


@pytest.mark.parametrize(
    ("expression", "kind", "message"),
    [
        ("2 + x", ValueError, "Invalid characters in expression"),
        ("1e5", ValueError, "Invalid characters in expression"),
        ("1 / 0", ZeroDivisionError, "division by zero"),
        ("1.0 / 0", ZeroDivisionError, "float division by zero"),
        ("1 +", SyntaxError, "invalid syntax (<string>, line 1)"),
        ("(", SyntaxError, "'(' was never closed (<string>, line 1)"),
        ("", SyntaxError, "invalid syntax (<string>, line 0)"),
        ("()", TypeError, "float() argument must be a string or a real number, not 'tuple'"),
        ("(1)(2)", TypeError, "'int' object is not callable"),
        (
            "(-8) ** 0.5",
            TypeError,
            "float() argument must be a string or a real number, not 'complex'",
        ),
        ("10 ** 400", OverflowError, "int too large to convert to float"),
    ],
)
def test_errors_are_pythons(expression: str, kind: type[Exception], message: str) -> None:
    with pytest.raises(kind) as raised:
        calculate(expression)
    assert str(raised.value) == message


def test_huge_powers_fail_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(OverflowError, match="int too large to convert to float"):
        calculate("9 ** 9 ** 9")
    assert time.perf_counter() - started < 1.0
    assert bounded_power(2, MAX_POWER_BITS - 1) == 2 ** (
        MAX_POWER_BITS - 1
    )  # below the bound: exact
    assert calculate("2 ** 2000 / 2 ** 1990") == "1024.0"
