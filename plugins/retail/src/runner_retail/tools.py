"""The retail agent's tools.

Users come from τ²-bench and compare scores, so every tool matches τ²-bench's retail tool of the
same name: arguments, the description an LLM reads (docstring summaries and ``Args:``; the three
descriptions that span lines are given with ``Annotated`` so their line breaks survive), return
values, error messages, and the changes made to the database -- including the order in which
checks fail and τ²-bench's quirks, which its scores depend on (see
``modify_pending_order_items``).

Write tools change records only after :meth:`RetailTools.writable_order` /
:meth:`RetailTools.writable_user`: the environment's database shares unchanged records with the
domain's pristine copy (see :mod:`runner_retail.cow`).
"""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import Field
from runner import ToolKit, tool

from runner_retail.calculator import evaluate_expression
from runner_retail.models import (
    GiftCard,
    Order,
    OrderItem,
    OrderPayment,
    PaymentMethod,
    Product,
    RetailDB,
    User,
    UserAddress,
    Variant,
)

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


def _excess_item(requested: list[str], available: list[str]) -> str | None:
    """The first requested id asked for more often than the order holds it (duplicates count)."""
    for item_id in requested:
        if requested.count(item_id) > available.count(item_id):
            return item_id
    return None


def _first_item(order: Order, item_id: str) -> OrderItem | None:
    return next((item for item in order.items if item.item_id == item_id), None)


