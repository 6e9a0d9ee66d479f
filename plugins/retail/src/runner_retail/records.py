"""What the retail tools share: record lookups, private copies for changes, and item pricing.

Split from :mod:`runner_retail.tools` so that package holds the tools alone. The error messages
are τ²-bench's (an agent reads them), and so is the order of the checks, which decides which
error an agent sees first.
"""

from __future__ import annotations

from runner import ToolKit

from runner_retail.models import Order, OrderItem, PaymentMethod, Product, RetailDB, User, Variant


def excess_item(requested: list[str], available: list[str]) -> str | None:
    """The first requested id asked for more often than the order holds it (duplicates count)."""
    for item_id in requested:
        if requested.count(item_id) > available.count(item_id):
            return item_id
    return None


def first_item(order: Order, item_id: str) -> OrderItem | None:
    """The order's first line with that item id: τ²-bench changes only the first of duplicates."""
    return next((item for item in order.items if item.item_id == item_id), None)


class RetailRecords(ToolKit):
    """The store's database and the lookups the tools share (it defines no tools itself).

    The environment's database is a :class:`runner.CopyOnWriteDB` copy: the lookups only read
    (they peek at the shared records), and write tools change records only after
    :meth:`writable_order` / :meth:`writable_user`, which take the record out of the copy (a
    private copy of it).
    """

    db: RetailDB

    # -- lookups (raise the messages τ²-bench's tools raise) --------------------------------
    def get_order(self, order_id: str) -> Order:
        order = self.db.peek("orders", order_id)
        if order is None:
            raise ValueError("Order not found")
        return order

    def get_user(self, user_id: str) -> User:
        user = self.db.peek("users", user_id)
        if user is None:
            raise ValueError("User not found")
        return user

    def get_product(self, product_id: str) -> Product:
        product = self.db.peek("products", product_id)
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
        return self.db.orders[order_id]

    def writable_user(self, user_id: str) -> User:
        """The user, made private to this environment's database before it is changed."""
        self.get_user(user_id)
        return self.db.users[user_id]

    # -- pricing ---------------------------------------------------------------------------
    def _price_difference(
        self, order: Order, item_ids: list[str], new_item_ids: list[str], reject_unchanged: bool
    ) -> tuple[float, Variant | None]:
        """Sum of new minus old prices, checking each new item; also the last new variant."""
        difference: float = 0
        variant: Variant | None = None
        for item_id, new_item_id in zip(item_ids, new_item_ids, strict=False):
            if reject_unchanged and item_id == new_item_id:
                raise ValueError("The new item id should be different from the old item id")
            item = first_item(order, item_id)
            if item is None:
                raise ValueError(f"Item {item_id} not found")
            variant = self.get_variant(item.product_id, new_item_id)
            if not variant.available:
                raise ValueError(f"New item {new_item_id} not found or available")
            difference += variant.price - item.price
        return difference, variant
