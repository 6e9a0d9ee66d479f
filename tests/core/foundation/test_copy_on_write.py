"""``runner.CopyOnWriteDB`` on a small database: every way of changing a copy keeps its hash
equal to the core's ``dict_hash`` of ``model_dump()``, and the original never changes.
(The retail and airline tests check the same on τ²-bench's databases.)"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel
from runner import CopyOnWriteDB
from runner.environment import dict_hash
from runner.environment.cow import CowTable, clone


class Rec(BaseModel):
    name: str
    tags: list[str]
    price: float | None = None


class Tiny(CopyOnWriteDB):
    label: str
    counts: dict[str, int]
    recs: dict[str, Rec]


def tiny() -> Tiny:
    return Tiny(label="a", counts={"x": 1}, recs={k: Rec(name=k, tags=[k]) for k in "cab"})


def plain_hash(db: Tiny) -> str:
    return dict_hash(db.model_dump())


def test_databases_with_plain_fields_hash_exactly() -> None:
    db = tiny()
    assert Tiny.sections() == ("recs",)
    want = plain_hash(db)
    copy = db.cow_copy()
    assert isinstance(copy.recs, CowTable) and db.frozen
    assert db.hash() == copy.hash() == want
    copy.counts["x"] = 2
    assert copy.hash() == plain_hash(copy) != want
    copy.recs["a"].tags.append("new")
    copy.label = "b"
    assert copy.hash() == plain_hash(copy)
    assert db.hash() == plain_hash(db) == want and db.recs["a"].tags == ["a"]
    for change in ("add", "remove"):  # records added or removed, a plain field changed before
        other = db.cow_copy()
        other.counts["x"] = 3
        if change == "add":
            other.recs["bb"] = Rec(name="bb", tags=[])
        else:
            del other.recs["c"]
        assert other.hash() == plain_hash(other)


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.update({"d": Rec(name="d", tags=[])}),
        lambda t: t.__ior__({"a": Rec(name="A", tags=[])}),
        lambda t: t.pop("b").tags.append("popped"),
        lambda t: t.popitem(),
        lambda t: t.setdefault("z", Rec(name="z", tags=[])).tags.append("z"),
        lambda t: [r.tags.append("all") for r in t.values()],
        lambda t: [r.tags.append(k) for k, r in t.items()],
        lambda t: t.get("c").tags.clear(),
        lambda t: t.copy()["a"].tags.append("copied"),
        lambda t: t.clear(),
    ],
)
def test_every_dict_operation_keeps_the_hash_exact(change: Callable[[Any], object]) -> None:
    db = tiny()
    want = plain_hash(db)
    for copy in (db.cow_copy(), db.cow_copy().cow_copy()):
        change(copy.recs)
        assert copy.hash() == plain_hash(copy)
        assert db.hash() == plain_hash(db) == want


def test_a_replaced_section_and_a_copy_of_a_copy_hash_exactly() -> None:
    db = tiny()
    first = db.cow_copy()
    first.recs["a"].tags.append("first")
    del first.recs["b"]
    second = first.cow_copy()
    assert second.hash() == plain_hash(second) == first.hash()
    second.recs["a"].tags.append("second")
    assert first.recs["a"].tags == ["a", "first"]
    assert second.hash() == plain_hash(second) != first.hash()
    first.recs = {"q": Rec(name="q", tags=[])}  # a plain dict in place of the section
    assert first.hash() == plain_hash(first)


def test_random_changes_keep_the_hash_exact() -> None:
    rng = random.Random(11)
    db = Tiny(
        label="r", counts={}, recs={f"k{i:02d}": Rec(name=str(i), tags=[]) for i in range(30)}
    )
    for _ in range(200):
        copy = db.cow_copy()
        for _ in range(rng.randint(1, 4)):
            key = f"k{rng.randrange(40):02d}"
            action = rng.choice(["edit", "add", "remove", "peek"])
            if action == "edit" and key in copy.recs:
                copy.recs[key].price = rng.choice([None, 1.5, 2])
            elif action == "add":
                copy.recs[key] = Rec(name=key, tags=["new"])
            elif action == "remove":
                copy.recs.pop(key, None)
            else:
                copy.peek("recs", key)
        assert copy.hash() == plain_hash(copy)
    assert db.hash() == plain_hash(db)


def test_clone_is_deep_and_keeps_what_was_set() -> None:
    rec = Rec(name="n", tags=["t"])
    twin = clone(rec)
    assert twin == rec and twin is not rec and twin.tags is not rec.tags
    assert twin.model_fields_set == rec.model_fields_set == {"name", "tags"}
    twin.tags.append("u")
    assert rec.tags == ["t"]