class RetailTools(ToolKit):
    """The sixteen tools of τ²-bench's retail agent, in τ²-bench's order."""

    db: RetailDB

    # -- lookups (raise the messages τ²-bench's tools raise) --------------------------------
    def get_order(self, order_id: str) -> Order:
        order = self.db.orders.get(order_id)
        if order is None:
            raise ValueError("Order not found")
        return order

    def get_user(self, user_id: str) -> User:
        user = self.db.users.get(user_id)
        if user is None:
            raise ValueError("User not found")
        return user

    def get_product(self, product_id: str) -> Product:
        product = self.db.products.get(product_id)
        if product is None:
            raise ValueError("Product not found")
        return product

    def get_variant(self, product_id: str, item_id: str) -> Variant:
        variant = self.get_product(product_id).variants.get(item_id)
        if variant is None:
            raise ValueError("Variant not found")
        return variant

    def get_payment_method(self, user_id: str, payment_method_id: str) -> PaymentMethod:
        method = self.get_user(user_id).payment_methods.get(payment_method_id)
        if method is None:
            raise ValueError("Payment method not found")
        return method

    def writable_order(self, order_id: str) -> Order:
        """The order, made private to this environment's database before it is changed."""
        self.get_order(order_id)
        return self.db.writable("orders", order_id)

    def writable_user(self, user_id: str) -> User:
        """The user, made private to this environment's database before it is changed."""
        self.get_user(user_id)
        return self.db.writable("users", user_id)

    def _price_difference(
        self, order: Order, item_ids: list[str], new_item_ids: list[str], reject_unchanged: bool
    ) -> tuple[float, Variant | None]:
        """Sum of new minus old prices, checking each new item; also the last new variant."""
        difference: float = 0
        variant: Variant | None = None
        for item_id, new_item_id in zip(item_ids, new_item_ids, strict=False):
            if reject_unchanged and item_id == new_item_id:
                raise ValueError("The new item id should be different from the old item id")
            item = _first_item(order, item_id)
            if item is None:
                raise ValueError(f"Item {item_id} not found")
            variant = self.get_variant(item.product_id, new_item_id)
            if not variant.available:
                raise ValueError(f"New item {new_item_id} not found or available")
            difference += variant.price - item.price
        return difference, variant

    # -- tools -------------------------------------------------------------------------------
    @tool
    def calculate(self, expression: str) -> str:
        """Calculate the result of a mathematical expression.

        Args:
            expression: The mathematical expression to calculate, such as '2 + 2'. The expression can contain numbers, operators (+, -, *, /), parentheses, and spaces.
        """
        if any(char not in "0123456789+-*/(). " for char in expression):
            raise ValueError("Invalid characters in expression")
        return str(round(float(evaluate_expression(expression)), 2))

    @tool(write=True)
    def cancel_pending_order(self, order_id: str, reason: str) -> Order:
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
                method = self.writable_user(order.user_id).payment_methods[
                    payment.payment_method_id
                ]
                method.balance = round(method.balance + payment.amount, 2)
        order.status = "cancelled"
        order.cancel_reason = reason  # type: ignore[assignment]  # checked above
        order.payment_history.extend(refunds)
        return order

    @tool(write=True)
    def exchange_delivered_order_items(
        self,
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
        missing = _excess_item(item_ids, [item.item_id for item in order.items])
        if missing is not None:
            raise ValueError(f"Number of {missing} not found.")
        if len(item_ids) != len(new_item_ids):
            raise ValueError("The number of items to be exchanged should match.")
        difference, _ = self._price_difference(
            order, item_ids, new_item_ids, reject_unchanged=False
        )
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

    @tool
    def find_user_id_by_name_zip(self, first_name: str, last_name: str, zip: str) -> str:
        """Find user id by first name, last name, and zip code. If the user is not found, the function

        will return an error message. By default, find user id by email, and only call this function
        if the user is not found by email or cannot remember email.

        Args:
            first_name: The first name of the customer, such as 'John'.
            last_name: The last name of the customer, such as 'Doe'.
            zip: The zip code of the customer, such as '12345'.
        """
        first, last = first_name.lower(), last_name.lower()
        for user_id, user in self.db.users.items():
            if (
                user.name.first_name.lower() == first
                and user.name.last_name.lower() == last
                and user.address.zip == zip
            ):
                return user_id
        raise ValueError("User not found")

    @tool
    def find_user_id_by_email(self, email: str) -> str:
        """Find user id by email. If the user is not found, the function will return an error message.

        Args:
            email: The email of the user, such as 'something@example.com'.
        """
        wanted = email.lower()
        for user_id, user in self.db.users.items():
            if user.email.lower() == wanted:
                return user_id
        raise ValueError("User not found")

    @tool
    def get_order_details(self, order_id: str) -> Order:
        """Get the status and details of an order.

        Args:
            order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.
        """
        return self.get_order(order_id)

    @tool
    def get_product_details(self, product_id: str) -> Product:
        """Get the inventory details of a product.

        Args:
            product_id: The product id, such as '6086499569'. Be careful the product id is different from the item id.
        """
        return self.get_product(product_id)

    @tool
    def get_item_details(self, item_id: str) -> Variant:
        """Get the inventory details of an item.

        Args:
            item_id: The item id, such as '6086499569'. Be careful the item id is different from the product id.
        """
        for product in self.db.products.values():
            if item_id in product.variants:
                return product.variants[item_id]
        raise ValueError("Item not found")

    @tool
    def get_user_details(self, user_id: str) -> User:
        """Get the details of a user, including their orders.

        Args:
            user_id: The user id, such as 'sara_doe_496'.
        """
        return self.get_user(user_id)

    @tool
    def list_all_product_types(self) -> str:
        """List the name and product id of all product types.

        Each product type has a variety of different items with unique item ids and options.
        There are only 50 product types in the store.
        """
        names = {product.name: product.product_id for product in self.db.products.values()}
        return json.dumps(names, sort_keys=True)

    @tool(write=True)
    def modify_pending_order_address(
        self,
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
        self, order_id: str, item_ids: list[str], new_item_ids: list[str], payment_method_id: str
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
        missing = _excess_item(item_ids, [item.item_id for item in order.items])
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
            method = self.writable_user(order.user_id).payment_methods[payment_method_id]
            method.balance = round(method.balance - difference, 2)
        for item_id, new_item_id in zip(item_ids, new_item_ids, strict=False):
            item = _first_item(order, item_id)
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
    def modify_pending_order_payment(self, order_id: str, payment_method_id: str) -> Order:
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
                OrderPayment(
                    transaction_type="refund", amount=amount, payment_method_id=old_method_id
                ),
            ]
        )
        if isinstance(method, GiftCard):
            method = self.writable_user(order.user_id).payment_methods[payment_method_id]
            method.balance = round(method.balance - amount, 2)
        old_method = self.get_payment_method(order.user_id, old_method_id)
        if isinstance(old_method, GiftCard):
            old_method = self.writable_user(order.user_id).payment_methods[old_method_id]
            old_method.balance = round(old_method.balance + amount, 2)
        return order

    @tool(write=True)
    def modify_user_address(
        self,
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
        self,
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
        if _excess_item(item_ids, [item.item_id for item in order.items]) is not None:
            raise ValueError("Some item not found")
        order = self.writable_order(order_id)
        order.status = "return requested"
        order.return_items = sorted(item_ids)
        order.return_payment_method_id = payment_method_id
        return order

    @tool
    def transfer_to_human_agents(self, summary: str) -> str:
        """Transfer the user to a human agent, with a summary of the user's issue.

        Only transfer if
         -  the user explicitly asks for a human agent
         -  given the policy and the available tools, you cannot solve the user's issue.

        Args:
            summary: A summary of the user's issue.
        """
        return "Transfer successful"
