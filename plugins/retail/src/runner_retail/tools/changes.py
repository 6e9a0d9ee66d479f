"""The retail tools that change the database: cancelling, modifying, returning and exchanging
orders, and changing a user's default address (the seven write tools).

Each reproduces τ²-bench's tool of the same name: its checks in τ²-bench's order (the order
decides which error an agent sees first), its error messages, and its changes to the records,
quirks included (see ``modify_pending_order_items``). Each changes a record only after
:meth:`~runner_retail.records.RetailRecords.writable_order` /
:meth:`~runner_retail.records.RetailRecords.writable_user`, since the environment's database
shares unchanged records with the domain's pristine copy.

Functions of the toolkit (``self``) for the reason given in :mod:`runner_retail.tools.lookups`.
Three argument descriptions span lines in τ²-bench; they are given with ``Annotated`` so that
their line breaks survive.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from pydantic import Field
from runner import tool

from runner_retail.models import GiftCard, Order, OrderPayment, User, UserAddress
from runner_retail.records import RetailRecords, excess_item, first_item

_CANCEL_REASONS = frozenset({"no longer needed", "ordered by mistake"})

_EXCHANGE_NEW_ITEM_IDS = (
    "The item ids to be exchanged for, each such as '1008292230'.\n"
    "There could be duplicate items in the list. Each new item id should match the item id\n"
    "in the same position and be of the same product."
)
_EXCHANGE_PAYMENT_METHOD_ID = (
    "The payment method id to pay or receive refund for the item price difference,\n"
    "such as 'gift_card_0000000' or 'credit_card_0000000'. These can be looked up\n"
    "from the user or order details."
)
_RETURN_PAYMENT_METHOD_ID = (
    "The payment method id to pay or receive refund for the item price difference, "
    "such as 'gift_card_0000000' or 'credit_card_0000000'.\n"
    "These can be looked up from the user or order details."
)


@tool(write=True)
def cancel_pending_order(self: RetailRecords, order_id: str, reason: str) -> Order:
    """Cancel a pending order. If the order is already processed or delivered,

    it cannot be cancelled. The agent needs to explain the cancellation detail
    and ask for explicit user confirmation (yes/no) to proceed. If the user confirms,
    the order status will be changed to 'cancelled' and the payment will be refunded.
    The refund will be added to the user's gift card balance immediately if the payment
    was made using a gift card, otherwise the refund would take 5-7 business days to process.
    The function returns the order details after the cancellation.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.
        reason: The reason for cancellation, which should be either 'no longer needed' or 'ordered by mistake'.
    """
    order = self.get_order(order_id)
    if order.status != "pending":
        raise ValueError("Non-pending order cannot be cancelled")
    if reason not in _CANCEL_REASONS:
        raise ValueError("Invalid reason")
    order = self.writable_order(order_id)
    refunds = []
    for payment in order.payment_history:
        refunds.append(
            OrderPayment(
                transaction_type="refund",
                amount=payment.amount,
                payment_method_id=payment.payment_method_id,
            )
        )
        method = self.get_payment_method(
            self.get_user(order.user_id).user_id, payment.payment_method_id
        )
        if isinstance(method, GiftCard):  # gift cards are refunded at once
            _add_to_gift_card(self, order.user_id, payment.payment_method_id, payment.amount)
    order.status = "cancelled"
    order.cancel_reason = reason  # type: ignore[assignment]  # checked above
    order.payment_history.extend(refunds)
    return order


@tool(write=True)
def exchange_delivered_order_items(
    self: RetailRecords,
    order_id: str,
    item_ids: list[str],
    new_item_ids: Annotated[list[str], Field(description=_EXCHANGE_NEW_ITEM_IDS)],
    payment_method_id: Annotated[str, Field(description=_EXCHANGE_PAYMENT_METHOD_ID)],
) -> Order:
    """Exchange items in a delivered order to new items of the same product type.

    For a delivered order, return or exchange can be only done once by the agent.
    The agent needs to explain the exchange detail and ask for explicit user confirmation (yes/no) to proceed.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.
        item_ids: The item ids to be exchanged, each such as '1008292230'. There could be duplicate items in the list.
    """
    order = self.get_order(order_id)
    if order.status != "delivered":
        raise ValueError("Non-delivered order cannot be exchanged")
    missing = excess_item(item_ids, [item.item_id for item in order.items])
    if missing is not None:
        raise ValueError(f"Number of {missing} not found.")
    if len(item_ids) != len(new_item_ids):
        raise ValueError("The number of items to be exchanged should match.")
    difference, _ = self._price_difference(order, item_ids, new_item_ids, reject_unchanged=False)
    difference = round(difference, 2)
    method = self.get_payment_method(order.user_id, payment_method_id)
    if isinstance(method, GiftCard) and method.balance < difference:
        raise ValueError("Insufficient gift card balance to pay for the price difference")
    order = self.writable_order(order_id)
    order.status = "exchange requested"
    order.exchange_items = sorted(item_ids)
    order.exchange_new_items = sorted(new_item_ids)
    order.exchange_payment_method_id = payment_method_id
    order.exchange_price_difference = difference
    return order


@tool(write=True)
def modify_pending_order_address(
    self: RetailRecords,
    order_id: str,
    address1: str,
    address2: str,
    city: str,
    state: str,
    country: str,
    zip: str,
) -> Order:
    """Modify the shipping address of a pending order. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.
        address1: The first line of the address, such as '123 Main St'.
        address2: The second line of the address, such as 'Apt 1' or ''.
        city: The city, such as 'San Francisco'.
        state: The state, such as 'CA'.
        country: The country, such as 'USA'.
        zip: The zip code, such as '12345'.
    """
    if "pending" not in self.get_order(order_id).status:
        raise ValueError("Non-pending order cannot be modified")
    order = self.writable_order(order_id)
    order.address = UserAddress(
        address1=address1, address2=address2, city=city, state=state, country=country, zip=zip
    )
    return order


@tool(write=True)
def modify_pending_order_items(
    self: RetailRecords,
    order_id: str,
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> Order:
    """Modify items in a pending order to new items of the same product type. For a pending order, this function can only be called once. The agent needs to explain the exchange detail and ask for explicit user confirmation (yes/no) to proceed.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.
        item_ids: The item ids to be modified, each such as '1008292230'. There could be duplicate items in the list.
        new_item_ids: The item ids to be modified for, each such as '1008292230'. There could be duplicate items in the list. Each new item id should match the item id in the same position and be of the same product.
        payment_method_id: The payment method id to pay or receive refund for the item price difference, such as 'gift_card_0000000' or 'credit_card_0000000'. These can be looked up from the user or order details.
    """
    order = self.get_order(order_id)
    if order.status != "pending":
        raise ValueError("Non-pending order cannot be modified")
    missing = excess_item(item_ids, [item.item_id for item in order.items])
    if missing is not None:
        raise ValueError(f"{missing} not found")
    if len(item_ids) != len(new_item_ids):
        raise ValueError("The number of items to be exchanged should match")
    difference, variant = self._price_difference(
        order, item_ids, new_item_ids, reject_unchanged=True
    )
    method = self.get_payment_method(order.user_id, payment_method_id)
    if isinstance(method, GiftCard) and method.balance < difference:
        raise ValueError("Insufficient gift card balance to pay for the new item")
    order = self.writable_order(order_id)
    order.payment_history.append(
        OrderPayment(
            transaction_type="payment" if difference > 0 else "refund",
            amount=abs(difference),
            payment_method_id=payment_method_id,
        )
    )
    if isinstance(method, GiftCard):
        _add_to_gift_card(self, order.user_id, payment_method_id, -difference)
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=False):
        item = first_item(order, item_id)
        if item is None:
            raise ValueError(f"Item {item_id} not found")
        assert variant is not None  # the loop above ran over the same pairs
        # τ²-bench gives every modified item the price and options of the *last* new item;
        # the reference database state (and so every score) depends on it.
        item.item_id = new_item_id
        item.price = variant.price
        item.options = dict(variant.options)
    order.status = "pending (item modified)"
    return order


@tool(write=True)
def modify_pending_order_payment(
    self: RetailRecords, order_id: str, payment_method_id: str
) -> Order:
    """Modify the payment method of a pending order. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.
        payment_method_id: The payment method id to pay or receive refund for the item price difference, such as 'gift_card_0000000' or 'credit_card_0000000'. These can be looked up from the user or order details.
    """
    order = self.get_order(order_id)
    if "pending" not in order.status:
        raise ValueError("Non-pending order cannot be modified")
    method = self.get_payment_method(order.user_id, payment_method_id)
    history = order.payment_history
    if len(history) != 1 or history[0].transaction_type != "payment":
        raise ValueError("There should be exactly one payment for a pending order")
    old_method_id = history[0].payment_method_id
    if old_method_id == payment_method_id:
        raise ValueError("The new payment method should be different from the current one")
    amount = history[0].amount
    if isinstance(method, GiftCard) and method.balance < amount:
        raise ValueError("Insufficient gift card balance to pay for the order")
    order = self.writable_order(order_id)
    order.payment_history.extend(
        [
            OrderPayment(
                transaction_type="payment", amount=amount, payment_method_id=payment_method_id
            ),
            OrderPayment(transaction_type="refund", amount=amount, payment_method_id=old_method_id),
        ]
    )
    if isinstance(method, GiftCard):
        _add_to_gift_card(self, order.user_id, payment_method_id, -amount)
    old_method = self.get_payment_method(order.user_id, old_method_id)
    if isinstance(old_method, GiftCard):
        _add_to_gift_card(self, order.user_id, old_method_id, amount)
    return order


@tool(write=True)
def modify_user_address(
    self: RetailRecords,
    user_id: str,
    address1: str,
    address2: str,
    city: str,
    state: str,
    country: str,
    zip: str,
) -> User:
    """Modify the default address of a user. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.

    Args:
        user_id: The user id, such as 'sara_doe_496'.
        address1: The first line of the address, such as '123 Main St'.
        address2: The second line of the address, such as 'Apt 1' or ''.
        city: The city, such as 'San Francisco'.
        state: The state, such as 'CA'.
        country: The country, such as 'USA'.
        zip: The zip code, such as '12345'.
    """
    user = self.writable_user(user_id)
    user.address = UserAddress(
        address1=address1, address2=address2, city=city, state=state, country=country, zip=zip
    )
    return user


@tool(write=True)
def return_delivered_order_items(
    self: RetailRecords,
    order_id: str,
    item_ids: list[str],
    payment_method_id: Annotated[str, Field(description=_RETURN_PAYMENT_METHOD_ID)],
) -> Order:
    """Return some items of a delivered order.

    The order status will be changed to 'return requested'.
    The agent needs to explain the return detail and ask for explicit user confirmation (yes/no) to proceed.
    The user will receive follow-up email for how and where to return the item.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.
        item_ids: The item ids to be returned, each such as '1008292230'. There could be duplicate items in the list.
    """
    order = self.get_order(order_id)
    if order.status != "delivered":
        raise ValueError("Non-delivered order cannot be returned")
    method = self.get_payment_method(self.get_user(order.user_id).user_id, payment_method_id)
    # Like τ²-bench, this indexes the first payment (an order without one fails here).
    if (
        not isinstance(method, GiftCard)
        and payment_method_id != order.payment_history[0].payment_method_id
    ):
        raise ValueError("Payment method should be the original payment method")
    if excess_item(item_ids, [item.item_id for item in order.items]) is not None:
        raise ValueError("Some item not found")
    order = self.writable_order(order_id)
    order.status = "return requested"
    order.return_items = sorted(item_ids)
    order.return_payment_method_id = payment_method_id
    return order


def _add_to_gift_card(tools: Any, user_id: str, method_id: str, amount: float) -> None:
    """Change a gift card's balance by ``amount`` (negative to charge it), on the writable copy
    of its user, rounded to cents as τ²-bench does."""
    card = cast(GiftCard, tools.writable_user(user_id).payment_methods[method_id])
    card.balance = round(card.balance + amount, 2)
