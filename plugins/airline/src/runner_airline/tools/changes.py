"""The airline tools that change the database: booking, cancelling and updating reservations,
and sending a certificate (the six write tools).

Each reproduces τ²-bench's tool of the same name, quirks included (see
:mod:`runner_airline.tools`): cancelling refunds every payment but frees no seat, changing
flights moves money but no seats. Functions of the toolkit (``self``) for the reason given in
:mod:`runner_airline.tools.lookups`; the docstrings are τ²-bench's descriptions, word for word.
"""

from __future__ import annotations

from copy import deepcopy

from runner import tool

from runner_airline.models import (
    NOW,
    CabinClass,
    Certificate,
    FlightDateStatusAvailable,
    FlightInfo,
    FlightType,
    Insurance,
    Passenger,
    Payment,
    Reservation,
    ReservationFlight,
)
from runner_airline.records import (
    INSURANCE_PER_PASSENGER,
    NEW_CERTIFICATE_IDS,
    PRICE_PER_EXTRA_BAG,
    AirlineRecords,
    as_models,
)


@tool(write=True)
def book_reservation(
    self: AirlineRecords,
    user_id: str,
    origin: str,
    destination: str,
    flight_type: FlightType,
    cabin: CabinClass,
    flights: list[FlightInfo | dict],
    passengers: list[Passenger | dict],
    payment_methods: list[Payment | dict],
    total_baggages: int,
    nonfree_baggages: int,
    insurance: Insurance,
) -> Reservation:
    """Book a reservation.

    Args:
        user_id: The ID of the user to book the reservation such as 'sara_doe_496'`.
        origin: The IATA code for the origin city such as 'SFO'.
        destination: The IATA code for the destination city such as 'JFK'.
        flight_type: The type of flight such as 'one_way' or 'round_trip'.
        cabin: The cabin class such as 'basic_economy', 'economy', or 'business'.
        flights: An array of objects containing details about each piece of flight.
        passengers: An array of objects containing details about each passenger.
        payment_methods: An array of objects containing details about each payment method.
        total_baggages: The total number of baggage items to book the reservation.
        nonfree_baggages: The number of non-free baggage items to book the reservation.
        insurance: Whether the reservation has insurance.
    """
    infos: list[FlightInfo] = as_models(FlightInfo, flights)
    people: list[Passenger] = as_models(Passenger, passengers)
    payments: list[Payment] = as_models(Payment, payment_methods)
    user = self._get_user(user_id)
    reservation = Reservation(
        reservation_id=self._new_reservation_id(),
        user_id=user_id,
        origin=origin,
        destination=destination,
        flight_type=flight_type,
        cabin=cabin,
        flights=[],
        passengers=deepcopy(people),
        payment_history=deepcopy(payments),
        created_at=NOW,
        total_baggages=total_baggages,
        nonfree_baggages=nonfree_baggages,
        insurance=insurance,
    )

    seats = len(people)
    total_price = 0
    booked: list[FlightDateStatusAvailable] = []
    for info in infos:
        flight = self._get_flight(info.flight_number)
        instance = self._bookable_instance(info.flight_number, info.date, cabin, seats)
        price = instance.prices[cabin]
        reservation.flights.append(
            ReservationFlight(
                origin=flight.origin,
                destination=flight.destination,
                flight_number=info.flight_number,
                date=info.date,
                price=price,
            )
        )
        booked.append(instance)
        total_price += price * seats
    if insurance == "yes":
        total_price += INSURANCE_PER_PASSENGER * seats
    total_price += PRICE_PER_EXTRA_BAG * nonfree_baggages

    self._check_payments(user, payments, total_price)
    for payment in payments:  # everything checked: take the money
        method = user.payment_methods[payment.payment_id]
        if method.source == "gift_card":
            method.amount -= payment.amount
        elif method.source == "certificate":
            user.payment_methods.pop(payment.payment_id)
    for instance in booked:
        instance.available_seats[cabin] -= seats
    self.db.reservations[reservation.reservation_id] = reservation
    self.db.users[user_id].reservations.append(reservation.reservation_id)
    return reservation


@tool(write=True)
def cancel_reservation(self: AirlineRecords, reservation_id: str) -> Reservation:
    """Cancel the whole reservation.

    Args:
        reservation_id: The reservation ID, such as 'ZFA04Y'.

    Returns:
        The updated reservation.

    Raises:
        ValueError: If the reservation is not found.
    """
    reservation = self._get_reservation(reservation_id)
    refunds = [
        Payment(payment_id=p.payment_id, amount=-p.amount) for p in reservation.payment_history
    ]
    reservation.payment_history.extend(refunds)
    reservation.status = "cancelled"
    return reservation  # seats are not released: τ²-bench does not release them either


