"""The carrier's database (agent side): plans, customers, lines, bills and devices.

Field names, types and defaults follow τ²-bench's telecom ``TelecomDB`` exactly, so its
``db.toml`` loads unchanged and :meth:`runner.DB.hash` gives the value τ²-bench computes. Two
details matter for that hash: numbers declared ``float`` are dumped as floats even when the file
has ``5``, and ``Customer.created_at`` defaults to a *date* (not a datetime), which is dumped as
``"2025-01-01"`` the way τ²-bench's default is.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer
from runner import DB

#: Creation date of accounts whose file gives none (a date, deliberately: see the module doc).
DEFAULT_START_DATE = dt.date(2025, 1, 1)


class Record(BaseModel):
    """Base of the nested records: unknown fields are an error, as in τ²-bench."""

    model_config = ConfigDict(extra="forbid")


class Address(Record):
    street: str = Field(description="Street and house or apartment number")
    city: str = Field(description="City")
    state: str = Field(description="State or province code, e.g. CA")
    zip_code: str = Field(description="Postal code")


class Plan(Record):
    plan_id: str = Field(description="Plan identifier")
    name: str = Field(description="Name shown to customers")
    data_limit_gb: float = Field(description="Data included per month, in GB")
    price_per_month: float = Field(description="Monthly price in USD")
    data_refueling_price_per_gb: float = Field(description="Price of one extra GB of data, in USD")


class DeviceType(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    PHONE = "phone"
    ROUTER = "router"
    TABLET = "tablet"
    WATCH = "watch"
    OTHER = "other"


class Device(Record):
    device_id: str = Field(description="Device identifier")
    device_type: DeviceType = Field(description="Kind of device")
    model: str = Field(description="Model name")
    imei: str | None = Field(None, description="IMEI number")
    is_esim_capable: bool = Field(description="Whether the device accepts an eSIM")
    activated: bool = Field(False, description="Whether the device is activated on the network")
    activation_date: dt.datetime | None = Field(None, description="When it was activated (EST)")
    last_esim_transfer_date: dt.datetime | None = Field(
        None, description="When an eSIM profile was last moved to it (EST)"
    )


class LineStatus(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    ACTIVE = "Active"
    SUSPENDED = "Suspended"
    PENDING_ACTIVATION = "Pending Activation"
    CLOSED = "Closed"


class Line(Record):
    line_id: str = Field(description="Line identifier")
    phone_number: str = Field(description="Phone number of the line")
    status: LineStatus = Field(LineStatus.PENDING_ACTIVATION, description="Line status")
    plan_id: str = Field(description="Plan of the line")
    device_id: str | None = Field(None, description="Device using the line")
    data_used_gb: float = Field(0.0, description="Data used this billing cycle, in GB")
    data_refueling_gb: float = Field(0.0, description="Extra data bought this cycle, in GB")
    roaming_enabled: bool = Field(False, description="Whether international roaming is on")
    contract_end_date: dt.date | None = Field(None, description="End of the contract (EST)")
    last_plan_change_date: dt.date | None = Field(None, description="Last plan change (EST)")
    last_sim_replacement_date: dt.date | None = Field(None, description="Last SIM swap (EST)")
    suspension_start_date: dt.date | None = Field(
        None, description="Start of the current suspension"
    )


class LineItem(Record):
    description: str = Field(description="What the charge or credit is for")
    amount: float = Field(description="USD; positive for charges, negative for credits")
    date: dt.date = Field(description="Date it was applied (EST)")
    item_type: str = Field(description="Category: Plan Charge, Overage, Fee, Credit, Payment...")


class BillStatus(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    DRAFT = "Draft"
    ISSUED = "Issued"
    AWAITING_PAYMENT = "Awaiting Payment"
    PAID = "Paid"
    OVERDUE = "Overdue"
    DISPUTED = "Disputed"


class Bill(Record):
    bill_id: str = Field(description="Bill identifier")
    customer_id: str = Field(description="Customer billed")
    period_start: dt.date = Field(description="First day of the billing period")
    period_end: dt.date = Field(description="Last day of the billing period")
    issue_date: dt.date = Field(description="Date the bill was issued")
    total_due: float = Field(description="Amount due in USD")
    due_date: dt.date = Field(description="Payment deadline")
    line_items: list[LineItem] = Field(
        default_factory=list, description="Charges, credits, payments"
    )
    status: BillStatus = Field(BillStatus.DRAFT, description="Bill status")


class AccountStatus(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    ACTIVE = "Active"
    SUSPENDED = "Suspended"
    PENDING_VERIFICATION = "Pending Verification"
    CLOSED = "Closed"


class PaymentMethodType(str, Enum):  # noqa: UP042 - str mixin as in τ²-bench (same str() and hashes)
    CREDIT_CARD = "Credit Card"
    DEBIT_CARD = "Debit Card"
    PAYPAL = "PayPal"


class PaymentMethod(Record):
    method_type: PaymentMethodType = Field(description="Kind of payment method")
    account_number_last_4: str = Field(description="Last four digits of the account number")
    expiration_date: str = Field(description="Expiry as MM/YYYY")


class Customer(Record):
    customer_id: str = Field(description="Customer identifier")
    full_name: str = Field(description="Full name")
    date_of_birth: str = Field(description="Date of birth (YYYY-MM-DD), used to verify identity")
    email: str = Field(description="Email address")
    phone_number: str = Field(description="Primary contact number")
    address: Address = Field(description="Billing address")
    account_status: AccountStatus = Field(
        AccountStatus.PENDING_VERIFICATION, description="Account status"
    )
    payment_methods: list[PaymentMethod] = Field(
        default_factory=list, description="Stored payment methods"
    )
    line_ids: list[str] = Field(default_factory=list, description="Lines owned by the customer")
    bill_ids: list[str] = Field(default_factory=list, description="Bills of the customer")
    created_at: dt.datetime = Field(
        DEFAULT_START_DATE,  # type: ignore[assignment]  # a date, as τ²-bench's default
        description="When the account was opened (EST)",
    )
    last_extension_date: dt.date | None = Field(None, description="Last payment extension granted")
    goodwill_credit_used_this_year: float = Field(
        0.0, description="Goodwill credit used this year, USD"
    )

    @field_serializer("created_at")
    def _created_at_as_is(self, value: Any) -> Any:
        """Dump the value unchanged: the default is a date, and pydantic would otherwise warn
        on every dump that it is not a datetime (the dumped value is the same)."""
        return value


class TelecomDB(DB):
    """Everything the carrier's systems know; the agent's tools read and change it."""

    plans: list[Plan] = Field(default_factory=list, description="Plans on offer")
    customers: list[Customer] = Field(default_factory=list, description="Customers")
    lines: list[Line] = Field(default_factory=list, description="Phone and data lines")
    bills: list[Bill] = Field(default_factory=list, description="Bills")
    devices: list[Device] = Field(default_factory=list, description="Devices")
