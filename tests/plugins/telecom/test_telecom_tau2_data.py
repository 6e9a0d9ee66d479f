"""τ²-bench's telecom data: loads unchanged, hashes as τ²-bench hashes it, and every task of
``tasks_small.json`` set up and solved by its expected actions meets its env assertions."""

from __future__ import annotations

from typing import Any

import pytest
from runner import ToolCall

# sha256 of json.dumps(db.model_dump(), sort_keys=True, default=str) computed by τ²-bench's own
# TelecomDB / TelecomUserDB models (tau2-bench commit a2c02472) on the same files.
TAU2_DB_HASH = "304cf5ef059852e117ea801ab9a5efc24c9713ec887679dc2e30acceb4b6742d"
TAU2_USER_DB_HASH = "e1f3a8637388808221228ff3f87294444e6b64caf721f5eb243a85d0a9380b28"

AGENT_TOOLS = [
    "get_customer_by_phone",
    "get_customer_by_id",
    "get_customer_by_name",
    "get_details_by_id",
    "suspend_line",
    "resume_line",
    "get_bills_for_customer",
    "send_payment_request",
    "get_data_usage",
    "enable_roaming",
    "disable_roaming",
    "transfer_to_human_agents",
    "refuel_data",
]
AGENT_WRITES = {
    "suspend_line",
    "resume_line",
    "send_payment_request",
    "enable_roaming",
    "disable_roaming",
    "refuel_data",
}
USER_TOOLS = [
    "check_status_bar",
    "check_network_status",
    "check_network_mode_preference",
    "set_network_mode_preference",
    "run_speed_test",
    "toggle_airplane_mode",
    "check_sim_status",
    "reseat_sim_card",
    "toggle_data",
    "toggle_roaming",
    "check_data_restriction_status",
    "toggle_data_saver_mode",
    "check_apn_settings",
    "set_apn_settings",
    "reset_apn_settings",
    "check_wifi_status",
    "toggle_wifi",
    "check_wifi_calling_status",
    "toggle_wifi_calling",
    "check_vpn_status",
    "connect_vpn",
    "disconnect_vpn",
    "check_installed_apps",
    "check_app_status",
    "check_app_permissions",
    "grant_app_permission",
    "can_send_mms",
    "reboot_device",
    "check_payment_request",
    "make_payment",
]
USER_WRITES = {
    "set_network_mode_preference",
    "toggle_airplane_mode",
    "reseat_sim_card",
    "toggle_data",
    "toggle_roaming",
    "toggle_data_saver_mode",
    "set_apn_settings",
    "reset_apn_settings",
    "toggle_wifi",
    "toggle_wifi_calling",
    "connect_vpn",
    "disconnect_vpn",
    "grant_app_permission",
    "reboot_device",
    "make_payment",
}
# Descriptions as τ²-bench's schema builder renders them (first line, blank line, the rest).
DESCRIPTIONS = {
    "get_customer_by_name": "Searches for customers by name and DOB. May return multiple matches if "
    "names are similar,\n\nDOB helps disambiguate.",
    "send_payment_request": "Sends a payment request to the customer for a specific bill.\n\nChecks:\n"
    "    - Customer exists\n    - Bill exists and belongs to the customer\n"
    "    - No other bills are already awaiting payment for this customer\n"
    "Logic: Sets bill status to AWAITING_PAYMENT and notifies customer.\n"
    "Warning: This method does not check if the bill is already PAID.\n"
    "Always check the bill status before calling this method.",
    "transfer_to_human_agents": "Transfer the user to a human agent, with a summary of the user's issue."
    "\n\nOnly transfer if\n -  the user explicitly asks for a human agent\n"
    " -  given the policy and the available tools, you cannot solve the "
    "user's issue.",
    "toggle_airplane_mode": "Toggles Airplane Mode ON or OFF. When ON, it disconnects all wireless "
    "communications including cellular, Wi-Fi, and Bluetooth.\n\nReturns the "
    "new state of airplane_mode.",
    "set_apn_settings": "Sets the APN settings for the phone.",
}


def test_tau2_databases_hash_like_tau2(tau2_domain: Any) -> None:
    assert tau2_domain.base_db().hash() == TAU2_DB_HASH
    assert tau2_domain.base_user_db().hash() == TAU2_USER_DB_HASH


