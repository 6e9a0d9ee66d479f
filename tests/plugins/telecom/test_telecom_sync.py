"""Dual control: what the agent does on the account reaches the phone (Environment.sync)."""

from __future__ import annotations

from typing import Any

from runner import EnvFunctionCall
from telecom_helpers import call, user_env


def surroundings(env: Any) -> Any:
    return env.user_toolkit.db.surroundings


def test_nothing_is_synchronised_before_the_phone_has_a_number(domain: Any) -> None:
    env = domain.environment()
    call(env, "suspend_line", customer_id="C2003", line_id="L2004", reason="x")
    assert surroundings(env).line_active is True


def test_suspended_line_loses_service_after_a_network_search(domain: Any) -> None:
    env = user_env(domain)
    call(env, "suspend_line", customer_id="C2003", line_id="L2004", reason="x")
    assert surroundings(env).line_active is False
    assert "Excellent" not in call(env, "check_status_bar", requestor="user").content
    assert call(env, "reboot_device", requestor="user").content.endswith(
        "📵 No Signal | 📵 Data Disabled | 🔋 64%"
    )
    call(env, "resume_line", customer_id="C2003", line_id="L2004")
    assert surroundings(env).line_active is True
    assert "📶⁴ Excellent | 5G" in call(env, "reboot_device", requestor="user").content


def test_roaming_abroad_needs_the_line_and_the_phone(domain: Any) -> None:
    env = user_env(domain, "206-555-0142", "Kenji Watanabe")
    env.run_function(
        EnvFunctionCall(env_type="user", func_name="set_user_location", arguments={"abroad": True})
    )
    call(env, "toggle_roaming", requestor="user")
    assert (
        call(env, "run_speed_test", requestor="user").content == "Speed test failed: No Connection."
    )
    call(env, "enable_roaming", customer_id="C2002", line_id="L2003")
    assert surroundings(env).roaming_allowed is True
    # toggle_roaming searched the network again: 5G with excellent signal.
    assert call(env, "run_speed_test", requestor="user").content.startswith(
        "Speed Test Result: 275.00 Mbps"
    )


def test_data_used_up_stops_mobile_data_until_refuelled(domain: Any) -> None:
    env = user_env(domain)
    env.run_function(
        EnvFunctionCall(
            env_type="assistant",
            func_name="set_data_usage",
            arguments={"customer_id": "C2003", "line_id": "L2004", "data_used_gb": 3.0},
        )
    )
    assert surroundings(env).mobile_data_usage_exceeded is True  # used >= limit + refuelled
    assert (
        call(env, "run_speed_test", requestor="user").content == "Speed test failed: No Connection."
    )
    call(env, "refuel_data", customer_id="C2003", line_id="L2004", gb_amount=0.5)
    assert surroundings(env).mobile_data_usage_exceeded is False


def test_payment_request_round_trip(domain: Any) -> None:
    env = user_env(domain, "503-555-0123", "Sofia Rossi")
    call(env, "send_payment_request", customer_id="C2005", bill_id="B2007")
    assert (
        call(env, "check_payment_request", requestor="user").content
        == "You have a payment request for bill B2007 of 61.5 USD."
    )
    assert (
        call(env, "make_payment", requestor="user").content
        == "Payment of 61.5 USD has been made for bill B2007."
    )
    assert surroundings(env).payment_request is None
    bill = next(b for b in env.toolkit.db.bills if b.bill_id == "B2007")
    assert bill.status.value == "Paid"
    assert (
        call(env, "check_payment_request", requestor="user").content
        == "No payment request has been made."
    )


def test_environment_synchronises_when_created(domain: Any) -> None:
    from runner_telecom.environment import TelecomEnvironment
    from runner_telecom.tools import TelecomTools
    from runner_telecom.user_tools import TelecomUserTools

    db = domain.base_db().model_copy(deep=True)
    db.lines[3].status = "Suspended"  # L2004
    user_db = domain.base_user_db().model_copy(deep=True)
    user_db.surroundings.phone_number = "312-555-0177"
    env = TelecomEnvironment("telecom", "", TelecomTools(db), TelecomUserTools(user_db))
    assert env.user_toolkit.db.surroundings.line_active is False


def test_unknown_phone_number_fails_the_set_up(domain: Any) -> None:
    import pytest

    env = domain.environment()
    with pytest.raises(ValueError, match="Line with phone number 999-999-9999 not found"):
        env.run_function(
            EnvFunctionCall(
                env_type="user",
                func_name="set_user_info",
                arguments={"name": "Nobody", "phone_number": "999-999-9999"},
            )
        )
