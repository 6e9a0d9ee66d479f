"""The retail tools that only read: finding a user, and the details of orders, products, items
and users.

Each is a function of the toolkit (``self``), not a method, so that
:class:`~runner_retail.tools.RetailTools` can list every tool in τ²-bench's order whichever
module it comes from. The docstrings are τ²-bench's descriptions, word for word.
"""

from __future__ import annotations

import json

from runner import tool

from runner_retail.models import Order, Product, User, Variant
from runner_retail.records import RetailRecords


@tool
def find_user_id_by_name_zip(self: RetailRecords, first_name: str, last_name: str, zip: str) -> str:
    """Find user id by first name, last name, and zip code. If the user is not found, the function

    will return an error message. By default, find user id by email, and only call this function
    if the user is not found by email or cannot remember email.

    Args:
        first_name: The first name of the customer, such as 'John'.
        last_name: The last name of the customer, such as 'Doe'.
        zip: The zip code of the customer, such as '12345'.
    """
    first, last = first_name.lower(), last_name.lower()
    for user_id, user in self.db.stored_items("users"):
        if (
            user.name.first_name.lower() == first
            and user.name.last_name.lower() == last
            and user.address.zip == zip
        ):
            return user_id
    raise ValueError("User not found")


@tool
def find_user_id_by_email(self: RetailRecords, email: str) -> str:
    """Find user id by email. If the user is not found, the function will return an error message.

    Args:
        email: The email of the user, such as 'something@example.com'.
    """
    wanted = email.lower()
    for user_id, user in self.db.stored_items("users"):
        if user.email.lower() == wanted:
            return user_id
    raise ValueError("User not found")


@tool
def get_order_details(self: RetailRecords, order_id: str) -> Order:
    """Get the status and details of an order.

    Args:
        order_id: The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.
    """
    return self.get_order(order_id)


@tool
def get_product_details(self: RetailRecords, product_id: str) -> Product:
    """Get the inventory details of a product.

    Args:
        product_id: The product id, such as '6086499569'. Be careful the product id is different from the item id.
    """
    return self.get_product(product_id)


@tool
def get_item_details(self: RetailRecords, item_id: str) -> Variant:
    """Get the inventory details of an item.

    Args:
        item_id: The item id, such as '6086499569'. Be careful the item id is different from the product id.
    """
    for product in self.db.stored_values("products"):
        if item_id in product.variants:
            return product.variants[item_id]
    raise ValueError("Item not found")


@tool
def get_user_details(self: RetailRecords, user_id: str) -> User:
    """Get the details of a user, including their orders.

    Args:
        user_id: The user id, such as 'sara_doe_496'.
    """
    return self.get_user(user_id)


@tool
def list_all_product_types(self: RetailRecords) -> str:
    """List the name and product id of all product types.

    Each product type has a variety of different items with unique item ids and options.
    There are only 50 product types in the store.
    """
    names = {product.name: product.product_id for product in self.db.stored_values("products")}
    return json.dumps(names, sort_keys=True)
