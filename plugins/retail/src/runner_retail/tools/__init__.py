"""The retail agent's tools: :class:`RetailTools`, τ²-bench's retail toolkit, call for call.

Users come from τ²-bench and compare scores, so every tool matches τ²-bench's retail tool of the
same name: arguments, the description an LLM reads, return values, error messages, and the
changes made to the database -- including the order in which checks fail and τ²-bench's quirks,
which its scores depend on.

The tools live by concept -- :mod:`~runner_retail.tools.lookups` (the read-only tools),
:mod:`~runner_retail.tools.changes` (the write tools), :mod:`~runner_retail.tools.service` (the
calculator and the hand-off to a human) -- over what they share, in :mod:`runner_retail.records`
(record lookups, private copies for changes, item pricing). This module only assembles them: a
toolkit lists its tools in the order its class defines them, and agents see them in τ²-bench's
order, which interleaves the concepts.
"""

from __future__ import annotations

from runner_retail.records import RetailRecords
from runner_retail.tools import changes, lookups, service


class RetailTools(RetailRecords):
    """The sixteen tools of τ²-bench's retail agent, in τ²-bench's order."""

    calculate = service.calculate
    cancel_pending_order = changes.cancel_pending_order
    exchange_delivered_order_items = changes.exchange_delivered_order_items
    find_user_id_by_name_zip = lookups.find_user_id_by_name_zip
    find_user_id_by_email = lookups.find_user_id_by_email
    get_order_details = lookups.get_order_details
    get_product_details = lookups.get_product_details
    get_item_details = lookups.get_item_details
    get_user_details = lookups.get_user_details
    list_all_product_types = lookups.list_all_product_types
    modify_pending_order_address = changes.modify_pending_order_address
    modify_pending_order_items = changes.modify_pending_order_items
    modify_pending_order_payment = changes.modify_pending_order_payment
    modify_user_address = changes.modify_user_address
    return_delivered_order_items = changes.return_delivered_order_items
    transfer_to_human_agents = service.transfer_to_human_agents


__all__ = ["RetailTools"]