@tool(write=True)
def send_certificate(self: AirlineRecords, user_id: str, amount: int) -> str:
    """Send a certificate to a user. Be careful!

    Args:
        user_id: The ID of the user to book the reservation, such as 'sara_doe_496'.
        amount: The amount of the certificate to send.

    Returns:
        A message indicating the certificate was sent.

    Raises:
        ValueError: If the user is not found.
    """
    user = self._get_user(user_id)
    for payment_id in NEW_CERTIFICATE_IDS:
        if payment_id not in user.payment_methods:
            user.payment_methods[payment_id] = Certificate(
                id=payment_id, amount=amount, source="certificate"
            )
            return f"Certificate {payment_id} added to user {user_id} with amount {amount}."
    raise ValueError("Too many certificates")


@tool(write=True)
def update_reservation_baggages(
    self: AirlineRecords,
    reservation_id: str,
    total_baggages: int,
    nonfree_baggages: int,
    payment_id: str,
) -> Reservation:
    """Update the baggage information of a reservation.

    Args:
        reservation_id: The reservation ID, such as 'ZFA04Y'
        total_baggages: The updated total number of baggage items included in the reservation.
        nonfree_baggages: The updated number of non-free baggage items included in the reservation.
        payment_id: The payment id stored in user profile, such as 'credit_card_7815826', 'gift_card_7815826', 'certificate_7815826'.

    Returns:
        The updated reservation.

    Raises:
        ValueError: If the reservation is not found.
        ValueError: If the user is not found.
        ValueError: If the payment method is not found.
        ValueError: If the certificate cannot be used to update reservation.
        ValueError: If the gift card balance is not enough.
    """
    reservation = self._get_reservation(reservation_id)
    user = self._get_user(reservation.user_id)
    extra_bags = max(0, nonfree_baggages - reservation.nonfree_baggages)
    payment = self._charge_for_update(user, payment_id, PRICE_PER_EXTRA_BAG * extra_bags)
    if payment is not None:
        reservation.payment_history.append(payment)
    reservation.total_baggages = total_baggages
    reservation.nonfree_baggages = nonfree_baggages
    return reservation


@tool(write=True)
def update_reservation_flights(
    self: AirlineRecords,
    reservation_id: str,
    cabin: CabinClass,
    flights: list[FlightInfo | dict],
    payment_id: str,
) -> Reservation:
    """Update the flight information of a reservation.

    Args:
        reservation_id: The reservation ID, such as 'ZFA04Y'.
        cabin: The cabin class of the reservation
        flights: An array of objects containing details about each piece of flight in the ENTIRE new reservation. Even if the a flight segment is not changed, it should still be included in the array.
        payment_id: The payment id stored in user profile, such as 'credit_card_7815826', 'gift_card_7815826', 'certificate_7815826'.

    Returns:
        The updated reservation.

    Raises:
        ValueError: If the reservation is not found.
        ValueError: If the user is not found.
        ValueError: If the payment method is not found.
        ValueError: If the certificate cannot be used to update reservation.
        ValueError: If the gift card balance is not enough.
    """
    infos: list[FlightInfo] = as_models(FlightInfo, flights)
    reservation = self._get_reservation(reservation_id)
    user = self._get_user(reservation.user_id)
    seats = len(reservation.passengers)

    total_price = 0
    new_flights: list[ReservationFlight] = []
    for info in infos:
        kept = self._kept_flight(reservation, info, cabin)
        if kept is None:  # a new segment, or the same one in another cabin: current price
            flight = self._get_flight(info.flight_number)
            instance = self._bookable_instance(info.flight_number, info.date, cabin, seats)
            kept = ReservationFlight(
                flight_number=info.flight_number,
                date=info.date,
                price=instance.prices[cabin],
                origin=flight.origin,
                destination=flight.destination,
            )
        total_price += kept.price * seats
        new_flights.append(kept)
    total_price -= sum(f.price for f in reservation.flights) * seats  # what was paid already

    payment = self._charge_for_update(user, payment_id, total_price)
    if payment is not None:
        reservation.payment_history.append(payment)
    reservation.flights = new_flights
    reservation.cabin = cabin
    return reservation  # seat counts are left as they are, as in τ²-bench


@tool(write=True)
def update_reservation_passengers(
    self: AirlineRecords, reservation_id: str, passengers: list[Passenger | dict]
) -> Reservation:
    """Update the passenger information of a reservation.

    Args:
        reservation_id: The reservation ID, such as 'ZFA04Y'.
        passengers: An array of objects containing details about each passenger.

    Returns:
        The updated reservation.

    Raises:
        ValueError: If the reservation is not found.
        ValueError: If the number of passengers does not match.
    """
    people: list[Passenger] = as_models(Passenger, passengers)
    reservation = self._get_reservation(reservation_id)
    if len(people) != len(reservation.passengers):
        raise ValueError("Number of passengers does not match")
    reservation.passengers = deepcopy(people)
    return reservation
