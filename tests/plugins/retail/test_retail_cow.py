"""The core's copy-on-write database (``runner.CopyOnWriteDB``) on retail's data: copies are
independent, the original never changes, and the hash is always τ²-bench's
``sha256(json.dumps(model_dump(), sort_keys=True, default=str))``."""

from __future__ import annotations

import random
from typing import Any

import pytest
from runner.environment.db import dict_hash
from runner_retail.models import RetailDB, UserAddress


@pytest.fixture
def original(own_domain: Any) -> RetailDB:
    return RetailDB.model_validate(own_domain.base_db().model_dump())


def plain_hash(db: RetailDB) -> str:
    return dict_hash(db.model_dump())


def test_copy_shares_records_until_taken_out(original: RetailDB) -> None:
    copy = original.cow_copy()
    assert original.frozen
    order_id = next(iter(original.orders))
    assert copy.peek("orders", order_id) is original.orders[order_id]
    mine = copy.orders[order_id]
    assert mine is not original.orders[order_id] and mine == original.orders[order_id]
    assert copy.orders[order_id] is mine and copy.peek("orders", order_id) is mine  # once
    mine.status = "cancelled"
    assert original.orders[order_id].status != "cancelled" or mine is not original.orders[order_id]
    assert copy.hash() == plain_hash(copy) != plain_hash(original) == original.hash()


def test_a_copy_cannot_be_frozen(original: RetailDB) -> None:
    with pytest.raises(ValueError, match="freeze its original"):
        original.cow_copy().freeze()


def test_unfrozen_database_writes_in_place_and_hashes_plainly(original: RetailDB) -> None:
    user_id = next(iter(original.users))
    assert original.peek("users", user_id) is original.users[user_id]
    original.users[user_id].email = "changed@example.com"
    assert original.hash() == plain_hash(original)


def test_copy_of_a_copy_does_not_share_written_records(original: RetailDB) -> None:
    first = original.cow_copy()
    user_id = next(iter(original.users))
    first.users[user_id].email = "first@example.com"
    second = first.cow_copy()
    assert second.peek("users", user_id) is not first.peek("users", user_id)
    second.users[user_id].email = "second@example.com"
    assert first.users[user_id].email == "first@example.com"
    assert second.hash() == plain_hash(second)
    assert first.hash() == plain_hash(first)


def test_random_changes_keep_the_fast_hash_exact(original: RetailDB) -> None:
    rng = random.Random(5)
    pristine_hash = plain_hash(original)
    for _ in range(20):
        copy = original.cow_copy()
        assert copy.hash() == pristine_hash
        for _ in range(rng.randint(1, 4)):
            section = rng.choice(RetailDB.sections())
            key = rng.choice(sorted(getattr(copy, section)))
            record = getattr(copy, section)[key]
            if section == "orders":
                record.status = rng.choice(["cancelled", "delivered"])
                record.exchange_price_difference = rng.choice([None, 0, 1.5])
            elif section == "users":
                record.address = UserAddress(
                    address1="1 A St",
                    address2="",
                    city="C",
                    state="S",
                    country="USA",
                    zip=str(rng.randint(10000, 99999)),
                )
            else:
                variant = next(iter(record.variants.values()))
                variant.available = not variant.available
        if rng.random() < 0.3:  # records added and removed are hashed too
            copy.orders["#W_new"] = copy.orders[next(iter(copy.orders))].model_copy(deep=True)
            del copy.users[next(iter(copy.users))]
        assert copy.hash() == plain_hash(copy)
    assert plain_hash(original) == pristine_hash


def test_copies_survive_pickle_and_deepcopy(original: RetailDB) -> None:
    """Executors may pickle environments; the hash cache (sha256 states) is rebuilt, not copied."""
    import copy as copy_module
    import pickle

    copy = original.cow_copy()
    original.hash()  # fills the cache
    copy.orders[next(iter(copy.orders))].status = "cancelled"
    want = plain_hash(copy)
    for twin in (
        pickle.loads(pickle.dumps(copy)),
        copy_module.deepcopy(copy),
        copy.model_copy(deep=True),
    ):
        assert twin.hash() == want
    assert pickle.loads(pickle.dumps(original)).hash() == original.hash()
