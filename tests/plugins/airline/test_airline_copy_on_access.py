"""The core's copy-on-write database (``runner.CopyOnWriteDB``) on airline's data: independent
environments that share the pristine records until taken out,
with τ²-bench's hash assembled from cached text."""

from __future__ import annotations

import copy
import pickle
from typing import Any

from runner import ToolCall
from runner.environment.cow import CowTable
from runner.environment.db import dict_hash


def plain_hash(db: Any) -> str:
    return dict_hash(db.model_dump())


def test_a_copy_shares_records_until_one_is_taken_out(own_domain: Any) -> None:
    pristine = own_domain.base_db()
    env = own_domain.environment()
    db = env.toolkit.db
    assert isinstance(db.users, CowTable) and db._base is pristine
    assert all(
        a is b
        for a, b in zip(db.stored_values("users"), pristine.stored_values("users"), strict=True)
    )
    user = db.users["kenji_watanabe_3390"]
    assert (
        user is not pristine.users["kenji_watanabe_3390"]
        and user == pristine.users["kenji_watanabe_3390"]
    )
    assert db.users["kenji_watanabe_3390"] is user  # taken once, then it is the copy's own
    assert db.users.taken == {"kenji_watanabe_3390"}


def test_no_way_of_reaching_a_record_changes_the_pristine_database(own_domain: Any) -> None:
    pristine = own_domain.base_db()
    before = plain_hash(pristine)
    db = own_domain.environment().toolkit.db
    db.users["kenji_watanabe_3390"].reservations.append("X")
    db.users.get("priya_raman_2264").membership = "gold"
    for flight in db.flights.values():
        flight.origin = "XXX"
    for _, reservation in db.reservations.items():
        reservation.cabin = "business"
    db.users.setdefault("nadia_okafor_4127").email = "changed"
    popped = db.users.pop("owen_mcbride_9405")
    popped.dob = "2000-01-01"
    db.users.copy()["elena_costa_7073"].dob = "2000-01-01"
    deep = copy.deepcopy(db)
    deep.users["lucia_moreno_1858"].dob = "2000-01-01"
    pickle.loads(pickle.dumps(db.users))["hannah_fischer_4583"].dob = "2000-01-01"
    unpickled = pickle.loads(pickle.dumps(db))
    assert unpickled._base is None and type(unpickled.users) is dict
    assert unpickled.hash() == plain_hash(db)
    assert plain_hash(pristine) == before == own_domain.environment().db_hash()
    assert plain_hash(deep) == deep.hash() and plain_hash(db) == db.hash() != before


def test_the_assembled_hash_is_tau2s_after_every_kind_of_change(own_domain: Any) -> None:
    env = own_domain.environment()
    db = env.toolkit.db
    assert db.hash() == plain_hash(db) == plain_hash(own_domain.base_db())
    calls = [
        (
            "book_reservation",
            {
                "user_id": "marcus_bell_5519",
                "origin": "LAS",
                "destination": "LAX",
                "flight_type": "one_way",
                "cabin": "economy",
                "flights": [{"flight_number": "HAT211", "date": "2024-05-20"}],
                "passengers": [{"first_name": "M", "last_name": "B", "dob": "1990-09-14"}],
                "payment_methods": [
                    {
                        "payment_id": "credit_card_9042716",
                        "amount": db.flights["HAT211"].dates["2024-05-20"].prices["economy"],
                    }
                ],
                "total_baggages": 0,
                "nonfree_baggages": 0,
                "insurance": "no",
            },
        ),
        ("cancel_reservation", {"reservation_id": "W3JX5T"}),
        ("send_certificate", {"user_id": "nadia_okafor_4127", "amount": 100}),
    ]
    for name, arguments in calls:
        assert not env.execute(ToolCall(id="1", name=name, arguments=arguments)).error
        assert db.hash() == plain_hash(db)
    db.reservations["NEW001"] = db.reservations["W3JX5T"].model_copy(
        update={"reservation_id": "NEW001"}
    )
    del db.reservations["Q4RZ8M"]
    db.flights = {}  # a table replaced by a plain dict is hashed in full
    assert db.hash() == plain_hash(db)


def test_the_three_tables_are_the_sections() -> None:
    from runner_airline.models import FlightDB

    assert FlightDB.sections() == ("flights", "users", "reservations")
