"""The airline agent's tools: :class:`AirlineTools`, τ²-bench's airline toolkit, call for call.

Users bring τ²-bench task files and expect the same scores, so every tool here keeps τ²-bench's
name, argument names and types, description (the tools' docstrings are the descriptions agents
read), result (byte for byte once serialised), error messages, and effect on the database,
including its quirks: the clock stands still at :data:`~runner_airline.models.NOW`; new
reservations are numbered HATHAT, HATHAU, HATHAV and new certificates certificate_3221322 to
certificate_3221324; cancelling refunds every payment but frees no seat; changing flights moves
money but no seats; a one-stop search looks for the second leg of an overnight first leg on
``2024-05-<day + 1>``. The checks each tool makes, and the order it makes them in, are
τ²-bench's too, since the order decides which error an agent sees first.

The tools live by concept -- :mod:`~runner_airline.tools.lookups` (the read-only tools),
:mod:`~runner_airline.tools.changes` (the write tools), :mod:`~runner_airline.tools.service` (the
calculator and the hand-off to a human) -- over what they share, in :mod:`runner_airline.records`
(lookups, searches and payment rules). This module only assembles them: a toolkit lists its tools
in the order its class defines them, and agents see them in τ²-bench's order, which interleaves
the concepts.
"""

from __future__ import annotations

import inspect
from typing import TypeVar

from runner_airline.records import AirlineRecords
from runner_airline.tools import changes, lookups, service
from runner_airline.tools.lookups import AIRPORTS

_Class = TypeVar("_Class", bound=type)


def _named_as_methods(cls: _Class) -> _Class:
    """Name each tool as a method of ``cls``, as τ²-bench's tools are named.

    Python quotes that name in the TypeError a call with missing or unexpected arguments raises
    (``AirlineTools.book_reservation() missing 10 required positional arguments: ...``), and
    that message reaches the agent as τ²-bench words it, since arguments are not validated here.
    """
    for attr, value in vars(cls).items():
        if inspect.isfunction(value):
            value.__qualname__ = f"{cls.__name__}.{attr}"
    return cls


@_named_as_methods
class AirlineTools(AirlineRecords):
    """All the tools for the airline domain."""

    #: Arguments reach the tools exactly as sent, as in τ²-bench: a ``total_baggages`` of ``3.0``
    #: is stored as ``3.0`` there (and the database check then fails), where validation would
    #: quietly make it ``3``; missing or unexpected arguments fail with Python's own message.
    validate_arguments = False

    # -- tools, in τ²-bench's order (the order agents see them in) -------------------------
    book_reservation = changes.book_reservation
    calculate = service.calculate
    cancel_reservation = changes.cancel_reservation
    get_reservation_details = lookups.get_reservation_details
    get_user_details = lookups.get_user_details
    list_all_airports = lookups.list_all_airports
    search_direct_flight = lookups.search_direct_flight
    search_onestop_flight = lookups.search_onestop_flight
    send_certificate = changes.send_certificate
    transfer_to_human_agents = service.transfer_to_human_agents
    update_reservation_baggages = changes.update_reservation_baggages
    update_reservation_flights = changes.update_reservation_flights
    update_reservation_passengers = changes.update_reservation_passengers
    get_flight_status = lookups.get_flight_status


__all__ = ["AIRPORTS", "AirlineTools"]
