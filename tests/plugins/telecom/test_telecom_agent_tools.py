"""The agent's tools on the plugin's own data: results and error texts as τ²-bench words them."""

from __future__ import annotations

import json
from typing import Any

from runner import EnvFunctionCall
from telecom_helpers import call


def test_customer_lookups(domain: Any) -> None:
    env = domain.environment()
    by_line = call(env, "get_customer_by_phone", phone_number="617-555-0191")  # Liam's second line
    assert json.loads(by_line.content)["customer_id"] == "C2004"
    missing = call(env, "get_customer_by_phone", phone_number="000")
    assert (missing.error, missing.content) == (
        True,
        "Error: Customer with phone number 000 not found",
    )
    marias = json.loads(
        call(env, "get_customer_by_name", full_name="maria gonzalez", dob="1988-12-05").content
    )
    assert [c["customer_id"] for c in marias] == ["C2006"]
    assert (
        call(env, "get_customer_by_name", full_name="Maria Gonzalez", dob="2000-01-01").content
        == "[]"
    )
    assert (
        call(env, "get_customer_by_id", customer_id="C9").content
        == "Error: Customer with ID C9 not found"
    )


def test_details_by_id_dispatches_on_the_first_letter(domain: Any) -> None:
    env = domain.environment()
    assert json.loads(call(env, "get_details_by_id", id="P2003").content)["name"] == "Max 50"
    device = json.loads(call(env, "get_details_by_id", id="D2006").content)
    assert (device["device_type"], device["activation_date"]) == ("watch", "2025-01-08 13:10:00")
    assert call(env, "get_details_by_id", id="X1").content == "Error: Unknown ID format or type: X1"
    assert (
        call(env, "get_details_by_id", id="L9999").content == "Error: Line with ID L9999 not found"
    )
    assert call(env, "get_details_by_id", id="B0").content == "Error: Bill with ID B0 not found"


def test_suspend_and_resume_line(domain: Any) -> None:
    env = domain.environment()
    out = json.loads(
        call(env, "suspend_line", customer_id="C2004", line_id="L2006", reason="travel").content
    )
    assert out["message"] == "Line suspended successfully. $5/month holding fee will apply."
    assert (out["line"]["status"], out["line"]["suspension_start_date"]) == (
        "Suspended",
        "2025-02-25",
    )
    again = call(env, "suspend_line", customer_id="C2004", line_id="L2006", reason="x")
    assert again.content == "Error: Line must be active to suspend"
    resumed = json.loads(call(env, "resume_line", customer_id="C2004", line_id="L2006").content)
    assert resumed["message"] == "Line resumed successfully"
    assert resumed["line"]["suspension_start_date"] is None
    assert (
        call(env, "resume_line", customer_id="C2004", line_id="L2006").content
        == "Error: Line must be suspended to resume"
    )
    assert (
        call(env, "suspend_line", customer_id="C2001", line_id="L2003", reason="x").content
        == "Error: Line L2003 not found for customer C2001"
    )
    # A pending activation line can be resumed (activated), as in τ²-bench.
    assert "resumed" in call(env, "resume_line", customer_id="C2006", line_id="L2008").content


def test_bad_arguments_read_like_tau2(domain: Any) -> None:
    env = domain.environment()
    missing = call(env, "suspend_line", customer_id="C2004", line_id="L2006")
    assert missing.error
    assert (
        missing.content
        == "Error: TelecomTools.suspend_line() missing 1 required positional argument: 'reason'"
    )
    extra = call(env, "transfer_to_human_agents", summary="s", urgent=True)
    assert extra.content == (
        "Error: TelecomTools.transfer_to_human_agents() got an unexpected keyword argument 'urgent'"
    )
    assert call(env, "no_such_tool").content == "Error: Tool 'no_such_tool' not found."


def test_bills_newest_first_and_payment_requests(domain: Any) -> None:
    env = domain.environment()
    bills = json.loads(call(env, "get_bills_for_customer", customer_id="C2005").content)
    assert [b["bill_id"] for b in bills] == ["B2007", "B2006"]
    assert (
        len(json.loads(call(env, "get_bills_for_customer", customer_id="C2005", limit=1).content))
        == 1
    )
    assert (
        call(env, "send_payment_request", customer_id="C2005", bill_id="B2001").content
        == "Error: Bill B2001 not found for customer C2005"
    )
    sent = call(env, "send_payment_request", customer_id="C2005", bill_id="B2007")
    assert sent.content == "Payment request sent to the customer for bill B2007"
    assert (
        call(env, "send_payment_request", customer_id="C2005", bill_id="B2006").content
        == "Error: A bill is already awaiting payment for this customer"
    )
    assert (
        json.loads(call(env, "get_details_by_id", id="B2007").content)["status"]
        == "Awaiting Payment"
    )


