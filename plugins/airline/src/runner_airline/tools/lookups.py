"""The airline tools that only read: reservations, users, airports, flight searches and a
flight's status.

Each is a function of the toolkit (``self``), not a method, so that
:class:`~runner_airline.tools.AirlineTools` can list every tool in τ²-bench's order whichever
module it comes from. The docstrings are τ²-bench's descriptions, word for word.
"""

from __future__ import annotations

from typing import Any

from runner import tool

from runner_airline.models import AirportCode, AirportInfo, DirectFlight, Reservation, User
from runner_airline.records import AirlineRecords

#: The airports the desk serves, in the order ``list_all_airports`` returns them.
AIRPORTS: tuple[tuple[str, str], ...] = (
    ("SFO", "San Francisco"),
    ("JFK", "New York"),
    ("LAX", "Los Angeles"),
    ("ORD", "Chicago"),
    ("DFW", "Dallas"),
    ("DEN", "Denver"),
    ("SEA", "Seattle"),
    ("ATL", "Atlanta"),
    ("MIA", "Miami"),
    ("BOS", "Boston"),
    ("PHX", "Phoenix"),
    ("IAH", "Houston"),
    ("LAS", "Las Vegas"),
    ("MCO", "Orlando"),
    ("EWR", "Newark"),
    ("CLT", "Charlotte"),
    ("MSP", "Minneapolis"),
    ("DTW", "Detroit"),
    ("PHL", "Philadelphia"),
    ("LGA", "LaGuardia"),
)


@tool
def get_reservation_details(self: AirlineRecords, reservation_id: str) -> Reservation:
    """Get the details of a reservation.

    Args:
        reservation_id: The reservation ID, such as '8JX2WO'.

    Returns:
        The reservation details.

    Raises:
        ValueError: If the reservation is not found.
    """
    return self._get_reservation(reservation_id)


@tool
def get_user_details(self: AirlineRecords, user_id: str) -> User:
    """Get the details of a user, including their reservations.

    Args:
        user_id: The user ID, such as 'sara_doe_496'.

    Returns:
        The user details.

    Raises:
        ValueError: If the user is not found.
    """
    return self._get_user(user_id)


@tool
def list_all_airports(self: AirlineRecords) -> AirportInfo:
    """Returns a list of all available airports.

    Returns:
        A dictionary mapping IATA codes to AirportInfo objects.
    """
    return [AirportCode(iata=iata, city=city) for iata, city in AIRPORTS]


@tool
def search_direct_flight(
    self: AirlineRecords, origin: str, destination: str, date: str
) -> list[DirectFlight]:
    """Search for direct flights between two cities on a specific date.

    Args:
        origin: The origin city airport in three letters, such as 'JFK'.
        destination: The destination city airport in three letters, such as 'LAX'.
        date: The date of the flight in the format 'YYYY-MM-DD', such as '2024-01-01'.

    Returns:
        The direct flights between the two cities on the specific date.
    """
    return self._search_direct_flight(date=date, origin=origin, destination=destination)


@tool
def search_onestop_flight(
    self: AirlineRecords, origin: str, destination: str, date: str
) -> list[tuple[DirectFlight, DirectFlight]]:
    """Search for one-stop flights between two cities on a specific date.

    Args:
        origin: The origin city airport in three letters, such as 'JFK'.
        destination: The destination city airport in three letters, such as 'LAX'.
        date: The date of the flight in the format 'YYYY-MM-DD', such as '2024-05-01'.

    Returns:
        A list of pairs of DirectFlight objects.
    """
    pairs: list[Any] = []
    for first in self._search_direct_flight(date=date, origin=origin):
        first.date = date
        # τ²-bench's next-day rule: May only, day not zero-padded ("2024-05-6")
        overnight = "+1" in first.scheduled_arrival_time_est
        second_date = f"2024-05-{int(date[-2:]) + 1}" if overnight else date
        for second in self._search_direct_flight(
            date=second_date,
            origin=first.destination,
            destination=destination,
            leave_after=first.scheduled_arrival_time_est,
        ):
            second.date = second_date
            pairs.append([first, second])
    return pairs


@tool
def get_flight_status(self: AirlineRecords, flight_number: str, date: str) -> str:
    """Get the status of a flight.

    Args:
        flight_number: The flight number.
        date: The date of the flight.

    Returns:
        The status of the flight.

    Raises:
        ValueError: If the flight is not found.
    """
    return self._get_flight_instance(flight_number, date).status
