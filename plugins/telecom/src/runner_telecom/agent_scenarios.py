"""Set-up and assertion functions on the carrier's side (not tools: the agent never sees them).

Tasks call them by name: ``initial_state.initialization_actions`` entries with
``env_type: "assistant"`` put the account into the state the scenario needs (data used up, a
line suspended over an unpaid bill), and ``evaluation_criteria.env_assertions`` entries check
the final state. Names, arguments and results are τ²-bench's, so its task files run unchanged.
"""

from __future__ import annotations

from datetime import timedelta

from runner_telecom.carrier import CarrierRecords
from runner_telecom.clock import get_today
from runner_telecom.models import Bill, BillStatus, LineItem, LineStatus


class CarrierScenarios(CarrierRecords):
    """Functions that break an account for a scenario, and assertions on the final state."""

    # -- set-up ------------------------------------------------------------------------------
    def set_data_usage(self, customer_id: str, line_id: str, data_used_gb: float) -> str:
        """Set the data used this cycle on a line (e.g. past the plan's limit)."""
        line = self._get_target_line(customer_id, line_id)
        line.data_used_gb = data_used_gb
        return f"Data usage set to {data_used_gb} GB for line {line_id}"

    def suspend_line_for_overdue_bill(
        self, customer_id: str, line_id: str, new_bill_id: str, contract_ended: bool
    ) -> str:
        """Suspend an active line over a new overdue bill of one month's plan price.

        The bill covers last month. With ``contract_ended`` the line's contract is also made to
        end last month, which (by the policy) forbids the agent to lift the suspension.
        """
        line = self._get_line_by_id(line_id)
        if line.status != LineStatus.ACTIVE:
            raise ValueError("Line must be active to suspend for unpaid bill")
        amount = self._get_plan_by_id(line.plan_id).price_per_month
        if amount <= 0:
            raise ValueError("Amount must be positive for overdue bill")
        customer = self._get_customer_by_id(customer_id)
        for bill_id in customer.bill_ids:
            if self._get_bill_by_id(bill_id).status == BillStatus.OVERDUE:
                raise ValueError("Customer already has an overdue bill")

        today = get_today()
        last_month_end = today.replace(day=1) - timedelta(days=1)
        last_month_start = last_month_end.replace(day=1)
        bill = Bill(
            bill_id=new_bill_id,
            customer_id=customer_id,
            period_start=last_month_start,
            period_end=last_month_end,
            issue_date=last_month_start,
            total_due=0,
            due_date=last_month_start + timedelta(days=14),
            status=BillStatus.OVERDUE,
        )
        bill.line_items.append(
            LineItem(
                description=f"Charge for line {line.line_id}",
                amount=amount,
                date=today,
                item_type="Charge" if amount > 0 else "Credit",
            )
        )
        bill.total_due += amount
        self.db.bills.append(bill)
        customer.bill_ids.append(new_bill_id)
        line.status = LineStatus.SUSPENDED
        line.suspension_start_date = today
        if contract_ended:
            line.contract_end_date = last_month_end
        return f"Line {line_id} suspended for unpaid bill {new_bill_id}. Contract ended: {contract_ended}"

    # -- assertions --------------------------------------------------------------------------
    def assert_data_refueling_amount(
        self, customer_id: str, line_id: str, expected_amount: float
    ) -> bool:
        """Whether the line's extra data this cycle is ``expected_amount`` GB."""
        line = self._get_target_line(customer_id, line_id)
        return abs(line.data_refueling_gb - expected_amount) < 1e-6

    def assert_line_status(
        self, customer_id: str, line_id: str, expected_status: LineStatus
    ) -> bool:
        """Whether the line has the expected status (e.g. ``"Active"``)."""
        return self._get_target_line(customer_id, line_id).status == expected_status

    def assert_overdue_bill_exists(self, customer_id: str, overdue_bill_id: str) -> bool:
        """True when the customer has this bill and it is overdue; an error otherwise."""
        customer = self._get_customer_by_id(customer_id)
        if overdue_bill_id not in customer.bill_ids:
            raise ValueError(f"Overdue bill {overdue_bill_id} not found")
        if self._get_bill_by_id(overdue_bill_id).status != BillStatus.OVERDUE:
            raise ValueError(f"Overdue bill {overdue_bill_id} is not overdue")
        return True

    def assert_no_overdue_bill(self, overdue_bill_id: str) -> bool:
        """Whether the bill is paid or does not exist."""
        try:
            bill = self._get_bill_by_id(overdue_bill_id)
        except ValueError:
            return True
        return bill.status == BillStatus.PAID