def test_tool_names_order_write_flags_and_descriptions(tau2_domain: Any) -> None:
    env = tau2_domain.environment()
    assert [t.name for t in env.tools()] == AGENT_TOOLS
    assert [t.name for t in env.user_tools()] == USER_TOOLS
    assert {t.name for t in env.tools() if t.write} == AGENT_WRITES
    assert {t.name for t in env.user_tools() if t.write} == USER_WRITES
    described = {t.name: t.description for t in env.tools() + env.user_tools()}
    for name, text in DESCRIPTIONS.items():
        assert described[name] == text


def test_argument_schemas(tau2_domain: Any) -> None:
    tools = {t.name: t.parameters for t in tau2_domain.environment().tools()}
    refuel = tools["refuel_data"]
    assert refuel["required"] == ["customer_id", "line_id", "gb_amount"]
    assert refuel["properties"]["gb_amount"]["type"] == "number"
    assert refuel["properties"]["gb_amount"]["description"] == "Amount of data to add in gigabytes."
    bills = tools["get_bills_for_customer"]
    assert bills["required"] == ["customer_id"]
    assert bills["properties"]["limit"] == {
        "default": 12,
        "description": "Maximum number of bills to return.",
        "type": "integer",
    }
    user = {t.name: t.parameters for t in tau2_domain.environment().user_tools()}
    mode = user["set_network_mode_preference"]["properties"]["mode"]["anyOf"]
    assert {"type": "string"} in mode
    assert user["set_network_mode_preference"]["$defs"]["NetworkModePreference"]["enum"] == [
        "4g_5g_preferred",
        "4g_only",
        "3g_only",
        "2g_only",
    ]


def test_tasks_small_and_splits(tau2_domain: Any) -> None:
    tasks = tau2_domain.tasks()
    assert len(tasks) == 20  # base names none of them: every task of tasks_small.json
    assert [t.id for t in tau2_domain.tasks("small")] == [t.id for t in tasks]
    assert set(tau2_domain.splits()) == {"small", "train", "test", "full", "base"}
    assert tau2_domain.tasks("train") == []


def test_policy_is_composed_like_tau2(tau2_domain: Any, tau2_telecom_dir: Any) -> None:
    main = (tau2_telecom_dir / "main_policy.md").read_text(encoding="utf-8")
    manual = (tau2_telecom_dir / "tech_support_manual.md").read_text(encoding="utf-8")
    expected = (
        f"<main_policy>\n{main}\n</main_policy>\n"
        f"<tech_support_policy>\n{manual}\n</tech_support_policy>"
    )
    assert tau2_domain.environment().policy == expected
    from runner_telecom.domain import TelecomWorkflowDomain

    workflow = TelecomWorkflowDomain().configure({"data_dir": str(tau2_telecom_dir)})
    assert "tech_support_workflow" not in workflow.policy
    assert (tau2_telecom_dir / "tech_support_workflow.md").read_text(
        encoding="utf-8"
    ) in workflow.policy


def _solve(domain: Any, task: Any) -> tuple[Any, list[bool]]:
    env = domain.environment()
    env.apply_initial_state(task.initial_state)
    before = [env.check(a) for a in task.evaluation_criteria.env_assertions or []]
    for i, action in enumerate(task.expected_actions()):
        result = env.execute(
            ToolCall(
                id=str(i), name=action.name, arguments=action.arguments, requestor=action.requestor
            )
        )
        assert not result.error, f"{task.id}: {action.name}: {result.content}"
    return env, before


def test_every_tasks_small_task_is_solved_by_its_expected_actions(tau2_domain: Any) -> None:
    broken = 0
    for task in tau2_domain.tasks("small"):
        env, before = _solve(tau2_domain, task)
        broken += not all(before)
        for assertion in task.evaluation_criteria.env_assertions:
            assert env.check(assertion), f"{task.id}: {assertion.func_name}{assertion.arguments}"
    # The assertions are not trivially true: most tasks start broken.
    assert broken >= 16


@pytest.mark.parametrize("task_id", ["[service_issue]overdue_bill_suspension[PERSONA:Easy]"])
def test_overdue_bill_task_end_state(tau2_domain: Any, task_id: str) -> None:
    task = next(t for t in tau2_domain.tasks() if t.id == task_id)
    env, _ = _solve(tau2_domain, task)
    bill = next(b for b in env.toolkit.db.bills if b.bill_id == "B1234321")
    assert bill.status.value == "Paid"
    line = next(x for x in env.toolkit.db.lines if x.line_id == "L1002")
    assert line.status.value == "Active" and line.suspension_start_date is None
    assert env.user_toolkit.db.surroundings.payment_request is None
    assert env.user_toolkit.db.device.network_connection_status.value == "connected"
