"""The retail database: products with variants, users with payment methods, and orders.

Field names, types, order and defaults are those of τ²-bench's retail domain, because they decide
three things that must come out identical: which files load, the JSON an agent reads back from a
tool (field order included), and the database hash the evaluator compares. Nested models accept
and drop unknown keys (pydantic's default); only the top level forbids them, as in τ²-bench.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from runner import CopyOnWriteDB


class Variant(BaseModel):
    """One purchasable item of a product: its options, whether it is in stock, its price."""

    item_id: str = Field(description="Identifier of this item (variant)")
    options: dict[str, str] = Field(description="Option name to value, e.g. {'color': 'blue'}")
    available: bool = Field(description="Whether the item can be bought now")
    price: float = Field(description="Current price of the item")


class Product(BaseModel):
    """A product type and its variants, keyed by item id."""

    name: str = Field(description="Product name")
    product_id: str = Field(description="Identifier of the product type")
    variants: dict[str, Variant] = Field(description="The product's items by item id")


class UserName(BaseModel):
    first_name: str = Field(description="Given name")
    last_name: str = Field(description="Family name")


class UserAddress(BaseModel):
    """A postal address (a user's default one, or an order's shipping address)."""

    address1: str = Field(description="First address line")
    address2: str = Field(description="Second address line (may be empty)")
    city: str = Field(description="City")
    country: str = Field(description="Country")
    state: str = Field(description="State or province")
    zip: str = Field(description="Postal code")


class PaymentMethodBase(BaseModel):
    source: str = Field(description="Kind of payment method")
    id: str = Field(description="Identifier of the payment method")


class CreditCard(PaymentMethodBase):
    source: Literal["credit_card"] = Field(description="Always 'credit_card'")
    brand: str = Field(description="Card network, e.g. visa")
    last_four: str = Field(description="Last four digits of the card number")


class Paypal(PaymentMethodBase):
    source: Literal["paypal"] = Field(description="Always 'paypal'")


class GiftCard(PaymentMethodBase):
    source: Literal["gift_card"] = Field(description="Always 'gift_card'")
    balance: float = Field(description="Money left on the card")
    id: str = Field(description="Identifier of the gift card")


#: The three kinds of payment method, told apart by their ``source``.
PaymentMethod = CreditCard | GiftCard | Paypal


class User(BaseModel):
    """A customer: identity, default address, payment methods and order ids."""

    user_id: str = Field(description="Identifier of the user")
    name: UserName = Field(description="The user's name")
    address: UserAddress = Field(description="The user's default address")
    email: str = Field(description="The user's email address")
    payment_methods: dict[str, PaymentMethod] = Field(description="Payment methods by id")
    orders: list[str] = Field(description="Ids of the user's orders")


class OrderFullfilment(BaseModel):
    """One shipment of an order (the misspelt name is τ²-bench's)."""

    tracking_id: list[str] = Field(description="Tracking numbers of the shipment")
    item_ids: list[str] = Field(description="Items in the shipment")


class OrderItem(BaseModel):
    """One line of an order: the item bought and the price paid for it."""

    name: str = Field(description="Product name")
    product_id: str = Field(description="Product type of the item")
    item_id: str = Field(description="The item (variant) bought")
    price: float = Field(description="Price paid for the item")
    options: dict[str, str] = Field(description="The item's options")


OrderPaymentType = Literal["payment", "refund"]


class OrderPayment(BaseModel):
    """A payment for, or a refund of, (part of) an order."""

    transaction_type: OrderPaymentType = Field(description="'payment' or 'refund'")
    amount: float = Field(description="Amount of money moved")
    payment_method_id: str = Field(description="Payment method charged or refunded")


OrderStatus = Literal[
    "processed",
    "pending",
    "pending (item modified)",
    "delivered",
    "cancelled",
    "exchange requested",
    "return requested",
]

CancelReason = Literal["no longer needed", "ordered by mistake"]


class Order(BaseModel):
    """An order: what was bought, where it goes, its status and its money movements.

    The optional fields record what the write tools did (cancellation reason, exchange and
    return requests); they are ``None`` until then.
    """

    order_id: str = Field(description="Identifier of the order, e.g. '#W0000000'")
    user_id: str = Field(description="The user who placed the order")
    address: UserAddress = Field(description="Shipping address")
    items: list[OrderItem] = Field(description="The items bought")
    status: OrderStatus = Field(description="Where the order stands")
    fulfillments: list[OrderFullfilment] = Field(description="Shipments of the order")
    payment_history: list[OrderPayment] = Field(description="Payments and refunds, in order")
    cancel_reason: CancelReason | None = Field(default=None, description="Why it was cancelled")
    exchange_items: list[str] | None = Field(default=None, description="Items to exchange")
    exchange_new_items: list[str] | None = Field(default=None, description="Items wanted instead")
    exchange_payment_method_id: str | None = Field(
        default=None, description="Payment method for the exchange's price difference"
    )
    exchange_price_difference: float | None = Field(
        default=None, description="New items' price minus old items' price"
    )
    return_items: list[str] | None = Field(default=None, description="Items to return")
    return_payment_method_id: str | None = Field(
        default=None, description="Payment method that receives the refund"
    )


class RetailDB(CopyOnWriteDB):
    """The whole store: products, users and orders, each keyed by its id."""

    products: dict[str, Product] = Field(description="Products by product id")
    users: dict[str, User] = Field(description="Users by user id")
    orders: dict[str, Order] = Field(description="Orders by order id")

    def statistics(self) -> dict[str, Any]:
        """Counts that tell at a glance which data set is loaded."""
        return {
            "num_products": len(self.products),
            "num_users": len(self.users),
            "num_orders": len(self.orders),
            "total_num_items": sum(len(p.variants) for p in self.stored_values("products")),
        }
