"""``TelecomEnvironment``: dual control, with the two sides kept in step.

The agent works on the carrier's systems and the user on their phone, but the two are one
world: a suspended line has no service, a line without roaming gets no data abroad, data used
up stops mobile data, and a payment request sent by the agent appears on the phone. After every
tool call (and when the environment is created, and after each set-up step) :meth:`sync`
copies what the carrier knows about the phone's line into the user's surroundings, and settles
a paid request on the carrier's side, in τ²-bench's order:

1. the line's status and roaming flag, and whether its data is used up;
2. a request the user has paid marks its bill paid and disappears;
3. with no request pending, the first bill awaiting payment becomes the phone's request.

Until the user's phone number is set (``set_user_info``) there is nothing to synchronise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from runner import Environment

from runner_telecom.models import LineStatus
from runner_telecom.user_models import PaymentRequest

if TYPE_CHECKING:
    from runner_telecom.tools import TelecomTools
    from runner_telecom.user_tools import TelecomUserTools


class TelecomEnvironment(Environment):
    """The telecom environment; like τ²-bench's, it synchronises once when created."""

    toolkit: TelecomTools
    user_toolkit: TelecomUserTools

    def __init__(
        self,
        domain_name: str,
        policy: str,
        tools: TelecomTools,
        user_tools: TelecomUserTools | None = None,
    ) -> None:
        super().__init__(domain_name, policy, tools, user_tools)
        self.sync()

    def sync(self) -> None:
        if self.user_toolkit is None:
            return
        around = self.user_toolkit.db.surroundings
        phone_number = around.phone_number
        if phone_number is None:
            return
        carrier = self.toolkit
        line = carrier._get_line_by_phone(phone_number)
        around.line_active = line.status == LineStatus.ACTIVE
        around.roaming_allowed = line.roaming_enabled
        plan = carrier._get_plan_by_id(line.plan_id)
        around.mobile_data_usage_exceeded = (
            line.data_used_gb >= plan.data_limit_gb + line.data_refueling_gb
        )

        request = around.payment_request
        if request is not None and request.paid:
            carrier._set_bill_to_paid(request.bill_id)
            around.payment_request = None
        if around.payment_request is None:
            customer = carrier._get_customer_by_phone(phone_number)
            awaiting = carrier._get_bills_awaiting_payment(customer)
            if awaiting:
                around.payment_request = PaymentRequest(
                    bill_id=awaiting[0].bill_id, amount_due=awaiting[0].total_due
                )
