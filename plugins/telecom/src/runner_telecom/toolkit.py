"""``TelecomToolKit``: calls tools the way τ²-bench does, with the arguments exactly as sent.

runner's default :meth:`runner.ToolKit.call` validates arguments with pydantic first, which
coerces them (``2`` becomes ``2.0`` for a ``float`` argument). τ²-bench calls the method with
the raw JSON arguments, and in this domain the difference is visible: ``refuel_data`` writes
the amount into a bill line item and echoes it in its answer (``"2 GB"`` versus ``"2.0 GB"``),
which changes both the database hash and the tool message. Calling the method directly keeps
results byte-identical with τ²-bench, including the messages of bad calls
(``TelecomTools.suspend_line() missing 1 required positional argument: 'reason'``).
"""

from __future__ import annotations

from runner import ToolKit


class TelecomToolKit(ToolKit):
    """A toolkit whose tools receive their arguments unvalidated, as in τ²-bench."""

    validate_arguments = False
