"""Fixtures of the airline domain's tests.

``fixtures/tau2_airline_tool_reference.json`` and ``fixtures/tau2_airline_task_hashes.json`` were
produced by running τ²-bench's own airline tools (``src/tau2/domains/airline``, commit a2c02472)
outside this repository on *this plugin's* database: the first holds τ²-bench's tool schemas and,
for call sequences (hand-written ones covering every success and failure path, and random ones),
each call's result (in full, or its sha256), error flag and the database hash after it; the
second holds, for each of the plugin's own tasks, the database hash after its expected actions
and a digest of their results. τ²-bench's airline ``db.json`` is not available to these tests,
so its tasks are checked for loading and for calling our tools correctly, not replayed.

The ``mini_db`` fixture is a small invented database for tests whose expectations are easier to
read inline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from repo_paths import TAU2_DATA

TAU2_AIRLINE = TAU2_DATA / "airline"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def tau2_airline_dir() -> Path:
    """τ²-bench's airline folder (tasks, splits, policy; no db.json)."""
    return TAU2_AIRLINE


@pytest.fixture(scope="session")
def own_domain() -> Any:
    from runner_airline.domain import AirlineDomain

    return AirlineDomain()


@pytest.fixture(scope="session")
def tool_reference() -> dict[str, Any]:
    return json.loads((FIXTURES / "tau2_airline_tool_reference.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def task_hashes() -> dict[str, Any]:
    return json.loads((FIXTURES / "tau2_airline_task_hashes.json").read_text(encoding="utf-8"))


def _available(seats: int, prices: tuple[int, int, int]) -> dict[str, Any]:
    return {
        "status": "available",
        "available_seats": {"basic_economy": seats, "economy": seats, "business": seats},
        "prices": dict(zip(("basic_economy", "economy", "business"), prices, strict=True)),
    }


def mini_db_data() -> dict[str, Any]:
    """Two flights (one overnight), one user, two reservations."""
    return {
        "flights": {
            "HAT010": {
                "flight_number": "HAT010",
                "origin": "BOS",
                "destination": "ORD",
                "scheduled_departure_time_est": "21:00:00",
                "scheduled_arrival_time_est": "01:00:00+1",
                "dates": {
                    "2024-05-08": {"status": "cancelled"},
                    "2024-05-09": _available(2, (60, 110, 300)),
                    "2024-05-14": {
                        "status": "landed",
                        "actual_departure_time_est": "2024-05-14T21:05:00",
                        "actual_arrival_time_est": "2024-05-15T01:10:00",
                    },
                    "2024-05-15": {
                        "status": "on time",
                        "estimated_departure_time_est": "2024-05-15T21:00:00",
                        "estimated_arrival_time_est": "2024-05-16T01:00:00",
                    },
                    "2024-05-20": _available(3, (70, 120, 320)),
                },
            },
            "HAT020": {
                "flight_number": "HAT020",
                "origin": "ORD",
                "destination": "DEN",
                "scheduled_departure_time_est": "09:00:00",
                "scheduled_arrival_time_est": "11:30:00",
                "dates": {
                    "2024-05-10": _available(5, (50, 90, 250)),
                    "2024-05-15": {
                        "status": "flying",
                        "actual_departure_time_est": "2024-05-15T09:10:00",
                        "estimated_arrival_time_est": "2024-05-15T11:40:00",
                    },
                    "2024-05-20": {
                        "status": "delayed",
                        "estimated_departure_time_est": "2024-05-20T11:00:00",
                        "estimated_arrival_time_est": "2024-05-20T13:30:00",
                    },
                    "2024-05-21": _available(5, (55, 95, 260)),
                },
            },
        },
        "users": {
            "ines_varga_1001": {
                "user_id": "ines_varga_1001",
                "name": {"first_name": "Ines", "last_name": "Varga"},
                "address": {
                    "address1": "1 Elm St",
                    "address2": None,
                    "city": "Salem",
                    "country": "USA",
                    "state": "OR",
                    "zip": "97301",
                },
                "email": "ines@example.com",
                "dob": "1980-01-02",
                "payment_methods": {
                    "credit_card_1111111": {
                        "source": "credit_card",
                        "brand": "visa",
                        "last_four": "1111",
                        "id": "credit_card_1111111",
                    },
                    "gift_card_2222222": {
                        "source": "gift_card",
                        "amount": 200,
                        "id": "gift_card_2222222",
                    },
                    "certificate_3333333": {
                        "source": "certificate",
                        "amount": 100,
                        "id": "certificate_3333333",
                    },
                },
                "saved_passengers": [],
                "membership": "silver",
                "reservations": ["AAA111", "BBB222"],
            },
        },
        "reservations": {
            "AAA111": {
                "reservation_id": "AAA111",
                "user_id": "ines_varga_1001",
                "origin": "BOS",
                "destination": "ORD",
                "flight_type": "one_way",
                "cabin": "economy",
                "flights": [
                    {
                        "origin": "BOS",
                        "destination": "ORD",
                        "flight_number": "HAT010",
                        "date": "2024-05-20",
                        "price": 100,
                    }
                ],
                "passengers": [
                    {"first_name": "Ines", "last_name": "Varga", "dob": "1980-01-02"},
                    {"first_name": "Pal", "last_name": "Varga", "dob": "1978-03-04"},
                ],
                "payment_history": [{"payment_id": "credit_card_1111111", "amount": 200}],
                "created_at": "2024-05-01T10:00:00",
                "total_baggages": 1,
                "nonfree_baggages": 0,
                "insurance": "no",
            },
            "BBB222": {
                "reservation_id": "BBB222",
                "user_id": "ines_varga_1001",
                "origin": "BOS",
                "destination": "DEN",
                "flight_type": "one_way",
                "cabin": "basic_economy",
                "flights": [
                    {
                        "origin": "BOS",
                        "destination": "ORD",
                        "flight_number": "HAT010",
                        "date": "2024-05-20",
                        "price": 70,
                    },
                    {
                        "origin": "ORD",
                        "destination": "DEN",
                        "flight_number": "HAT020",
                        "date": "2024-05-21",
                        "price": 55,
                    },
                ],
                "passengers": [{"first_name": "Ines", "last_name": "Varga", "dob": "1980-01-02"}],
                "payment_history": [{"payment_id": "gift_card_2222222", "amount": 125}],
                "created_at": "2024-05-14T18:00:00",
                "total_baggages": 0,
                "nonfree_baggages": 0,
                "insurance": "yes",
            },
        },
    }


@pytest.fixture
def mini_env() -> Any:
    """A fresh environment over :func:`mini_db_data`."""
    from runner import Environment
    from runner_airline.models import FlightDB
    from runner_airline.tools import AirlineTools

    return Environment("airline", "policy", AirlineTools(FlightDB.model_validate(mini_db_data())))
