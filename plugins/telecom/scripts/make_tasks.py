"""Write runner-telecom's own task set: ``data/tasks.json`` and ``data/split_tasks.json``.

Run from the repository root after changing a scenario::

    .venv/bin/python plugins/telecom/scripts/make_tasks.py

Each task breaks something (on the phone, on the account, or both) with its initialisation
actions, lists the actions that fix it (``requestor`` says who performs each one: the agent on
the carrier's systems, or the customer on their phone), and checks the outcome with env
assertions. Every task is solvable by following ``main_policy.md`` and the tech support guide.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "src" / "runner_telecom" / "data"

CUSTOMERS = {
    # key: (customer id, name, date of birth, phone number, line id)
    "maria": ("C2001", "Maria Gonzalez", "1979-03-14", "415-555-0101", "L2001"),
    "kenji": ("C2002", "Kenji Watanabe", "1990-11-02", "206-555-0142", "L2003"),
    "aisha": ("C2003", "Aisha Bello", "1985-07-21", "312-555-0177", "L2004"),
    "liam": ("C2004", "Liam O'Connor", "1972-01-30", "617-555-0190", "L2005"),
    "sofia": ("C2005", "Sofia Rossi", "1995-09-09", "503-555-0123", "L2007"),
}

PERSONAS = [
    "You are a retired schoolteacher in your late sixties. You are polite and patient, read "
    "every instruction twice, and like to be told exactly which button to press.",
    "You are a nurse between two shifts, friendly but short on time. You follow instructions "
    "quickly and say so when something did not work.",
    "You are a university student who is fluent with phones and slightly impatient. You "
    "dislike repeating information you have already given.",
]

GROUNDING = (
    "Whenever the agent asks about your phone, answer only from the result of a tool call you "
    "made on it; never guess what the screen shows. Perform the actions the agent asks for when "
    "you have a tool for them. If an action does not fix the problem, say so and keep "
    "cooperating. If you are unsure whether an action is needed, ask the agent."
)


def u(name: str, **arguments: Any) -> tuple[str, str, dict[str, Any]]:
    return ("user", name, arguments)


def a(name: str, **arguments: Any) -> tuple[str, str, dict[str, Any]]:
    return ("assistant", name, arguments)


TRANSFER = a("transfer_to_human_agents", summary="The issue cannot be solved within policy.")
SERVICE_OK = [u("assert_service_status", expected_status="connected")]
DATA_OK = [
    u("assert_mobile_data_status", expected_status=True),
    u("assert_internet_speed", expected_speed=200, expected_desc="excellent"),
]
MMS_OK = [u("assert_can_send_mms", expected_status=True)]


def task(
    key: str,
    category: str,
    scenario: str,
    persona: int,
    who: str,
    reason: str,
    resolved: str,
    setup: list,
    actions: list,
    asserts: list,
    basis: list[str],
    purpose: str,
    extra_known: str = "",
    extra_instructions: str = "",
    compare_args: dict | None = None,
) -> dict:
    cid, name, dob, phone, _ = CUSTOMERS[who]
    known = f"You are {name}, born {dob}. Your phone number is {phone}. {extra_known}".strip()
    instructions = (
        f"{extra_instructions} You will consider the issue resolved when {resolved} {GROUNDING}"
    ).strip()
    init = [("user", "set_user_info", {"name": name, "phone_number": phone}), *setup]
    expected = []
    for i, (side, fn, args) in enumerate(actions):
        action = {
            "action_id": f"{fn}_{i}",
            "requestor": side,
            "name": fn,
            "arguments": args,
            "info": None,
            "compare_args": (compare_args or {}).get(fn),
        }
        expected.append(action)
    return {
        "id": f"[{category}]{scenario}[{key}]",
        "description": {"purpose": purpose, "relevant_policies": None, "notes": None},
        "user_scenario": {
            "persona": PERSONAS[persona],
            "instructions": {
                "domain": "telecom",
                "reason_for_call": reason,
                "known_info": known,
                "unknown_info": None,
                "task_instructions": instructions,
            },
        },
        "ticket": f"Customer {name} ({phone}, customer ID {cid}) reports: {reason} "
        f"They consider the issue resolved when {resolved}",
        "initial_state": {
            "initialization_data": None,
            "initialization_actions": [
                {"env_type": s, "func_name": f, "arguments": g} for s, f, g in init
            ],
            "message_history": None,
        },
        "evaluation_criteria": {
            "actions": expected,
            "env_assertions": [
                {
                    "env_type": s,
                    "func_name": f,
                    "arguments": g,
                    "assert_value": True,
                    "message": None,
                }
                for s, f, g in asserts
            ],
            "communicate_info": None,
            "nl_assertions": None,
            "reward_basis": basis,
        },
    }


NO_SERVICE = "Your phone shows no signal and you cannot make calls."
NO_DATA = "Mobile data does not work on your phone: web pages do not load away from Wi-Fi."
SLOW_DATA = "Mobile data on your phone is very slow."
NO_MMS = "You cannot send a photo to a friend by text message (MMS)."
HAS_SIGNAL = "the status bar shows signal bars again."
FAST = "a speed test on your phone rates the connection as excellent."
MMS_WORKS = "your phone reports that it can send MMS messages."
ABROAD = "You are on holiday abroad."
TRANSFER_ONLY = {"transfer_to_human_agents": []}

TASKS = [
    task(
        "001",
        "service",
        "airplane_mode_on",
        0,
        "kenji",
        NO_SERVICE,
        HAS_SIGNAL,
        [u("turn_airplane_mode_on")],
        [u("toggle_airplane_mode")],
        SERVICE_OK,
        ["ENV_ASSERTION"],
        "Airplane mode left on.",
    ),
    task(
        "002",
        "service",
        "sim_not_seated",
        1,
        "aisha",
        NO_SERVICE,
        HAS_SIGNAL,
        [u("unseat_sim_card")],
        [u("reseat_sim_card")],
        SERVICE_OK,
        ["ENV_ASSERTION"],
        "The SIM card is loose.",
    ),
    task(
        "003",
        "service",
        "sim_locked_puk",
        2,
        "sofia",
        NO_SERVICE,
        HAS_SIGNAL,
        [u("lock_sim_card", mode="puk")],
        [TRANSFER],
        [u("assert_service_status", expected_status="no_service")],
        ["ENV_ASSERTION", "ACTION"],
        "A PUK-locked SIM cannot be fixed by the agent: transfer.",
        compare_args=TRANSFER_ONLY,
        extra_instructions="If the agent transfers you to a human agent, accept and end the call.",
    ),
    task(
        "004",
        "service",
        "broken_apn",
        0,
        "liam",
        NO_SERVICE,
        HAS_SIGNAL,
        [u("break_apn_settings")],
        [u("reset_apn_settings"), u("reboot_device")],
        SERVICE_OK,
        ["ENV_ASSERTION"],
        "Broken APN: reset, then reboot.",
    ),
    task(
        "005",
        "service",
        "overdue_bill_suspension",
        1,
        "maria",
        NO_SERVICE,
        HAS_SIGNAL,
        [
            a(
                "suspend_line_for_overdue_bill",
                customer_id="C2001",
                line_id="L2001",
                new_bill_id="B2090",
                contract_ended=False,
            ),
            u("simulate_network_search"),
        ],
        [
            a("send_payment_request", customer_id="C2001", bill_id="B2090"),
            u("make_payment"),
            a("resume_line", customer_id="C2001", line_id="L2001"),
            u("reboot_device"),
        ],
        [*SERVICE_OK, a("assert_no_overdue_bill", overdue_bill_id="B2090")],
        ["DB", "ENV_ASSERTION"],
        "Line suspended over an overdue bill: payment, resume, reboot.",
        extra_instructions="If the agent asks you to pay an overdue bill, you agree.",
    ),
    task(
        "006",
        "service",
        "contract_ended_suspension",
        2,
        "aisha",
        NO_SERVICE,
        HAS_SIGNAL,
        [
            a(
                "suspend_line_for_overdue_bill",
                customer_id="C2003",
                line_id="L2004",
                new_bill_id="B2091",
                contract_ended=True,
            ),
            u("simulate_network_search"),
        ],
        [TRANSFER],
        [u("assert_service_status", expected_status="no_service")],
        ["ENV_ASSERTION", "ACTION"],
        "Suspended line whose contract ended: the agent may not resume it; transfer.",
        compare_args=TRANSFER_ONLY,
        extra_instructions="If the agent asks you to pay a bill, you agree. If the agent transfers "
        "you to a human agent, accept and end the call.",
    ),
    task(
        "007",
        "service",
        "airplane_mode_and_sim",
        2,
        "liam",
        NO_SERVICE,
        HAS_SIGNAL,
        [u("turn_airplane_mode_on"), u("unseat_sim_card")],
        [u("toggle_airplane_mode"), u("reseat_sim_card")],
        SERVICE_OK,
        ["ENV_ASSERTION"],
        "Two causes of no service at once.",
    ),
    task(
        "008",
        "mobile_data",
        "data_switched_off",
        0,
        "maria",
        NO_DATA,
        FAST,
        [u("turn_data_off")],
        [u("toggle_data")],
        DATA_OK,
        ["ENV_ASSERTION"],
        "Mobile data switched off.",
    ),
    task(
        "009",
        "mobile_data",
        "data_saver_on",
        1,
        "kenji",
        SLOW_DATA,
        FAST,
        [u("turn_data_saver_mode_on")],
        [u("toggle_data_saver_mode")],
        DATA_OK,
        ["ENV_ASSERTION"],
        "Data saver slows data.",
    ),
    task(
        "010",
        "mobile_data",
        "slow_vpn",
        2,
        "sofia",
        SLOW_DATA,
        FAST,
        [u("break_vpn")],
        [u("disconnect_vpn")],
        DATA_OK,
        ["ENV_ASSERTION"],
        "A poorly performing VPN.",
    ),
    task(
        "011",
        "mobile_data",
        "network_mode_3g_only",
        0,
        "aisha",
        SLOW_DATA,
        FAST,
        [u("set_network_mode_preference", mode="3g_only")],
        [u("set_network_mode_preference", mode="4g_5g_preferred")],
        DATA_OK,
        ["ENV_ASSERTION"],
        "Phone restricted to 3G.",
    ),
    task(
        "012",
        "mobile_data",
        "abroad_phone_roaming_off",
        1,
        "liam",
        NO_DATA,
        FAST,
        [u("set_user_location", abroad=True), u("turn_roaming_off"), u("simulate_network_search")],
        [u("toggle_roaming")],
        DATA_OK,
        ["ENV_ASSERTION"],
        "Abroad; the line allows roaming but the phone's data roaming is off.",
        extra_known=ABROAD,
    ),
    task(
        "013",
        "mobile_data",
        "abroad_line_roaming_off",
        2,
        "kenji",
        NO_DATA,
        FAST,
        [u("set_user_location", abroad=True), u("turn_roaming_on")],
        [a("enable_roaming", customer_id="C2002", line_id="L2003")],
        DATA_OK,
        ["ENV_ASSERTION"],
        "Abroad; the phone roams but the line has no roaming.",
        extra_known=ABROAD,
    ),
    task(
        "014",
        "mobile_data",
        "abroad_both_roaming_off",
        0,
        "sofia",
        NO_DATA,
        FAST,
        [u("set_user_location", abroad=True), u("turn_roaming_off")],
        [a("enable_roaming", customer_id="C2005", line_id="L2007"), u("toggle_roaming")],
        DATA_OK,
        ["ENV_ASSERTION"],
        "Abroad; roaming off on both the line and the phone.",
        extra_known=ABROAD,
    ),
    task(
        "015",
        "mobile_data",
        "data_used_up",
        1,
        "aisha",
        NO_DATA,
        FAST,
        [a("set_data_usage", customer_id="C2003", line_id="L2004", data_used_gb=3.4)],
        [a("refuel_data", customer_id="C2003", line_id="L2004", gb_amount=1.0)],
        [
            *DATA_OK,
            a(
                "assert_data_refueling_amount",
                customer_id="C2003",
                line_id="L2004",
                expected_amount=1.0,
            ),
        ],
        ["ENV_ASSERTION"],
        "Allowance used up; the customer buys 1 GB.",
        extra_instructions="If the agent offers to add data, you want exactly 1 GB and accept the price.",
    ),
    task(
        "016",
        "mobile_data",
        "data_used_up_refuel_cap",
        2,
        "kenji",
        NO_DATA,
        FAST,
        [a("set_data_usage", customer_id="C2002", line_id="L2003", data_used_gb=20.5)],
        [a("refuel_data", customer_id="C2002", line_id="L2003", gb_amount=2.0)],
        [
            *DATA_OK,
            a(
                "assert_data_refueling_amount",
                customer_id="C2002",
                line_id="L2003",
                expected_amount=2.0,
            ),
        ],
        ["ENV_ASSERTION"],
        "Allowance used up; the customer asks for 5 GB but the policy caps a refuel at 2 GB.",
        extra_instructions="If the agent offers to add data, ask for 5 GB; if told that is not "
        "possible, take the largest amount allowed and accept the price.",
    ),
    task(
        "017",
        "mobile_data",
        "data_saver_and_vpn",
        0,
        "maria",
        SLOW_DATA,
        FAST,
        [u("turn_data_saver_mode_on"), u("break_vpn")],
        [u("toggle_data_saver_mode"), u("disconnect_vpn")],
        DATA_OK,
        ["ENV_ASSERTION"],
        "Two causes of slow data.",
    ),
    task(
        "018",
        "mms",
        "network_mode_2g_only",
        1,
        "sofia",
        NO_MMS,
        MMS_WORKS,
        [u("set_network_mode_preference", mode="2g_only")],
        [u("set_network_mode_preference", mode="4g_5g_preferred")],
        MMS_OK,
        ["ENV_ASSERTION"],
        "MMS needs 3G or better.",
    ),
    task(
        "019",
        "mms",
        "wifi_calling_mms",
        2,
        "kenji",
        NO_MMS,
        MMS_WORKS,
        [u("set_wifi_calling", enabled=True, mms_over_wifi=True)],
        [u("toggle_wifi_calling")],
        MMS_OK,
        ["ENV_ASSERTION"],
        "MMS over Wi-Fi calling is not carried.",
    ),
    task(
        "020",
        "mms",
        "missing_mmsc_url",
        0,
        "aisha",
        NO_MMS,
        MMS_WORKS,
        [u("break_apn_mms_setting")],
        [u("reset_apn_settings"), u("reboot_device")],
        MMS_OK,
        ["ENV_ASSERTION"],
        "No MMSC URL in the APN.",
    ),
    task(
        "021",
        "mms",
        "storage_permission",
        1,
        "liam",
        NO_MMS,
        MMS_WORKS,
        [u("remove_app_permission", app_name="messaging", permission="storage")],
        [u("grant_app_permission", app_name="messaging", permission="storage")],
        MMS_OK,
        ["ENV_ASSERTION"],
        "The messaging app lost its storage permission.",
    ),
    task(
        "022",
        "mms",
        "sms_permission_and_data_off",
        2,
        "maria",
        NO_MMS,
        MMS_WORKS,
        [u("remove_app_permission", app_name="messaging", permission="sms"), u("turn_data_off")],
        [u("toggle_data"), u("grant_app_permission", app_name="messaging", permission="sms")],
        MMS_OK,
        ["ENV_ASSERTION"],
        "MMS blocked by mobile data off and a missing SMS permission.",
    ),
    task(
        "023",
        "account",
        "roaming_before_trip",
        0,
        "kenji",
        "You fly abroad tomorrow and want your phone's data to work there.",
        "the agent confirms that roaming is enabled on your line.",
        [],
        [a("enable_roaming", customer_id="C2002", line_id="L2003")],
        [],
        ["DB"],
        "Roaming enabled at no cost for a customer about to travel.",
    ),
    task(
        "024",
        "account",
        "pay_bill_not_overdue",
        1,
        "sofia",
        "You want to pay your latest bill (B2007) right now over the phone.",
        "the agent has answered your request.",
        [],
        [],
        [],
        ["DB"],
        "Payment requests are only for overdue bills; B2007 is merely issued, so nothing may change.",
        extra_instructions="If the agent says the bill cannot be paid this way yet, accept it.",
    ),
]

SPLITS = {
    "small": [
        t["id"]
        for t in TASKS
        if t["id"][-4:-1] in ("001", "005", "006", "008", "013", "015", "019", "022")
    ],
    "train": [t["id"] for i, t in enumerate(TASKS) if i % 3 != 2],
    "test": [t["id"] for i, t in enumerate(TASKS) if i % 3 == 2],
    "base": [t["id"] for t in TASKS],
}


def main() -> None:
    (DATA / "tasks.json").write_text(
        json.dumps(TASKS, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (DATA / "split_tasks.json").write_text(json.dumps(SPLITS, indent=2) + "\n", encoding="utf-8")
    print(f"{len(TASKS)} tasks; splits: " + ", ".join(f"{k} {len(v)}" for k, v in SPLITS.items()))


if __name__ == "__main__":
    main()