def test_data_usage_and_roaming(domain: Any) -> None:
    env = domain.environment()
    assert call(env, "get_data_usage", customer_id="C2003", line_id="L2004").content == (
        '{"line_id": "L2004", "data_used_gb": "1.2", "data_limit_gb": "3.0", '
        '"data_refueling_gb": "0.0", "cycle_end_date": "2025-02-28"}'
    )
    assert (
        call(env, "enable_roaming", customer_id="C2002", line_id="L2003").content
        == "Roaming enabled successfully"
    )
    assert (
        call(env, "enable_roaming", customer_id="C2002", line_id="L2003").content
        == "Roaming was already enabled"
    )
    assert (
        call(env, "disable_roaming", customer_id="C2002", line_id="L2003").content
        == "Roaming disabled successfully"
    )
    assert (
        call(env, "disable_roaming", customer_id="C2002", line_id="L2003").content
        == "Roaming was already disabled"
    )
    assert call(env, "transfer_to_human_agents", summary="help").content == "Transfer successful"
    assert not env.toolkit.is_write("transfer_to_human_agents")


def test_refuel_keeps_the_number_as_sent_and_bills_a_draft(domain: Any) -> None:
    env = domain.environment()
    as_int = call(env, "refuel_data", customer_id="C2003", line_id="L2004", gb_amount=2)
    assert as_int.content == (
        '{"message": "Successfully added 2 GB of data for line L2004 for $12.00", '
        '"new_data_refueling_gb": "2.0", "charge": "12.0"}'
    )
    as_float = call(env, "refuel_data", customer_id="C2003", line_id="L2004", gb_amount=0.5)
    assert (
        json.loads(as_float.content)["message"]
        == "Successfully added 0.5 GB of data for line L2004 for $3.00"
    )
    customer = env.toolkit.db.customers[2]
    draft = env.toolkit.db.bills[-1]
    assert (
        customer.bill_ids[-1] == draft.bill_id
        and len(draft.bill_id) == 9
        and draft.bill_id[0] == "B"
    )
    assert (
        draft.status.value,
        str(draft.period_start),
        str(draft.period_end),
        str(draft.due_date),
    ) == ("Draft", "2025-03-01", "2025-03-31", "2025-03-15")
    assert [i.description for i in draft.line_items] == [
        "Data refueling: 2 GB at $6.0/GB",
        "Data refueling: 0.5 GB at $6.0/GB",
    ]
    assert draft.total_due == 15.0
    assert (
        call(env, "refuel_data", customer_id="C2003", line_id="L2004", gb_amount=-1).content
        == "Error: Refuel amount must be positive"
    )
    # Deterministic: the same calls on a fresh environment give the same database.
    other = domain.environment()
    call(other, "refuel_data", customer_id="C2003", line_id="L2004", gb_amount=2)
    call(other, "refuel_data", customer_id="C2003", line_id="L2004", gb_amount=0.5)
    assert other.db_hash() == env.db_hash()


def _fn(env: Any, name: str, **arguments: Any) -> Any:
    return env.run_function(
        EnvFunctionCall(env_type="assistant", func_name=name, arguments=arguments)
    )


def test_overdue_bill_set_up_and_assertions(domain: Any) -> None:
    env = domain.environment()
    out = _fn(
        env,
        "suspend_line_for_overdue_bill",
        customer_id="C2005",
        line_id="L2007",
        new_bill_id="B77",
        contract_ended=True,
    )
    assert out == "Line L2007 suspended for unpaid bill B77. Contract ended: True"
    bill = json.loads(call(env, "get_details_by_id", id="B77").content)
    assert (bill["status"], bill["total_due"], bill["period_start"], bill["due_date"]) == (
        "Overdue",
        55.0,
        "2025-01-01",
        "2025-01-15",
    )
    line = env.toolkit.db.lines[6]
    assert (line.status.value, str(line.contract_end_date)) == ("Suspended", "2025-01-31")
    assert (
        _fn(env, "assert_overdue_bill_exists", customer_id="C2005", overdue_bill_id="B77") is True
    )
    assert _fn(env, "assert_no_overdue_bill", overdue_bill_id="B77") is False
    assert _fn(env, "assert_no_overdue_bill", overdue_bill_id="B-none") is True
    assert _fn(
        env, "assert_line_status", customer_id="C2005", line_id="L2007", expected_status="Suspended"
    )
    try:
        _fn(
            env,
            "suspend_line_for_overdue_bill",
            customer_id="C2005",
            line_id="L2007",
            new_bill_id="B78",
            contract_ended=False,
        )
    except ValueError as exc:
        assert str(exc) == "Line must be active to suspend for unpaid bill"
    else:
        raise AssertionError("suspending a suspended line must fail")
    assert (
        _fn(env, "set_data_usage", customer_id="C2003", line_id="L2004", data_used_gb=5)
        == "Data usage set to 5 GB for line L2004"
    )
    assert _fn(env, "get_available_plan_ids") == ["P2001", "P2002", "P2003", "P2004", "P2005"]
