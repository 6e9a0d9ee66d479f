"""What the airline tools share: lookups, searches and payment rules over the database.

Split from :mod:`runner_airline.tools` so that package holds the tools alone. The messages and
the order of the checks are τ²-bench's (see that package's docstring).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from runner import ToolKit

from runner_airline.models import (
    CabinClass,
    DirectFlight,
    Flight,
    FlightDateStatus,
    FlightDateStatusAvailable,
    FlightDB,
    FlightInfo,
    Payment,
    PaymentMethod,
    Reservation,
    ReservationFlight,
    User,
)

M = TypeVar("M", bound=BaseModel)

#: Identifiers handed out to new reservations and certificates, in order (a task makes at most
#: three of each).
NEW_RESERVATION_IDS = ("HATHAT", "HATHAU", "HATHAV")
NEW_CERTIFICATE_IDS = tuple(f"certificate_{n}" for n in (3221322, 3221323, 3221324))

INSURANCE_PER_PASSENGER = 30
PRICE_PER_EXTRA_BAG = 50


def as_models(model: type[M], items: Any) -> Any:
    """Parse a list of plain objects into ``model`` instances.

    τ²-bench's rule, kept literally: the list is converted only when every item is a dict (as
    it is whenever the call came from a model's JSON); an item that does not fit the model fails
    with pydantic's own message. Anything else is returned untouched and fails where it is used.
    """
    if all(isinstance(item, dict) for item in items):
        return [model(**item) for item in items]
    return items


class AirlineRecords(ToolKit):
    """The airline database and the rules the tools share (it defines no tools itself)."""

    db: FlightDB

    def _get_user(self, user_id: str) -> User:
        if user_id not in self.db.users:
            raise ValueError(f"User {user_id} not found")
        return self.db.users[user_id]

    def _get_reservation(self, reservation_id: str) -> Reservation:
        if reservation_id not in self.db.reservations:
            raise ValueError(f"Reservation {reservation_id} not found")
        return self.db.reservations[reservation_id]

    def _get_flight(self, flight_number: str) -> Flight:
        if flight_number not in self.db.flights:
            raise ValueError(f"Flight {flight_number} not found")
        return self.db.flights[flight_number]

    def _get_flight_instance(self, flight_number: str, date: str) -> FlightDateStatus:
        flight = self._get_flight(flight_number)
        if date not in flight.dates:
            raise ValueError(f"Flight {flight_number} not found on date {date}")
        return flight.dates[date]

    def _bookable_instance(
        self, flight_number: str, date: str, cabin: CabinClass, seats: int
    ) -> FlightDateStatusAvailable:
        """The flight on that date, if it can still be sold and has ``seats`` free in ``cabin``."""
        instance = self._get_flight_instance(flight_number, date)
        if not isinstance(instance, FlightDateStatusAvailable):
            raise ValueError(f"Flight {flight_number} not available on date {date}")
        if instance.available_seats[cabin] < seats:
            raise ValueError(f"Not enough seats on flight {flight_number}")
        return instance

    def _new_reservation_id(self) -> str:
        for reservation_id in NEW_RESERVATION_IDS:
            if reservation_id not in self.db.reservations:
                return reservation_id
        raise ValueError("Too many reservations")

    def _search_direct_flight(
        self,
        date: str,
        origin: str | None = None,
        destination: str | None = None,
        leave_after: str | None = None,
    ) -> list[DirectFlight]:
        """Flights available on ``date``; ``leave_after`` compares departure times as text."""
        found = []
        for flight in self.db.stored_values("flights"):  # read only: no private copies needed
            instance = flight.dates.get(date)
            if (
                (origin is None or flight.origin == origin)
                and (destination is None or flight.destination == destination)
                and instance is not None
                and instance.status == "available"
                and (leave_after is None or flight.scheduled_departure_time_est >= leave_after)
            ):
                found.append(
                    DirectFlight(
                        flight_number=flight.flight_number,
                        origin=flight.origin,
                        destination=flight.destination,
                        status="available",
                        scheduled_departure_time_est=flight.scheduled_departure_time_est,
                        scheduled_arrival_time_est=flight.scheduled_arrival_time_est,
                        available_seats=instance.available_seats,
                        prices=instance.prices,
                    )
                )
        return found

    def _charge_for_update(self, user: User, payment_id: str, total_price: int) -> Payment | None:
        """Charge (or, when negative, refund) a change to one stored payment method.

        Certificates are refused for changes; a gift card must cover the amount. Returns the
        payment line to record, or None when nothing is owed either way.
        """
        if payment_id not in user.payment_methods:
            raise ValueError("Payment method not found")
        method = user.payment_methods[payment_id]
        if method.source == "certificate":
            raise ValueError("Certificate cannot be used to update reservation")
        if method.source == "gift_card" and method.amount < total_price:
            raise ValueError("Gift card balance is not enough")
        if method.source == "gift_card":
            method.amount -= total_price
        return Payment(payment_id=payment_id, amount=total_price) if total_price != 0 else None

    @staticmethod
    def _check_payments(user: User, payments: list[Payment], total_price: int) -> None:
        """Every method is the user's, balances cover their share, and the shares add up."""
        for payment in payments:
            if payment.payment_id not in user.payment_methods:
                raise ValueError(f"Payment method {payment.payment_id} not found")
            method: PaymentMethod = user.payment_methods[payment.payment_id]
            if method.source in ("gift_card", "certificate") and method.amount < payment.amount:
                raise ValueError(f"Not enough balance in payment method {payment.payment_id}")
        paid = sum(payment.amount for payment in payments)
        if paid != total_price:
            raise ValueError(
                f"Payment amount does not add up, total price is {total_price}, but paid {paid}"
            )

    @staticmethod
    def _kept_flight(
        reservation: Reservation, info: FlightInfo, cabin: str
    ) -> ReservationFlight | None:
        """The reservation's own segment for that flight and date, if the cabin stays the same."""
        for segment in reservation.flights:
            if (
                segment.flight_number == info.flight_number
                and segment.date == info.date
                and cabin == reservation.cabin
            ):
                return segment
        return None
