"""``CarrierRecords``: look-ups and billing helpers over the carrier's database.

These are not tools; the agent's tools (:mod:`runner_telecom.tools`), the task set-up functions
(:mod:`runner_telecom.agent_scenarios`) and the environment's synchronisation use them. Every
"not found" is a ``ValueError`` whose text is the one τ²-bench's tools return, because the agent
reads it.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from runner_telecom.clock import get_today
from runner_telecom.models import (
    Bill,
    BillStatus,
    Customer,
    Device,
    Line,
    LineItem,
    Plan,
    TelecomDB,
)
from runner_telecom.toolkit import TelecomToolKit


class CarrierRecords(TelecomToolKit):
    """Look-ups by id or phone number, and the billing operations the tools share."""

    db: TelecomDB

    # -- look-ups ----------------------------------------------------------------------------
    def _get_customer_by_id(self, customer_id: str) -> Customer:
        for customer in self.db.customers:
            if customer.customer_id == customer_id:
                return customer
        raise ValueError(f"Customer with ID {customer_id} not found")

    def _get_line_by_phone(self, phone_number: str) -> Line:
        for line in self.db.lines:
            if line.phone_number == phone_number:
                return line
        raise ValueError(f"Line with phone number {phone_number} not found")

    def _get_line_by_id(self, line_id: str) -> Line:
        for line in self.db.lines:
            if line.line_id == line_id:
                return line
        raise ValueError(f"Line with ID {line_id} not found")

    def _get_plan_by_id(self, plan_id: str) -> Plan:
        for plan in self.db.plans:
            if plan.plan_id == plan_id:
                return plan
        raise ValueError(f"Plan with ID {plan_id} not found")

    def _get_device_by_id(self, device_id: str) -> Device:
        for device in self.db.devices:
            if device.device_id == device_id:
                return device
        raise ValueError(f"Device with ID {device_id} not found")

    def _get_bill_by_id(self, bill_id: str) -> Bill:
        for bill in self.db.bills:
            if bill.bill_id == bill_id:
                return bill
        raise ValueError(f"Bill with ID {bill_id} not found")

    def _get_target_line(self, customer_id: str, line_id: str) -> Line:
        """A line that must belong to the customer (the check every line tool makes first)."""
        customer = self._get_customer_by_id(customer_id)
        if line_id not in customer.line_ids:
            raise ValueError(f"Line {line_id} not found for customer {customer_id}")
        return self._get_line_by_id(line_id)

    def _get_customer_by_phone(self, phone_number: str) -> Customer:
        """The customer whose contact number, or one of whose lines, has this number."""
        for customer in self.db.customers:
            if customer.phone_number == phone_number:
                return customer
            for line_id in customer.line_ids:
                if self._get_line_by_id(line_id).phone_number == phone_number:
                    return customer
        raise ValueError(f"Customer with phone number {phone_number} not found")

    def get_available_plan_ids(self) -> list[str]:
        """Ids of every plan on offer."""
        return [plan.plan_id for plan in self.db.plans]

    # -- billing -----------------------------------------------------------------------------
    def _get_bills_awaiting_payment(self, customer: Customer) -> list[Bill]:
        bills = []
        for bill_id in customer.bill_ids:
            bill = self._get_bill_by_id(bill_id)
            if bill.status == BillStatus.AWAITING_PAYMENT:
                bills.append(bill)
        return bills

    def _set_bill_to_paid(self, bill_id: str) -> str:
        self._get_bill_by_id(bill_id).status = BillStatus.PAID
        return f"Bill {bill_id} set to paid"

    def _apply_one_time_charge(self, customer_id: str, amount: float, description: str) -> None:
        """Add a charge (or, negative, a credit) to the customer's draft bill, creating one for
        next month's cycle if there is none."""
        customer = self._get_customer_by_id(customer_id)
        draft = None
        for bill_id in customer.bill_ids:
            bill = self._get_bill_by_id(bill_id)
            if bill.status == BillStatus.DRAFT:
                draft = bill
                break
        if draft is None:
            start = _first_of_next_month(get_today())
            draft = Bill(
                bill_id=self._new_bill_id(customer_id),
                customer_id=customer_id,
                period_start=start,
                period_end=_first_of_next_month(start) - timedelta(days=1),
                issue_date=start,
                total_due=0,
                due_date=start + timedelta(days=14),
                status=BillStatus.DRAFT,
            )
            self.db.bills.append(draft)
            customer.bill_ids.append(draft.bill_id)
        draft.line_items.append(
            LineItem(
                description=description,
                amount=amount,
                date=get_today(),
                item_type="Credit" if amount < 0 else "Charge",
            )
        )
        draft.total_due += amount

    def _new_bill_id(self, customer_id: str) -> str:
        """A new draft bill's id: ``B`` and eight hex digits, like τ²-bench's.

        τ²-bench draws them from ``uuid4``, so two runs of the same conversation end in different
        databases. Here the digits come from the customer and the number of bills, so the same
        actions always give the same database (the DB check depends on it).
        """
        n = len(self.db.bills)
        while True:
            digest = hashlib.sha256(f"{customer_id}:{n}".encode()).hexdigest()[:8]
            bill_id = f"B{digest}"
            if all(b.bill_id != bill_id for b in self.db.bills):
                return bill_id
            n += 1


def _first_of_next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)
