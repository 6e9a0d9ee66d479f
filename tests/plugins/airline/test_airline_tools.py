"""Each airline tool, on a small database, against what τ²-bench's airline tools do.

The expected values are worked out from τ²-bench's ``src/tau2/domains/airline/tools.py``: result
text (``json.dumps`` of the model dump, fields in τ²-bench's order), error messages, the order in
which checks fail, and the effect on the database, including τ²-bench's quirks (a fixed clock,
fixed new ids, no seat release on cancellation, no seat change on flight changes, the unpadded
next-day date of one-stop searches, arguments used as sent).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from runner import ToolCall

USER = "ines_varga_1001"
CARD, GIFT, CERT = "credit_card_1111111", "gift_card_2222222", "certificate_3333333"


def call(env: Any, name: str, **arguments: Any) -> Any:
    return env.execute(ToolCall(id="1", name=name, arguments=arguments))


def ok(env: Any, name: str, **arguments: Any) -> str:
    result = call(env, name, **arguments)
    assert not result.error, result.content
    return result.content


def error(env: Any, name: str, **arguments: Any) -> str:
    """The error text of a failing call; the database must be unchanged by it."""
    before = env.db_hash()
    result = call(env, name, **arguments)
    assert result.error, result.content
    assert env.db_hash() == before
    return result.content


def db(env: Any) -> Any:
    return env.toolkit.db


def passengers(n: int) -> list[dict[str, str]]:
    return [{"first_name": f"P{i}", "last_name": "Q", "dob": "1990-01-01"} for i in range(n)]


def booking(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "user_id": USER,
        "origin": "BOS",
        "destination": "ORD",
        "flight_type": "one_way",
        "cabin": "economy",
        "flights": [{"flight_number": "HAT010", "date": "2024-05-20"}],
        "passengers": passengers(2),
        "payment_methods": [
            {"payment_id": CERT, "amount": 100},
            {"payment_id": GIFT, "amount": 200},
            {"payment_id": CARD, "amount": 50},
        ],
        "total_baggages": 3,
        "nonfree_baggages": 1,
        "insurance": "yes",
    }
    args.update(overrides)
    return args


# -- the tool set ----------------------------------------------------------------------------
def test_tool_names_order_and_write_flags(mini_env: Any) -> None:
    tools = mini_env.tools()
    assert [t.name for t in tools] == [
        "book_reservation",
        "calculate",
        "cancel_reservation",
        "get_reservation_details",
        "get_user_details",
        "list_all_airports",
        "search_direct_flight",
        "search_onestop_flight",
        "send_certificate",
        "transfer_to_human_agents",
        "update_reservation_baggages",
        "update_reservation_flights",
        "update_reservation_passengers",
        "get_flight_status",
    ]
    assert sorted(t.name for t in tools if t.write) == [
        "book_reservation",
        "cancel_reservation",
        "send_certificate",
        "update_reservation_baggages",
        "update_reservation_flights",
        "update_reservation_passengers",
    ]
    assert mini_env.user_tools() == []


def test_descriptions_are_tau2s(mini_env: Any) -> None:
    tools = {t.name: t for t in mini_env.tools()}
    assert tools["transfer_to_human_agents"].description == (
        "Transfer the user to a human agent, with a summary of the user's issue.\n\n"
        "Only transfer if\n -  the user explicitly asks for a human agent\n"
        " -  given the policy and the available tools, you cannot solve the user's issue."
    )
    assert tools["send_certificate"].description == "Send a certificate to a user. Be careful!"
    book = tools["book_reservation"].parameters
    assert book["properties"]["user_id"]["description"] == (
        "The ID of the user to book the reservation such as 'sara_doe_496'`."
    )
    assert book["properties"]["cabin"]["enum"] == ["business", "economy", "basic_economy"]
    assert book["properties"]["flights"]["items"]["anyOf"][1] == {
        "additionalProperties": True,
        "type": "object",
    }
    assert book["$defs"]["FlightInfo"]["properties"]["flight_number"]["description"] == (
        "Flight number, such as 'HAT001'."
    )
    assert book["required"] == list(book["properties"])


# -- reads -----------------------------------------------------------------------------------
def test_flight_status_of_every_kind(mini_env: Any) -> None:
    statuses = [
        ok(mini_env, "get_flight_status", flight_number=n, date=d)
        for n, d in [
            ("HAT010", "2024-05-08"),
            ("HAT010", "2024-05-14"),
            ("HAT010", "2024-05-15"),
            ("HAT020", "2024-05-15"),
            ("HAT020", "2024-05-20"),
            ("HAT020", "2024-05-21"),
        ]
    ]
    assert statuses == ["cancelled", "landed", "on time", "flying", "delayed", "available"]
    assert error(mini_env, "get_flight_status", flight_number="HAT030", date="2024-05-20") == (
        "Error: Flight HAT030 not found"
    )
    assert error(mini_env, "get_flight_status", flight_number="HAT010", date="2024-05-30") == (
        "Error: Flight HAT010 not found on date 2024-05-30"
    )


def test_user_and_reservation_lookups(mini_env: Any) -> None:
    user = json.loads(ok(mini_env, "get_user_details", user_id=USER))
    assert user["payment_methods"][GIFT] == {"source": "gift_card", "id": GIFT, "amount": 200.0}
    assert error(mini_env, "get_user_details", user_id="nobody") == "Error: User nobody not found"
    content = ok(mini_env, "get_reservation_details", reservation_id="AAA111")
    assert content.startswith(
        '{"reservation_id": "AAA111", "user_id": "ines_varga_1001", "origin": "BOS"'
    )
    assert (
        '"flights": [{"flight_number": "HAT010", "origin": "BOS", "destination": "ORD", '
        '"date": "2024-05-20", "price": 100}]' in content
    )
    assert content.endswith('"insurance": "no", "status": null}')
    assert error(mini_env, "get_reservation_details", reservation_id="ZZZ999") == (
        "Error: Reservation ZZZ999 not found"
    )


def test_list_all_airports(mini_env: Any) -> None:
    airports = json.loads(ok(mini_env, "list_all_airports"))
    assert len(airports) == 20
    assert airports[0] == {"iata": "SFO", "city": "San Francisco"}
    assert airports[-1] == {"iata": "LGA", "city": "LaGuardia"}
    assert ok(mini_env, "list_all_airports").startswith(
        '[{"iata": "SFO", "city": "San Francisco"}, '
    )


def test_search_direct_flight(mini_env: Any) -> None:
    content = ok(
        mini_env, "search_direct_flight", origin="BOS", destination="ORD", date="2024-05-20"
    )
    assert content == json.dumps(
        [
            {
                "flight_number": "HAT010",
                "origin": "BOS",
                "destination": "ORD",
                "status": "available",
                "scheduled_departure_time_est": "21:00:00",
                "scheduled_arrival_time_est": "01:00:00+1",
                "date": None,
                "available_seats": {"basic_economy": 3, "economy": 3, "business": 3},
                "prices": {"basic_economy": 70, "economy": 120, "business": 320},
            }
        ]
    )
    # only "available" dates are found; an unknown route is an empty list, not an error
    assert (
        ok(mini_env, "search_direct_flight", origin="BOS", destination="ORD", date="2024-05-15")
        == "[]"
    )
    assert (
        ok(mini_env, "search_direct_flight", origin="SFO", destination="ORD", date="2024-05-20")
        == "[]"
    )


def test_search_onestop_flight_takes_the_next_day_after_an_overnight_leg(mini_env: Any) -> None:
    pairs = json.loads(
        ok(mini_env, "search_onestop_flight", origin="BOS", destination="DEN", date="2024-05-20")
    )
    assert [[(f["flight_number"], f["date"]) for f in pair] for pair in pairs] == [
        [("HAT010", "2024-05-20"), ("HAT020", "2024-05-21")]
    ]
    assert pairs[0][1]["prices"] == {"basic_economy": 55, "economy": 95, "business": 260}
    # τ²-bench builds the next day as "2024-05-<day + 1>", without zero padding
    flights = db(mini_env).flights
    flights["HAT010"].dates["2024-05-05"] = flights["HAT010"].dates["2024-05-20"]
    flights["HAT020"].dates["2024-05-6"] = flights["HAT020"].dates["2024-05-21"]
    pairs = json.loads(
        ok(mini_env, "search_onestop_flight", origin="BOS", destination="DEN", date="2024-05-05")
    )
    assert [pair[1]["date"] for pair in pairs] == ["2024-05-6"]


def test_calculate_and_transfer(mini_env: Any) -> None:
    assert ok(mini_env, "calculate", expression="(120 + 95) * 2") == "430.0"
    assert (
        error(mini_env, "calculate", expression="2 + two")
        == "Error: Invalid characters in expression"
    )
    assert (
        ok(mini_env, "transfer_to_human_agents", summary="wants a refund") == "Transfer successful"
    )


# -- booking ---------------------------------------------------------------------------------
def test_book_reservation_records_pays_and_takes_seats(mini_env: Any) -> None:
    reservation = json.loads(ok(mini_env, "book_reservation", **booking()))
    assert reservation == {
        "reservation_id": "HATHAT",
        "user_id": USER,
        "origin": "BOS",
        "destination": "ORD",
        "flight_type": "one_way",
        "cabin": "economy",
        "flights": [
            {
                "flight_number": "HAT010",
                "origin": "BOS",
                "destination": "ORD",
                "date": "2024-05-20",
                "price": 120,
            }
        ],
        "passengers": passengers(2),
        "payment_history": [
            {"payment_id": CERT, "amount": 100},
            {"payment_id": GIFT, "amount": 200},
            {"payment_id": CARD, "amount": 50},
        ],
        "created_at": "2024-05-15T15:00:00",
        "total_baggages": 3,
        "nonfree_baggages": 1,
        "insurance": "yes",
        "status": None,
    }
    user = db(mini_env).users[USER]
    assert CERT not in user.payment_methods  # a certificate is used up whatever is left on it
    assert user.payment_methods[GIFT].amount == 0.0
    assert user.reservations == ["AAA111", "BBB222", "HATHAT"]
    seats = db(mini_env).flights["HAT010"].dates["2024-05-20"].available_seats
    assert seats == {"basic_economy": 3, "economy": 1, "business": 3}


def test_book_reservation_errors_in_tau2s_order(mini_env: Any) -> None:
    def fails(**overrides: Any) -> str:
        return error(mini_env, "book_reservation", **booking(**overrides))

    bad_flight = [{"flight_number": "HAT999", "date": "2024-05-20"}]
    assert fails(user_id="nobody", flights=bad_flight) == "Error: User nobody not found"
    assert fails(flights=bad_flight) == "Error: Flight HAT999 not found"
    assert fails(flights=[{"flight_number": "HAT010", "date": "2024-06-01"}]) == (
        "Error: Flight HAT010 not found on date 2024-06-01"
    )
    assert fails(flights=[{"flight_number": "HAT010", "date": "2024-05-15"}]) == (
        "Error: Flight HAT010 not available on date 2024-05-15"
    )
    assert fails(
        flights=[{"flight_number": "HAT010", "date": "2024-05-09"}], passengers=passengers(3)
    ) == ("Error: Not enough seats on flight HAT010")
    assert fails(payment_methods=[{"payment_id": "credit_card_9", "amount": 350}]) == (
        "Error: Payment method credit_card_9 not found"
    )
    assert fails(
        payment_methods=[{"payment_id": GIFT, "amount": 201}, {"payment_id": CARD, "amount": 149}]
    ) == (f"Error: Not enough balance in payment method {GIFT}")
    assert fails(payment_methods=[{"payment_id": CARD, "amount": 349}]) == (
        "Error: Payment amount does not add up, total price is 350, but paid 349"
    )


def test_at_most_three_new_reservations(mini_env: Any) -> None:
    one = booking(
        passengers=passengers(1),
        nonfree_baggages=0,
        insurance="no",
        payment_methods=[{"payment_id": CARD, "amount": 120}],
    )
    ids = [json.loads(ok(mini_env, "book_reservation", **one))["reservation_id"] for _ in range(3)]
    assert ids == ["HATHAT", "HATHAU", "HATHAV"]
    assert error(mini_env, "book_reservation", **one) == "Error: Too many reservations"


# -- cancellation ----------------------------------------------------------------------------
def test_cancel_refunds_every_payment_and_keeps_the_seats(mini_env: Any) -> None:
    seats_before = db(mini_env).flights["HAT010"].dates["2024-05-20"].available_seats.copy()
    reservation = json.loads(ok(mini_env, "cancel_reservation", reservation_id="AAA111"))
    assert reservation["status"] == "cancelled"
    assert reservation["payment_history"] == [
        {"payment_id": CARD, "amount": 200},
        {"payment_id": CARD, "amount": -200},
    ]
    assert db(mini_env).flights["HAT010"].dates["2024-05-20"].available_seats == seats_before
    # τ²-bench does not refuse a second cancellation: it refunds the refunds too
    again = json.loads(ok(mini_env, "cancel_reservation", reservation_id="AAA111"))
    assert [p["amount"] for p in again["payment_history"]] == [200, -200, -200, 200]
    assert (
        error(mini_env, "cancel_reservation", reservation_id="ZZZ999")
        == "Error: Reservation ZZZ999 not found"
    )


# -- changes ---------------------------------------------------------------------------------
def test_update_baggages(mini_env: Any) -> None:
    def bags(total: int, paid: int, payment: str) -> Any:
        return call(
            mini_env,
            "update_reservation_baggages",
            reservation_id="AAA111",
            total_baggages=total,
            nonfree_baggages=paid,
            payment_id=payment,
        )

    assert bags(1, 0, CERT).content == "Error: Certificate cannot be used to update reservation"
    assert bags(9, 5, GIFT).content == "Error: Gift card balance is not enough"
    assert bags(1, 0, "credit_card_9").content == "Error: Payment method not found"
    result = json.loads(bags(3, 2, CARD).content)
    assert (result["total_baggages"], result["nonfree_baggages"]) == (3, 2)
    assert result["payment_history"][-1] == {"payment_id": CARD, "amount": 100}
    result = json.loads(bags(4, 2, GIFT).content)  # no new paid bag: nothing charged or recorded
    assert result["total_baggages"] == 4 and len(result["payment_history"]) == 2
    result = json.loads(bags(4, 3, GIFT).content)
    assert result["payment_history"][-1] == {"payment_id": GIFT, "amount": 50}
    assert db(mini_env).users[USER].payment_methods[GIFT].amount == 150.0


def test_update_flights_keeps_old_prices_and_charges_the_difference(mini_env: Any) -> None:
    def change(cabin: str, day: str, payment: str) -> Any:
        return call(
            mini_env,
            "update_reservation_flights",
            reservation_id="AAA111",
            cabin=cabin,
            flights=[{"flight_number": "HAT010", "date": day}],
            payment_id=payment,
        )

    seats_before = db(mini_env).flights["HAT010"].dates["2024-05-09"].available_seats.copy()
    same = json.loads(change("economy", "2024-05-20", CARD).content)  # kept at the price paid (100)
    assert same["flights"][0]["price"] == 100 and len(same["payment_history"]) == 1
    moved = json.loads(change("economy", "2024-05-09", CARD).content)  # 2 x 110 - 2 x 100
    assert moved["flights"][0]["date"] == "2024-05-09" and moved["flights"][0]["price"] == 110
    assert moved["payment_history"][-1] == {"payment_id": CARD, "amount": 20}
    assert db(mini_env).flights["HAT010"].dates["2024-05-09"].available_seats == seats_before
    up = json.loads(change("business", "2024-05-09", CARD).content)  # a new cabin is priced anew
    assert up["cabin"] == "business" and up["payment_history"][-1]["amount"] == 2 * 300 - 2 * 110
    down = json.loads(
        change("basic_economy", "2024-05-20", GIFT).content
    )  # a refund onto the gift card
    assert down["payment_history"][-1] == {"payment_id": GIFT, "amount": 2 * 70 - 2 * 300}
    assert db(mini_env).users[USER].payment_methods[GIFT].amount == 200.0 + 460
    assert (
        change("economy", "2024-05-15", CARD).content
        == "Error: Flight HAT010 not available on date 2024-05-15"
    )
    assert (
        change("economy", "2024-05-20", CERT).content
        == "Error: Certificate cannot be used to update reservation"
    )


def test_update_passengers(mini_env: Any) -> None:
    assert (
        error(
            mini_env,
            "update_reservation_passengers",
            reservation_id="AAA111",
            passengers=passengers(1),
        )
        == "Error: Number of passengers does not match"
    )
    result = json.loads(
        ok(
            mini_env,
            "update_reservation_passengers",
            reservation_id="AAA111",
            passengers=passengers(2),
        )
    )
    assert result["passengers"] == passengers(2)


def test_send_certificate(mini_env: Any) -> None:
    messages = [ok(mini_env, "send_certificate", user_id=USER, amount=a) for a in (150, 50, 100)]
    assert messages[0] == f"Certificate certificate_3221322 added to user {USER} with amount 150."
    assert messages[2].startswith("Certificate certificate_3221324 ")
    assert db(mini_env).users[USER].payment_methods["certificate_3221323"].amount == 50.0
    assert (
        error(mini_env, "send_certificate", user_id=USER, amount=10)
        == "Error: Too many certificates"
    )
    assert (
        error(mini_env, "send_certificate", user_id="nobody", amount=10)
        == "Error: User nobody not found"
    )


# -- arguments are used as sent, as in τ²-bench ----------------------------------------------
@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
def test_arguments_are_not_coerced(mini_env: Any) -> None:
    result = json.loads(
        ok(
            mini_env,
            "update_reservation_baggages",
            reservation_id="AAA111",
            total_baggages=3.0,
            nonfree_baggages=0,
            payment_id=CARD,
        )
    )
    assert result["total_baggages"] == 3.0 and isinstance(result["total_baggages"], float)
    assert ok(mini_env, "send_certificate", user_id=USER, amount=20.0).endswith("with amount 20.0.")


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        (
            "get_user_details",
            {},
            "AirlineTools.get_user_details() missing 1 required positional argument: 'user_id'",
        ),
        (
            "get_user_details",
            {"user_id": USER, "full": True},
            "AirlineTools.get_user_details() got an unexpected keyword argument 'full'",
        ),
        (
            "update_reservation_flights",
            {
                "reservation_id": "AAA111",
                "cabin": "economy",
                "flights": [{"flight_number": "HAT010", "date": "2024-05-20"}, "x"],
                "payment_id": CARD,
            },
            "'dict' object has no attribute 'flight_number'",
        ),
        ("no_such_tool", {}, "Tool 'no_such_tool' not found."),
    ],
)
def test_malformed_calls_fail_with_tau2s_messages(
    mini_env: Any, name: str, arguments: dict[str, Any], message: str
) -> None:
    assert error(mini_env, name, **arguments) == f"Error: {message}"


def test_a_flight_without_its_date_fails_with_pydantics_message(mini_env: Any) -> None:
    text = error(
        mini_env,
        "update_reservation_flights",
        reservation_id="AAA111",
        cabin="economy",
        flights=[{"flight_number": "HAT010"}],
        payment_id=CARD,
    )
    assert text.startswith("Error: 1 validation error for FlightInfo\ndate\n  Field required")


def test_schema_validation_is_still_available(mini_env: Any) -> None:
    """Arguments are not validated on call, but the schema's validator is there for checks."""
    tool = mini_env.toolkit.get_tool("get_flight_status")
    assert tool.validate({"flight_number": "HAT010", "date": "2024-05-20"}) == {
        "flight_number": "HAT010",
        "date": "2024-05-20",
    }
    with pytest.raises(ValueError, match="date"):
        tool.validate({"flight_number": "HAT010"})
