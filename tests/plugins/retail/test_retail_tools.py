"""The retail tools behave exactly like τ²-bench's: schemas, results, errors, database effects.

The reference values were recorded by running τ²-bench's own tools on this plugin's database
(see conftest.py); every step compares the tool message content byte for byte, the error flag,
and the database hash after the call.
"""

from __future__ import annotations

from typing import Any

from runner import ToolCall
from runner.environment.db import dict_hash


def test_tool_names_order_and_write_flags(own_domain: Any, tool_reference: dict[str, Any]) -> None:
    env = own_domain.environment()
    names = [t.name for t in env.tools()]
    assert names == list(tool_reference["tool_schemas"])
    assert len(names) == 16
    writes = sorted(t.name for t in env.tools() if t.write)
    assert writes == tool_reference["write_tools"]
    assert writes == [
        "cancel_pending_order",
        "exchange_delivered_order_items",
        "modify_pending_order_address",
        "modify_pending_order_items",
        "modify_pending_order_payment",
        "modify_user_address",
        "return_delivered_order_items",
    ]


def test_tool_descriptions_and_arguments_match(
    own_domain: Any, tool_reference: dict[str, Any]
) -> None:
    for tool in own_domain.environment().tools():
        want = tool_reference["tool_schemas"][tool.name]
        assert tool.description == want["description"], tool.name
        props = tool.parameters["properties"]
        assert list(props) == list(want["parameters"]), tool.name
        for arg, spec in want["parameters"].items():
            assert props[arg].get("description") == spec["description"], (tool.name, arg)
            assert props[arg]["type"] == spec["type"], (tool.name, arg)
            assert props[arg].get("items") == spec["items"], (tool.name, arg)
        assert tool.parameters["required"] == want["required"], tool.name


def scenario_ids(reference: dict[str, Any]) -> list[str]:
    return [s["name"] for s in reference["scenarios"]]


def test_reference_covers_every_tool(tool_reference: dict[str, Any]) -> None:
    called = {st["call"]["name"] for s in tool_reference["scenarios"] for st in s["steps"]}
    assert called == set(tool_reference["tool_schemas"])
    errors = {
        st["content"] for s in tool_reference["scenarios"] for st in s["steps"] if st["error"]
    }
    assert len(errors) >= 30  # failure paths are exercised, not only successes


def test_every_recorded_call_gives_tau2_results(
    own_domain: Any, tool_reference: dict[str, Any]
) -> None:
    assert own_domain.base_db().hash() == tool_reference["initial_db_hash"]
    for scenario in tool_reference["scenarios"]:
        env = own_domain.environment()
        for i, step in enumerate(scenario["steps"]):
            call = ToolCall(
                id=f"c{i}", name=step["call"]["name"], arguments=step["call"]["arguments"]
            )
            result = env.execute(call)
            where = f"{scenario['name']} step {i}: {call.name}({call.arguments})"
            assert result.content == step["content"], where
            assert result.error == step["error"], where
            assert env.db_hash() == step["db_hash"], where
            # the copy-on-write hash equals the plain definition
            assert dict_hash(env.toolkit.db.model_dump()) == step["db_hash"], where


def test_pristine_database_is_untouched_by_every_scenario(
    own_domain: Any, tool_reference: dict[str, Any]
) -> None:
    base = own_domain.base_db()
    for scenario in tool_reference["scenarios"]:
        env = own_domain.environment()
        for step in scenario["steps"]:
            env.execute(
                ToolCall(id="x", name=step["call"]["name"], arguments=step["call"]["arguments"])
            )
    assert dict_hash(base.model_dump()) == tool_reference["initial_db_hash"]
    assert own_domain.environment().db_hash() == tool_reference["initial_db_hash"]


def test_modify_items_gives_every_item_the_last_new_items_price_and_options(
    own_domain: Any,
) -> None:
    """τ²-bench's quirk, kept because the expected database of its tasks depends on it."""
    env = own_domain.environment()
    db = env.toolkit.db
    order = next(
        o
        for o in db.orders.values()
        if o.status == "pending"
        and len({i.product_id for i in o.items}) >= 2
        and all(
            any(
                v.available and v.item_id != i.item_id
                for v in db.products[i.product_id].variants.values()
            )
            for i in o.items[:2]
        )
        and any(m.source != "gift_card" for m in db.users[o.user_id].payment_methods.values())
    )
    first, second = order.items[0], order.items[1]
    new = [
        next(
            v
            for v in db.products[i.product_id].variants.values()
            if v.available and v.item_id != i.item_id
        )
        for i in (first, second)
    ]
    # A credit card or PayPal pays any price difference (a gift card may be too small for it).
    method = next(
        method_id
        for method_id, m in db.users[order.user_id].payment_methods.items()
        if m.source != "gift_card"
    )
    result = env.execute(
        ToolCall(
            id="m",
            name="modify_pending_order_items",
            arguments={
                "order_id": order.order_id,
                "item_ids": [first.item_id, second.item_id],
                "new_item_ids": [new[0].item_id, new[1].item_id],
                "payment_method_id": method,
            },
        )
    )
    assert not result.error, result.content
    changed = env.toolkit.db.orders[order.order_id]
    assert [i.item_id for i in changed.items[:2]] == [new[0].item_id, new[1].item_id]
    assert changed.items[0].price == changed.items[1].price == new[1].price
    assert changed.items[0].options == changed.items[1].options == new[1].options


def test_invalid_argument_types_are_tool_errors(own_domain: Any) -> None:
    env = own_domain.environment()
    result = env.execute(
        ToolCall(
            id="a",
            name="return_delivered_order_items",
            arguments={"order_id": "#W1", "item_ids": "123", "payment_method_id": "x"},
        )
    )
    assert result.error and result.content.startswith("Error: ")
    result = env.execute(ToolCall(id="b", name="no_such_tool", arguments={}))
    assert result.error and "no_such_tool" in result.content
